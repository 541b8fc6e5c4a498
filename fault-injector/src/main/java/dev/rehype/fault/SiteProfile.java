package dev.rehype.fault;

import dev.rehype.fault.hv.FaultRuntime;
import dev.rehype.fault.hv.FaultTransformer;
import dev.rehype.fault.hv.HypervisorGate;
import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.system.HostSystem;

import java.util.List;

/**
 * Which hypervisor instructions a fault-free run of a system executes, and how often: measured
 * once (a campaign's golden run) with an image that counts every site, so that plans can place
 * code faults and failstops where code runs instead of anywhere in the core. Only executions
 * inside hypervisor entries count (as only they can fire a fault). Counting changes nothing in
 * the simulation.
 */
public final class SiteProfile {
    private final SiteCatalog catalog;
    private final long[] counts;

    private SiteProfile(SiteCatalog catalog, long[] counts) {
        this.catalog = catalog;
        this.counts = counts;
    }

    /** Runs {@code sut} without faults for at most {@code maxCycles} (or until its awaited domains end), counting. */
    public static SiteProfile measure(SystemUnderTest sut, long maxCycles) {
        SiteCatalog catalog = SiteCatalog.core();
        FaultRuntime runtime = FaultRuntime.install(catalog);
        runtime.countSites();
        HypervisorImage image = HypervisorImage.transformed(FaultTransformer.countingEverySite(catalog));
        try (HostSystem system = sut.snapshot() != null ? HostSystem.restore(sut.snapshot(), image)
                : new HostSystem(sut.config(), image)) {
            if (sut.boot() != null) {
                system.boot(sut.boot());
            }
            system.machine().setHypervisor(new HypervisorGate(system.hypervisor(), List.of(runtime)));
            system.runUntilShutdown(maxCycles, d -> sut.waitFor().test(d));
            return new SiteProfile(catalog, runtime.siteCounts());
        } finally {
            FaultRuntime.clear();
        }
    }

    /** Executions of site {@code id} in the profiled run. */
    public long count(int id) {
        return counts[id];
    }

    public boolean executed(Site site) {
        return counts[site.id()] > 0;
    }

    /** The mutable sites that ran. */
    public List<Site> executedMutableSites() {
        List<Site> m = executedMutable;
        if (m == null) {
            m = catalog.mutableSites().stream().filter(this::executed).toList();
            executedMutable = m;
        }
        return m;
    }

    /** The sites that ran, in catalog order. */
    public List<Site> executedSites() {
        List<Site> e = executed;
        if (e == null) {
            e = catalog.sites().stream().filter(this::executed).toList();
            executed = e;
        }
        return e;
    }

    /**
     * The methods of the catalog with an executed site, as {@code binaryClass#method}, in site
     * order (what failstops and hangs at an entry are drawn from); computed once.
     */
    public List<String> executedMethods() {
        List<String> m = executedMethods;
        if (m == null) {
            java.util.Set<String> known = new java.util.HashSet<>(catalog.methods());
            m = executedSites().stream().map(s -> s.className() + "#" + s.methodName()).distinct()
                    .filter(known::contains).toList();
            executedMethods = m;
        }
        return m;
    }

    /** Lazily computed, immutable once set (a racing second computation gives an equal list). */
    private volatile List<Site> executed;
    private volatile List<String> executedMethods;
    private volatile List<Site> executedMutable;
}
