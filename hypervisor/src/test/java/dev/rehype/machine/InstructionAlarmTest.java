package dev.rehype.machine;

import static dev.rehype.machine.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The instruction alarm (the fault injector's hook): due between two instructions, at the exact count, for one domain. */
class InstructionAlarmTest {

    /** a0 = 100 + 99 + ... + 1: two setup instructions, then add, addi, bne per iteration, then ecall. */
    static TestSystem sumLoop() {
        TestSystem s = new TestSystem(1, 1);
        s.code(TestSystem.BASE,
                addi(T0, ZERO, 100),
                addi(A0, ZERO, 0),
                add(A0, A0, T0),
                addi(T0, T0, -1),
                bne(T0, ZERO, -8),
                ecall());
        s.onTrap = h -> TestSystem.stopAtEcall(s.machine, h);
        return s;
    }

    @Test
    void dueAtTheExactRetiredInstructionWithTheStateBetweenTwoInstructions() {
        TestSystem s = sumLoop();
        Hart hart = s.machine.hart(0);
        long[] seen = new long[3];
        hart.setInstructionAlarm(hart.secondStageRoot(), 50, h -> {
            seen[0] = h.instret();
            seen[1] = h.pc();
            seen[2] = h.reg(A0);
            h.setReg(T0, 1);
        });
        s.machine.run(1_000_000);
        // 50 = 2 + 16 iterations: back at the add, a0 = 100 + ... + 85.
        assertThat(seen[0]).isEqualTo(50);
        assertThat((int) seen[1]).isEqualTo(TestSystem.BASE + 8);
        assertThat(seen[2]).isEqualTo(1480);
        assertThat(hart.reg(A0)).as("t0 forced to 1: one more iteration").isEqualTo(1481);
    }

    @Test
    void anAlarmForAnotherDomainNeverFiresAndChangesNothing() {
        TestSystem plain = sumLoop();
        plain.machine.run(1_000_000);
        TestSystem s = sumLoop();
        Hart hart = s.machine.hart(0);
        boolean[] fired = {false};
        hart.setInstructionAlarm(hart.secondStageRoot() + 1, 50, h -> fired[0] = true);
        s.machine.run(1_000_000);
        assertThat(fired[0]).isFalse();
        assertThat(s.machine.stateHash()).isEqualTo(plain.machine.stateHash());
    }
}
