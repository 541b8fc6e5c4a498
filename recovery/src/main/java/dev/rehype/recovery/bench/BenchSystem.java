package dev.rehype.recovery.bench;

import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.system.HostBuiltSystem;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * A system the recovery bench fails again and again: its name, how many AppVMs it runs and with
 * how much memory each (0 when Dom0's toolstack sizes them from its boot modules), the machine it
 * needs, its boot spec, and whether Dom0 builds the other domains. Three shapes: the standard
 * system as the toolkit defines it ({@link StandardSystem}: the host builds Dom0 only, Dom0 builds
 * the driver domain and six AppVMs from boot modules, a NetPeer on the wire), with the AppVMs as
 * their modules size them or with N MiB each (the host tells Dom0 the size through its
 * start_info, {@link StandardSystem#bootSpec(int)}); the host-built system (Dom0 and its four
 * AppVMs built by the host) with every AppVM given the same amount of RAM; and Dom0 with a number
 * of host-built compute AppVMs (the large-memory configuration).
 */
public record BenchSystem(String name, int appVms, int mibPerVm, SystemConfig config, BootSpec spec,
                          boolean dom0Built) {
    /** Pages in one MiB. */
    public static final int PAGES_PER_MIB = StandardSystem.PAGES_PER_MIB;
    /** Machine memory beyond the domains' own: Dom0, P2M tables, grant and balloon headroom. */
    static final long SPARE_MACHINE_BYTES = 48L << 20;
    /** VMs of the standard system before its AppVMs: Dom0 and the driver domain. */
    static final int STANDARD_NON_APPVMS = 2;

    /** The standard system as the toolkit defines it: Dom0 builds netdrv and the AppVMs, sized by their modules. */
    public static BenchSystem dom0Built(long seed) throws GuestImageException {
        return dom0Built(0, seed);
    }

    /**
     * The standard system with every AppVM given {@code mibPerVm} MiB by Dom0 (0: as their modules
     * size them), on the machine {@link StandardSystem#config(long, int)} grows for it.
     */
    public static BenchSystem dom0Built(int mibPerVm, long seed) throws GuestImageException {
        return new BenchSystem("standard (Dom0-built)", StandardSystem.APPVMS, mibPerVm,
                StandardSystem.config(seed, mibPerVm), StandardSystem.bootSpec(mibPerVm), true);
    }

    /** The host-built system with every AppVM given {@code mibPerVm} MiB (their balloon headroom kept). */
    public static BenchSystem hostBuilt(int mibPerVm, long seed) throws GuestImageException {
        List<DomainSpec> specs = new ArrayList<>();
        int appVms = 0;
        long appBytes = 0;
        for (HostBuiltSystem.Vm vm : HostBuiltSystem.vms()) {
            int pages = vm.privileged() ? vm.memPages() : mibPerVm * PAGES_PER_MIB;
            int max = pages + (vm.maxPages() - vm.memPages());
            if (!vm.privileged()) {
                appVms++;
                appBytes += (long) max * 4096;
            }
            specs.add(new DomainSpec(vm.name(), GuestImage.load(vm.image()), pages, max, 1, vm.privileged(),
                    vm.peer(), vm.role(), vm.params()));
        }
        return new BenchSystem("host-built", appVms, mibPerVm, configFor(seed, appBytes), new BootSpec(specs), false);
    }

    /** Dom0 (idle management loop) and {@code appVms} compute AppVMs of {@code mibPerVm} MiB each, host-built. */
    public static BenchSystem computeVms(int appVms, int mibPerVm, long seed) throws GuestImageException {
        List<DomainSpec> specs = new ArrayList<>();
        HostBuiltSystem.Vm dom0 = HostBuiltSystem.vms().get(0);
        specs.add(new DomainSpec(dom0.name(), GuestImage.load(dom0.image()), dom0.memPages(), dom0.maxPages(), 1,
                true, DomainSpec.NO_PEER, 0, dom0.params()));
        GuestImage compute = GuestImage.load("workloads/compute.elf");
        int pages = mibPerVm * PAGES_PER_MIB;
        for (int i = 0; i < appVms; i++) {
            specs.add(new DomainSpec("compute-" + i, compute, pages, pages, 1, false, DomainSpec.NO_PEER, 0, new int[0]));
        }
        return new BenchSystem("host-built compute", appVms, mibPerVm, configFor(seed, (long) appVms * pages * 4096),
                new BootSpec(specs), false);
    }

    private static SystemConfig configFor(long seed, long appBytes) {
        SystemConfig defaults = SystemConfig.defaults(seed);
        long tables = (appBytes / 1024 + (1 << 20) - 1) & -(1L << 20);
        return new SystemConfig(defaults.cpus(), seed, appBytes + tables + SPARE_MACHINE_BYTES, defaults.maxDomains(),
                defaults.maxVcpus());
    }

    /** Every domain the system runs once built (Dom0 included). */
    public int domains() {
        return dom0Built ? StandardSystem.vms().size() : spec.domains().size();
    }

    /** "host-built, 4 AppVMs x 64 MiB"; "standard (Dom0-built), 6 AppVMs as Dom0 sizes them". */
    public String describe() {
        return name + ", " + appVms + " AppVMs " + (mibPerVm == 0 ? "as Dom0 sizes them" : "x " + mibPerVm + " MiB");
    }
}
