package dev.skynetbridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link MqttOutbox} without a broker: a sender that records what it was handed and settles it when told. */
class MqttOutboxTest {

    /** What the sender was handed, in order, with the handle to settle each. */
    static final class RecordingSender implements MqttOutbox.Sender<Integer> {
        final List<Integer> sent = new ArrayList<>();
        final List<MqttOutbox.Delivery> deliveries = new ArrayList<>();
        /** Settles each message inside send() already, as the client may for a packet it refuses at once. */
        boolean refuseAtOnce;

        @Override
        public synchronized void send(Integer message, MqttOutbox.Delivery delivery) {
            sent.add(message);
            deliveries.add(delivery);
            if (refuseAtOnce) {
                delivery.refused("packet too large");
            }
        }

        @Override
        public String describe(Integer message) {
            return "topic/" + message;
        }

        synchronized void confirm(int index) {
            deliveries.get(index).confirmed();
        }
    }

    private final RecordingSender sender = new RecordingSender();
    private final AtomicBoolean connected = new AtomicBoolean(true);

    private MqttOutbox<Integer> outbox(int capacity, int maxInFlight) {
        return new MqttOutbox<>("tcp://test:1883", capacity, maxInFlight, sender, connected::get);
    }

    private static void offer(MqttOutbox<Integer> outbox, int fromInclusive, int toInclusive) {
        IntStream.rangeClosed(fromInclusive, toInclusive).forEach(outbox::offer);
    }

    private static void assertBalanced(MqttOutbox<Integer> outbox) {
        assertThat(outbox.receivedCount()).as("received = published + failed + buffered + dropped")
                .isEqualTo(outbox.publishedCount() + outbox.failedCount() + outbox.bufferedCount()
                           + outbox.droppedCount());
    }

    @Test
    void handsOverInOrderWithinTheWindowAndMoreAsConfirmationsComeIn() {
        MqttOutbox<Integer> outbox = outbox(100, 4);
        offer(outbox, 1, 10);
        assertThat(sender.sent).containsExactly(1, 2, 3, 4);
        assertThat(outbox.bufferedCount()).isEqualTo(10);
        assertThat(outbox.waitingCount()).isEqualTo(6);

        sender.confirm(1); // out of order: the window frees one slot all the same
        assertThat(sender.sent).containsExactly(1, 2, 3, 4, 5);
        sender.confirm(0);
        sender.confirm(2);
        assertThat(sender.sent).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(outbox.publishedCount()).isEqualTo(3);
        assertBalanced(outbox);
    }

    @Test
    void nothingIsHandedOverWhileDisconnected() {
        connected.set(false);
        MqttOutbox<Integer> outbox = outbox(100, 4);
        offer(outbox, 1, 3);
        assertThat(sender.sent).isEmpty();

        connected.set(true);
        outbox.sendWaiting();
        assertThat(sender.sent).containsExactly(1, 2, 3);
    }

    @Test
    void aFullOutboxDropsItsOldestWaitingMessageAndCountsIt() {
        connected.set(false);
        MqttOutbox<Integer> outbox = outbox(5, 4);
        offer(outbox, 1, 12);
        assertThat(outbox.droppedCount()).isEqualTo(7);
        assertThat(outbox.bufferedCount()).isEqualTo(5);
        assertBalanced(outbox);

        connected.set(true);
        outbox.sendWaiting();
        sender.confirm(0);
        assertThat(sender.sent).as("the newest five, in order").containsExactly(8, 9, 10, 11, 12);
    }

    @Test
    void afterAConnectionLossTheUnconfirmedGoBackToTheHeadInOrder() {
        MqttOutbox<Integer> outbox = outbox(100, 4);
        offer(outbox, 1, 8);
        sender.confirm(1); // 2 confirmed, 5 handed over: in flight 1, 3, 4, 5; waiting 6, 7, 8
        connected.set(false);

        assertThat(outbox.lastPublishedMillis()).as("when the broker last confirmed one").isPositive();
        assertThat(outbox.takeBackInFlight()).isEqualTo(4);
        assertThat(outbox.resentCount()).as("the four taken back are sent again: the bridge's retried").isEqualTo(4);
        assertThat(outbox.bufferedCount()).isEqualTo(7);
        sender.confirm(0); // a late confirmation of a message taken back: it is sent again anyway
        assertThat(outbox.publishedCount()).isEqualTo(1);
        assertBalanced(outbox);

        sender.sent.clear();
        sender.deliveries.clear();
        connected.set(true);
        outbox.sendWaiting();
        for (int i = 0; i < 7; i++) {
            sender.confirm(i);
        }
        assertThat(sender.sent).as("unconfirmed first, then the waiting ones").containsExactly(1, 3, 4, 5, 6, 7, 8);
        assertThat(outbox.publishedCount()).isEqualTo(8);
        assertThat(outbox.bufferedCount()).isZero();
        assertBalanced(outbox);
    }

    @Test
    void unconfirmedMessagesThatNoLongerFitAreDroppedAndCounted() {
        MqttOutbox<Integer> outbox = outbox(3, 3);
        offer(outbox, 1, 6); // 1, 2, 3 in flight; 4, 5, 6 waiting: full
        connected.set(false);

        assertThat(outbox.takeBackInFlight()).isZero();
        assertThat(outbox.droppedCount()).isEqualTo(3);
        assertThat(outbox.bufferedCount()).isEqualTo(3);
        assertBalanced(outbox);
    }

    @Test
    void aRefusedMessageIsCountedAsFailedAndFreesItsSlot() {
        MqttOutbox<Integer> outbox = outbox(100, 1);
        offer(outbox, 1, 2);
        sender.deliveries.get(0).refused("topic not allowed");
        assertThat(outbox.failedCount()).isEqualTo(1);
        assertThat(sender.sent).containsExactly(1, 2);
        sender.deliveries.get(0).confirmed(); // settled already: ignored
        assertThat(outbox.publishedCount()).isZero();
        assertBalanced(outbox);
    }

    @Test
    void aSenderThatSettlesInsideSendDoesNotRecurse() {
        sender.refuseAtOnce = true;
        MqttOutbox<Integer> outbox = outbox(100, 2);
        offer(outbox, 1, 50);
        assertThat(sender.sent).hasSize(50);
        assertThat(outbox.failedCount()).isEqualTo(50);
        assertThat(outbox.bufferedCount()).isZero();
        assertBalanced(outbox);
    }

    @Test
    void closingDropsWhatIsLeftAndCountsIt() {
        MqttOutbox<Integer> outbox = outbox(100, 2);
        offer(outbox, 1, 5);
        sender.confirm(0);
        connected.set(false);
        assertThat(outbox.awaitEmpty(10_000)).as("returns at once while disconnected").isFalse();

        assertThat(outbox.discardAll()).isEqualTo(4);
        assertThat(outbox.droppedCount()).isEqualTo(4);
        assertThat(outbox.bufferedCount()).isZero();
        sender.confirm(1); // a confirmation after close: ignored
        assertThat(outbox.publishedCount()).isEqualTo(1);
        assertBalanced(outbox);
    }

    @Test
    void awaitEmptyReturnsOnceTheLastConfirmationArrives() throws Exception {
        MqttOutbox<Integer> outbox = outbox(100, 8);
        offer(outbox, 1, 3);
        Thread confirmer = new Thread(() -> {
            for (int i = 0; i < 3; i++) {
                sender.confirm(i);
            }
        });
        confirmer.start();
        assertThat(outbox.awaitEmpty(30_000)).isTrue();
        confirmer.join();
        assertThat(outbox.publishedCount()).isEqualTo(3);
    }

    @Test
    void countersBalanceUnderConcurrentPublishersLossesAndConfirmations() throws Exception {
        MqttOutbox<Integer> outbox = outbox(200, 16);
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 10_000;
            publishers.add(new Thread(() -> offer(outbox, base + 1, base + 5_000)));
        }
        publishers.forEach(Thread::start);
        Random random = new Random(42);
        int settledUpTo = 0;
        while (publishers.stream().anyMatch(Thread::isAlive) || outbox.bufferedCount() > 0) {
            List<MqttOutbox.Delivery> pending;
            synchronized (sender) {
                pending = List.copyOf(sender.deliveries.subList(settledUpTo, sender.deliveries.size()));
            }
            settledUpTo += pending.size();
            for (MqttOutbox.Delivery delivery : pending) {
                int roll = random.nextInt(100);
                if (roll < 90) {
                    delivery.confirmed();
                } else if (roll < 95) {
                    delivery.refused("refused by the test");
                } // else: lost with the connection below
            }
            if (random.nextInt(20) == 0) {
                connected.set(false);
                outbox.takeBackInFlight();
                connected.set(true);
                outbox.sendWaiting();
            }
            if (pending.isEmpty()) {
                Thread.onSpinWait();
                outbox.takeBackInFlight(); // unconfirmed ones left behind go out again
                outbox.sendWaiting();
            }
        }
        for (Thread publisher : publishers) {
            publisher.join();
        }
        assertThat(outbox.receivedCount()).isEqualTo(20_000);
        assertThat(outbox.bufferedCount()).isZero();
        assertBalanced(outbox);
    }

    @Test
    void refusesNonsenseBounds() {
        assertThatThrownBy(() -> outbox(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbox(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
