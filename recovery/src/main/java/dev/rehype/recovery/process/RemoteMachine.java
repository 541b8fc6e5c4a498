package dev.rehype.recovery.process;

import dev.rehype.machine.PhysicalMemory;
import dev.rehype.machine.port.ConsolePort;
import dev.rehype.machine.port.HartPort;
import dev.rehype.machine.port.InterruptPort;
import dev.rehype.machine.port.MachinePort;
import dev.rehype.machine.port.NicPort;
import dev.rehype.machine.port.TimerPort;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * The machine as a hypervisor in its own process sees it: machine memory is the shared mapping of
 * the region file; every other hardware operation is a call through the {@link Mailbox} that the
 * supervisor (owner of the machine) performs on the real device before it replies. Hart state is
 * cached per request ({@link RemoteHart}); frames the hypervisor writes are collected so that the
 * supervisor drops the decoded code of exactly those frames when the request is answered.
 */
final class RemoteMachine implements MachinePort {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Written frames reported one by one up to this many; beyond, all decoded code is dropped. */
    private static final int MAX_LISTED_FRAMES = 16_384;

    private final Mailbox box;
    private final BooleanSupplier supervisorAlive;
    private PhysicalMemory memory;
    private RemoteHart[] harts;
    private long[] writtenBitmap;
    private final long[] writtenList = new long[MAX_LISTED_FRAMES];
    private int writtenCount;
    private boolean writtenOverflow;
    private long upSeq;
    private long downSeq;
    private long nowCycles;
    private long trapSeq = -1;
    private TimerPort[] timers;
    private final InterruptPort interrupts = new Interrupts();
    private final NicPort nic = new NicDma();
    private final ConsolePort console = new ConsoleOut();

    RemoteMachine(Mailbox box, BooleanSupplier supervisorAlive) {
        this.box = box;
        this.supervisorAlive = supervisorAlive;
        this.upSeq = box.upSeq();
        this.downSeq = box.downSeq();
    }

    /** Takes machine memory (the region's, shared with the supervisor) and the number of harts. */
    void attachMemory(MemorySegment ram, int cpus) {
        if (memory != null) {
            if (memory.segment().address() != ram.address() || harts.length != cpus) {
                throw new IllegalStateException("machine memory already attached with another shape");
            }
            return;
        }
        this.memory = new PhysicalMemory(ram);
        this.writtenBitmap = new long[(memory.frames() + 63) / 64];
        this.memory.setWriteListener(this::frameWritten);
        this.harts = new RemoteHart[cpus];
        this.timers = new TimerPort[cpus];
        for (int c = 0; c < cpus; c++) {
            harts[c] = new RemoteHart(this, c);
            timers[c] = new Timer(c);
        }
    }

    // ------------------------------------------------------------------ the request cycle

    /** Waits for the supervisor's next request; returns false if the supervisor is gone. */
    boolean awaitRequest() {
        long seq = box.await(false, downSeq, supervisorAlive);
        if (seq < 0) {
            return false;
        }
        downSeq = seq;
        return true;
    }

    /** Starts serving a request: forgets every cached hart, takes the machine's time. */
    void beginRequest(long now, long trapSequence) {
        for (RemoteHart h : harts) {
            h.loaded = false;
            h.frame.written = 0;
        }
        this.nowCycles = now;
        this.trapSeq = trapSequence;
    }

    /** The trapping hart, with the frame that came with the trap. */
    RemoteHart trapHart(int cpu) {
        RemoteHart h = harts[cpu];
        h.frame.decode(box.payload(Mailbox.DOWN), 0);
        h.frame.written = 0;
        h.loaded = true;
        return h;
    }

    void contextSaved(int cpu) {
        if (trapSeq >= 0) {
            box.markContextSaved(trapSeq);
        }
    }

    /** Answers the request: its value, then every hart with writes and every written frame. */
    void encodeDone(long value, long... more) {
        MemorySegment p = box.payload(Mailbox.UP);
        long at = 4;
        int n = 0;
        for (RemoteHart h : harts) {
            if (h.loaded && h.frame.written != 0) {
                p.set(INT, at, h.id());
                h.frame.encode(p, at + 4);
                at += 4 + HartFrame.ENCODED_BYTES;
                n++;
            }
        }
        p.set(INT, 0, n);
        p.set(INT, at, writtenOverflow ? -1 : writtenCount);
        at += 4;
        if (!writtenOverflow) {
            for (int i = 0; i < writtenCount; i++) {
                p.set(LONG, at, writtenList[i]);
                at += 8;
            }
        }
        clearWritten();
        trapSeq = -1;
        long[] args = new long[1 + more.length];
        args[0] = value;
        System.arraycopy(more, 0, args, 1, more.length);
        box.message(Mailbox.UP, Ops.DONE, (int) at, args);
        box.publishUp(++upSeq);
    }

    /** Answers a report request with the payload already written (no hart writes may be pending). */
    void sendReport(int payloadLength, long value) {
        for (RemoteHart h : harts) {
            if (h.loaded && h.frame.written != 0) {
                throw new IllegalStateException("cpu " + h.id() + " has register writes a report cannot carry");
            }
        }
        box.message(Mailbox.UP, Ops.REPORT, payloadLength, value);
        box.publishUp(++upSeq);
    }

    /** Tells the supervisor the request failed (the process exits next). */
    void sendFailed(String message) {
        byte[] b = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int len = Math.min(b.length, Mailbox.PAYLOAD_BYTES);
        MemorySegment.copy(b, 0, box.payload(Mailbox.UP), ValueLayout.JAVA_BYTE, 0, len);
        box.message(Mailbox.UP, Ops.FAILED, len);
        box.publishUp(++upSeq);
    }

    void sendReady(long pid) {
        box.setPid(pid);
        box.message(Mailbox.UP, Ops.READY, 0, pid);
        box.publishUp(++upSeq);
    }

    /** A payload-free hardware call: sends it, waits for the reply, returns the reply's value. */
    long call(int kind, long... args) {
        return callWithPayload(kind, 0, args);
    }

    private long callWithPayload(int kind, int payloadLength, long... args) {
        long[] all = new long[args.length + 1];
        all[0] = kind;
        System.arraycopy(args, 0, all, 1, args.length);
        box.message(Mailbox.UP, Ops.CALL, payloadLength, all);
        box.publishUp(++upSeq);
        long seq = box.await(false, downSeq, supervisorAlive);
        if (seq < 0) {
            throw new SupervisorGone();
        }
        downSeq = seq;
        if (box.op(Mailbox.DOWN) != Ops.REPLY) {
            throw new IllegalStateException("expected a reply to call " + kind + ", got message " + box.op(Mailbox.DOWN));
        }
        return box.arg(Mailbox.DOWN, 0);
    }

    void readHart(int id, HartFrame frame) {
        call(Ops.HART_READ, id);
        frame.decode(box.payload(Mailbox.DOWN), 0);
        frame.written = 0;
    }

    /** Drops decoded code and cached translations everywhere (a rebooting hypervisor trusts no cache). */
    void invalidateAllCaches() {
        call(Ops.INVALIDATE_ALL_CODE);
        call(Ops.FLUSH_ALL_TLBS);
    }

    private void frameWritten(long mfn) {
        int word = (int) (mfn >>> 6);
        long bit = 1L << (mfn & 63);
        if ((writtenBitmap[word] & bit) != 0) {
            return;
        }
        writtenBitmap[word] |= bit;
        if (writtenCount < MAX_LISTED_FRAMES) {
            writtenList[writtenCount++] = mfn;
        } else {
            writtenOverflow = true;
        }
    }

    private void clearWritten() {
        if (writtenOverflow) {
            java.util.Arrays.fill(writtenBitmap, 0);
        } else {
            for (int i = 0; i < writtenCount; i++) {
                writtenBitmap[(int) (writtenList[i] >>> 6)] = 0;
            }
        }
        writtenCount = 0;
        writtenOverflow = false;
    }

    // ------------------------------------------------------------------ MachinePort

    @Override
    public int hartCount() {
        return harts.length;
    }

    @Override
    public HartPort hart(int i) {
        return harts[i];
    }

    @Override
    public PhysicalMemory memory() {
        return memory;
    }

    @Override
    public long nowCycles() {
        return nowCycles;
    }

    @Override
    public TimerPort timer(int hart) {
        return timers[hart];
    }

    @Override
    public InterruptPort interrupts() {
        return interrupts;
    }

    @Override
    public NicPort nic() {
        return nic;
    }

    @Override
    public ConsolePort console() {
        return console;
    }

    @Override
    public void sendIpi(int hart) {
        call(Ops.SEND_IPI, hart);
    }

    @Override
    public void flushAllTlbs() {
        call(Ops.FLUSH_ALL_TLBS);
    }

    /** The supervisor went away: nothing left to serve. */
    static final class SupervisorGone extends RuntimeException {
        SupervisorGone() {
            super("the supervisor process is gone");
        }
    }

    private final class Timer implements TimerPort {
        private final int hart;

        Timer(int hart) {
            this.hart = hart;
        }

        @Override
        public void program(long deadlineCycles) {
            call(Ops.TIMER_PROGRAM, hart, deadlineCycles);
        }

        @Override
        public void cancel() {
            call(Ops.TIMER_CANCEL, hart);
        }

        @Override
        public long deadlineCycles() {
            return call(Ops.TIMER_DEADLINE, hart);
        }
    }

    private final class Interrupts implements InterruptPort {
        @Override
        public void setPriority(int source, int newPriority) {
            call(Ops.IRQ_SET_PRIORITY, source, newPriority);
        }

        @Override
        public void route(int source, int hart) {
            call(Ops.IRQ_ROUTE, source, hart);
        }

        @Override
        public int claim(int hart) {
            return (int) call(Ops.IRQ_CLAIM, hart);
        }

        @Override
        public boolean complete(int hart, int source) {
            return call(Ops.IRQ_COMPLETE, hart, source) != 0;
        }

        @Override
        public int[] inService(int hart) {
            int n = (int) call(Ops.IRQ_IN_SERVICE, hart);
            MemorySegment p = box.payload(Mailbox.DOWN);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = p.get(INT, 4L * i);
            }
            return out;
        }
    }

    private final class NicDma implements NicPort {
        @Override
        public long dmaRoot() {
            return call(Ops.NIC_DMA_ROOT);
        }

        @Override
        public void setDmaRoot(long root) {
            call(Ops.NIC_SET_DMA_ROOT, root);
        }
    }

    private final class ConsoleOut implements ConsolePort {
        @Override
        public void write(int b) {
            box.payload(Mailbox.UP).set(ValueLayout.JAVA_BYTE, 0, (byte) b);
            callWithPayload(Ops.CONSOLE_WRITE, 1, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            MemorySegment.copy(b, off, box.payload(Mailbox.UP), ValueLayout.JAVA_BYTE, 0, len);
            callWithPayload(Ops.CONSOLE_WRITE, len, len);
        }
    }
}
