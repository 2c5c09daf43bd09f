package dev.skynetbridge.server;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.MessageIds;
import dev.skynetbridge.protocol.SkynetMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The channel space shared by v1 and v2 websocket clients and by in-process {@code skynet:}
 * endpoints. Subscribers are found through a channel index (copy-on-write arrays per channel:
 * subscriptions change rarely, messages are many), so a publish costs the number of recipients,
 * not the number of clients.
 *
 * <p>Routing follows the reference server: the sender never gets its own message; a {@code "*"}
 * listener gets every message once; a message sent to {@code "*"} reaches only {@code "*"}
 * listeners.
 *
 * <p>In a cluster ({@link #attachCluster}), every message that enters here is also handed to the cluster link, and
 * messages that entered on other nodes come back through {@link #deliverFromCluster}: to the members that take
 * cluster messages (websocket clients; in-process bridge endpoints only when they ask, so a bridge handles each
 * message once in the whole cluster, on the node where it entered).
 */
public final class SkynetHub {

    /** Receives deliveries; called on the publisher's thread, so it must hand off, not block. */
    public interface Listener {
        void onMessage(Delivery delivery);
    }

    /**
     * Watches what the hub routes (the console's traffic view); called on the publisher's thread after the
     * deliveries, so it must be cheap and never block (record into a bounded buffer, or count and skip).
     */
    public interface Tap {
        void routed(Delivery delivery, Member sender, int recipients);

        /** A message that entered on another cluster node ({@link Delivery#entryNode()}), delivered here. */
        default void fromCluster(Delivery delivery, int recipients) {
        }
    }

    /**
     * Which messages a {@code "*"} listener receives, asked on the publisher's thread for every
     * message: it must be immutable or thread-safe, and cheap (no rule scans).
     */
    public interface WildcardFilter {
        boolean delivers(Channel channel);
    }

    private static final Member[] NONE = new Member[0];

    private final ConcurrentHashMap<Channel, Member[]> index = new ConcurrentHashMap<>();
    private volatile Member[] wildcardListeners = NONE;
    private final Object indexLock = new Object();
    private final MessageIds ids = new MessageIds();
    private final HubMetrics metrics;
    private final V1Log log;
    private final Clock clock;
    /** Every member that has not left, by id: the console lists them (bounded by the connection limit). */
    private final ConcurrentHashMap<Long, Member> members = new ConcurrentHashMap<>();
    private final AtomicLong memberIds = new AtomicLong();
    private volatile Tap tap;
    /** Per channel, how many open members take cluster messages; guarded by indexLock. */
    private final Map<Channel, Integer> clusterInterest = new HashMap<>();
    private volatile ClusterPort cluster = ClusterPort.NONE;

    public SkynetHub(int v1LogSize) {
        this(v1LogSize, new HubMetrics(), Clock.systemUTC());
    }

    public SkynetHub(int v1LogSize, HubMetrics metrics, Clock clock) {
        this.log = new V1Log(v1LogSize);
        this.metrics = metrics;
        this.clock = clock;
    }

    public HubMetrics metrics() {
        return metrics;
    }

    public V1Log log() {
        return log;
    }

    /** A new in-process participant with no channels open; it also receives what enters on other cluster nodes. */
    public Member join(Listener listener) {
        return join(listener, Participant.inProcess("in-process"), true);
    }

    /**
     * A new in-process participant with no channels open.
     *
     * @param fromCluster whether it also receives messages that entered on other nodes of a cluster
     */
    public Member join(Listener listener, boolean fromCluster) {
        return join(listener, Participant.inProcess("in-process"), fromCluster);
    }

    /** A new participant with no channels open; {@code participant} says who it is (the console shows it). */
    public Member join(Listener listener, Participant participant) {
        return join(listener, participant, true);
    }

    /** A new participant; {@code fromCluster}: whether it also receives what entered on other nodes of a cluster. */
    public Member join(Listener listener, Participant participant, boolean fromCluster) {
        metrics.membersJoined.increment();
        Member member = new Member(listener, participant, memberIds.incrementAndGet(), clock.instant(), fromCluster);
        members.put(member.id, member);
        return member;
    }

    /** Installs the one tap (null removes it). */
    public void tap(Tap newTap) {
        tap = newTap;
    }

    /** Every participant that has not left, oldest first. */
    public List<ParticipantView> participants() {
        List<ParticipantView> views = new ArrayList<>(members.size());
        for (Member member : members.values()) {
            views.add(member.view());
        }
        views.sort(Comparator.comparingLong(ParticipantView::id));
        return views;
    }

    /** The participant with this id, if it has not left. */
    public Optional<ParticipantView> participant(long id) {
        Member member = members.get(id);
        return member == null ? Optional.empty() : Optional.of(member.view());
    }

    /**
     * Asks the participant to disconnect (a websocket client is closed with {@code reason}).
     *
     * @return false when there is no such participant or it cannot be disconnected (an in-process route)
     */
    public boolean disconnect(long id, String reason) {
        Member member = members.get(id);
        return member != null && member.participant.disconnect(reason);
    }

    /**
     * Connects the hub to a cluster link: the link is told at once which channels local members have open, then of
     * every change, and gets every message that enters here.
     */
    public void attachCluster(ClusterPort port) {
        synchronized (indexLock) {
            cluster = port;
            for (Channel channel : clusterInterest.keySet()) {
                port.interestStarted(channel);
            }
        }
    }

    /**
     * Delivers a message that entered on another node (already stamped there) to the local members that take
     * cluster messages; it goes neither to the v1 log nor back to the cluster. Returns the deliveries made.
     *
     * @param entryNode the id of the node where it entered (the console names it)
     */
    public int deliverFromCluster(SkynetMessage message, String entryNode) {
        Delivery delivery = new Delivery(message, entryNode);
        int delivered = 0;
        for (Member member : wildcardListeners) {
            WildcardFilter filter = member.wildcardFilter;
            if (member.fromCluster && (filter == null || filter.delivers(message.channel()))) {
                member.deliver(delivery);
                delivered++;
            }
        }
        if (!message.channel().isWildcard()) {
            Member[] direct = index.get(message.channel());
            if (direct != null) {
                for (Member member : direct) {
                    if (member.fromCluster && !member.wildcard) {
                        member.deliver(delivery);
                        delivered++;
                    }
                }
            }
        }
        metrics.deliveries.add(delivered);
        Tap watching = tap;
        if (watching != null) {
            watching.fromCluster(delivery, delivered);
        }
        return delivered;
    }

    /** Publishes on behalf of no participant: every listener of the channel receives it. */
    public Delivery publish(SkynetMessage message) {
        return route(null, message);
    }

    private Delivery route(Member sender, SkynetMessage message) {
        Instant now = clock.instant();
        Delivery delivery = new Delivery(message.stamped(now, ids.next()));
        metrics.messagesPublished.increment();
        log.append(delivery);
        int delivered = 0;
        for (Member member : wildcardListeners) {
            WildcardFilter filter = member.wildcardFilter;
            if (member != sender && (filter == null || filter.delivers(message.channel()))) {
                member.deliver(delivery);
                delivered++;
            }
        }
        if (!message.channel().isWildcard()) {
            Member[] direct = index.get(message.channel());
            if (direct != null) {
                for (Member member : direct) {
                    // A "*" listener already had it above: once per message.
                    if (member != sender && !member.wildcard) {
                        member.deliver(delivery);
                        delivered++;
                    }
                }
            }
        }
        metrics.deliveries.add(delivered);
        cluster.forward(delivery);
        if (sender != null) {
            sender.published.increment();
        }
        Tap watching = tap;
        if (watching != null) {
            watching.routed(delivery, sender, delivered);
        }
        return delivery;
    }

    /** Channels with at least one listener, not counting the wildcard. */
    public int channelCount() {
        return index.size();
    }

    /** Every channel with a listener and how many have it open, the wildcard included when someone listens. */
    public java.util.Map<Channel, Integer> subscriberCounts() {
        java.util.Map<Channel, Integer> counts = new java.util.HashMap<>(index.size() * 2 + 1);
        index.forEach((channel, listeners) -> counts.put(channel, listeners.length));
        int wildcards = wildcardListeners.length;
        if (wildcards > 0) {
            counts.put(Channel.WILDCARD, wildcards);
        }
        return counts;
    }

    /** How many participants have this channel open. */
    public int subscriberCount(Channel channel) {
        if (channel.isWildcard()) {
            return wildcardListeners.length;
        }
        Member[] members = index.get(channel);
        return members == null ? 0 : members.length;
    }

    /** One participant: a websocket connection or an in-process consumer. */
    public final class Member {

        private final Listener listener;
        private final Participant participant;
        private final long id;
        private final Instant joined;
        private final LongAdder published = new LongAdder();
        private final LongAdder received = new LongAdder();
        private final boolean fromCluster;
        private final Set<Channel> channels = new LinkedHashSet<>();
        private volatile boolean wildcard;
        private volatile boolean left;
        /** Null: a "*" listener gets everything. */
        private volatile WildcardFilter wildcardFilter;

        private Member(Listener listener, Participant participant, long id, Instant joined, boolean fromCluster) {
            this.listener = listener;
            this.fromCluster = fromCluster;
            this.participant = participant;
            this.id = id;
            this.joined = joined;
        }

        /** Unique within this hub, never reused. */
        public long id() {
            return id;
        }

        public Participant participant() {
            return participant;
        }

        private void deliver(Delivery delivery) {
            received.increment();
            listener.onMessage(delivery);
        }

        ParticipantView view() {
            List<Channel> open = new ArrayList<>(channels());
            return new ParticipantView(id, participant.kind(), participant.address(), joined, open,
                    published.sum(), received.sum(), participant.queueDepth(), participant.dropped());
        }

        /** Opens a channel; opening one already open changes nothing. Returns true if newly opened. */
        public boolean open(Channel channel) {
            synchronized (indexLock) {
                if (left || !channels.add(channel)) {
                    return false;
                }
                if (channel.isWildcard()) {
                    wildcard = true;
                    wildcardListeners = append(wildcardListeners, this);
                } else {
                    index.compute(channel, (key, members) -> append(members == null ? NONE : members, this));
                }
                if (fromCluster && clusterInterest.merge(channel, 1, Integer::sum) == 1) {
                    cluster.interestStarted(channel);
                }
                return true;
            }
        }

        /** Closes a channel; returns false (and changes nothing) if it was not open. */
        public boolean close(Channel channel) {
            synchronized (indexLock) {
                if (!channels.remove(channel)) {
                    return false;
                }
                if (channel.isWildcard()) {
                    wildcard = false;
                    wildcardListeners = remove(wildcardListeners, this);
                } else {
                    index.computeIfPresent(channel, (key, members) -> {
                        Member[] rest = remove(members, this);
                        return rest.length == 0 ? null : rest;
                    });
                }
                if (fromCluster && clusterInterest.merge(channel, -1, Integer::sum) == 0) {
                    clusterInterest.remove(channel);
                    cluster.interestEnded(channel);
                }
                return true;
            }
        }

        /** Limits what this member receives as a {@code "*"} listener; null for everything. */
        public void wildcardFilter(WildcardFilter filter) {
            wildcardFilter = filter;
        }

        /** How many channels are open, the wildcard included. */
        public int channelCount() {
            synchronized (indexLock) {
                return channels.size();
            }
        }

        public boolean isOpen(Channel channel) {
            synchronized (indexLock) {
                return channels.contains(channel);
            }
        }

        public Set<Channel> channels() {
            synchronized (indexLock) {
                return Collections.unmodifiableSet(new LinkedHashSet<>(channels));
            }
        }

        /** Sends a message from this participant: it is stamped and routed to everyone else. */
        public Delivery publish(SkynetMessage message) {
            return route(this, message);
        }

        /** Closes every channel; the member receives nothing more. */
        public void leave() {
            synchronized (indexLock) {
                for (Channel channel : channels.toArray(new Channel[0])) {
                    close(channel);
                }
                if (!left) {
                    metrics.membersLeft.increment();
                }
                left = true;
                members.remove(id);
            }
        }
    }

    private static Member[] append(Member[] members, Member member) {
        Member[] grown = Arrays.copyOf(members, members.length + 1);
        grown[members.length] = member;
        return grown;
    }

    private static Member[] remove(Member[] members, Member member) {
        for (int i = 0; i < members.length; i++) {
            if (members[i] == member) {
                Member[] shrunk = new Member[members.length - 1];
                System.arraycopy(members, 0, shrunk, 0, i);
                System.arraycopy(members, i + 1, shrunk, i, members.length - i - 1);
                return shrunk;
            }
        }
        return members;
    }
}
