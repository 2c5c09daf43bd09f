package dev.skynetbridge.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway tunes in its own JVM, since {@code java -jar} takes no options from the jar. Each is
 * skipped when the user set it on the command line.
 *
 * <ul>
 *   <li>Before anything loads Netty: one pooled-buffer arena per core instead of two (Vert.x, HiveMQ and the
 *       MQTT client each pool their buffers; measured about 10 MiB less resident memory, BENCHMARKS.md), in
 *       chunks of 1 MiB instead of 4 (about 10 MiB less again, idle).
 *   <li>Once started: the heap gives back what start-up used and no longer needs (G1 keeps it committed
 *       otherwise): free ratios of 10-20 % and one collection. Idle resident memory fell from about 240 to
 *       about 185 MiB with the defaults.
 *   <li>Once started, and twice more in the first minutes: the C library gives back the native memory the
 *       start-up's JIT compilations freed (glibc keeps it otherwise; about 7 MiB idle, BENCHMARKS.md), as
 *       {@code jcmd <pid> System.trim_native_heap} does. Skipped on JVMs without that command or with
 *       {@code -XX:TrimNativeHeapInterval} set (the JVM then trims on its own).
 * </ul>
 */
final class RuntimeTuning {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeTuning.class);
    /** When, after start-up, the native heap is trimmed: the JIT goes on compiling start-up code for a while. */
    private static final long[] TRIM_DELAYS_SECONDS = {5, 20, 60};

    private RuntimeTuning() {
    }

    static void beforeStart() {
        String arenas = String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors()));
        setIfAbsent("io.netty.allocator.numDirectArenas", arenas);
        setIfAbsent("io.netty.allocator.numHeapArenas", arenas);
        // 1 MiB chunks instead of 4 MiB: every arena that is used holds at least one chunk, mostly empty at the
        // gateway's message sizes (frames of at most 128 KiB by default; larger buffers are simply not pooled).
        setIfAbsent("io.netty.allocator.maxOrder", "7");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Called once the gateway is up: let the heap shrink to what it uses. */
    static void afterStart() {
        List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        trimNativeHeapAfterStart(arguments);
        if (arguments.stream().anyMatch(a -> a.contains("HeapFreeRatio") || a.startsWith("-Xms"))) {
            return;
        }
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            hotSpot.setVMOption("MinHeapFreeRatio", "10");
            hotSpot.setVMOption("MaxHeapFreeRatio", "20");
            System.gc(); // one full collection after start-up: returns the start-up garbage's pages to the system
        } catch (RuntimeException e) {
            LOG.debug("Cannot tune the heap's free ratios on this JVM: {}", e.toString());
        }
    }

    private static void trimNativeHeapAfterStart(List<String> arguments) {
        if (arguments.stream().anyMatch(a -> a.startsWith("-XX:TrimNativeHeapInterval"))) {
            return;
        }
        Thread trimmer = new Thread(() -> {
            long waited = 0;
            for (long delay : TRIM_DELAYS_SECONDS) {
                try {
                    TimeUnit.SECONDS.sleep(delay - waited);
                } catch (InterruptedException e) {
                    return;
                }
                waited = delay;
                if (!trimNativeHeap()) {
                    return;
                }
            }
        }, "skynet-native-trim");
        trimmer.setDaemon(true);
        trimmer.start();
    }

    /** The diagnostic command behind {@code jcmd System.trim_native_heap}; false where this JVM has none. */
    private static boolean trimNativeHeap() {
        try {
            Object result = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            LOG.debug("Native heap: {}", String.valueOf(result).trim());
            return true;
        } catch (JMException | RuntimeException e) {
            LOG.debug("Cannot trim the native heap on this JVM: {}", e.toString());
            return false;
        }
    }
}
