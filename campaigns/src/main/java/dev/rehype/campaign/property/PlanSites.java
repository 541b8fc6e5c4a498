package dev.rehype.campaign.property;

import dev.rehype.fault.FaultPlan;
import dev.rehype.fault.FaultPlanException;
import dev.rehype.fault.PlanResolver;
import dev.rehype.fault.SiteProfile;
import dev.rehype.fault.hv.Site;

import java.util.List;
import java.util.Optional;

/**
 * Where generated faults may go in one campaign system, and the campaign's own way of choosing
 * and checking sites. Hypervisor register and code faults go to instructions the fault-free run
 * executed ({@link SiteProfile}: value-producing ones for register faults, mutable ones for code
 * faults); everything else — failstop and hang points (method entries the run executed), memory
 * places, guest registers, code words and data words — is chosen by the campaign's
 * {@link PlanResolver}, exactly as campaign runs choose it.
 */
public final class PlanSites {
    private final List<Site> valueSites;
    private final List<Site> mutableSites;
    private final PlanResolver resolver;

    /** The sites {@code profile} saw executed, resolved and checked with {@code resolver}. */
    public PlanSites(SiteProfile profile, PlanResolver resolver) {
        this.valueSites = profile.executedSites().stream().filter(Site::producesValue).toList();
        this.mutableSites = profile.executedMutableSites();
        this.resolver = resolver;
        if (valueSites.isEmpty() || mutableSites.isEmpty()) {
            throw new IllegalStateException("the fault-free run executed no hypervisor site to place faults on");
        }
    }

    /** The value-producing hypervisor instructions the fault-free run executed, in catalog order. */
    public List<Site> valueSites() {
        return valueSites;
    }

    /** The mutable hypervisor instructions the fault-free run executed, in catalog order. */
    public List<Site> mutableSites() {
        return mutableSites;
    }

    /** {@code plan} with what it leaves open chosen from {@code seed} as a campaign run chooses it. */
    public FaultPlan resolve(FaultPlan plan, long seed) {
        return resolver.resolve(plan, seed);
    }

    /** {@code plan} when every site it names exists in this system (a resolved plan resolves to itself), else empty. */
    public Optional<FaultPlan> checked(FaultPlan plan) {
        try {
            return Optional.of(resolver.resolve(plan, 0));
        } catch (FaultPlanException e) {
            return Optional.empty();
        }
    }
}
