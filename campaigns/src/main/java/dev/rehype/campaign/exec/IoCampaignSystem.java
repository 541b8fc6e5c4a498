package dev.rehype.campaign.exec;

import dev.rehype.campaign.spec.SystemSpec;
import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.machine.peer.NetPeer;
import dev.rehype.machine.peer.NetPeerReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Dom0-built I/O system as a campaign system ({@code system: {kind: io}}): the host builds
 * Dom0's toolstack ({@code dom0io}) alone and Dom0 builds the driver domain ({@code netdrv}) and
 * the AppVMs from boot modules ({@link StandardSystem}); the NIC's wire leads to a
 * {@link NetPeer} that answers net's echoes and plays service's clients.
 *
 * <p>How each VM ended, in domid order: a domain counts only under the domid and name Dom0 gives
 * it in the standard order (a VM Dom0 never built, or built under another name, is MISSING).
 * Dom0's digest is read from its own {@code digest=} line only: its console also carries the
 * consoles it relays ({@code dN: ...}), AppVMs' digests among them. The driver domain prints no
 * digest (it is judged by how it ended). The peer on the wire is one more entry, {@code peer}:
 * it always "finishes"; its exit code is 1 when it saw a service response that differed from its
 * clients' models, a malformed frame or a refused hello (so the outcome classifier sees wrong
 * output), and its digest is those three counts.
 */
final class IoCampaignSystem {
    /** The verdict entry of the peer on the wire. */
    static final String PEER = "peer";

    private static final Pattern OWN_DIGEST = Pattern.compile("(?m)^digest=([0-9a-f]{8})$");

    private IoCampaignSystem() {
    }

    /** Dom0 alone, with every other image as a boot module. */
    static BootSpec bootSpec() throws GuestImageException {
        return StandardSystem.bootSpec();
    }

    /** Every domain's guest image by name (Dom0 builds them, the fault injector needs their symbols). */
    static Map<String, GuestImage> images() throws GuestImageException {
        Map<String, GuestImage> images = new TreeMap<>();
        for (StandardSystem.Vm vm : StandardSystem.vms()) {
            images.put(vm.name(), GuestImage.load(vm.image()));
        }
        return images;
    }

    /** How every VM ended, in domid order, then the peer. */
    static List<VmEnd> ends(HostSystem host) {
        List<DomainStatus> domains = host.domains();
        List<VmEnd> out = new ArrayList<>();
        List<StandardSystem.Vm> vms = StandardSystem.vms();
        for (int domid = 0; domid < vms.size(); domid++) {
            StandardSystem.Vm vm = vms.get(domid);
            boolean dom0 = domid == 0;
            DomainStatus d = null;
            for (DomainStatus s : domains) {
                if (s.domid() == domid && s.name().equals(vm.name())) {
                    d = s;
                }
            }
            if (d == null) {
                out.add(new VmEnd(vm.name(), dom0, VmEnd.State.MISSING, -1, ""));
                continue;
            }
            String digest = dom0 ? ownDigest(d.console()) : d.digest();
            VmEnd.State state = !d.isShutdown() ? VmEnd.State.UNFINISHED
                    : d.shutdownReason() == DomainStatus.REASON_CRASH ? VmEnd.State.CRASHED : VmEnd.State.FINISHED;
            out.add(new VmEnd(vm.name(), dom0, state, state == VmEnd.State.UNFINISHED ? -1 : d.shutdownCode(), digest));
        }
        out.add(peer(host.peer()));
        return out;
    }

    /** Every VM and the peer as MISSING (the host could not read the system). */
    static List<VmEnd> missing() {
        List<VmEnd> out = new ArrayList<>();
        for (StandardSystem.Vm vm : StandardSystem.vms()) {
            out.add(new VmEnd(vm.name(), vm.module() == null, VmEnd.State.MISSING, -1, ""));
        }
        out.add(new VmEnd(PEER, false, VmEnd.State.MISSING, -1, ""));
        return out;
    }

    /** The peer's verdict entry: exit 1 on any mismatch, malformed frame or refused hello. */
    static VmEnd peer(NetPeer peer) {
        if (peer == null) {
            return new VmEnd(PEER, false, VmEnd.State.MISSING, -1, "");
        }
        NetPeerReport r = peer.report();
        boolean clean = r.clean();
        return new VmEnd(PEER, false, VmEnd.State.FINISHED, clean ? 0 : 1, "mismatches=" + r.mismatches()
                + ",malformed=" + r.malformed() + ",refused=" + r.refusedHellos());
    }

    /** The last line of Dom0's console that is exactly {@code digest=XXXXXXXX} (not a relayed one), or "". */
    static String ownDigest(String console) {
        Matcher m = OWN_DIGEST.matcher(console);
        String last = "";
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    /** What keeps a golden run from being clean, or null: every VM finished with code 0 and a digest (netdrv prints none), the peer clean. */
    static String unclean(List<VmEnd> vms) {
        for (VmEnd v : vms) {
            boolean needsDigest = !v.name().equals(SystemSpec.IO_DRIVER) && !v.name().equals(PEER);
            if (v.state() != VmEnd.State.FINISHED || v.exitCode() != 0 || (needsDigest && v.digest().isEmpty())) {
                return v.name() + " " + v.state() + " exit " + v.exitCode()
                        + (v.digest().isEmpty() ? "" : " digest " + v.digest());
            }
        }
        return null;
    }
}
