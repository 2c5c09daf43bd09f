package dev.skynetbridge.server.acl;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP reloads the access file. A signal belongs to the whole process, so the one handler
 * lives here and runs every registered reload; a server registers on start and unregisters on
 * stop. Uses {@code sun.misc.Signal} (module jdk.unsupported) where the platform has it; where
 * it does not (Windows has no SIGHUP), says so once: the file is still reloaded when it changes.
 */
public final class ReloadSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);
    private static final CopyOnWriteArrayList<Runnable> RELOADS = new CopyOnWriteArrayList<>();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static volatile boolean available;

    private ReloadSignal() {
    }

    /** Runs {@code reload} on every SIGHUP until the returned handle is closed; false from the handle if unavailable. */
    public static Registration register(Runnable reload) {
        install();
        RELOADS.add(reload);
        return new Registration(reload);
    }

    private static void install() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> RELOADS.forEach(ReloadSignal::runSafely));
            available = true;
        } catch (Throwable e) { // IllegalArgumentException (no such signal), or no sun.misc at all
            LOG.info("SIGHUP cannot trigger a reload here ({}): the access file is still reloaded when it changes",
                    e.toString());
        }
    }

    private static void runSafely(Runnable reload) {
        try {
            reload.run();
        } catch (RuntimeException e) {
            LOG.warn("Reload on SIGHUP failed: {}", e.toString());
        }
    }

    /** Whether SIGHUP reaches the registered reloads on this platform. */
    public static boolean available() {
        return available;
    }

    /** Stops one server's reload from running on SIGHUP. */
    public static final class Registration implements AutoCloseable {
        private final Runnable reload;

        private Registration(Runnable reload) {
            this.reload = reload;
        }

        @Override
        public void close() {
            RELOADS.remove(reload);
        }
    }
}
