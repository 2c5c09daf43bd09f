package dev.skynetbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The tally counts streams: one per publisher when one receiver reads them all (Skynet to MQTT), one per listener
 * when every listener reads the one MQTT publisher (mqtt-in).
 */
class BridgeLoadTallyTest {

    private static BridgeProbe probe(long seq) {
        BridgeProbe probe = new BridgeProbe();
        probe.seq = seq;
        probe.sentNanos = 0;
        return probe;
    }

    @Test
    void listenersEachCountTheOnePublishersMessagesOnTheirOwn() {
        BridgeLoadTally tally = new BridgeLoadTally(3, 7);
        for (int listener = 0; listener < 3; listener++) {
            tally.arrived(probe(tally.seq(BridgeLoadTally.PROBE_PUBLISHER, 0)), 1, listener);
            assertThat(tally.everyStreamProbed()).isEqualTo(listener == 2);
        }
        for (long n = 0; n < 5; n++) {
            tally.arrived(probe(tally.seq(0, n)), 1, 0);
            if (n != 3) {
                tally.arrived(probe(tally.seq(0, n)), 1, 1); // listener 1 misses message 3
            }
        }
        tally.arrived(probe(tally.seq(0, 4)), 1, 1); // and gets 4 twice

        assertThat(tally.received.get(0)).isEqualTo(5);
        assertThat(tally.received.get(1)).isEqualTo(4);
        assertThat(tally.minReceived()).as("listener 2 got nothing").isZero();
        assertThat(tally.totalReceived()).isEqualTo(9);
        assertThat(tally.duplicates.get()).isEqualTo(1);
        assertThat(tally.firstMissing(1, 5)).isEqualTo("3");
        assertThat(tally.probes.get()).as("probes are never counted as messages").isEqualTo(3);
    }

    @Test
    void withoutAStreamThePublisherInTheSequenceNumberIsTheStream() {
        BridgeLoadTally tally = new BridgeLoadTally(2, 9);
        tally.arrived(probe(tally.seq(1, 0)), 1);
        tally.arrived(probe(tally.seq(1, 1)), 1);
        tally.arrived(probe(tally.seq(0, 0)), 1);
        tally.arrived(probe(new BridgeLoadTally(2, 10).seq(0, 0)), 1);

        assertThat(tally.received.get(0)).isEqualTo(1);
        assertThat(tally.received.get(1)).isEqualTo(2);
        assertThat(tally.foreign.get()).as("another run's message").isEqualTo(1);
    }

    @Test
    void aListenerStreamRefusesMessagesOfAnotherPublisher() {
        BridgeLoadTally tally = new BridgeLoadTally(2, 5);
        tally.arrived(probe(tally.seq(1, 0)), 1, 0);
        assertThat(tally.unparsed.get()).isEqualTo(1);
        assertThat(tally.totalReceived()).isZero();
    }
}
