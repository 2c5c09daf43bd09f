package dev.skynetbridge.camel;

import dev.skynetbridge.client.SkynetClient;
import dev.skynetbridge.protocol.MessageIds;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.support.RateLimitedWarning;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives a channel's messages, from the in-process hub or a remote server, into a bounded
 * queue, and runs the route for them one at a time on its own thread: the order of a channel is
 * kept, and a slow route never blocks the server's event loops.
 */
public class SkynetConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SkynetConsumer.class);

    private final SkynetEndpoint endpoint;
    private final LinkedBlockingDeque<SkynetMessage> queue;
    private final MessageIds ids = new MessageIds();
    private static final RateLimitedWarning QUEUE_FULL = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);

    private final LongAdder offered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder failed = new LongAdder();

    private ExecutorService worker;
    private volatile boolean running;
    private HubParticipant participant;
    private SkynetClient client;
    private Runnable unsubscribe;

    public SkynetConsumer(SkynetEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.queue = new LinkedBlockingDeque<>(endpoint.getQueueSize());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        worker = endpoint.getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "skynet-consumer-" + endpoint.channel().canonical());
        worker.submit(this::runRoute);
        if (endpoint.usesRemoteServer()) {
            client = endpoint.getComponent().clients().acquire(endpoint.clientOptions());
            unsubscribe = client.subscribe(endpoint.channel(), this::offer);
        } else {
            participant = endpoint.getComponent().joinHub(endpoint.getBridgeId(), endpoint.getEndpointUri(),
                    endpoint.isClusterMessages());
            unsubscribe = participant.subscribe(endpoint.channel(), this::offer);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
        if (client != null) {
            endpoint.getComponent().clients().release(client);
            client = null;
        }
        if (participant != null) {
            endpoint.getComponent().leaveHub(endpoint.getBridgeId(), endpoint.isClusterMessages(), participant);
            participant = null;
        }
        running = false;
        if (worker != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(worker);
            worker = null;
        }
        if (!queue.isEmpty()) {
            LOG.warn("skynet:{} stopped with {} messages not yet routed; they are dropped",
                    endpoint.getChannel(), queue.size());
            dropped.add(queue.size());
            endpoint.getComponent().countRouteQueueDrops(queue.size());
            queue.clear();
        }
        super.doStop();
    }

    /** Called on the hub's or the client's thread: never blocks. */
    private void offer(SkynetMessage message) {
        SkynetMessage withId = message.id() != null ? message : message.stamped(message.time(), ids.next());
        offered.increment();
        if (queue.offerLast(withId)) {
            return;
        }
        if (endpoint.getQueueFullPolicy() == SkynetEndpoint.QueueFullPolicy.DROP_OLDEST) {
            queue.pollFirst();
            queue.offerLast(withId);
        }
        dropped.increment();
        endpoint.getComponent().countRouteQueueDrops(1);
        QUEUE_FULL.warn("skynet:{}: the route is slower than the channel; its queue ({} messages) is full and {} messages"
                        + " were dropped ({}). Raise queueSize or speed up the route.",
                endpoint.getChannel(), endpoint.getQueueSize(), dropped.sum(), endpoint.getQueueFullPolicy());
    }

    private void runRoute() {
        while (running) {
            SkynetMessage message;
            try {
                message = queue.pollFirst(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (message != null) {
                route(message);
            }
        }
    }

    private void route(SkynetMessage message) {
        received.increment();
        Exchange exchange = createExchange(false);
        SkynetExchangeMapping.writeReceived(message, exchange.getMessage());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            failed.increment();
            getExceptionHandler().handleException("Route failed for a message on skynet:" + endpoint.getChannel(),
                    exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    /** Messages the hub or the remote server handed to this consumer: routed + dropped + queued. */
    public long getOfferedCount() {
        return offered.sum();
    }

    public long getDroppedCount() {
        return dropped.sum();
    }

    /** Messages whose route ended with an exception nobody handled. */
    public long getFailedCount() {
        return failed.sum();
    }

    public long getReceivedCount() {
        return received.sum();
    }

    public int getQueueDepth() {
        return queue.size();
    }
}
