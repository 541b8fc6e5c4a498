package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.machine.Machine;
import dev.rehype.machine.Nic;
import dev.rehype.machine.NicDescriptor;
import dev.rehype.machine.NicRegisters;
import dev.rehype.machine.PhysicalMemory;

/**
 * Drives NIC 0 from the test, between runs of the machine, the way a driver would: rings and
 * buffers in the top eight frames of machine memory (never allocated by the hypervisor, which
 * hands out frames lowest first), two frames sent per {@link #step}, echoes reaped and checked,
 * RX descriptors re-posted. Its progress is a record so that a restored system's driver can
 * continue from where the original's was.
 */
final class TestNicDriver {
    private static final int RING = 16;
    private static final int FRAME = 64;

    /** The driver's progress. */
    record Progress(int sent, int received, int rxNext, int rxTail) {
    }

    private final Machine machine;
    private final Nic nic;
    private final long txRing;
    private final long rxRing;
    private final long txBuf;
    private final long rxBuf;
    private Progress progress;

    /** A driver continuing from {@code progress} on {@code machine}'s NIC (already set up, or not). */
    TestNicDriver(Machine machine, Progress progress) {
        this.machine = machine;
        this.nic = machine.nic();
        long top = machine.memory().sizeBytes();
        this.txRing = top - 8L * PhysicalMemory.FRAME_SIZE;
        this.rxRing = top - 7L * PhysicalMemory.FRAME_SIZE;
        this.txBuf = top - 6L * PhysicalMemory.FRAME_SIZE;
        this.rxBuf = top - 4L * PhysicalMemory.FRAME_SIZE;
        this.progress = progress;
    }

    /** Sets up the rings and enables both engines; a new driver's progress. */
    static TestNicDriver setUp(Machine machine) {
        TestNicDriver d = new TestNicDriver(machine, new Progress(0, 0, 0, RING - 1));
        Nic nic = machine.nic();
        // This driver stands outside every domain and uses machine addresses: no IOMMU context.
        nic.setDmaRoot(Nic.DMA_IDENTITY);
        nic.write32(NicRegisters.TX_RING_BASE, (int) d.txRing);
        nic.write32(NicRegisters.TX_RING_SIZE, RING);
        nic.write32(NicRegisters.RX_RING_BASE, (int) d.rxRing);
        nic.write32(NicRegisters.RX_RING_SIZE, RING);
        for (int i = 0; i < RING - 1; i++) {
            d.postRx(i);
        }
        nic.write32(NicRegisters.RX_TAIL, RING - 1);
        nic.write32(NicRegisters.CTRL, NicRegisters.CTRL_TX_ENABLE | NicRegisters.CTRL_RX_ENABLE);
        return d;
    }

    Progress progress() {
        return progress;
    }

    /** Reaps and checks the echoes that arrived, then sends two more frames. */
    void step() {
        PhysicalMemory m = machine.memory();
        int sent = progress.sent();
        int received = progress.received();
        int rxNext = progress.rxNext();
        int rxTail = progress.rxTail();
        while (rxNext != nic.read32(NicRegisters.RX_HEAD)) {
            long d = rxRing + (long) rxNext * NicDescriptor.SIZE_BYTES;
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
        nic.write32(NicRegisters.IRQ_CAUSE, NicRegisters.IRQ_ALL);
        for (int burst = 0; burst < 2; burst++) {
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
        progress = new Progress(sent, received, rxNext, rxTail);
    }

    private void postRx(int i) {
        PhysicalMemory m = machine.memory();
        long d = rxRing + (long) i * NicDescriptor.SIZE_BYTES;
        m.write32(d + NicDescriptor.BUF_ADDR, (int) (rxBuf + (long) i * FRAME * 2));
        m.write16(d + NicDescriptor.LENGTH, FRAME * 2);
        m.write16(d + NicDescriptor.FLAGS, 0);
    }
}
