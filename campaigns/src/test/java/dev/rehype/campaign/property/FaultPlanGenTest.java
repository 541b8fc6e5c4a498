package dev.rehype.campaign.property;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.campaign.spec.FaultType;
import dev.rehype.campaign.spec.TriggerWindow;
import dev.rehype.fault.CodeFault;
import dev.rehype.fault.FailstopFault;
import dev.rehype.fault.Fault;
import dev.rehype.fault.FaultPlan;
import dev.rehype.fault.HangFault;
import dev.rehype.fault.RegisterFault;
import dev.rehype.fault.Target;
import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Fault plans drawn on the host-built campaign system: the same seed draws the same plans; every
 * plan is resolved, valid on the system (its sites among those the fault-free run executed) and
 * comes back from its own text form; shrink candidates are valid plans too.
 */
class FaultPlanGenTest {
    static final PlanSpace SPACE = new PlanSpace(List.of(FaultType.values()), List.of(Target.HYPERVISOR,
            Target.DOM0, Target.appVm("compute"), Target.appVm("mem")), new TriggerWindow(100_000, 6_000_000), 3, 5);

    static List<FaultPlan> plans(Gen<FaultPlan> gen, long seed, int tries) {
        List<FaultPlan> out = new ArrayList<>();
        for (int k = 0; k < tries; k++) {
            out.add(PropertyRunner.planOf(gen, seed, k));
        }
        return out;
    }

    @Test
    void theSameSeedDrawsTheSamePlans() {
        PlanSites sites = TestSystem.booted().sites();
        List<FaultPlan> a = plans(new FaultPlanGen(SPACE, sites), 5, 50);
        assertThat(plans(new FaultPlanGen(SPACE, sites), 5, 50)).isEqualTo(a);
        assertThat(plans(new FaultPlanGen(SPACE, sites), 6, 50)).isNotEqualTo(a);
        assertThat(PropertyRunner.planOf(new FaultPlanGen(SPACE, sites), 5, 17)).isEqualTo(a.get(17));
    }

    @Test
    void everyPlanIsResolvedValidOnTheSystemAndComesBackFromItsText() {
        PlanSites sites = TestSystem.booted().sites();
        Set<String> executedMethods = new TreeSet<>();
        sites.valueSites().forEach(s -> executedMethods.add(s.simpleClassName() + "." + s.methodName()));
        sites.mutableSites().forEach(s -> executedMethods.add(s.simpleClassName() + "." + s.methodName()));
        Set<FaultType> types = EnumSet.noneOf(FaultType.class);
        Set<String> targets = new TreeSet<>();
        for (FaultPlan plan : plans(new FaultPlanGen(SPACE, sites), 11, 200)) {
            assertThat(plan.resolved()).as(plan.toText()).isTrue();
            assertThat(FaultPlan.parse(plan.toText())).as(plan.toText()).isEqualTo(plan);
            assertThat(sites.resolve(plan, 99)).as("resolving names nothing new: %s", plan).isEqualTo(plan);
            assertThat(plan.faults()).hasSizeBetween(1, 3);
            assertThat(plan.faults().stream().filter(FaultPlanGen::isHypervisorPoint).count()).isLessThanOrEqualTo(1);
            for (Fault f : plan.faults()) {
                types.add(FaultType.byLabel(f.type()));
                targets.add(f.target().toString());
                assertThat(f.trigger().afterCycles()).isBetween(100_000L, 5_999_999L);
                assertThat(f.trigger().nth()).isBetween(1L, 5L);
                if (f.target().isHypervisor()) {
                    switch (f) {
                        case RegisterFault r -> {
                            Site s = SiteCatalog.core().byKey(r.site()).orElseThrow();
                            assertThat(sites.valueSites()).contains(s);
                            assertThat(r.bit()).isBetween(0, s.valueBits() - 1);
                        }
                        case CodeFault c -> assertThat(sites.mutableSites())
                                .contains(SiteCatalog.core().byKey(c.site()).orElseThrow());
                        case FailstopFault x -> assertThat(executedMethods).contains(entryMethod(x.site()));
                        case HangFault x -> assertThat(executedMethods).contains(entryMethod(x.site()));
                        default -> assertThat(f.site()).startsWith("region:");
                    }
                }
            }
        }
        assertThat(types).containsExactlyInAnyOrder(FaultType.values());
        assertThat(targets).containsExactlyInAnyOrder("hypervisor", "dom0", "appvm:compute", "appvm:mem");
    }

    private static String entryMethod(String site) {
        assertThat(site).endsWith("@entry");
        return site.substring(0, site.indexOf('@'));
    }

    @Test
    void sitesOfOverloadedMethodsAreDrawnAndComeBackFromTheirText() {
        PlanSites sites = TestSystem.booted().sites();
        List<Site> overloaded = new ArrayList<>(); // keys with the descriptor, some with ";" inside
        sites.valueSites().stream().filter(s -> s.key().contains("(")).forEach(overloaded::add);
        sites.mutableSites().stream().filter(s -> s.key().contains("(")).forEach(overloaded::add);
        assertThat(overloaded).as("executed sites of overloaded methods").isNotEmpty().anyMatch(s -> s.key().contains(";"));
        System.out.printf("%d of %d executed value sites and %d of %d executed mutable sites are in overloaded methods%n",
                sites.valueSites().stream().filter(s -> s.key().contains("(")).count(), sites.valueSites().size(),
                sites.mutableSites().stream().filter(s -> s.key().contains("(")).count(), sites.mutableSites().size());
        for (Site s : overloaded) {
            String text = (s.producesValue() ? "register hypervisor site=" + s.key() + " bit=0"
                    : "code hypervisor site=" + s.key()) + " after=100000 nth=1; memory appvm:mem site=data:*";
            FaultPlan plan = sites.resolve(FaultPlan.parse(text), 1);
            assertThat(FaultPlan.parse(plan.toText())).as(plan.toText()).isEqualTo(plan);
            assertThat(plan.faults().get(0).site()).isEqualTo(s.key());
        }
        PlanSpace hypervisorSites = new PlanSpace(List.of(FaultType.REGISTER, FaultType.CODE), List.of(Target.HYPERVISOR),
                SPACE.window(), 3, 5);
        assertThat(plans(new FaultPlanGen(hypervisorSites, sites), 2, 100)).as("drawn plans name them too")
                .anyMatch(p -> p.toText().contains("("))
                .allMatch(p -> FaultPlan.parse(p.toText()).equals(p));
    }

    @Test
    void shrinkCandidatesAreValidPlansNoLargerThanTheirSource() {
        PlanSites sites = TestSystem.booted().sites();
        FaultPlanGen gen = new FaultPlanGen(SPACE, sites);
        for (FaultPlan plan : plans(gen, 13, 20)) {
            List<FaultPlan> candidates = gen.shrink(plan);
            assertThat(candidates).as("a drawn plan can be simplified: %s", plan).isNotEmpty();
            assertThat(gen.shrink(plan)).isEqualTo(candidates);
            for (FaultPlan c : candidates) {
                assertThat(c).isNotEqualTo(plan);
                assertThat(c.faults().size()).isLessThanOrEqualTo(plan.faults().size());
                assertThat(FaultPlan.parse(c.toText())).isEqualTo(c);
                assertThat(sites.resolve(c, 3)).isEqualTo(c);
                assertThat(c.faults().stream().filter(FaultPlanGen::isHypervisorPoint).count()).isLessThanOrEqualTo(1);
            }
        }
    }
}
