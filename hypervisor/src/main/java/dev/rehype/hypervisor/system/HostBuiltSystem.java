package dev.rehype.hypervisor.system;

import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.machine.peer.NetPeer;

import java.util.ArrayList;
import java.util.List;

/**
 * The system without the I/O path, where the host builds every domain itself: a privileged Dom0
 * running the management loop ({@code dom0}: it lists, pauses and unpauses the others) and the
 * AppVMs compute, the hypercall pair (hc-ping, hc-pong) and mem on two physical CPUs. It was the
 * standard system before Dom0 built the system ({@link StandardSystem}); it stays for what needs
 * a small system with no driver domain and no network — the recovery scenarios whose failure
 * points were chosen on it. Expected digests as in {@link Digests}, the same for every seed.
 */
public final class HostBuiltSystem {
    /**
     * One VM: the host builds it from {@code image} with these pages, peer and role. Parameters 0
     * mean the workload's defaults, for which the workloads check their results against constants
     * computed natively (guests/README.md).
     */
    public record Vm(String name, String image, int memPages, int maxPages, boolean privileged, int peer, int role,
                     int[] params, String expectedDigest) {
    }

    private HostBuiltSystem() {
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

    /** The boot spec: every domain built by the host (images loaded from the class path). */
    public static BootSpec bootSpec() throws GuestImageException {
        List<DomainSpec> specs = new ArrayList<>();
        for (Vm vm : vms()) {
            specs.add(new DomainSpec(vm.name(), GuestImage.load(vm.image()), vm.memPages(), vm.maxPages(), 1,
                    vm.privileged(), vm.peer(), vm.role(), vm.params()));
        }
        return new BootSpec(specs);
    }

    /** Boots the system on a machine shaped by {@code config}, runs it to the end (or the limit), reports. */
    public static RunReport run(SystemConfig config, long maxCycles) throws GuestImageException {
        try (HostSystem system = new HostSystem(config)) {
            system.boot(bootSpec());
            boolean finished = system.runUntilShutdown(maxCycles, d -> true);
            return report(config.seed(), system, finished);
        }
    }

    /** Judges every VM of a system that ran this spec (domid i is VM i). */
    public static RunReport report(long seed, HostSystem system, boolean finished) {
        List<Vm> vms = vms();
        List<VmResult> results = new ArrayList<>();
        for (DomainStatus d : system.domains()) {
            Vm vm = d.domid() < vms.size() ? vms.get(d.domid()) : null;
            String expected = vm == null ? null : vm.expectedDigest();
            results.add(new VmResult(d.domid(), d.name(), StandardSystem.verdict(d, expected, true), d.digest(),
                    expected, d.instructions(), d.state(), d.shutdownCode(), null));
        }
        NetPeer peer = system.peer();
        return new RunReport(seed, results, peer == null ? null : peer.report(), system.stateHash(),
                system.machine().nowCycles(), finished);
    }
}
