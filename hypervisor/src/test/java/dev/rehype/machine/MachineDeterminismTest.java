package dev.rehype.machine;

import static dev.rehype.machine.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The whole machine is deterministic: two harts running guest code, host timer interrupts on one,
 * NIC traffic echoed by the peer and received under interrupts on the other. Same seed → same
 * state hash; another seed changes the wire timing and so the hash.
 */
class MachineDeterminismTest {
    private static final long TX_RING = 50L * PhysicalMemory.FRAME_SIZE;
    private static final long RX_RING = 51L * PhysicalMemory.FRAME_SIZE;
    private static final long TX_BUF = 52L * PhysicalMemory.FRAME_SIZE;
    private static final long RX_BUF = 54L * PhysicalMemory.FRAME_SIZE;
    private static final int RING = 16;
    private static final int FRAME = 64;

    private static final class Scenario {
        final TestSystem s;
        final Nic nic;
        int sent;
        int received;
        int rxNext;
        int rxTail = RING - 1;

        Scenario(long seed) {
            s = new TestSystem(2, seed);
            nic = s.machine.nic();
            int counter = TestSystem.BASE + 0x5000;
            s.code(TestSystem.BASE,
                    lui(T0, counter >>> 12),
                    addi(T1, ZERO, 1),
                    Asm.r(0x2f, A1, 2, T0, T1, 0), // amoadd.w a1, t1, (t0)
                    jal(ZERO, -4));
            InterruptController ic = s.machine.interrupts();
            ic.setPriority(Machine.NIC0_IRQ, 1);
            ic.route(Machine.NIC0_IRQ, 1);
            nic.write32(NicRegisters.TX_RING_BASE, (int) TX_RING);
            nic.write32(NicRegisters.TX_RING_SIZE, RING);
            nic.write32(NicRegisters.RX_RING_BASE, (int) RX_RING);
            nic.write32(NicRegisters.RX_RING_SIZE, RING);
            for (int i = 0; i < RING - 1; i++) {
                postRx(i);
            }
            nic.write32(NicRegisters.RX_TAIL, RING - 1);
            nic.write32(NicRegisters.IRQ_MASK, NicRegisters.IRQ_RX_DONE);
            nic.write32(NicRegisters.CTRL, NicRegisters.CTRL_TX_ENABLE | NicRegisters.CTRL_RX_ENABLE);
            s.machine.timer(0).program(3000);
            s.onTrap = this::hypervisor;
        }

        private void postRx(int i) {
            PhysicalMemory m = s.machine.memory();
            long d = RX_RING + (long) i * NicDescriptor.SIZE_BYTES;
            m.write32(d + NicDescriptor.BUF_ADDR, (int) (RX_BUF + (long) i * FRAME * 2));
            m.write16(d + NicDescriptor.LENGTH, FRAME * 2);
            m.write16(d + NicDescriptor.FLAGS, 0);
        }

        private long hypervisor(Hart h) {
            PhysicalMemory m = s.machine.memory();
            if (h.trapCause() == TrapCause.HOST_TIMER) {
                int slot = sent % RING;
                long buf = TX_BUF + (long) slot * FRAME;
                for (int k = 0; k < FRAME; k += 4) {
                    m.write32(buf + k, sent * 1000 + k);
                }
                long d = TX_RING + (long) slot * NicDescriptor.SIZE_BYTES;
                m.write32(d + NicDescriptor.BUF_ADDR, (int) buf);
                m.write16(d + NicDescriptor.LENGTH, FRAME);
                m.write16(d + NicDescriptor.FLAGS, NicDescriptor.EOP);
                sent++;
                nic.write32(NicRegisters.TX_TAIL, sent % RING);
                s.machine.timer(0).program(h.timeCycles() + 3000);
                return 100;
            }
            assertThat(h.trapCause()).isEqualTo(TrapCause.HOST_EXTERNAL);
            assertThat(h.id()).isEqualTo(1);
            InterruptController ic = s.machine.interrupts();
            int source = ic.claim(1);
            assertThat(source).isEqualTo(Machine.NIC0_IRQ);
            nic.write32(NicRegisters.IRQ_CAUSE, NicRegisters.IRQ_ALL);
            while (rxNext != nic.read32(NicRegisters.RX_HEAD)) {
                long d = RX_RING + (long) rxNext * NicDescriptor.SIZE_BYTES;
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
            assertThat(ic.complete(1, source)).isTrue();
            return 200;
        }

        String run() {
            s.machine.run(2_000_000);
            return s.machine.stateHash();
        }
    }

    @Test
    void sameSeedSameHashAcrossHartsTimersAndNicTraffic() {
        Scenario a = new Scenario(42);
        Scenario b = new Scenario(42);
        String hashA = a.run();
        String hashB = b.run();
        assertThat(a.received).isGreaterThan(500).isEqualTo(b.received);
        assertThat(a.sent - a.received).isBetween(0, 20);
        assertThat(hashA).isEqualTo(hashB);
        // both harts did guest work
        assertThat(a.s.machine.hart(0).instret()).isGreaterThan(100_000);
        assertThat(a.s.machine.hart(1).instret()).isGreaterThan(100_000);
    }

    @Test
    void anotherSeedChangesWireTimingAndTheHash() {
        assertThat(new Scenario(42).run()).isNotEqualTo(new Scenario(43).run());
    }
}
