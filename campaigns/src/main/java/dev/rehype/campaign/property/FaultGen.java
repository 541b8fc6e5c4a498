package dev.rehype.campaign.property;

import dev.rehype.campaign.spec.FaultType;
import dev.rehype.fault.CodeFault;
import dev.rehype.fault.FailstopFault;
import dev.rehype.fault.Fault;
import dev.rehype.fault.FaultPlan;
import dev.rehype.fault.HangFault;
import dev.rehype.fault.MemoryFault;
import dev.rehype.fault.RegisterFault;
import dev.rehype.fault.Target;
import dev.rehype.fault.Trigger;
import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One resolved fault of a {@link PlanSpace}: its target and type drawn uniformly, its trigger
 * time in the window, its {@code nth} in {@code 1..maxNth}; a hypervisor register fault gets a
 * value-producing site the fault-free run executed and a bit within that value's width; every
 * other site and bit is chosen by the campaign's resolver from a seed drawn here ({@link PlanSites}).
 *
 * <p>Simpler faults, in the order they are proposed: an earlier {@code after} (toward the window's
 * start); a smaller {@code nth} (toward 1); a lower bit (toward 0); the same fault as a failstop
 * (in the hypervisor at the entry of the method its site is in; in a guest, a kernel crash); for a
 * hypervisor register or code fault, the first instruction of the same kind in the same method.
 * Every proposal is checked by the resolver; one naming nothing is left out.
 */
final class FaultGen implements Gen<Fault> {
    /** Bit numbers, shrinking toward 0 (a fault without a bit, -1, has nothing to shrink). */
    private static final Gen<Long> BITS = Gen.longs(0, 64);

    private final PlanSpace space;
    private final PlanSites sites;
    private final Gen<Target> targets;
    private final Gen<FaultType> types;
    private final Gen<Long> afters;
    private final Gen<Long> nths;
    private final Gen<Site> valueSites;

    FaultGen(PlanSpace space, PlanSites sites) {
        this.space = space;
        this.sites = sites;
        this.targets = Gen.oneOf(space.targets());
        this.types = Gen.oneOf(space.types());
        this.afters = Gen.longs(space.window().fromCycles(), space.window().toCycles());
        this.nths = Gen.longs(1, space.maxNth() + 1);
        this.valueSites = Gen.oneOf(sites.valueSites());
    }

    @Override
    public Fault generate(SplittableRandom random) {
        Target target = targets.generate(random);
        FaultType type = types.generate(random);
        Trigger trigger = new Trigger(afters.generate(random), nths.generate(random), "");
        Fault open = switch (type) {
            case REGISTER -> {
                if (!target.isHypervisor()) {
                    yield new RegisterFault(target, trigger, "", -1, null);
                }
                Site site = valueSites.generate(random);
                yield new RegisterFault(target, trigger, site.key(), random.nextInt(site.valueBits()), null);
            }
            case CODE -> new CodeFault(target, trigger, "", -1, null);
            case FAILSTOP -> new FailstopFault(target, trigger, "", null);
            case HANG -> new HangFault(target, trigger, "", null);
            case MEMORY -> new MemoryFault(target, trigger, "", -1, null);
        };
        return sites.resolve(FaultPlan.of(open), random.nextLong()).faults().get(0);
    }

    @Override
    public List<Fault> shrink(Fault fault) {
        List<Fault> candidates = new ArrayList<>();
        Trigger t = fault.trigger();
        for (long after : afters.shrink(t.afterCycles())) {
            candidates.add(fault.with(fault.site(), fault.bit(), new Trigger(after, t.nth(), t.inside())));
        }
        for (long nth : nths.shrink(t.nth())) {
            candidates.add(fault.with(fault.site(), fault.bit(), new Trigger(t.afterCycles(), nth, t.inside())));
        }
        for (long bit : BITS.shrink((long) fault.bit())) {
            candidates.add(fault.with(fault.site(), (int) bit, t));
        }
        asFailstop(fault).ifPresent(candidates::add);
        firstSiteOfItsMethod(fault).ifPresent(candidates::add);
        List<Fault> out = new ArrayList<>();
        for (Fault c : candidates) {
            if (!c.equals(fault) && !out.contains(c) && sites.checked(FaultPlan.of(c)).isPresent()) {
                out.add(c);
            }
        }
        return out;
    }

    /** The fault as a failstop at the same moment: at its method's entry in the hypervisor, a kernel crash in a guest. */
    private static Optional<Fault> asFailstop(Fault fault) {
        if (fault instanceof FailstopFault) {
            return Optional.empty();
        }
        if (!fault.target().isHypervisor()) {
            return Optional.of(new FailstopFault(fault.target(), fault.trigger(), "kernel", null));
        }
        return switch (fault) {
            case HangFault h -> Optional.of(new FailstopFault(h.target(), h.trigger(), h.site(), null));
            case RegisterFault r -> SiteCatalog.core().byKey(r.site()).map(s -> entryFailstop(r, s));
            case CodeFault c -> SiteCatalog.core().byKey(c.site()).map(s -> entryFailstop(c, s));
            default -> Optional.empty();
        };
    }

    private static Fault entryFailstop(Fault fault, Site site) {
        return new FailstopFault(fault.target(), fault.trigger(), site.simpleClassName() + "." + site.methodName()
                + "@entry", null);
    }

    /** A hypervisor register or code fault moved to the first executed instruction of its kind in the same method. */
    private Optional<Fault> firstSiteOfItsMethod(Fault fault) {
        if (!fault.target().isHypervisor()) {
            return Optional.empty();
        }
        List<Site> kind = switch (fault) {
            case RegisterFault r -> sites.valueSites();
            case CodeFault c -> sites.mutableSites();
            default -> List.of();
        };
        Optional<Site> at = SiteCatalog.core().byKey(fault.site());
        if (at.isEmpty()) {
            return Optional.empty();
        }
        for (Site s : kind) {
            if (s.className().equals(at.get().className()) && s.methodName().equals(at.get().methodName())
                    && s.methodDescriptor().equals(at.get().methodDescriptor())) {
                boolean bitFits = fault.bit() < 0 || fault.bit() < s.valueBits();
                return s.id() == at.get().id() || !bitFits ? Optional.empty()
                        : Optional.of(fault.with(s.key(), fault.bit(), fault.trigger()));
            }
        }
        return Optional.empty();
    }
}
