package dev.skynetbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * CPU seconds of processes' threads grouped by role (event loops, JIT compiler, GC, the console, the NATS client, the
 * rest), read
 * from /proc/PID/task: tells what a figure pays for, e.g. that a run costs more because the JIT compiler is still
 * compiling newly used code, not because delivery got slower.
 */
final class ThreadCpu {

    private static final double NANOS_PER_SECOND = 1e9;
    private static final long NANOS_PER_TICK = 10_000_000L;
    static final String[] GROUPS = {"event-loops", "jit", "gc", "console", "nats", "other"};

    private final Map<String, Long> ticksByThread;

    private ThreadCpu(Map<String, Long> ticksByThread) {
        this.ticksByThread = ticksByThread;
    }

    /** The threads' CPU so far, of every process given (pids of 0 or less are left out); empty without /proc. */
    static ThreadCpu snapshot(Iterable<Long> pids) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (long pid : pids) {
            if (pid <= 0) {
                continue;
            }
            try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    readTask(pid, task, ticks);
                }
            } catch (IOException | RuntimeException e) {
                // no /proc: an empty snapshot
            }
        }
        return new ThreadCpu(ticks);
    }

    private static void readTask(long pid, Path task, Map<String, Long> ticks) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks.put(pid + ":" + task.getFileName() + "/" + name, runNanos(task,
                    (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK));
        } catch (IOException | RuntimeException e) {
            // the thread ended meanwhile
        }
    }

    /**
     * The scheduler's own count of the thread's time on a CPU, in nanoseconds ({@code schedstat}), else the ticks of
     * {@code stat}: ticks charge a whole tick to whichever thread runs when it fires, so threads that wake often for a
     * few microseconds (NATS's reader and writer) come out wrong by a lot.
     */
    private static long runNanos(Path task, long tickNanos) {
        try {
            String schedstat = Files.readString(task.resolve("schedstat"));
            return Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return tickNanos;
        }
    }

    static String group(String threadName) {
        if (threadName.startsWith("vert.x-eventloo")) {
            return "event-loops";
        }
        if (threadName.contains("CompilerThre")) {
            return "jit";
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.equals("VM Thread")) {
            return "gc";
        }
        if (threadName.startsWith("skynet-console")) {
            return "console";
        }
        // jnats (before session 6) named its threads after the connection, "skynet-bridge <node>"; the NATS client of
        // session 6 has no threads of its own (its work shows under event loops).
        if (threadName.startsWith("skynet-bridge ") || threadName.startsWith("skynet-cluster")) {
            return "nats";
        }
        return "other";
    }

    /** CPU seconds per group between {@code before} and this snapshot, in {@link #GROUPS} order. */
    Map<String, Double> since(ThreadCpu before) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String group : GROUPS) {
            seconds.put(group, 0.0);
        }
        ticksByThread.forEach((thread, ticks) -> {
            long delta = ticks - before.ticksByThread.getOrDefault(thread, 0L);
            seconds.merge(group(thread.substring(thread.indexOf('/') + 1)), delta / NANOS_PER_SECOND, Double::sum);
        });
        return seconds;
    }

    /** The {@code top} threads by CPU since {@code before}, as "name/tid 0.42" in cores over {@code wallSeconds}. */
    String busiest(ThreadCpu before, double wallSeconds, int top) {
        StringJoiner line = new StringJoiner(", ");
        ticksByThread.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.ticksByThread.getOrDefault(e.getKey(), 0L))
                        / NANOS_PER_SECOND / wallSeconds))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> line.add(String.format(Locale.ROOT, "%s/%s %.2f",
                        e.getKey().substring(e.getKey().indexOf('/') + 1),
                        e.getKey().substring(e.getKey().indexOf(':') + 1, e.getKey().indexOf('/')), e.getValue())));
        return line.toString();
    }

    boolean isEmpty() {
        return ticksByThread.isEmpty();
    }

    /** {@code event-loops=1.23|jit=0.10|...}: the groups as cores over {@code wallSeconds}. */
    static String cores(Map<String, Double> seconds, double wallSeconds) {
        StringJoiner line = new StringJoiner("|");
        seconds.forEach((group, cpu) -> line.add(String.format(Locale.ROOT, "%s=%.3f", group, cpu / wallSeconds)));
        return line.toString();
    }
}
