package dev.rehype.machine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test-side driver of NIC 0 for echo traffic, shared by the machine, snapshot and system tests:
 * TX and RX rings and buffers at machine addresses the caller chooses, frames of 64 bytes whose
 * words say which frame they are, echoes reaped and checked in order, RX descriptors re-posted.
 * Its progress is a record so that a driver over a restored machine can continue where the
 * original's was.
 */
public final class EchoNicDriver {
    public static final int RING = 16;
    public static final int FRAME = 64;

    /** Frames sent and received, and the RX ring positions. */
    public record Progress(int sent, int received, int rxNext, int rxTail) {
        public static Progress fresh() {
            return new Progress(0, 0, 0, RING - 1);
        }
    }

    private final Machine machine;
    private final Nic nic;
    private final long txRing;
    private final long rxRing;
    private final long txBuf;
    private final long rxBuf;
    private Progress progress;

    /** A driver continuing from {@code progress}; rings at the given machine addresses. */
    public EchoNicDriver(Machine machine, long txRing, long rxRing, long txBuf, long rxBuf, Progress progress) {
        this.machine = machine;
        this.nic = machine.nic();
        this.txRing = txRing;
        this.rxRing = rxRing;
        this.txBuf = txBuf;
        this.rxBuf = rxBuf;
        this.progress = progress;
    }

    /** Programs both rings, posts every RX descriptor but one, enables both engines. */
    public void setUpRings() {
        nic.write32(NicRegisters.TX_RING_BASE, (int) txRing);
        nic.write32(NicRegisters.TX_RING_SIZE, RING);
        nic.write32(NicRegisters.RX_RING_BASE, (int) rxRing);
        nic.write32(NicRegisters.RX_RING_SIZE, RING);
        for (int i = 0; i < RING - 1; i++) {
            postRx(i);
        }
        nic.write32(NicRegisters.RX_TAIL, RING - 1);
    }

    public void enable() {
        nic.write32(NicRegisters.CTRL, NicRegisters.CTRL_TX_ENABLE | NicRegisters.CTRL_RX_ENABLE);
    }

    public Progress progress() {
        return progress;
    }

    /** Goes back to {@code earlier} progress (after the machine was rewound to a saved state). */
    public void restore(Progress earlier) {
        progress = earlier;
    }

    /** Queues {@code frames} frames and hands them to the device. */
    public void send(int frames) {
        PhysicalMemory m = machine.memory();
        int sent = progress.sent();
        for (int burst = 0; burst < frames; burst++) {
            int slot = sent % RING;
            long buf = txBuf + (long) slot * FRAME;
            for (int k = 0; k < FRAME; k += 4) {
                m.write32(buf + k, sent * 1000 + k);
            }
            long d = txRing + (long) slot * NicDescriptor.SIZE_BYTES;
            m.write32(d + NicDescriptor.BUF_ADDR, (int) buf);
            m.write16(d + NicDescriptor.LENGTH, FRAME);
            m.write16(d + NicDescriptor.FLAGS, NicDescriptor.EOP);
            sent++;
        }
        nic.write32(NicRegisters.TX_TAIL, sent % RING);
        progress = new Progress(sent, progress.received(), progress.rxNext(), progress.rxTail());
    }

    /** Checks every echo that arrived (done, right length, right words, in order) and re-posts its descriptor. */
    public void reap() {
        PhysicalMemory m = machine.memory();
        int received = progress.received();
        int rxNext = progress.rxNext();
        int rxTail = progress.rxTail();
        while (rxNext != nic.read32(NicRegisters.RX_HEAD)) {
            long d = rxRing + (long) rxNext * NicDescriptor.SIZE_BYTES;
            assertThat(m.read16(d + NicDescriptor.FLAGS) & NicDescriptor.DONE).isNotZero();
            assertThat(m.read16(d + NicDescriptor.LENGTH)).isEqualTo(FRAME);
            long buf = m.read32(d + NicDescriptor.BUF_ADDR) & 0xffffffffL;
            for (int k = 0; k < FRAME; k += 4) {
                assertThat(m.read32(buf + k)).isEqualTo(received * 1000 + k);
            }
            received++;
            rxNext = (rxNext + 1) % RING;
            postRx(rxTail);
            rxTail = (rxTail + 1) % RING;
            nic.write32(NicRegisters.RX_TAIL, rxTail);
        }
        progress = new Progress(progress.sent(), received, rxNext, rxTail);
    }

    private void postRx(int i) {
        PhysicalMemory m = machine.memory();
        long d = rxRing + (long) i * NicDescriptor.SIZE_BYTES;
        m.write32(d + NicDescriptor.BUF_ADDR, (int) (rxBuf + (long) i * FRAME * 2));
        m.write16(d + NicDescriptor.LENGTH, FRAME * 2);
        m.write16(d + NicDescriptor.FLAGS, 0);
    }
}
