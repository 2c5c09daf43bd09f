package dev.skynetbridge.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions of one {@link MqttLink}: made on every (re)connect (the link connects with clean start), each
 * with No Local (or, in a shared subscription group, as {@code $share/<group>/<filter>}, where MQTT 5 forbids No Local
 * and the bridge-id user property alone keeps a bridge from taking back its own publishes), and the one place
 * incoming messages are matched to listeners. Counts the messages it hands to
 * listeners and those whose listener failed.
 */
final class MqttSubscriptions {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSubscriptions.class);

    private static final class Subscription {
        final MqttTopicFilter filter;
        final int qos;
        final MqttLink.Listener listener;
        /** The broker confirmed it on the current connection. */
        volatile boolean active;

        Subscription(MqttTopicFilter filter, int qos, MqttLink.Listener listener) {
            this.filter = filter;
            this.qos = qos;
            this.listener = listener;
        }
    }

    private final String brokerUrl;
    /** Null: plain subscriptions. */
    private final String shareGroup;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder listenerFailures = new LongAdder();

    MqttSubscriptions(String brokerUrl, String shareGroup) {
        this.brokerUrl = brokerUrl;
        this.shareGroup = shareGroup;
    }

    /** What the broker is asked for: the filter itself, or its shared form. */
    private MqttTopicFilter onTheBroker(MqttTopicFilter filter) {
        return shareGroup == null ? filter : MqttTopicFilter.of("$share/" + shareGroup + "/" + filter);
    }

    /**
     * Adds a subscription, made at once if {@code connectedClient} gives a client (null while not connected).
     *
     * @return what removes it again (and unsubscribes once no other subscription uses the same filter)
     * @throws IllegalArgumentException if the filter is not a valid MQTT topic filter or the QoS is not 0, 1 or 2
     */
    Runnable add(String filter, int qos, MqttLink.Listener listener, Supplier<Mqtt5AsyncClient> connectedClient) {
        HiveMqMessages.qosOf(qos); // refuse a bad QoS now, not at the next reconnect
        Subscription subscription = new Subscription(MqttTopicFilter.of(filter), qos, listener);
        subscriptions.add(subscription);
        Mqtt5AsyncClient client = connectedClient.get();
        if (client != null) {
            send(client, subscription);
        }
        return () -> {
            subscriptions.remove(subscription);
            Mqtt5AsyncClient current = connectedClient.get();
            if (current != null && subscriptions.stream().noneMatch(s -> s.filter.equals(subscription.filter))) {
                current.unsubscribeWith().topicFilter(onTheBroker(subscription.filter)).send()
                        .whenComplete((ack, problem) -> {
                            if (problem != null) {
                                LOG.debug("Unsubscribe {} from {} failed: {}", filter, brokerUrl,
                                        HiveMqMessages.describe(problem));
                            }
                        });
            }
        };
    }

    /** After a (re)connect: every subscription again. */
    void subscribeAll(Mqtt5AsyncClient client) {
        for (Subscription subscription : subscriptions) {
            send(client, subscription);
        }
    }

    /** After a connection loss: none is active until the broker confirms it again. */
    void connectionLost() {
        subscriptions.forEach(subscription -> subscription.active = false);
    }

    int activeCount() {
        return (int) subscriptions.stream().filter(subscription -> subscription.active).count();
    }

    /** Messages handed to listeners (one per matching subscription). */
    long deliveredCount() {
        return delivered.sum();
    }

    /** Of those, the ones whose listener threw. */
    long listenerFailureCount() {
        return listenerFailures.sum();
    }

    private void send(Mqtt5AsyncClient client, Subscription subscription) {
        client.subscribeWith()
                .topicFilter(onTheBroker(subscription.filter))
                .qos(HiveMqMessages.qosOf(subscription.qos))
                // No Local: the broker never sends this connection its own publishes (the MQTT side of the loop guard).
                // MQTT 5 makes it a protocol error on a shared subscription.
                .noLocal(shareGroup == null)
                .send()
                .whenComplete((subAck, problem) -> onSubscribed(subscription, subAck, problem));
    }

    private void onSubscribed(Subscription subscription, Mqtt5SubAck subAck, Throwable problem) {
        if (problem != null) {
            if (HiveMqMessages.isConnectionProblem(problem)) {
                LOG.debug("Subscribing to {} on {} was cut off by the connection; it is made again on the reconnect",
                        subscription.filter, brokerUrl);
            } else {
                LOG.error("MQTT broker {} refused the subscription {} ({}); nothing from MQTT reaches Skynet through"
                          + " it", brokerUrl, subscription.filter, HiveMqMessages.describe(problem));
            }
            return;
        }
        Mqtt5SubAckReasonCode code = subAck.getReasonCodes().isEmpty() ? null : subAck.getReasonCodes().get(0);
        if (code != null && code.isError()) {
            LOG.error("MQTT broker {} refused the subscription {} (reason {}); nothing from MQTT reaches Skynet"
                      + " through it", brokerUrl, subscription.filter, code);
            return;
        }
        if (subscriptions.contains(subscription)) {
            subscription.active = true;
        }
        LOG.debug("Subscribed to {} on {}", subscription.filter, brokerUrl);
    }

    /** Hands a message from the broker to every listener whose filter matches, in the order the broker sent them. */
    void dispatch(Mqtt5Publish publish) {
        MqttLink.Incoming incoming = null;
        for (Subscription subscription : subscriptions) {
            if (!subscription.filter.matches(publish.getTopic())) {
                continue;
            }
            if (incoming == null) {
                incoming = HiveMqMessages.toIncoming(publish);
            }
            delivered.increment();
            try {
                subscription.listener.accept(incoming);
            } catch (RuntimeException e) {
                // A failing route must not break the connection for every other message.
                listenerFailures.increment();
                LOG.warn("Handling a message from {} topic {} failed: {}", brokerUrl, incoming.topic(), e.toString(), e);
            }
        }
    }
}
