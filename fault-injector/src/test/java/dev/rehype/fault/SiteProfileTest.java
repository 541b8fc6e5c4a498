package dev.rehype.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;
import org.junit.jupiter.api.Test;

/** A profile of the fault-free run lets the seed place code faults where hypervisor code runs. */
class SiteProfileTest {

    @Test
    void theProfileSeesTheHypercallPathAndNotTheRepairStepsAndPlacesCodeFaultsThatFire() throws Exception {
        SiteProfile profile = SiteProfile.measure(SystemUnderTest.standard(1), 30_000_000);
        SiteCatalog c = SiteCatalog.core();
        assertThat(profile.count(c.byKey("Hypervisor.hypercall@3").orElseThrow().id())).isPositive();
        assertThat(c.sites().stream().filter(s -> s.className().endsWith(".RepairGrants")).noneMatch(profile::executed))
                .isTrue();
        assertThat(profile.executedMutableSites()).isNotEmpty().allMatch(Site::mutable);

        InjectionResult r = InjectionRun.execute(SystemUnderTest.standard(1), FaultPlan.parse("code hypervisor after=0 nth=1"),
                4, InjectionScenarioTest.LIMITS, profile);
        Site chosen = c.byKey(r.plan().faults().get(0).site()).orElseThrow();
        assertThat(profile.executed(chosen)).isTrue();
        assertThat(r.activations().get(0).activated()).as("a mutant of code that runs, armed from the start").isTrue();
    }
}
