package dev.skynetbridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The archive's buffer and send window against a scripted transport: no Camel, no broker. */
class ArchiveOutboxTest {

    /** Takes every record and keeps its completion for the test to call; can refuse the first attempts. */
    static final class ScriptedTransport implements ArchiveOutbox.Transport {
        final List<String> taken = new CopyOnWriteArrayList<>();
        final List<ArchiveOutbox.Completion> pending = new CopyOnWriteArrayList<>();
        final AtomicInteger refuseNext = new AtomicInteger();
        volatile boolean refuseRetriable = true;
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public ArchiveOutbox.Refusal send(ArchiveRecord record, ArchiveOutbox.Completion done) {
            attempts.incrementAndGet();
            if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return new ArchiveOutbox.Refusal(new IllegalStateException("no metadata"), refuseRetriable);
            }
            taken.add(record.key());
            pending.add(done);
            return null;
        }

        void acknowledgeOldest(Throwable failure) {
            pending.remove(0).completed(failure);
        }
    }

    static final class RecordingEvents implements ArchiveOutbox.Events {
        final List<String> dropped = Collections.synchronizedList(new ArrayList<>());
        final List<String> failed = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger acknowledged = new AtomicInteger();

        @Override
        public void acknowledged() {
            acknowledged.incrementAndGet();
        }

        @Override
        public void refused(ArchiveRecord record, Throwable cause, long retryInMillis) {
            refused.incrementAndGet();
        }

        @Override
        public void failed(ArchiveRecord record, Throwable cause) {
            failed.add(record.key());
        }

        @Override
        public void dropped(ArchiveRecord record, long total) {
            dropped.add(record.key());
        }
    }

    final ScriptedTransport transport = new ScriptedTransport();
    final RecordingEvents events = new RecordingEvents();
    ArchiveOutbox outbox;

    ArchiveOutbox start(int bufferSize, ArchiveOutbox.FullPolicy policy, int sendWindow) {
        outbox = new ArchiveOutbox(bufferSize, policy, sendWindow, 1, 5, transport, events);
        outbox.start(runnable -> new Thread(runnable, "outbox-test"));
        return outbox;
    }

    @AfterEach
    void stop() {
        if (outbox != null) {
            outbox.stop();
        }
    }

    static ArchiveRecord record(String key) {
        return new ArchiveRecord(key, new byte[] {1}, Map.of(), 0);
    }

    void assertBalanced() {
        assertThat(outbox.receivedCount()).as("received = sent + failed + queued + dropped")
                .isEqualTo(outbox.sentCount() + outbox.failedCount() + outbox.queuedCount() + outbox.droppedCount());
    }

    @Test
    void atMostSendWindowRecordsAreUnacknowledgedAndTheRestFollowInOrder() {
        start(100, ArchiveOutbox.FullPolicy.DROP_OLDEST, 3);
        for (int i = 1; i <= 10; i++) {
            assertThat(outbox.offer(record("r" + i))).isTrue();
        }
        await().until(() -> transport.taken.size() == 3);
        assertThat(outbox.unacknowledgedCount()).isEqualTo(3);
        assertThat(outbox.bufferedCount()).isEqualTo(7);
        assertBalanced();

        while (outbox.sentCount() < 10) {
            long before = outbox.sentCount();
            await().until(() -> !transport.pending.isEmpty());
            transport.acknowledgeOldest(null);
            await().until(() -> outbox.sentCount() == before + 1);
            assertThat(outbox.unacknowledgedCount()).isLessThanOrEqualTo(3);
        }
        assertThat(transport.taken).containsExactly("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10");
        assertThat(outbox.queuedCount()).isZero();
        assertThat(events.acknowledged).hasValue(10);
        assertBalanced();
    }

    @Test
    void aFullBufferDropsTheOldestWaitingRecordAndCountsIt() {
        start(2, ArchiveOutbox.FullPolicy.DROP_OLDEST, 1);
        outbox.offer(record("r1"));
        await().until(() -> transport.taken.size() == 1); // r1 is sent and waits for its acknowledgement
        for (int i = 2; i <= 6; i++) {
            outbox.offer(record("r" + i));
        }
        assertThat(outbox.droppedCount()).isEqualTo(3);
        assertThat(events.dropped).containsExactly("r2", "r3", "r4");
        assertThat(outbox.queuedCount()).isEqualTo(3);
        assertBalanced();

        transport.acknowledgeOldest(null);
        await().until(() -> transport.taken.size() == 2);
        transport.acknowledgeOldest(null);
        await().until(() -> transport.taken.size() == 3);
        assertThat(transport.taken).containsExactly("r1", "r5", "r6");
    }

    @Test
    void dropNewestKeepsTheOldestWaitingRecords() {
        start(2, ArchiveOutbox.FullPolicy.DROP_NEWEST, 1);
        outbox.offer(record("r1"));
        await().until(() -> transport.taken.size() == 1);
        outbox.offer(record("r2"));
        outbox.offer(record("r3"));
        assertThat(outbox.offer(record("r4"))).as("the new record is the one dropped").isFalse();
        assertThat(events.dropped).containsExactly("r4");
        transport.acknowledgeOldest(null);
        await().until(() -> transport.taken.size() == 2);
        transport.acknowledgeOldest(null);
        await().until(() -> transport.taken.size() == 3);
        assertThat(transport.taken).containsExactly("r1", "r2", "r3");
        assertBalanced();
    }

    @Test
    void aRefusedRecordIsRetriedBeforeAnyLaterOne() {
        transport.refuseNext.set(3);
        start(10, ArchiveOutbox.FullPolicy.DROP_OLDEST, 5);
        outbox.offer(record("r1"));
        outbox.offer(record("r2"));
        await().until(() -> transport.taken.size() == 2);
        assertThat(transport.taken).containsExactly("r1", "r2");
        assertThat(events.refused).hasValue(3);
        assertThat(transport.attempts).hasValue(5);
        assertThat(outbox.failedCount()).isZero();
        assertBalanced();
    }

    @Test
    void aRecordRefusedForGoodOrFailedAfterSendingCountsAsFailedAndIsNotResent() {
        transport.refuseNext.set(1);
        transport.refuseRetriable = false;
        start(10, ArchiveOutbox.FullPolicy.DROP_OLDEST, 5);
        outbox.offer(record("rejected"));
        outbox.offer(record("timed-out"));
        outbox.offer(record("fine"));
        await().until(() -> transport.taken.size() == 2);
        transport.acknowledgeOldest(new RuntimeException("delivery timeout"));
        transport.acknowledgeOldest(null);
        await().until(() -> outbox.sentCount() == 1);
        assertThat(events.failed).containsExactly("rejected", "timed-out");
        assertThat(outbox.failedCount()).isEqualTo(2);
        assertThat(transport.taken).containsExactly("timed-out", "fine");
        assertBalanced();
    }

    @Test
    void stoppingCountsTheBufferAsDroppedAndUnfinishedSendsAsFailed() {
        start(10, ArchiveOutbox.FullPolicy.DROP_OLDEST, 2);
        for (int i = 1; i <= 5; i++) {
            outbox.offer(record("r" + i));
        }
        await().until(() -> transport.taken.size() == 2);
        assertThat(outbox.stop()).as("left in the buffer").isEqualTo(3);
        assertThat(outbox.failUnacknowledged()).isEqualTo(2);
        transport.acknowledgeOldest(null); // a late acknowledgement of a record already counted changes nothing
        assertThat(outbox.sentCount()).isZero();
        assertThat(outbox.droppedCount()).isEqualTo(3);
        assertThat(outbox.failedCount()).isEqualTo(2);
        assertThat(outbox.queuedCount()).isZero();
        assertBalanced();
        outbox = null;
    }

    @Test
    void boundsBelowOneAreRefused() {
        assertThatThrownBy(() -> new ArchiveOutbox(0, ArchiveOutbox.FullPolicy.DROP_OLDEST, 1, 1, 1, transport, events))
                .hasMessageContaining("at least 1");
    }
}
