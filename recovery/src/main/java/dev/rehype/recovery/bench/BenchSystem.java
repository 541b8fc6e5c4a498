package dev.rehype.recovery.bench;

import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.system.HostBuiltSystem;
import dev.rehype.hypervisor.system.SystemConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * A system the recovery bench fails again and again: its name, how many AppVMs it runs and with
 * how much memory each, the machine it needs (memory sized to fit the domains, their P2M tables
 * and their balloon headroom) and its boot spec. Two shapes: the host-built system (Dom0 and its
 * four AppVMs) with every AppVM given the same amount of RAM, and Dom0 with a number of compute
 * AppVMs (the large-memory configuration).
 */
public record BenchSystem(String name, int appVms, int mibPerVm, SystemConfig config, BootSpec spec) {
    /** Pages in one MiB. */
    public static final int PAGES_PER_MIB = 256;
    /** Machine memory beyond the domains' own: Dom0, P2M tables, grant and balloon headroom. */
    static final long SPARE_MACHINE_BYTES = 48L << 20;

    /** The standard system with every AppVM given {@code mibPerVm} MiB (their balloon headroom kept). */
    public static BenchSystem standard(int mibPerVm, long seed) throws GuestImageException {
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
        return new BenchSystem("standard", appVms, mibPerVm, configFor(seed, appBytes), new BootSpec(specs));
    }

    /** Dom0 (idle management loop) and {@code appVms} compute AppVMs of {@code mibPerVm} MiB each. */
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
        return new BenchSystem("compute", appVms, mibPerVm, configFor(seed, (long) appVms * pages * 4096),
                new BootSpec(specs));
    }

    private static SystemConfig configFor(long seed, long appBytes) {
        SystemConfig defaults = SystemConfig.defaults(seed);
        long tables = (appBytes / 1024 + (1 << 20) - 1) & -(1L << 20);
        return new SystemConfig(defaults.cpus(), seed, appBytes + tables + SPARE_MACHINE_BYTES, defaults.maxDomains(),
                defaults.maxVcpus());
    }

    /** "standard, 4 AppVMs x 64 MiB". */
    public String describe() {
        return name + ", " + appVms + " AppVMs x " + mibPerVm + " MiB";
    }
}
