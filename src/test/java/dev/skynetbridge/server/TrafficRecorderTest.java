package dev.skynetbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The console's tap on the hub: sampled, bounded, and counting everything it leaves out. */
class TrafficRecorderTest {

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void recordsNothingWhileNobodyWatchesButStillCountsChannels() {
        TrafficRecorder recorder = new TrafficRecorder(8, 100, 10, nanos::get);
        SkynetHub hub = hubWith(recorder);
        hub.publish(SkynetMessage.of(Channel.of(1), "a"));
        assertThat(recorder.read(0, 100).entries()).isEmpty();
        assertThat(recorder.channelCounts()).containsEntry(Channel.of(1), 1L);
        assertThat(recorder.routed()).isEqualTo(1);
    }

    @Test
    void samplesAtMostPerSecondAndCountsTheRest() {
        TrafficRecorder recorder = new TrafficRecorder(64, 3, 10, nanos::get);
        SkynetHub hub = hubWith(recorder);
        recorder.watch();
        long start = recorder.position();
        for (int i = 0; i < 5; i++) {
            hub.publish(SkynetMessage.of(Channel.of("x"), (long) i));
            nanos.addAndGet(100_000_000L);
        }
        assertThat(payloads(recorder.read(start, 100))).containsExactly(0L, 1L, 2L);
        assertThat(recorder.skipped()).isEqualTo(2);
        nanos.set(1_000_000_000L);
        hub.publish(SkynetMessage.of(Channel.of("x"), 5L));
        assertThat(payloads(recorder.read(start, 100))).containsExactly(0L, 1L, 2L, 5L);
        assertThat(recorder.channelCounts()).containsEntry(Channel.of("x"), 6L);
    }

    @Test
    void aBurstIsSampledATenthOfTheSecondsSampleAtATime() {
        TrafficRecorder recorder = new TrafficRecorder(64, 20, 10, nanos::get);
        SkynetHub hub = hubWith(recorder);
        recorder.watch();
        for (int i = 0; i < 10; i++) {
            hub.publish(SkynetMessage.of(Channel.of(1), (long) i));
        }
        assertThat(recorder.read(0, 100).entries()).hasSize(2);
        nanos.addAndGet(100_000_000L);
        hub.publish(SkynetMessage.of(Channel.of(1), 10L));
        assertThat(recorder.read(0, 100).entries()).hasSize(3);
        assertThat(recorder.skipped()).isEqualTo(8);
    }

    @Test
    void aReaderThatFellBehindGetsTheNewestAndTheCountOfWhatItMissed() {
        TrafficRecorder recorder = new TrafficRecorder(4, 1000, 10, nanos::get);
        SkynetHub hub = hubWith(recorder);
        recorder.watch();
        for (int i = 0; i < 10; i++) {
            hub.publish(SkynetMessage.of(Channel.of(9), (long) i));
        }
        TrafficRecorder.Batch batch = recorder.read(0, 100);
        assertThat(payloads(batch)).containsExactly(6L, 7L, 8L, 9L);
        assertThat(batch.missed()).isEqualTo(6);
        assertThat(batch.next()).isEqualTo(10);
        TrafficRecorder.Batch capped = recorder.read(0, 2);
        assertThat(payloads(capped)).containsExactly(8L, 9L);
        assertThat(capped.missed()).isEqualTo(8);
        assertThat(recorder.read(batch.next(), 100).entries()).isEmpty();
    }

    @Test
    void channelCountersAreBoundedAndTheOverflowIsCounted() {
        TrafficRecorder recorder = new TrafficRecorder(4, 1000, 2, nanos::get);
        SkynetHub hub = hubWith(recorder);
        for (int i = 0; i < 5; i++) {
            hub.publish(SkynetMessage.of(Channel.of(i), "m"));
        }
        assertThat(recorder.channelCounts()).hasSize(2);
        assertThat(recorder.untrackedChannelMessages()).isEqualTo(3);
    }

    @Test
    void theSenderIsTheParticipantThatPublished() {
        TrafficRecorder recorder = new TrafficRecorder(4, 1000, 10, nanos::get);
        SkynetHub hub = hubWith(recorder);
        recorder.watch();
        SkynetHub.Member sender = hub.join(delivery -> { }, Participant.inProcess("route-a"));
        SkynetHub.Member listener = hub.join(delivery -> { });
        listener.open(Channel.of(3));
        sender.publish(SkynetMessage.of(Channel.of(3), "hi"));
        TrafficRecorder.Entry entry = recorder.read(0, 10).entries().get(0);
        assertThat(entry.sender()).isEqualTo("route-a");
        assertThat(entry.senderId()).isEqualTo(sender.id());
        assertThat(entry.recipients()).isEqualTo(1);
        assertThat(hub.participants()).extracting(ParticipantView::messagesIn, ParticipantView::messagesOut)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 0L), org.assertj.core.groups.Tuple.tuple(0L, 1L));
        sender.leave();
        assertThat(hub.participants()).hasSize(1);
    }

    @Test
    void aMessageFromAnotherClusterNodeIsSampledWithItsEntryNodeAndCountedApart() {
        TrafficRecorder recorder = new TrafficRecorder(8, 100, 10, nanos::get);
        SkynetHub hub = hubWith(recorder);
        recorder.watch();
        SkynetMessage stamped = SkynetMessage.of(Channel.of(3), "remote").stamped(java.time.Instant.EPOCH, "id-1");
        hub.deliverFromCluster(stamped, "node-2");
        TrafficRecorder.Entry entry = recorder.read(0, 100).entries().get(0);
        assertThat(entry.delivery().entryNode()).isEqualTo("node-2");
        assertThat(entry.sender()).isNull();
        assertThat(recorder.fromCluster()).isEqualTo(1);
        assertThat(recorder.routed()).as("entered elsewhere").isZero();
        assertThat(recorder.channelCounts()).containsEntry(Channel.of(3), 1L);
    }

    private static SkynetHub hubWith(TrafficRecorder recorder) {
        SkynetHub hub = new SkynetHub(10);
        hub.tap(recorder);
        return hub;
    }

    private static List<Object> payloads(TrafficRecorder.Batch batch) {
        List<Object> payloads = new ArrayList<>();
        batch.entries().forEach(entry -> payloads.add(entry.delivery().message().payload()));
        return payloads;
    }
}
