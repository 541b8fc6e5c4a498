package dev.rehype.campaign.property;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.spec.FaultType;
import dev.rehype.campaign.spec.PolicySpec;
import dev.rehype.fault.FaultPlan;
import dev.rehype.recovery.RecoveryMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kit catches a real recovery bug: with every repair step switched off (the ablation's "none"
 * policy) ReHype still reboots the hypervisor, but the system does not come back, so "every
 * detected hypervisor failstop is recovered" fails — the kit shrinks the failing plan and the
 * shrunk plan, replayed alone, fails again. With every step but release-locks, a failstop at the
 * entry of {@code SpinLocks.release} (the lock still held) hangs every domain; with the step, the
 * same plan is recovered.
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

    /** Every repair step but release-locks; run only through the engine test kit. */
    static class WithoutLockRelease {
        @RecoveryProperty(tries = 12, seed = 3, types = {FaultType.FAILSTOP, FaultType.REGISTER}, maxFaults = 2,
                repairSteps = {"ack-interrupts", "reprogram-timers", "settle-intents", "rebuild-run-queues",
                    "retry-hypercall", "resume-multicall", "recompute-frame-counts", "repair-event-channels",
                    "repair-grants", "clear-stale-vcpu-flags"}, maxShrinkRuns = 30, maxCycles = TestSystem.MAX_CYCLES)
        void aDetectedFailureLeavesEveryAppVmWithItsGoldenOutput(PropertyRun run) {
            assumeTrue(run.outcome().detected());
            assertThat(run.classification().vms()).as("AppVM verdicts after recovery")
                    .allMatch(v -> v.verdict().equals("ok") || v.name().equals("dom0"));
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

    @Test
    void withoutReleasingLocksAFailstopHoldingALockHangsTheAppVmsAndTheStepRepairsIt() {
        String message = RecoveryPropertyExtensionTest.onlyFailure(RecoveryPropertyExtensionTest.run(
                WithoutLockRelease.class)).getMessage();
        System.out.println(message);
        FaultPlan shrunk = FaultPlan.parse(RecoveryPropertyExtensionTest.group(message, "shrunk plan: +(.*)"));
        assertThat(shrunk.toText()).isEqualTo("failstop hypervisor site=SpinLocks.release@entry after=100000 nth=1");
        assertThat(message).contains("verdict=hung");
        PropertyRun repaired = TestSystem.booted().run("every repair step", shrunk, 1,
                PolicySpec.all(RecoveryMode.MICROREBOOT), false);
        assertThat(repaired.outcome()).as("%s", repaired.classification()).isEqualTo(Outcome.RECOVERED);
    }
}
