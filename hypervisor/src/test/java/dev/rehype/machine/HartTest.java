package dev.rehype.machine;

import static dev.rehype.machine.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Java-level scenarios of the hart with its hypervisor: traps out, second stage, code caches. */
class HartTest {

    @Test
    void loopRunsToEcallAndCountsInstructions() {
        TestSystem s = new TestSystem(1, 1);
        // a0 = sum 1..100
        s.code(TestSystem.BASE,
                addi(T0, ZERO, 100),
                addi(A0, ZERO, 0),
                add(A0, A0, T0),
                addi(T0, T0, -1),
                bne(T0, ZERO, -8),
                ecall());
        s.onTrap = h -> TestSystem.stopAtEcall(s.machine, h);
        s.machine.run(1_000_000);
        Hart h = s.machine.hart(0);
        assertThat(h.reg(A0)).isEqualTo(5050);
        assertThat(h.pc()).isEqualTo(TestSystem.BASE + 20);
        assertThat(h.instret()).isEqualTo(2 + 3 * 100);
    }

    @Test
    void storeToWriteProtectedPageTrapsWithGuestPhysicalAddressAndRetries() {
        TestSystem s = new TestSystem(1, 1);
        int data = TestSystem.BASE + 0x3000;
        s.code(TestSystem.BASE,
                lui(T0, data >>> 12),
                addi(T1, ZERO, 42),
                sw(T1, T0, 8),
                lw(A0, T0, 8),
                ecall());
        s.map(3, TestSystem.FIRST_GUEST_FRAME + 3, Sv32.R);
        s.onTrap = h -> {
            if (h.trapCause() == TrapCause.STORE_GUEST_PAGE_FAULT) {
                assertThat(h.trapGuestPhysical()).isEqualTo((data + 8) & 0xffffffffL);
                assertThat(h.trapValue()).isEqualTo(data + 8);
                s.map(3, TestSystem.FIRST_GUEST_FRAME + 3, Sv32.R | Sv32.W);
                return 5;
            }
            return TestSystem.stopAtEcall(s.machine, h);
        };
        s.machine.run(1_000_000);
        assertThat(s.traps).containsExactly("store/AMO guest-page fault@80000008", "ecall from S-mode@80000010");
        assertThat(s.machine.hart(0).reg(A0)).isEqualTo(42);
        assertThat(s.machine.memory().read32(TestSystem.ma(data + 8))).isEqualTo(42);
    }

    @Test
    void hypervisorPatchingCodeIsSeenBecauseWritesDropDecodedInstructions() {
        TestSystem s = new TestSystem(1, 1);
        s.code(TestSystem.BASE,
                addi(A0, A0, 1),
                ecall(),
                jal(ZERO, -8));
        int[] calls = {0};
        s.onTrap = h -> {
            calls[0]++;
            if (calls[0] == 1) {
                assertThat(h.reg(A0)).isEqualTo(1);
                s.machine.memory().write32(TestSystem.ma(TestSystem.BASE), addi(A0, A0, 100));
                h.setPc(h.pc() + 4);
                return 1;
            }
            return TestSystem.stopAtEcall(s.machine, h);
        };
        s.machine.run(1_000_000);
        assertThat(s.machine.hart(0).reg(A0)).isEqualTo(101);
    }

    @Test
    void guestStoreIntoItsOwnCodeIsSeenAfterFenceI() {
        TestSystem s = new TestSystem(1, 1);
        int patched = addi(A0, A0, 7);
        s.code(TestSystem.BASE,
                lui(T0, TestSystem.BASE >>> 12),
                lw(T1, T0, 0x100),     // the new instruction word, kept as data
                sw(T1, T0, 0x14),      // overwrite the instruction at +0x14
                0x0000100f,            // fence.i
                addi(A0, ZERO, 0),
                addi(A0, A0, 1),       // +0x14: replaced by addi a0, a0, 7
                ecall());
        s.code(TestSystem.BASE + 0x100, patched);
        s.onTrap = h -> TestSystem.stopAtEcall(s.machine, h);
        s.machine.run(1_000_000);
        assertThat(s.machine.hart(0).reg(A0)).isEqualTo(7);
    }

    @Test
    void secondStageRemapRunsOtherFramesCodeAfterTlbFlush() {
        TestSystem s = new TestSystem(1, 1);
        int page2 = TestSystem.BASE + 0x2000;
        s.code(TestSystem.BASE, addi(A0, ZERO, 0), jal(ZERO, 0x2000 - 4));
        s.code(page2, addi(A0, A0, 1), ecall(), jal(ZERO, -8));
        // frame 40 holds a different body for guest page 2
        s.code(TestSystem.BASE + 40 * 0x1000, addi(A0, A0, 1000), ecall(), jal(ZERO, -8));
        int[] calls = {0};
        s.onTrap = h -> {
            if (++calls[0] == 1) {
                s.map(2, TestSystem.FIRST_GUEST_FRAME + 40, Sv32.R | Sv32.X);
                h.setPc(page2);
                return 1;
            }
            return TestSystem.stopAtEcall(s.machine, h);
        };
        s.machine.run(1_000_000);
        assertThat(s.machine.hart(0).reg(A0)).isEqualTo(1001);
    }

    @Test
    void hostTimerInterruptReachesTheHypervisorAtItsDeadline() {
        TestSystem s = new TestSystem(1, 1);
        s.code(TestSystem.BASE, jal(ZERO, 0)); // spin
        s.machine.timer(0).program(12_345);
        long[] seen = {-1};
        s.onTrap = h -> {
            assertThat(h.trapCause()).isEqualTo(TrapCause.HOST_TIMER);
            seen[0] = h.timeCycles();
            s.machine.timer(0).cancel();
            return 0;
        };
        s.machine.run(50_000);
        assertThat(seen[0]).isEqualTo(12_345);
        assertThat(s.machine.hart(0).instret()).isEqualTo(50_000 - 1);
    }

    @Test
    void csrReadOfTimeFollowsVirtualTime() {
        TestSystem s = new TestSystem(1, 1);
        s.code(TestSystem.BASE, csrr(A0, Csr.TIME), addi(T0, ZERO, 0), csrr(A1, Csr.TIME), ecall());
        s.onTrap = h -> TestSystem.stopAtEcall(s.machine, h);
        s.machine.run(1000);
        Hart h = s.machine.hart(0);
        assertThat(h.reg(A1) - h.reg(A0)).isEqualTo(2);
    }

    @Test
    void twoHartsInterleaveDeterministically() {
        String first = runTwoHarts(7);
        String second = runTwoHarts(7);
        assertThat(first).isEqualTo(second);
    }

    private static String runTwoHarts(long seed) {
        TestSystem s = new TestSystem(2, seed);
        int counter = TestSystem.BASE + 0x5000;
        // each hart: loop incrementing a shared counter with amoadd, 5000 times, then ecall
        int amoadd = Asm.r(0x2f, A1, 2, T0, T1, 0); // amoadd.w a1, t1, (t0)
        s.code(TestSystem.BASE,
                lui(T0, counter >>> 12),
                addi(T1, ZERO, 1),
                lui(T2, 1),            // t2 = 4096
                amoadd,
                addi(T2, T2, -1),
                bne(T2, ZERO, -8),
                ecall(),
                jal(ZERO, 0));
        int[] done = {0};
        s.onTrap = h -> {
            h.halt();
            if (++done[0] == 2) {
                s.machine.stop();
            }
            return 10;
        };
        s.machine.run(10_000_000);
        assertThat(s.machine.memory().read32(TestSystem.ma(counter))).isEqualTo(2 * 4096);
        return s.machine.stateHash();
    }
}
