package dev.rehype.campaign.property;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.spec.FaultType;
import dev.rehype.fault.FaultPlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kit catches a real recovery bug: with every repair step switched off (the ablation's "none"
 * policy) ReHype still reboots the hypervisor, but the system does not come back, so "every
 * detected hypervisor failstop is recovered" fails — the kit shrinks the failing plan and the
 * shrunk plan, replayed alone, fails again.
 */
class RepairsOffTest {
    /** Run only through the engine test kit. */
    static class WithoutRepairs {
        @RecoveryProperty(tries = 10, seed = 8, types = FaultType.FAILSTOP, repairSteps = "none", maxShrinkRuns = 30,
                maxCycles = TestSystem.MAX_CYCLES)
        void everyDetectedHypervisorFailstopIsRecovered(PropertyRun run) {
            assumeTrue(run.outcome().detected());
            assertThat(run.outcome()).as("%s: %s", run.classification().reason(), run.classification().why())
                    .isEqualTo(Outcome.RECOVERED);
        }
    }

    @AfterEach
    void clearOverrides() {
        System.clearProperty(PropertySettings.PLAN_PROPERTY);
    }

    @Test
    void everyDetectedFailstopIsRecoveredFailsWithoutRepairsAndItsShrunkPlanFailsAgain() {
        String message = RecoveryPropertyExtensionTest.onlyFailure(RecoveryPropertyExtensionTest.run(
                WithoutRepairs.class)).getMessage();
        System.out.println(message);
        assertThat(message).startsWith("recovery property WithoutRepairs#everyDetectedHypervisorFailstopIsRecovered"
                + " failed at try ").contains("policy microreboot/none", "expected: RECOVERED", "but was: NOT_RECOVERED");
        FaultPlan original = FaultPlan.parse(RecoveryPropertyExtensionTest.group(message, "original plan: +(.*)"));
        FaultPlan shrunk = FaultPlan.parse(RecoveryPropertyExtensionTest.group(message, "shrunk plan: +(.*)"));
        assertThat(shrunk.faults()).hasSize(1);
        assertThat(shrunk.faults().get(0).type()).isEqualTo("failstop");
        assertThat(shrunk.faults().get(0).trigger().afterCycles())
                .isLessThanOrEqualTo(original.faults().get(0).trigger().afterCycles());
        assertThat(shrunk.faults().get(0).trigger().nth()).isLessThanOrEqualTo(original.faults().get(0).trigger().nth());

        System.setProperty(PropertySettings.PLAN_PROPERTY, shrunk.toText());
        String replay = RecoveryPropertyExtensionTest.onlyFailure(RecoveryPropertyExtensionTest.run(
                WithoutRepairs.class)).getMessage();
        assertThat(replay).contains("fails on the plan of -Drehype.property.plan", shrunk.toText(),
                "expected: RECOVERED", "but was: NOT_RECOVERED");
    }
}
