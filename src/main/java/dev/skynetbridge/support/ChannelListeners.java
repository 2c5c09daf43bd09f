package dev.skynetbridge.support;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local listeners behind one Skynet participant (a websocket connection, or a shared hub
 * member). The server sends each message once per participant; this fans it out the way the
 * server routes: {@code "*"} listeners get everything, the others their channel.
 */
public final class ChannelListeners {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelListeners.class);

    private final Map<Channel, CopyOnWriteArrayList<Consumer<SkynetMessage>>> listeners = new ConcurrentHashMap<>();

    /** Returns true when this is the channel's first listener (the channel must be opened). */
    public synchronized boolean add(Channel channel, Consumer<SkynetMessage> listener) {
        CopyOnWriteArrayList<Consumer<SkynetMessage>> list = listeners.computeIfAbsent(channel,
                c -> new CopyOnWriteArrayList<>());
        list.add(listener);
        return list.size() == 1;
    }

    /** Returns true when this was the channel's last listener (the channel can be closed). */
    public synchronized boolean remove(Channel channel, Consumer<SkynetMessage> listener) {
        List<Consumer<SkynetMessage>> list = listeners.get(channel);
        if (list != null && list.remove(listener) && list.isEmpty()) {
            listeners.remove(channel);
            return true;
        }
        return false;
    }

    public Set<Channel> channels() {
        return listeners.keySet();
    }

    public void dispatch(SkynetMessage message) {
        deliver(listeners.get(Channel.WILDCARD), message);
        if (!message.channel().isWildcard()) {
            deliver(listeners.get(message.channel()), message);
        }
    }

    private static void deliver(List<Consumer<SkynetMessage>> list, SkynetMessage message) {
        if (list != null) {
            for (Consumer<SkynetMessage> listener : list) {
                try {
                    listener.accept(message);
                } catch (RuntimeException e) {
                    LOG.warn("Skynet listener failed on {}: {}", message.channel(), e.toString());
                }
            }
        }
    }
}
