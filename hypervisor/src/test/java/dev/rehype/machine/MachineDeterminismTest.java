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

    private static final class Scenario {
        final TestSystem s;
        final Nic nic;
        final EchoNicDriver driver;

        Scenario(long seed) {
            s = new TestSystem(2, seed);
            nic = s.machine.nic();
            driver = new EchoNicDriver(s.machine, TX_RING, RX_RING, TX_BUF, RX_BUF, EchoNicDriver.Progress.fresh());
            int counter = TestSystem.BASE + 0x5000;
            s.code(TestSystem.BASE,
                    lui(T0, counter >>> 12),
                    addi(T1, ZERO, 1),
                    Asm.r(0x2f, A1, 2, T0, T1, 0), // amoadd.w a1, t1, (t0)
                    jal(ZERO, -4));
            InterruptController ic = s.machine.interrupts();
            ic.setPriority(Machine.NIC0_IRQ, 1);
            ic.route(Machine.NIC0_IRQ, 1);
            driver.setUpRings();
            nic.write32(NicRegisters.IRQ_MASK, NicRegisters.IRQ_RX_DONE);
            driver.enable();
            s.machine.timer(0).program(3000);
            s.onTrap = this::hypervisor;
        }

        int sent() {
            return driver.progress().sent();
        }

        int received() {
            return driver.progress().received();
        }

        private long hypervisor(Hart h) {
            if (h.trapCause() == TrapCause.HOST_TIMER) {
                driver.send(1);
                s.machine.timer(0).program(h.timeCycles() + 3000);
                return 100;
            }
            assertThat(h.trapCause()).isEqualTo(TrapCause.HOST_EXTERNAL);
            assertThat(h.id()).isEqualTo(1);
            InterruptController ic = s.machine.interrupts();
            int source = ic.claim(1);
            assertThat(source).isEqualTo(Machine.NIC0_IRQ);
            nic.write32(NicRegisters.IRQ_CAUSE, NicRegisters.IRQ_ALL);
            driver.reap();
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
        assertThat(a.received()).isGreaterThan(500).isEqualTo(b.received());
        assertThat(a.sent() - a.received()).isBetween(0, 20);
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
