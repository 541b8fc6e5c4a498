package dev.rehype.recovery.process;

import dev.rehype.machine.Machine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The supervisor's side of a hardware call: performs one call a hypervisor process made through
 * its mailbox on the real machine and writes the reply. The machine is single-threaded and runs
 * no guest while a call is served, so every call takes effect whole or not at all.
 */
final class HardwareServer {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Machine machine;
    private final HartFrame frame = new HartFrame();
    private byte[] consoleBytes = new byte[4096];

    HardwareServer(Machine machine) {
        this.machine = machine;
    }

    /** Serves the call in {@code child}'s up message and sends the reply. */
    void serve(ChildProcess child) {
        Mailbox box = child.mailbox();
        int kind = (int) box.arg(Mailbox.UP, 0);
        long a = box.arg(Mailbox.UP, 1);
        long b = box.arg(Mailbox.UP, 2);
        long c = box.arg(Mailbox.UP, 3);
        MemorySegment down = box.payload(Mailbox.DOWN);
        long value = 0;
        int payload = 0;
        switch (kind) {
            case Ops.HART_READ -> {
                frame.load(machine.hart((int) a));
                frame.encode(down, 0);
                payload = HartFrame.ENCODED_BYTES;
            }
            case Ops.TRANSLATE -> value = machine.hart((int) a).translateForHypervisor((int) b, (int) c);
            case Ops.TIMER_PROGRAM -> machine.timer((int) a).program(b);
            case Ops.TIMER_CANCEL -> machine.timer((int) a).cancel();
            case Ops.TIMER_DEADLINE -> value = machine.timer((int) a).deadlineCycles();
            case Ops.IRQ_SET_PRIORITY -> machine.interrupts().setPriority((int) a, (int) b);
            case Ops.IRQ_ROUTE -> machine.interrupts().route((int) a, (int) b);
            case Ops.IRQ_CLAIM -> value = machine.interrupts().claim((int) a);
            case Ops.IRQ_COMPLETE -> value = machine.interrupts().complete((int) a, (int) b) ? 1 : 0;
            case Ops.IRQ_IN_SERVICE -> {
                int[] sources = machine.interrupts().inService((int) a);
                for (int i = 0; i < sources.length; i++) {
                    down.set(INT, 4L * i, sources[i]);
                }
                value = sources.length;
                payload = 4 * sources.length;
            }
            case Ops.NIC_DMA_ROOT -> value = machine.nic().dmaRoot();
            case Ops.NIC_SET_DMA_ROOT -> machine.nic().setDmaRoot(a);
            case Ops.CONSOLE_WRITE -> {
                int len = (int) a;
                if (consoleBytes.length < len) {
                    consoleBytes = new byte[len];
                }
                MemorySegment.copy(box.payload(Mailbox.UP), ValueLayout.JAVA_BYTE, 0, consoleBytes, 0, len);
                machine.console().write(consoleBytes, 0, len);
            }
            case Ops.SEND_IPI -> machine.sendIpi((int) a);
            case Ops.FLUSH_ALL_TLBS -> machine.flushAllTlbs();
            case Ops.INVALIDATE_ALL_CODE -> machine.memory().invalidateAllCode();
            default -> throw new IllegalStateException("hypervisor process made unknown hardware call " + kind);
        }
        child.send(Ops.REPLY, payload, value);
    }

    /** Applies what a finished request committed: hart writes, then dropped code of written frames. */
    void applyDone(ChildProcess child) {
        Mailbox box = child.mailbox();
        MemorySegment p = box.payload(Mailbox.UP);
        int n = p.get(INT, 0);
        long at = 4;
        for (int i = 0; i < n; i++) {
            int id = p.get(INT, at);
            frame.decode(p, at + 4);
            frame.applyTo(machine.hart(id));
            at += 4 + HartFrame.ENCODED_BYTES;
        }
        int frames = p.get(INT, at);
        at += 4;
        if (frames < 0) {
            machine.memory().invalidateAllCode();
            return;
        }
        ValueLayout.OfLong longLe = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            machine.memory().invalidateCode(p.get(longLe, at));
            at += 8;
        }
    }
}
