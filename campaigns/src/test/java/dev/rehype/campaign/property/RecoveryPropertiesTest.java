package dev.rehype.campaign.property;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.spec.FaultType;
import dev.rehype.recovery.DetectionKind;

/**
 * Recovery properties of the host-built campaign system, each checked on plans drawn by the kit
 * and run through the campaign's executor: they hold today and would fail if recovery, the
 * injector's arming or the classifier broke.
 */
class RecoveryPropertiesTest {
    /**
     * Armed faults that never fire (a count far beyond what the run executes) leave the run the
     * fault-free run: the same final state as the golden run, bit for bit.
     */
    @RecoveryProperty(tries = 20, seed = 3, maxFaults = 2, maxNth = 2_000_000_000L, targets = {"hypervisor", "dom0",
            "appvm:compute", "appvm:mem"}, maxCycles = TestSystem.MAX_CYCLES, maxShrinkRuns = 20, minChecked = 10)
    void aFaultThatNeverFiresLeavesTheGoldenRunsFinalState(PropertyRun run) {
        assumeFalse(run.injection().activated());
        assertThat(run.outcome()).isEqualTo(Outcome.NOT_ACTIVATED);
        assertThat(run.injection().finalStateHash()).as("final state hash").isEqualTo(run.golden().finalStateHash());
        assertThat(run.observation().virtualCycles()).isEqualTo(run.golden().virtualCycles());
    }

    /**
     * The same plan run again — on the reference path, from the reset point without checkpoints, as
     * the determinism check and replays run — ends in the same state with the same judgement.
     */
    @RecoveryProperty(tries = 10, seed = 4, maxFaults = 2, targets = {"hypervisor", "dom0", "appvm:compute",
            "appvm:mem"}, maxCycles = TestSystem.MAX_CYCLES, maxShrinkRuns = 10)
    void thePlanRunAgainEndsInTheSameStateWithTheSameOutcome(PropertyRun run, ReferenceRun reference) {
        PropertyRun again = reference.run(run.plan());
        assertThat(again.injection().finalStateHash()).as("final state hash").isEqualTo(run.injection().finalStateHash());
        assertThat(again.injection().activations()).isEqualTo(run.injection().activations());
        assertThat(again.classification()).isEqualTo(run.classification());
    }

    /** A failstop that fired in the hypervisor is a panic ReHype detects, never undetected or not manifested. */
    @RecoveryProperty(tries = 40, seed = 5, types = FaultType.FAILSTOP, maxCycles = TestSystem.MAX_CYCLES,
            maxShrinkRuns = 20, minChecked = 20)
    void anActivatedHypervisorFailstopIsAlwaysDetected(PropertyRun run) {
        assumeTrue(run.injection().activated());
        assertThat(run.outcome().detected()).as("%s: %s", run.outcome(), run.classification().why()).isTrue();
        assertThat(run.injection().firstDetection().kind()).isEqualTo(DetectionKind.PANIC);
    }

    /**
     * Every run has the one outcome its activation and detection call for: not activated exactly
     * when no fault fired (and then nothing was detected); otherwise an outcome counted as detected
     * exactly when ReHype detected a failure. Any type, any target, up to three faults.
     */
    @RecoveryProperty(tries = 40, seed = 6, maxFaults = 3, targets = {"hypervisor", "dom0", "appvm:compute",
            "appvm:mem"}, maxCycles = TestSystem.MAX_CYCLES, maxShrinkRuns = 20)
    void theOutcomeAgreesWithActivationAndDetection(PropertyRun run) {
        boolean fired = run.injection().activated();
        assertThat(run.outcome() == Outcome.NOT_ACTIVATED).as("not activated <=> nothing fired").isEqualTo(!fired);
        assertThat(run.observation().activation().activated()).isEqualTo(fired);
        if (fired) {
            assertThat(run.outcome().detected()).as("detected outcome <=> ReHype detected")
                    .isEqualTo(run.injection().detected());
        } else {
            assertThat(run.injection().detected()).as("a fault that never fired caused a detection").isFalse();
        }
    }
}
