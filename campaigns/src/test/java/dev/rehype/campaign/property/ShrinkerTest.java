package dev.rehype.campaign.property;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.campaign.spec.FaultType;
import dev.rehype.campaign.spec.TriggerWindow;
import dev.rehype.fault.FailstopFault;
import dev.rehype.fault.Fault;
import dev.rehype.fault.FaultPlan;
import dev.rehype.fault.Target;
import dev.rehype.fault.Trigger;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Greedy shrinking on a synthetic property, "no failstop is armed after 3,000,000 cycles": every
 * failing plan shrinks to exactly the smallest failing plan — the plan's last late failstop alone
 * (dropping faults goes first to last, so a later late failstop outlives an earlier one), at
 * after=3000001, nth=1 — deterministically, and a budget of runs stops it early.
 */
class ShrinkerTest {
    static final PlanSpace SPACE = new PlanSpace(List.of(FaultType.values()), List.of(Target.HYPERVISOR,
            Target.appVm("compute")), new TriggerWindow(100_000, 6_000_000), 3, 5);

    static final Check<FaultPlan> NO_LATE_FAILSTOP = plan -> plan.faults().stream()
            .anyMatch(f -> f instanceof FailstopFault && f.trigger().afterCycles() > 3_000_000)
            ? new AssertionError("a failstop after 3,000,000 cycles: " + plan) : null;

    @Test
    void everyFailingPlanShrinksToTheSmallestFailingPlan() {
        FaultPlanGen gen = new FaultPlanGen(SPACE, TestSystem.booted().sites());
        int failing = 0;
        for (int k = 0; k < 60; k++) {
            FaultPlan plan = PropertyRunner.planOf(gen, 21, k);
            Throwable f = NO_LATE_FAILSTOP.failure(plan);
            if (f == null) {
                continue;
            }
            failing++;
            Fault late = plan.faults().stream().filter(x -> x instanceof FailstopFault
                    && x.trigger().afterCycles() > 3_000_000).reduce((a, b) -> b).orElseThrow();
            Shrunk<FaultPlan> s = Shrinker.shrink(gen, plan, f, NO_LATE_FAILSTOP, 1_000);
            FaultPlan smallest = FaultPlan.of(new FailstopFault(late.target(), new Trigger(3_000_001, 1, ""),
                    late.site(), null));
            assertThat(s.value()).as("try %d: %s", k, plan).isEqualTo(smallest);
            assertThat(s.budgetSpent()).isFalse();
            assertThat(s.original()).isEqualTo(plan);
            assertThat(s.steps()).isNotEmpty().last().isEqualTo(smallest);
            assertThat(gen.shrink(s.value())).as("a local minimum").allMatch(c -> NO_LATE_FAILSTOP.failure(c) == null);
            assertThat(Shrinker.shrink(gen, plan, f, NO_LATE_FAILSTOP, 1_000)).as("deterministic")
                    .usingRecursiveComparison().ignoringFields("failure").isEqualTo(s);
        }
        assertThat(failing).as("failing tries among 60").isGreaterThanOrEqualTo(5);
    }

    @Test
    void aBudgetOfRunsStopsShrinkingEarly() {
        FaultPlan plan = FaultPlan.parse("failstop hypervisor site=Scheduler.pick@entry after=5900000 nth=5");
        Gen<FaultPlan> gen = new FaultPlanGen(SPACE, TestSystem.booted().sites());
        Throwable f = NO_LATE_FAILSTOP.failure(plan);
        Shrunk<FaultPlan> full = Shrinker.shrink(gen, plan, f, NO_LATE_FAILSTOP, 1_000);
        assertThat(full.value().toText()).isEqualTo("failstop hypervisor site=Scheduler.pick@entry after=3000001 nth=1");
        Shrunk<FaultPlan> cut = Shrinker.shrink(gen, plan, f, NO_LATE_FAILSTOP, 3);
        assertThat(cut.runs()).isEqualTo(3);
        assertThat(cut.budgetSpent()).isTrue();
        assertThat(cut.steps()).isEqualTo(full.steps().subList(0, cut.steps().size()));
        assertThat(Shrinker.shrink(gen, plan, f, NO_LATE_FAILSTOP, 0).value()).isEqualTo(plan);
    }

    @Test
    void onlyAFailureOfTheSameKindCountsAsStillFailing() {
        Gen<Long> gen = Gen.longs(0, 100);
        Check<Long> check = v -> v >= 50 ? new AssertionError("too big") : v >= 10 ? new IllegalStateException() : null;
        Shrunk<Long> s = Shrinker.shrink(gen, 90L, check.failure(90L), check, 100);
        assertThat(s.value()).isEqualTo(50L);
        assertThat(s.failure()).isInstanceOf(AssertionError.class);
    }
}
