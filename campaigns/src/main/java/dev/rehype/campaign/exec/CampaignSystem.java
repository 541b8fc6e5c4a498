package dev.rehype.campaign.exec;

import dev.rehype.campaign.spec.SystemSpec;
import dev.rehype.fault.SystemUnderTest;
import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.HostBuiltSystem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The system a campaign injects into, built from its {@link SystemSpec}: Dom0 of the standard
 * system (its management loop queries, pauses and unpauses the other domains through domctl) and
 * the chosen AppVMs of the standard system, renumbered in order, peers remapped by name. Also
 * reads how every VM ended.
 */
public final class CampaignSystem {
    private CampaignSystem() {
    }

    /** The boot spec of {@code system}. */
    public static BootSpec bootSpec(SystemSpec system) throws GuestImageException {
        if (system.isIo()) {
            return IoCampaignSystem.bootSpec();
        }
        List<HostBuiltSystem.Vm> vms = vms(system);
        List<DomainSpec> specs = new ArrayList<>();
        for (HostBuiltSystem.Vm vm : vms) {
            int peer = DomainSpec.NO_PEER;
            if (vm.peer() != DomainSpec.NO_PEER) {
                String peerName = HostBuiltSystem.vms().get(vm.peer()).name();
                for (int i = 0; i < vms.size(); i++) {
                    if (vms.get(i).name().equals(peerName)) {
                        peer = i;
                    }
                }
            }
            specs.add(new DomainSpec(vm.name(), GuestImage.load(vm.image()), vm.memPages(), vm.maxPages(), 1,
                    vm.privileged(), peer, vm.role(), vm.params()));
        }
        return new BootSpec(specs);
    }

    /** Dom0 then the chosen AppVMs, in standard order. */
    static List<HostBuiltSystem.Vm> vms(SystemSpec system) {
        List<HostBuiltSystem.Vm> out = new ArrayList<>();
        for (HostBuiltSystem.Vm vm : HostBuiltSystem.vms()) {
            if (vm.privileged() || system.appvms().contains(vm.name())) {
                out.add(vm);
            }
        }
        return out;
    }

    /** The guest image of every domain of {@code system} (booted with {@code boot}) by name. */
    static Map<String, GuestImage> images(SystemSpec system, BootSpec boot) throws GuestImageException {
        return system.isIo() ? IoCampaignSystem.images() : SystemUnderTest.imagesOf(boot);
    }

    /** Every VM of {@code system} as MISSING: what a run left when the host cannot read its domains. */
    static List<VmEnd> missing(SystemSpec system) {
        if (system.isIo()) {
            return IoCampaignSystem.missing();
        }
        return vms(system).stream().map(v -> new VmEnd(v.name(), v.privileged(), VmEnd.State.MISSING, -1, "")).toList();
    }

    /** What keeps a golden run's VMs from being clean, or null when every one finished correctly. */
    static String unclean(SystemSpec system, List<VmEnd> vms) {
        if (system.isIo()) {
            return IoCampaignSystem.unclean(vms);
        }
        for (VmEnd v : vms) {
            if (v.state() != VmEnd.State.FINISHED || v.exitCode() != 0 || v.digest().isEmpty()) {
                return v.name() + " " + v.state() + " exit " + v.exitCode();
            }
        }
        return null;
    }

    /**
     * How every VM of {@code system} ended, in domid order; VMs no longer present are MISSING
     * (on the I/O system, the peer on the wire follows; see {@link IoCampaignSystem}).
     */
    public static List<VmEnd> ends(HostSystem host, SystemSpec system) {
        if (system.isIo()) {
            return IoCampaignSystem.ends(host);
        }
        List<HostBuiltSystem.Vm> vms = vms(system);
        List<DomainStatus> domains = host.domains();
        List<VmEnd> out = new ArrayList<>();
        for (int domid = 0; domid < vms.size(); domid++) {
            HostBuiltSystem.Vm vm = vms.get(domid);
            DomainStatus d = null;
            for (DomainStatus s : domains) {
                if (s.domid() == domid) {
                    d = s;
                }
            }
            if (d == null) {
                out.add(new VmEnd(vm.name(), vm.privileged(), VmEnd.State.MISSING, -1, ""));
            } else if (!d.isShutdown()) {
                out.add(new VmEnd(vm.name(), vm.privileged(), VmEnd.State.UNFINISHED, -1, d.digest()));
            } else if (d.shutdownReason() == DomainStatus.REASON_CRASH) {
                out.add(new VmEnd(vm.name(), vm.privileged(), VmEnd.State.CRASHED, d.shutdownCode(), d.digest()));
            } else {
                out.add(new VmEnd(vm.name(), vm.privileged(), VmEnd.State.FINISHED, d.shutdownCode(), d.digest()));
            }
        }
        return out;
    }
}
