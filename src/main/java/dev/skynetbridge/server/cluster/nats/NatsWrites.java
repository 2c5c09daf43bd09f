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
 * always taken. What waits here or in Netty's queue when the connection is lost is lost with it: {@link #discard()}
 * says how many messages, for the caller's drop counter.
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
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private long waitingBytes;
    /** The messages (of the callers' count) in the frames that wait. Guarded by this. */
    private long waitingMessages;
    /**
     * The messages in frames handed to the socket that Netty has not yet passed to the kernel (it fails them when the
     * connection closes). Only the event loop touches it.
     */
    private long messagesInSocketQueue;
    /** A drain is queued on the loop, or waits for the socket's drain handler. Guarded by this. */
    private boolean drainScheduled;
    private boolean discarded;
    private final List<Runnable> writableTasks = new ArrayList<>();

    NatsWrites(ContextInternal context, NetSocket socket) {
        this.context = context;
        this.socket = socket;
        socket.setWriteQueueMaxSize(SOCKET_QUEUE_BYTES);
    }

    /**
     * @param onLoop the caller runs on the connection's event loop
     * @param messages how many messages of the caller's the frame carries (counted as lost if the connection goes
     *     while it waits)
     */
    synchronized Result publish(Buffer frame, boolean onLoop, int messages) {
        if (discarded) {
            return Result.CLOSED;
        }
        if (onLoop && waiting.isEmpty() && !socket.writeQueueFull()) {
            writeToSocket(frame, messages);
            return Result.WRITTEN;
        }
        if (waitingBytes + frame.length() > WAITING_BYTES) {
            return Result.QUEUE_FULL;
        }
        enqueue(new Pending(frame, messages), onLoop);
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
            enqueue(new Pending(frame, 0), onLoop);
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
            writeNext();
        }
    }

    /**
     * On the loop: the connection is gone, and what waits here or in Netty's queue is lost with it (as what was in
     * the kernel's buffers or inside NATS is, unseen).
     *
     * @return the messages that waited here or in Netty's queue
     */
    synchronized long discard() {
        long lost = discarded ? 0 : waitingMessages + messagesInSocketQueue;
        discarded = true;
        waiting.clear();
        waitingBytes = 0;
        waitingMessages = 0;
        writableTasks.clear();
        return lost;
    }

    private void enqueue(Pending pending, boolean onLoop) {
        waiting.addLast(pending);
        waitingBytes += pending.frame().length();
        waitingMessages += pending.messages();
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
            Pending next;
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
            writeToSocket(next.frame(), next.messages());
        }
        tasks.forEach(Runnable::run);
    }

    private void writeNext() {
        Pending next = nextWrite();
        writeToSocket(next.frame(), next.messages());
    }

    /** On the loop. A failed write (the connection closed under it) stays counted: {@link #discard()} reports it. */
    private void writeToSocket(Buffer frame, int messages) {
        if (messages == 0) {
            socket.write(frame);
            return;
        }
        messagesInSocketQueue += messages;
        socket.write(frame).onSuccess(ignored -> messagesInSocketQueue -= messages);
    }

    /** The first waiting frame, joined with the next ones up to {@link #JOINED_WRITE_BYTES}. */
    private Pending nextWrite() {
        Pending first = waiting.pollFirst();
        took(first);
        if (waiting.isEmpty() || first.frame().length() + waiting.peekFirst().frame().length() > JOINED_WRITE_BYTES) {
            return first;
        }
        int size = first.frame().length();
        int count = 0;
        for (Pending next : waiting) {
            if (size + next.frame().length() > JOINED_WRITE_BYTES) {
                break;
            }
            size += next.frame().length();
            count++;
        }
        Buffer joined = Buffer.buffer(size).appendBuffer(first.frame());
        int messages = first.messages();
        for (int i = 0; i < count; i++) {
            Pending next = waiting.pollFirst();
            took(next);
            joined.appendBuffer(next.frame());
            messages += next.messages();
        }
        return new Pending(joined, messages);
    }

    private void took(Pending next) {
        waitingBytes -= next.frame().length();
        waitingMessages -= next.messages();
    }

    private record Pending(Buffer frame, int messages) {
    }
}
