package dev.skynetbridge.camel;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.server.Delivery;
import dev.skynetbridge.server.Participant;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.support.ChannelListeners;
import java.util.function.Consumer;

/**
 * One participant of the in-process hub shared by every endpoint of a bridge (same
 * {@code bridgeId}). Like one websocket connection, it never receives what it sent itself, so a
 * bidirectional bridge cannot loop back into itself; its consumers are told apart by channel.
 */
final class HubParticipant {

    private final SkynetHub.Member member;
    private final ChannelListeners listeners = new ChannelListeners();
    private int users;

    /**
     * @param name what the console shows for it: the bridge or the endpoint
     * @param clusterMessages whether it also receives what entered on other gateways of a cluster (bridges do not:
     *     each message is bridged on the gateway where it entered)
     */
    HubParticipant(SkynetHub hub, String name, boolean clusterMessages) {
        this.member = hub.join(this::dispatch, Participant.inProcess(name), clusterMessages);
    }

    synchronized void retain() {
        users++;
    }

    /** Returns true when this was the last user and the participant has left the hub. */
    synchronized boolean release() {
        if (--users == 0) {
            member.leave();
            return true;
        }
        return false;
    }

    synchronized Runnable subscribe(Channel channel, Consumer<SkynetMessage> listener) {
        if (listeners.add(channel, listener)) {
            member.open(channel);
        }
        return () -> unsubscribe(channel, listener);
    }

    private synchronized void unsubscribe(Channel channel, Consumer<SkynetMessage> listener) {
        if (listeners.remove(channel, listener)) {
            member.close(channel);
        }
    }

    Delivery publish(SkynetMessage message) {
        return member.publish(message);
    }

    private void dispatch(Delivery delivery) {
        listeners.dispatch(delivery.message());
    }
}
