package dev.rehype.recovery.process;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The shared-memory channel between the supervisor (which owns the machine) and one hypervisor
 * process: a file mapped MAP_SHARED by both, holding one message each way and two sequence
 * numbers. The exchange strictly alternates: the writer fills its message area, then publishes
 * it by storing the next sequence number with release semantics; the reader waits (spinning,
 * then yielding, then parking) until the sequence number moves, with acquire semantics, and
 * checks between waits that its peer is still alive.
 *
 * <pre>
 *   0  magic "RHMBOX01"            8  down seq (supervisor → hypervisor)
 *  16  up seq (hypervisor → sup.) 24  hypervisor pid
 *  32  context-saved trap seq     40  (spare)
 *  64  down message | 64 + MESSAGE_BYTES  up message
 *  message: +0 op (int), +4 payload length (int), +8 args (ARGS longs), +PAYLOAD payload bytes
 * </pre>
 */
final class Mailbox implements AutoCloseable {
    static final long MAGIC = 0x31305842_4F4D4852L; // "RHMBOX01" little endian
    static final int ARGS = 16;
    static final long PAYLOAD = 8 + 8L * ARGS;
    static final int PAYLOAD_BYTES = 2 << 20;
    static final long MESSAGE_BYTES = PAYLOAD + PAYLOAD_BYTES;
    static final long DOWN = 64;
    static final long UP = DOWN + MESSAGE_BYTES;
    static final long SIZE_BYTES = UP + MESSAGE_BYTES;

    private static final long DOWN_SEQ = 8;
    private static final long UP_SEQ = 16;
    private static final long PID = 24;
    private static final long SAVED_TRAP = 32;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SEQ = LONG.varHandle();
    /** Waiting: spin this long, then yield until this long, then park (at most this long at a time). */
    private static final long SPIN_NANOS = 50_000;
    private static final long YIELD_NANOS = 2_000_000;
    private static final long MAX_PARK_NANOS = 200_000;
    /** How often a waiter looks whether its peer is still alive. */
    private static final long CHECK_NANOS = 100_000;

    private final Arena arena;
    final MemorySegment s;
    private final Path file;

    private Mailbox(Arena arena, MemorySegment s, Path file) {
        this.arena = arena;
        this.s = s;
        this.file = file;
    }

    /** Creates (or truncates) the mailbox file and maps it. */
    static Mailbox create(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            Arena arena = Arena.ofShared();
            MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE_BYTES, arena);
            s.set(LONG, 0, MAGIC);
            return new Mailbox(arena, s, file);
        }
    }

    /** Maps an existing mailbox file; refuses a file that is not one. */
    static Mailbox open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() != SIZE_BYTES) {
                throw new IOException("mailbox file " + file + " has " + ch.size() + " bytes, not " + SIZE_BYTES);
            }
            Arena arena = Arena.ofShared();
            MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE_BYTES, arena);
            if (s.get(LONG, 0) != MAGIC) {
                arena.close();
                throw new IOException("mailbox file " + file + " is not a rehype mailbox (bad magic)");
            }
            return new Mailbox(arena, s, file);
        }
    }

    Path file() {
        return file;
    }

    // ------------------------------------------------------------------ messages

    int op(long msg) {
        return s.get(INT, msg);
    }

    long arg(long msg, int i) {
        return s.get(LONG, msg + 8 + 8L * i);
    }

    int payloadLength(long msg) {
        return s.get(INT, msg + 4);
    }

    MemorySegment payload(long msg) {
        return s.asSlice(msg + PAYLOAD, PAYLOAD_BYTES);
    }

    /** Fills the header of message {@code msg} (payload written separately). */
    void message(long msg, int op, int payloadLength, long... args) {
        if (args.length > ARGS || payloadLength > PAYLOAD_BYTES) {
            throw new IllegalArgumentException("message too large: " + args.length + " args, " + payloadLength + " bytes");
        }
        s.set(INT, msg, op);
        s.set(INT, msg + 4, payloadLength);
        for (int i = 0; i < args.length; i++) {
            s.set(LONG, msg + 8 + 8L * i, args[i]);
        }
    }

    // ------------------------------------------------------------------ sequence numbers

    void publishDown(long seq) {
        SEQ.setRelease(s, DOWN_SEQ, seq);
    }

    void publishUp(long seq) {
        SEQ.setRelease(s, UP_SEQ, seq);
    }

    long downSeq() {
        return (long) SEQ.getAcquire(s, DOWN_SEQ);
    }

    long upSeq() {
        return (long) SEQ.getAcquire(s, UP_SEQ);
    }

    void setPid(long pid) {
        SEQ.setRelease(s, PID, pid);
    }

    long pid() {
        return (long) SEQ.getAcquire(s, PID);
    }

    /** The hypervisor has saved the context of the trap with sequence number {@code trapSeq}. */
    void markContextSaved(long trapSeq) {
        SEQ.setRelease(s, SAVED_TRAP, trapSeq);
    }

    long contextSavedTrap() {
        return (long) SEQ.getAcquire(s, SAVED_TRAP);
    }

    /**
     * Waits until the up (or down) sequence number exceeds {@code last}; returns it, or -1 when
     * {@code peerAlive} turns false first.
     */
    long await(boolean up, long last, BooleanSupplier peerAlive) {
        long start = System.nanoTime();
        long nextCheck = start + CHECK_NANOS;
        long park = 2_000;
        while (true) {
            long seq = up ? upSeq() : downSeq();
            if (seq > last) {
                return seq;
            }
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                nextCheck = now + CHECK_NANOS;
                if (!peerAlive.getAsBoolean()) {
                    // One last look: the peer may have answered just before it went away.
                    seq = up ? upSeq() : downSeq();
                    return seq > last ? seq : -1;
                }
            }
            long waited = now - start;
            if (waited < SPIN_NANOS) {
                Thread.onSpinWait();
            } else if (waited < YIELD_NANOS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(park);
                park = Math.min(MAX_PARK_NANOS, park * 2);
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
