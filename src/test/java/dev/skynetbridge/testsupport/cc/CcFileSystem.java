package dev.skynetbridge.testsupport.cc;

import static dev.skynetbridge.testsupport.cc.LuaConversions.function;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * ComputerCraft's {@code fs} API over a real folder: CC paths ({@code /skynet.lua},
 * {@code a/b}) resolve inside the computer's folder and never outside it; writing a file
 * creates its folders, as CC does. Handles: {@code readAll}, {@code readLine}, {@code write},
 * {@code writeLine}, {@code flush}, {@code close}.
 */
final class CcFileSystem {

    private final Path root;

    CcFileSystem(Path root) {
        this.root = root;
    }

    LuaTable table() {
        LuaTable fs = new LuaTable();
        fs.set("open", function(args -> open(args.checkjstring(1), args.optjstring(2, "r"))));
        fs.set("exists", function(args -> LuaValue.valueOf(Files.exists(resolve(args.checkjstring(1))))));
        fs.set("isDir", function(args -> LuaValue.valueOf(Files.isDirectory(resolve(args.checkjstring(1))))));
        fs.set("makeDir", function(args -> {
            io(() -> Files.createDirectories(resolve(args.checkjstring(1))));
            return LuaValue.NONE;
        }));
        fs.set("delete", function(args -> {
            io(() -> Files.deleteIfExists(resolve(args.checkjstring(1))));
            return LuaValue.NONE;
        }));
        fs.set("getSize", function(args -> LuaValue.valueOf(io(() -> Files.size(resolve(args.checkjstring(1)))))));
        fs.set("list", function(args -> list(args.checkjstring(1))));
        fs.set("combine", function(this::combine));
        fs.set("getName", function(args -> {
            String path = normalise(args.checkjstring(1));
            return LuaValue.valueOf(path.isEmpty() ? "root" : path.substring(path.lastIndexOf('/') + 1));
        }));
        fs.set("getDir", function(args -> {
            String path = normalise(args.checkjstring(1));
            return LuaValue.valueOf(path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "");
        }));
        return fs;
    }

    /** A CC path: slashes, no leading slash, ".." resolved; going above the root is an error as in CC. */
    static String normalise(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.replace('\\', '/').split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new LuaError("/" + path + ": Invalid Path");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    private Path resolve(String path) {
        String normal = normalise(path);
        return normal.isEmpty() ? root : root.resolve(normal);
    }

    private Varargs combine(Varargs args) {
        StringBuilder joined = new StringBuilder();
        for (int i = 1; i <= args.narg(); i++) {
            joined.append('/').append(args.checkjstring(i));
        }
        return LuaValue.valueOf(normalise(joined.toString()));
    }

    private Varargs list(String path) {
        LuaTable names = new LuaTable();
        try (Stream<Path> entries = Files.list(resolve(path))) {
            entries.map(p -> p.getFileName().toString()).sorted().forEach(name -> names.insert(0, LuaValue.valueOf(name)));
        } catch (IOException e) {
            throw new LuaError("/" + normalise(path) + ": Not a directory");
        }
        return names;
    }

    private Varargs open(String path, String mode) {
        Path file = resolve(path);
        String shown = "/" + normalise(path);
        if (mode.startsWith("r")) {
            if (!Files.isRegularFile(file)) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(shown + ": No such file"));
            }
            return readHandle(io(() -> Files.readAllBytes(file)));
        }
        if (mode.startsWith("w") || mode.startsWith("a")) {
            if (Files.isDirectory(file)) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(shown + ": Cannot write to directory"));
            }
            io(() -> Files.createDirectories(file.getParent()));
            return writeHandle(file, mode.startsWith("a"));
        }
        throw new LuaError("Unsupported mode " + mode);
    }

    private static LuaTable readHandle(byte[] content) {
        int[] position = {0};
        LuaTable handle = new LuaTable();
        handle.set("readAll", function(args -> {
            if (position[0] >= content.length) {
                return LuaValue.NIL;
            }
            LuaString rest = LuaString.valueOf(content, position[0], content.length - position[0]);
            position[0] = content.length;
            return rest;
        }));
        handle.set("readLine", function(args -> {
            if (position[0] >= content.length) {
                return LuaValue.NIL;
            }
            int end = position[0];
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            LuaString line = LuaString.valueOf(content, position[0], end - position[0]);
            position[0] = end + 1;
            return line;
        }));
        handle.set("close", function(args -> LuaValue.NONE));
        return handle;
    }

    private static LuaTable writeHandle(Path file, boolean append) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        LuaTable handle = new LuaTable();
        handle.set("write", function(args -> {
            LuaValue value = args.arg1();
            if (value.isnumber() && !value.isstring()) {
                buffer.write(value.toint());
            } else {
                byte[] bytes = LuaConversions.bytes(value.checkstring());
                buffer.write(bytes, 0, bytes.length);
            }
            return LuaValue.NONE;
        }));
        handle.set("writeLine", function(args -> {
            byte[] bytes = LuaConversions.bytes(args.checkstring(1));
            buffer.write(bytes, 0, bytes.length);
            buffer.write('\n');
            return LuaValue.NONE;
        }));
        boolean[] appending = {append};
        // Each flush adds what was written since the last one; the first one truncates unless appending.
        Runnable flush = () -> io(() -> {
            Files.write(file, buffer.toByteArray(), StandardOpenOption.CREATE,
                    appending[0] ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            appending[0] = true;
            buffer.reset();
            return null;
        });
        handle.set("flush", function(args -> {
            flush.run();
            return LuaValue.NONE;
        }));
        handle.set("close", function(args -> {
            flush.run();
            return LuaValue.NONE;
        }));
        return handle;
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private static <T> T io(IoAction<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
