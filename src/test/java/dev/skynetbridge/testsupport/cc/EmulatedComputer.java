package dev.skynetbridge.testsupport.cc;

import static dev.skynetbridge.testsupport.cc.LuaConversions.function;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.Bit32Lib;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ComputerCraft computer for the tests: a LuaJ VM with what CC offers a program (Lua 5.2's
 * base, string, table, math, coroutine and bit32 libraries; no io, os or luajava from the host)
 * and the stand-in for CraftOS ({@code cc/standin.lua} with {@link CcHttp} and
 * {@link CcFileSystem}), its files in a real folder. The boot program runs on the computer's own
 * thread as its top-level coroutine; timers and network events arrive in one bounded event queue
 * of 256, CC's size (beyond it events are dropped and counted, as CC drops them). A program calls
 * {@code report(...)} to hand values to the test.
 */
public final class EmulatedComputer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmulatedComputer.class);
    static final int EVENT_QUEUE_LIMIT = 256;

    private final int id;
    private volatile String label;
    private final Path root;
    private final LinkedBlockingQueue<LuaValue[]> events = new LinkedBlockingQueue<>(EVENT_QUEUE_LIMIT);
    private final AtomicLong droppedEvents = new AtomicLong();
    private final List<List<Object>> reports = new CopyOnWriteArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timers;
    private final AtomicInteger timerIds = new AtomicInteger();
    private final CcHttp http;
    private final long startedNanos = System.nanoTime();
    private final Globals globals;
    private final LuaValue runner;
    private Thread thread;
    private volatile boolean stopping;
    private volatile String outcome;

    public EmulatedComputer(Vertx vertx, int id, String label, Path root) {
        this.id = id;
        this.label = label;
        this.root = root;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread timer = new Thread(r, "cc-" + id + "-timers");
            timer.setDaemon(true);
            return timer;
        });
        this.http = new CcHttp(vertx, this::queue);
        this.globals = newGlobals();
        LuaTable natives = natives();
        this.runner = globals.load(resource("cc/standin.lua"), "=standin").call(natives);
    }

    private static Globals newGlobals() {
        Globals globals = new Globals();
        globals.load(new JseBaseLib());
        globals.load(new PackageLib());
        globals.load(new Bit32Lib());
        globals.load(new TableLib());
        globals.load(new StringLib());
        globals.load(new CoroutineLib());
        globals.load(new JseMathLib());
        LoadState.install(globals);
        LuaC.install(globals);
        // A CC program reads files through fs only; these would reach the host's disk.
        globals.set("dofile", LuaValue.NIL);
        globals.set("loadfile", LuaValue.NIL);
        globals.set("require", LuaValue.NIL);
        return globals;
    }

    private LuaTable natives() {
        LuaTable natives = new LuaTable();
        natives.set("fs", new CcFileSystem(root).table());
        http.install(natives);
        natives.set("next_event", function(args -> nextEvent()));
        natives.set("queue_event", function(args -> {
            LuaValue[] event = new LuaValue[args.narg()];
            for (int i = 0; i < event.length; i++) {
                event[i] = args.arg(i + 1);
            }
            queue(event);
            return LuaValue.NONE;
        }));
        natives.set("start_timer", function(args -> {
            int timer = timerIds.incrementAndGet();
            long millis = Math.max(0, Math.round(args.optdouble(1, 0) * 1000));
            timers.schedule(() -> queue(new LuaValue[] {LuaValue.valueOf("timer"), LuaValue.valueOf(timer)}), millis,
                    TimeUnit.MILLISECONDS);
            return LuaValue.valueOf(timer);
        }));
        natives.set("cancel_timer", function(args -> LuaValue.NONE));
        natives.set("clock", function(args -> LuaValue.valueOf((System.nanoTime() - startedNanos) / 1e9)));
        natives.set("epoch", function(args -> LuaValue.valueOf((double) System.currentTimeMillis())));
        // A Minecraft day lasts 20 minutes: the in-game hour moves on by one every 50 seconds.
        natives.set("time", function(args -> LuaValue.valueOf((6 + (System.nanoTime() - startedNanos) / 50e9) % 24)));
        natives.set("computer_id", function(args -> LuaValue.valueOf(id)));
        natives.set("get_label", function(args -> label == null ? LuaValue.NIL : LuaValue.valueOf(label)));
        natives.set("set_label", function(args -> {
            label = args.optjstring(1, null);
            return LuaValue.NONE;
        }));
        natives.set("print", function(args -> {
            String line = args.checkjstring(1);
            output.add(line);
            LOG.info("[cc {}] {}", id, line);
            return LuaValue.NONE;
        }));
        natives.set("report", function(args -> {
            reports.add(LuaConversions.toJava(args));
            return LuaValue.NONE;
        }));
        return natives;
    }

    /** Starts the computer with a boot program (Lua source run at the shell's level); its arguments are strings. */
    public EmulatedComputer start(String bootSource, String... args) {
        LuaValue boot = globals.load(bootSource, "=boot");
        LuaValue[] bootArgs = new LuaValue[args.length + 1];
        bootArgs[0] = boot;
        for (int i = 0; i < args.length; i++) {
            bootArgs[i + 1] = LuaValue.valueOf(args[i]);
        }
        thread = new Thread(() -> {
            try {
                Varargs result = runner.invoke(LuaValue.varargsOf(bootArgs));
                outcome = result.arg1().toboolean() ? "ok" : "error: " + result.arg(2).tojstring();
            } catch (LuaError e) {
                outcome = stopping ? "shut down" : "error: " + e.getMessage();
            } catch (RuntimeException e) {
                outcome = "error: " + e;
            }
            if (!outcome.equals("ok")) {
                LOG.info("[cc {}] stopped: {}", id, outcome);
            }
        }, "cc-" + id);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Starts the program at {@code path} in the computer's files, as the shell runs it. */
    public EmulatedComputer run(String path, String... args) {
        return start("return standin.run_program(...)", prepend(path, args));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private Varargs nextEvent() {
        while (true) {
            if (stopping && events.isEmpty()) {
                throw new LuaError("the computer was shut down");
            }
            try {
                LuaValue[] event = events.poll(100, TimeUnit.MILLISECONDS);
                if (event != null) {
                    return LuaValue.varargsOf(event);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LuaError("the computer was shut down");
            }
        }
    }

    private void queue(LuaValue[] event) {
        if (!events.offer(event)) {
            droppedEvents.incrementAndGet();
            LOG.warn("[cc {}] event queue full ({} events): dropped {}", id, EVENT_QUEUE_LIMIT, event[0]);
        }
    }

    /** Queues an event for the computer's programs, as another computer or a peripheral would. */
    public void queueEvent(Object... values) {
        LuaValue[] event = new LuaValue[values.length];
        for (int i = 0; i < values.length; i++) {
            event[i] = LuaConversions.toLua(values[i]);
        }
        queue(event);
    }

    /** Every report whose first value is {@code kind}, the rest of its values in order. */
    public List<List<Object>> reports(String kind) {
        List<List<Object>> matching = new ArrayList<>();
        for (List<Object> report : reports) {
            if (!report.isEmpty() && kind.equals(report.get(0))) {
                matching.add(report.subList(1, report.size()));
            }
        }
        return matching;
    }

    /** Waits for the {@code index}-th (from 0) report of {@code kind}; fails with the computer's screen if none comes. */
    public List<Object> awaitReport(String kind, int index) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> reports(kind).size() > index || outcome != null);
        List<List<Object>> matching = reports(kind);
        if (matching.size() <= index) {
            throw new AssertionError("computer " + id + " ended (" + outcome + ") before report '" + kind + "' #" + index
                                     + "; reports " + reports + "; screen " + output);
        }
        return matching.get(index);
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    /** Null while running; then "ok", "shut down" or the error that ended the boot program. */
    public String outcome() {
        return outcome;
    }

    public long droppedEvents() {
        return droppedEvents.get();
    }

    public int websocketsInUse() {
        return http.websocketsInUse();
    }

    public Path root() {
        return root;
    }

    /** Loads a Lua file of the computer into the stand-in's globals and returns what it returns (no event loop). */
    public LuaValue loadModule(String path) {
        return globals.load("return standin.run_program(...)", "=module").call(LuaValue.valueOf(path));
    }

    /** Evaluates a Lua chunk in the stand-in's globals on the caller's thread (no event loop) and returns its first value. */
    public LuaValue eval(String source) {
        return globals.load(source, "=eval").call();
    }

    /** Holding Ctrl+T: a terminate event, then the VM is stopped if the program ignores it. */
    @Override
    public void close() {
        if (thread != null && thread.isAlive()) {
            queue(new LuaValue[] {LuaValue.valueOf("terminate")});
            join(5);
            stopping = true;
            join(5);
        }
        http.close();
        timers.shutdownNow();
    }

    private void join(int seconds) {
        try {
            thread.join(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String resource(String name) {
        try (InputStream in = EmulatedComputer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
