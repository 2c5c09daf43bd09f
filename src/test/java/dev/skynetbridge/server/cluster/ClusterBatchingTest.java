package dev.skynetbridge.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.cbor.CborWriter;
import dev.skynetbridge.server.Delivery;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.NatsServer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one event-loop turn forwards travels in bounded batches (ClusterSender), over a real nats-server: order across
 * batch boundaries and subjects, copies filtered per batch, the bounds, a batch open when NATS goes away, and what is
 * not a batch.
 */
class ClusterBatchingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Vertx vertx = Vertx.vertx();
    private final SkynetHub hubOne = new SkynetHub(10);
    private final SkynetHub hubTwo = new SkynetHub(10);
    private NatsServer nats;
    private ClusterLink one;
    private ClusterLink two;

    @BeforeEach
    void start() {
        NatsServer.assumeAvailable();
        nats = NatsServer.single().start();
        one = link("one", hubOne);
        two = link("two", hubTwo);
        await().atMost(WAIT).until(() -> one.isConnected() && two.isConnected());
    }

    @AfterEach
    void stop() throws Exception {
        one.close();
        two.close();
        nats.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ClusterLink link(String node, SkynetHub hub) {
        return TestLinks.started(nats.url(), node, hub);
    }

    @Test
    void oneTurnsMessagesArriveInOrderInBoundedBatchesAcrossSubjectsAndBatchBoundaries() throws Exception {
        LinkedBlockingQueue<Delivery> onThree = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Delivery> everything = new LinkedBlockingQueue<>();
        hubTwo.join(onThree::add).open(Channel.of(3));
        SkynetHub.Member wildcardAndThree = hubTwo.join(everything::add);
        wildcardAndThree.open(Channel.WILDCARD);
        wildcardAndThree.open(Channel.of(3)); // subscribed twice: each batch comes twice, delivered once
        SkynetHub.Member sender = hubOne.join(d -> { });
        awaitSubscribed(sender, onThree, everything);
        long batchesBefore = one.metrics().batchesSent();
        long sentBefore = one.metrics().sent();
        long copiesBefore = two.metrics().duplicatesSkipped();

        int count = 1000;
        onEventLoop(() -> {
            for (int i = 0; i < count; i++) {
                // Every 300th on another channel: a batch ends where the subject changes.
                sender.publish(SkynetMessage.of(Channel.of(i % 300 == 299 ? 4 : 3), (long) i));
            }
        });

        List<Long> all = take(everything, count);
        assertThat(all).as("a \"*\" listener elsewhere sees the entry order, across subjects")
                .isEqualTo(numbers(0, count));
        List<Long> three = take(onThree, count - 3);
        assertThat(three).isEqualTo(numbers(0, count).stream().filter(i -> i % 300 != 299).toList());
        // A batch is counted just after its write, so it can arrive before it is counted.
        await().atMost(WAIT).until(() -> one.metrics().sent() - sentBefore >= count);
        long batches = one.metrics().batchesSent() - batchesBefore;
        assertThat(one.metrics().sent() - sentBefore).isEqualTo(count);
        // Runs of one subject: 299, 1, 299, 1, 299, 1, 100 messages, each cut into batches of MAX_BATCH_MESSAGES.
        int max = ClusterSender.MAX_BATCH_MESSAGES;
        int minimum = 3 * ((299 + max - 1) / max) + 3 + (100 + max - 1) / max;
        assertThat(batches).as("bounded batches, far fewer than messages").isBetween((long) minimum, count / 10L);
        // At least: the second copies of the last probes may still have been on their way when copiesBefore was read.
        await().atMost(WAIT).until(() -> two.metrics().duplicatesSkipped() - copiesBefore >= count - 3);
        assertThat(two.metrics().received()).isGreaterThanOrEqualTo(count);
        assertThat(everything.poll(200, TimeUnit.MILLISECONDS)).as("no second copy").isNull();
    }

    @Test
    void aBatchIsBoundedByItsBytes() throws Exception {
        LinkedBlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        hubTwo.join(received::add).open(Channel.of(3));
        SkynetHub.Member sender = hubOne.join(d -> { });
        awaitSubscribed(sender, received);
        long batchesBefore = one.metrics().batchesSent();
        String tenKilobytes = "x".repeat(10_000);
        int count = 40;
        onEventLoop(() -> {
            for (int i = 0; i < count; i++) {
                sender.publish(SkynetMessage.of(Channel.of(3), i + tenKilobytes));
            }
        });
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            got.add(String.valueOf(received.poll(10, TimeUnit.SECONDS).message().payload()));
        }
        assertThat(got).allSatisfy(p -> assertThat(p).endsWith(tenKilobytes));
        assertThat(got.stream().map(p -> Integer.parseInt(p.substring(0, p.length() - tenKilobytes.length()))))
                .containsExactlyElementsOf(numbers(0, count).stream().map(Long::intValue).toList());
        long perBatch = ClusterSender.MAX_BATCH_BYTES / 10_000; // 6 messages of 10 kB fit in 64 KiB
        await().atMost(WAIT).until(() -> one.metrics().batchesSent() - batchesBefore >= count / perBatch);
    }

    @Test
    void aBatchOpenWhenNatsGoesAwayWaitsWholeInTheBufferAndGoesOutWhenNatsIsBack() throws Exception {
        SkynetHub.Member sender = hubOne.join(d -> { });
        long sentBefore = one.metrics().sent();
        long batchesBefore = one.metrics().batchesSent();
        onEventLoop(() -> {
            for (int i = 0; i < 50; i++) {
                sender.publish(SkynetMessage.of(Channel.of(3), (long) i));
            }
            // Within the same turn: the batch is still open when the link learns that NATS is gone.
            nats.stop();
            await().atMost(WAIT).until(() -> !one.isConnected());
            for (int i = 50; i < 100; i++) {
                sender.publish(SkynetMessage.of(Channel.of(3), (long) i));
            }
        });
        await().atMost(WAIT).until(() -> one.metrics().buffered() == 100);
        assertThat(one.metrics().sent()).isEqualTo(sentBefore);
        assertThat(one.metrics().dropped()).isZero();

        nats.start();
        await().atMost(WAIT).until(() -> one.isConnected() && one.metrics().buffered() == 0);
        assertThat(one.metrics().sent() - sentBefore).isEqualTo(100);
        assertThat(one.metrics().batchesSent() - batchesBefore).as("the open batch went out whole").isEqualTo(1);
        assertThat(one.metrics().dropped()).isZero();
    }

    @Test
    void whatIsNotABatchIsCountedAndTheNextBatchStillArrives() throws Exception {
        LinkedBlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        hubTwo.join(received::add).open(Channel.of(3));
        SkynetHub.Member sender = hubOne.join(d -> { });
        awaitSubscribed(sender, received);
        long undecodableBefore = two.metrics().undecodable();
        nats.publishRaw("skynet.n.3", "not cbor".getBytes(),
                new CborWriter().writeArrayHead(5).writeLong(2).writeText("x").writeLong(1)
                        .writeLong(1).writeArrayHead(0).toByteArray(), // a batch of no messages
                new CborWriter().writeArrayHead(5).writeLong(9).writeText("x").writeLong(1)
                        .writeLong(1).writeArrayHead(0).toByteArray()); // a later version
        await().atMost(WAIT).until(() -> two.metrics().undecodable() - undecodableBefore == 3);
        sender.publish(SkynetMessage.of(Channel.of(3), "after"));
        assertThat(received.poll(10, TimeUnit.SECONDS).message().payload()).isEqualTo("after");
    }

    @Test
    void withALingerABatchGoesOutByItsTimerWithNoLaterTrafficInOrder() throws Exception {
        SkynetHub lingeringHub = new SkynetHub(10);
        ClusterLink lingering = new ClusterLink(new ClusterOptions(List.of(nats.url()), "lingering", "skynet", 1 << 20,
                null, 50), lingeringHub);
        lingering.start();
        try {
            await().atMost(WAIT).until(lingering::isConnected);
            LinkedBlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
            hubTwo.join(received::add).open(Channel.of(3));
            SkynetHub.Member sender = lingeringHub.join(d -> { });
            awaitSubscribed(sender, received);
            long batchesBefore = lingering.metrics().batchesSent();
            for (int turn = 0; turn < 10; turn++) {
                long number = turn;
                onEventLoop(() -> sender.publish(SkynetMessage.of(Channel.of(3), number)));
            }
            // Nothing is sent after the last turn: the linger's timer alone must send what is still open.
            assertThat(take(received, 10)).isEqualTo(numbers(0, 10));
            await().atMost(WAIT).until(() -> lingering.metrics().batchesSent() - batchesBefore >= 1);
            assertThat(lingering.metrics().batchesSent() - batchesBefore).isBetween(1L, 10L);
        } finally {
            lingering.close();
        }
    }

    /** NATS takes subscriptions on its own time: send until one arrives everywhere, then drain the probes. */
    @SafeVarargs
    private static void awaitSubscribed(SkynetHub.Member sender, LinkedBlockingQueue<Delivery>... receivers)
            throws Exception {
        await().atMost(WAIT).until(() -> {
            sender.publish(SkynetMessage.of(Channel.of(3), "probe"));
            for (LinkedBlockingQueue<Delivery> receiver : receivers) {
                if (receiver.poll(50, TimeUnit.MILLISECONDS) == null) {
                    return false;
                }
            }
            return true;
        });
        sender.publish(SkynetMessage.of(Channel.of(3), "probes end"));
        for (LinkedBlockingQueue<Delivery> receiver : receivers) {
            while (!"probes end".equals(receiver.poll(10, TimeUnit.SECONDS).message().payload())) {
                // probes still in flight
            }
        }
    }

    /** Runs on an event loop, as a websocket's frames are handled: what it forwards is one turn's batch. */
    private void onEventLoop(Runnable turn) throws Exception {
        Promise<Void> done = Promise.promise();
        vertx.runOnContext(ignored -> {
            turn.run();
            done.complete();
        });
        done.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static List<Long> take(LinkedBlockingQueue<Delivery> queue, int count) throws InterruptedException {
        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Delivery delivery = queue.poll(10, TimeUnit.SECONDS);
            assertThat(delivery).as("message " + i + " of " + count).isNotNull();
            numbers.add((Long) delivery.message().payload());
        }
        return numbers;
    }

    private static List<Long> numbers(int from, int to) {
        List<Long> numbers = new ArrayList<>();
        for (long i = from; i < to; i++) {
            numbers.add(i);
        }
        return numbers;
    }
}
