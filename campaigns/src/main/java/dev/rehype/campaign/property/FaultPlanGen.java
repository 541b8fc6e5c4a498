package dev.rehype.campaign.property;

import dev.rehype.fault.FailstopFault;
import dev.rehype.fault.Fault;
import dev.rehype.fault.FaultPlan;
import dev.rehype.fault.HangFault;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fault plans of a {@link PlanSpace} for one campaign system: {@code 1..maxFaults} faults, each
 * resolved (every site, bit and trigger named, so a plan's text form replays it), every site one
 * the campaign system has. The injector runs at most one failstop or hang in the hypervisor per
 * plan, so a drawn plan keeps only the first. Plans shrink as fault lists do (fewer faults first,
 * then each fault simpler, see {@link FaultGen}), never into a plan the injector refuses.
 */
public final class FaultPlanGen implements Gen<FaultPlan> {
    private final Gen<List<Fault>> faults;

    /** Plans of {@code space} on the sites of {@code sites}. */
    public FaultPlanGen(PlanSpace space, PlanSites sites) {
        this.faults = Gen.lists(new FaultGen(space, sites), 1, space.maxFaults());
    }

    @Override
    public FaultPlan generate(SplittableRandom random) {
        List<Fault> drawn = faults.generate(random);
        List<Fault> kept = new ArrayList<>();
        for (Fault f : drawn) {
            if (!isHypervisorPoint(f) || kept.stream().noneMatch(FaultPlanGen::isHypervisorPoint)) {
                kept.add(f);
            }
        }
        return new FaultPlan(kept);
    }

    @Override
    public List<FaultPlan> shrink(FaultPlan plan) {
        List<FaultPlan> out = new ArrayList<>();
        for (List<Fault> candidate : faults.shrink(plan.faults())) {
            if (candidate.stream().filter(FaultPlanGen::isHypervisorPoint).count() <= 1) {
                out.add(new FaultPlan(candidate));
            }
        }
        return out;
    }

    /** A failstop or hang in the hypervisor (the injector arms at most one per plan). */
    static boolean isHypervisorPoint(Fault f) {
        return f.target().isHypervisor() && (f instanceof FailstopFault || f instanceof HangFault);
    }
}
