package dev.skynetbridge.server;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of access control and limits: one per refusal reason, plus authentications and reloads. */
public final class AccessMetrics {

    private final EnumMap<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
    final LongAdder authenticated = new LongAdder();
    final LongAdder reloads = new LongAdder();
    final LongAdder reloadFailures = new LongAdder();

    AccessMetrics() {
        for (Refusal refusal : Refusal.values()) {
            refusals.put(refusal, new LongAdder());
        }
    }

    void count(Refusal refusal) {
        refusals.get(refusal).increment();
    }

    void count(Refusal refusal, long amount) {
        refusals.get(refusal).add(amount);
    }

    public long refused(Refusal refusal) {
        return refusals.get(refusal).sum();
    }

    /** Connections admitted with a valid token (anonymous ones not counted). */
    public long authenticated() {
        return authenticated.sum();
    }

    /** Access file reloads that took effect. */
    public long reloads() {
        return reloads.sum();
    }

    /** Reloads refused because the changed file had a problem (the previous rules stayed). */
    public long reloadFailures() {
        return reloadFailures.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("access.authenticated", authenticated());
        values.put("access.reloads", reloads());
        values.put("access.reloadFailures", reloadFailures());
        refusals.forEach((refusal, counter) -> values.put("access.refused." + refusal.key(), counter.sum()));
        return values;
    }
}
