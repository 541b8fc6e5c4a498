package dev.rehype.hypervisor.system;

import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * The standard system of the toolkit: a privileged Dom0 running the management loop and the
 * AppVMs (compute, the hypercall pair, mem) on two physical CPUs. Each AppVM checks its own
 * results and prints a digest that depends on its work only, never on timing; the expected
 * digests below are those of correct runs, so any seed must reproduce them.
 */
public final class StandardSystem {
    /** Default limit of a run in virtual cycles (10 virtual seconds at 1 GHz). */
    public static final long DEFAULT_MAX_CYCLES = 10_000_000_000L;

    /**
     * One VM of the standard system. Parameters 0 mean the workload's defaults, for which the
     * workloads check their results against constants computed natively (guests/README.md).
     */
    public record Vm(String name, String image, int memPages, int maxPages, boolean privileged, int peer, int role,
                     int[] params, String expectedDigest) {
    }

    private StandardSystem() {
    }

    public static List<Vm> vms() {
        int none = DomainSpec.NO_PEER;
        return List.of(
                new Vm("dom0", "workloads/dom0.elf", 128, 128, true, none, 0, new int[] {0, 50, 1}, Digests.DOM0),
                new Vm("compute", "workloads/compute.elf", 256, 256, false, none, 0, new int[0], Digests.COMPUTE),
                new Vm("hc-ping", "workloads/hypercall.elf", 128, 160, false, 3, 0, new int[0], Digests.HYPERCALL),
                new Vm("hc-pong", "workloads/hypercall.elf", 128, 160, false, 2, 1, new int[0], Digests.HYPERCALL),
                new Vm("mem", "workloads/mem.elf", 64, 128, false, none, 0, new int[0], Digests.MEM));
    }

    /** The boot spec of the standard system (images loaded from the class path). */
    public static BootSpec bootSpec() throws GuestImageException {
        List<DomainSpec> specs = new ArrayList<>();
        for (Vm vm : vms()) {
            specs.add(new DomainSpec(vm.name(), GuestImage.load(vm.image()), vm.memPages(), vm.maxPages(), 1,
                    vm.privileged(), vm.peer(), vm.role(), vm.params()));
        }
        return new BootSpec(specs);
    }

    /** Boots the standard system with {@code seed}, runs it to the end (or the limit), reports. */
    public static RunReport run(long seed, long maxCycles) throws GuestImageException {
        return run(SystemConfig.defaults(seed), maxCycles);
    }

    /** Boots the standard system on a machine shaped by {@code config}, runs it, reports. */
    public static RunReport run(SystemConfig config, long maxCycles) throws GuestImageException {
        long seed = config.seed();
        try (HostSystem system = new HostSystem(config)) {
            system.boot(bootSpec());
            boolean finished = system.runUntilShutdown(maxCycles, d -> true);
            return report(seed, system, finished);
        }
    }

    /** Judges every VM of a system that ran the standard spec. */
    public static RunReport report(long seed, HostSystem system, boolean finished) {
        List<Vm> vms = vms();
        List<VmResult> results = new ArrayList<>();
        for (DomainStatus d : system.domains()) {
            Vm vm = d.domid() < vms.size() ? vms.get(d.domid()) : null;
            String expected = vm == null ? null : vm.expectedDigest();
            results.add(new VmResult(d.domid(), d.name(), verdict(d, expected), d.digest(), expected,
                    d.instructions(), d.state(), d.shutdownCode()));
        }
        return new RunReport(seed, results, system.stateHash(), system.machine().nowCycles(), finished);
    }

    static String verdict(DomainStatus d, String expected) {
        if (!d.isShutdown()) {
            return "unfinished";
        }
        if (d.shutdownReason() == DomainStatus.REASON_CRASH) {
            return "crashed";
        }
        if (d.shutdownCode() != 0) {
            return "failed (code " + d.shutdownCode() + ")";
        }
        if (d.digest() == null) {
            return "no digest";
        }
        if (expected != null && !expected.equals(d.digest())) {
            return "wrong digest";
        }
        return VmResult.CORRECT;
    }
}
