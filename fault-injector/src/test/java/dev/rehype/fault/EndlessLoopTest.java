package dev.rehype.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.fault.hv.Mutation;
import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;
import dev.rehype.hypervisor.image.Watchdog;
import dev.rehype.recovery.Detection;
import dev.rehype.recovery.DetectionKind;
import dev.rehype.recovery.RecoveryReport;
import org.junit.jupiter.api.Test;

/**
 * A fault that sends the hypervisor's Java code round a loop for ever costs no virtual time, yet
 * the watchdog sees it: the image's loop meter counts the iterations. The mutant here removes the
 * {@code Math.min} of {@code GuestMemory.readBytes}, so every chunk is 0 bytes long and the copy
 * loop never ends — the loop a 10,000-run campaign once stalled on.
 */
class EndlessLoopTest {
    static final InjectionLimits LIMITS = InjectionScenarioTest.LIMITS;

    static Site chunkMin() {
        return SiteCatalog.core().sites().stream()
                .filter(s -> s.className().endsWith(".GuestMemory") && s.methodName().equals("readBytes")
                        && s.mutation() == Mutation.REMOVE_CALL && "Math.min".equals(s.callee()))
                .findFirst().orElseThrow();
    }

    @Test
    void aMutantLoopingForEverInAHypercallIsCaughtByTheWatchdogAndTheGuestsCarryOn() throws Exception {
        String plan = "code hypervisor site=" + chunkMin().key() + " after=2000000 nth=1";
        InjectionResult r = InjectionRun.execute(SystemUnderTest.standard(1), FaultPlan.parse(plan), 1, LIMITS);
        assertThat(r.activations().getFirst().activated()).isTrue();
        assertThat(r.recoveries()).isNotEmpty();
        RecoveryReport first = r.recoveries().getFirst();
        Detection d = first.detection();
        assertThat(d.kind()).isEqualTo(DetectionKind.WATCHDOG);
        assertThat(d.message()).contains("loop iterations", "loop bound " + Watchdog.DEFAULT_BOUND_CYCLES);
        // Each iteration counts as one cycle: the trap is charged one past the bound.
        assertThat(first.phases().getFirst().virtualCycles()).isEqualTo(Watchdog.DEFAULT_BOUND_CYCLES + 1);
        assertThat(r.recovered()).isTrue();
        assertThat(r.allCorrect()).isTrue();

        InjectionResult again = InjectionRun.execute(SystemUnderTest.standard(1), FaultPlan.parse(plan), 1, LIMITS);
        assertThat(again.firstDetection().atCycles()).isEqualTo(d.atCycles());
        assertThat(again.finalStateHash()).isEqualTo(r.finalStateHash());
    }
}
