package dev.skynetbridge.server.cluster.nats;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The write side of one {@link NatsConnection}, bounded twice. On the connection's event loop a frame goes straight
 * to the socket while Netty's write queue is below {@link #SOCKET_QUEUE_BYTES} (the socket's
 * {@code writeQueueFull}); from another thread, or while that queue is full, it waits here, in order, until the loop
 * writes it (one task per burst: the frames of many publishes go out in one socket write), up to
 * {@link #WAITING_BYTES}. Past that a publish is refused ({@link Result#QUEUE_FULL}): the caller buffers or drops
 * it, counted; nothing here grows without bound. Protocol frames (SUB, UNSUB, PING, PONG) are a handful of bytes and
 * always taken.
 */
public final class NatsWrites {

    /** What became of a publish. */
    public enum Result {
        /** Written to the socket or waiting in order for the event loop to write it. */
        WRITTEN,
        /** Refused: NATS takes it more slowly than it comes ({@link #WAITING_BYTES} wait already). */
        QUEUE_FULL,
        /** Refused: larger than the server's {@code max_payload}. */
        TOO_LARGE,
        /** Refused: the connection is not open (lost, or not yet). */
        CLOSED
    }

    /** Bytes Netty may hold for the socket before {@code writeQueueFull} says stop. */
    static final int SOCKET_QUEUE_BYTES = 1024 * 1024;
    /** Bytes of frames that may wait here for the event loop (or for Netty's queue to drain). */
    public static final long WAITING_BYTES = 4L * 1024 * 1024;
    /** Waiting frames are joined into socket writes of up to this many bytes. */
    private static final int JOINED_WRITE_BYTES = 64 * 1024;

    private final ContextInternal context;
    private final NetSocket socket;
    /** Guarded by this. Non-empty implies drainScheduled. */
    private final ArrayDeque<Buffer> waiting = new ArrayDeque<>();
    private long waitingBytes;
    /** A drain is queued on the loop, or waits for the socket's drain handler. Guarded by this. */
    private boolean drainScheduled;
    private boolean discarded;
    private final List<Runnable> writableTasks = new ArrayList<>();

    NatsWrites(ContextInternal context, NetSocket socket) {
        this.context = context;
        this.socket = socket;
        socket.setWriteQueueMaxSize(SOCKET_QUEUE_BYTES);
    }

    /** @param onLoop the caller runs on the connection's event loop */
    synchronized Result publish(Buffer frame, boolean onLoop) {
        if (discarded) {
            return Result.CLOSED;
        }
        if (onLoop && waiting.isEmpty() && !socket.writeQueueFull()) {
            socket.write(frame);
            return Result.WRITTEN;
        }
        if (waitingBytes + frame.length() > WAITING_BYTES) {
            return Result.QUEUE_FULL;
        }
        enqueue(frame, onLoop);
        return Result.WRITTEN;
    }

    /** A protocol frame: taken past the bound (a few bytes, one per subscription change or ping). */
    synchronized void control(Buffer frame, boolean onLoop) {
        if (discarded) {
            return;
        }
        if (onLoop && waiting.isEmpty() && !socket.writeQueueFull()) {
            socket.write(frame);
        } else {
            enqueue(frame, onLoop);
        }
    }

    /** Runs {@code task} on the loop once nothing waits here; at once (as a task of the loop) when nothing does. */
    synchronized void whenWritable(Runnable task) {
        if (discarded) {
            return;
        }
        if (waiting.isEmpty()) {
            context.runOnContext(ignored -> task.run());
        } else {
            writableTasks.add(task);
        }
    }

    synchronized long waitingBytes() {
        return waitingBytes;
    }

    /** On the loop, before a close: everything that waits goes to the socket. */
    synchronized void flushAll() {
        while (!waiting.isEmpty()) {
            socket.write(nextWrite());
        }
    }

    /** The connection is gone: what waits is lost with it (as what was inside NATS is). */
    synchronized void discard() {
        discarded = true;
        waiting.clear();
        waitingBytes = 0;
        writableTasks.clear();
    }

    private void enqueue(Buffer frame, boolean onLoop) {
        waiting.addLast(frame);
        waitingBytes += frame.length();
        if (!drainScheduled) {
            drainScheduled = true;
            if (onLoop && socket.writeQueueFull()) {
                socket.drainHandler(ignored -> drain());
            } else {
                context.runOnContext(ignored -> drain());
            }
        }
    }

    /**
     * On the loop: writes what waits while Netty takes it; resumes from the socket's drain handler. The lock is held
     * to take frames out, not for the socket write: a publisher on another thread never waits for a system call.
     * Only the loop writes to the socket, so the order holds.
     */
    private void drain() {
        List<Runnable> tasks;
        while (true) {
            Buffer next;
            synchronized (this) {
                if (discarded) {
                    return;
                }
                if (waiting.isEmpty()) {
                    socket.drainHandler(null);
                    drainScheduled = false;
                    if (writableTasks.isEmpty()) {
                        return;
                    }
                    tasks = new ArrayList<>(writableTasks);
                    writableTasks.clear();
                    break;
                }
                if (socket.writeQueueFull()) {
                    socket.drainHandler(ignored -> drain());
                    return;
                }
                next = nextWrite();
            }
            socket.write(next);
        }
        tasks.forEach(Runnable::run);
    }

    /** The first waiting frame, joined with the next ones up to {@link #JOINED_WRITE_BYTES}. */
    private Buffer nextWrite() {
        Buffer first = waiting.pollFirst();
        waitingBytes -= first.length();
        if (waiting.isEmpty() || first.length() + waiting.peekFirst().length() > JOINED_WRITE_BYTES) {
            return first;
        }
        int size = first.length();
        int count = 0;
        for (Buffer next : waiting) {
            if (size + next.length() > JOINED_WRITE_BYTES) {
                break;
            }
            size += next.length();
            count++;
        }
        Buffer joined = Buffer.buffer(size).appendBuffer(first);
        for (int i = 0; i < count; i++) {
            Buffer next = waiting.pollFirst();
            waitingBytes -= next.length();
            joined.appendBuffer(next);
        }
        return joined;
    }
}
