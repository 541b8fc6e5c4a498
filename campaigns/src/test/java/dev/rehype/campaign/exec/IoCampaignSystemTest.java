package dev.rehype.campaign.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.machine.peer.NetPeer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * The I/O campaign system's verdict rules without running it: Dom0's digest is its own line, never
 * one it relayed; the peer's entry turns a malformed frame into exit code 1 and names its counts;
 * a golden run is clean without a digest from netdrv or the peer, never without one from an AppVM.
 */
class IoCampaignSystemTest {

    @Test
    void dom0sDigestIsItsOwnLineNotARelayedOne() {
        String console = "dom0io: building 7 domains\nd4: digest=855f6da0\ndigest=53edda4c\nd7: digest=2a3c68cd\n";
        assertThat(IoCampaignSystem.ownDigest(console)).isEqualTo("53edda4c");
        assertThat(IoCampaignSystem.ownDigest("dom0io: building\nd4: digest=855f6da0\n")).isEmpty();
        assertThat(IoCampaignSystem.ownDigest("digest=53edda4c-and-more\n")).isEmpty();
    }

    @Test
    void thePeerIsWrongAfterAMalformedFrame() {
        NetPeer peer = new NetPeer(1);
        assertThat(IoCampaignSystem.peer(peer))
                .isEqualTo(new VmEnd("peer", false, VmEnd.State.FINISHED, 0, "mismatches=0,malformed=0,refused=0"));
        peer.receive(new byte[] {1, 2, 3}, 0, (bytes, atCycles) -> {
            throw new AssertionError("the peer answered a malformed frame");
        });
        assertThat(IoCampaignSystem.peer(peer))
                .isEqualTo(new VmEnd("peer", false, VmEnd.State.FINISHED, 1, "mismatches=0,malformed=1,refused=0"));
        assertThat(IoCampaignSystem.peer(null).state()).isEqualTo(VmEnd.State.MISSING);
    }

    @Test
    void aGoldenRunNeedsEveryDigestButNetdrvsAndThePeers() {
        List<VmEnd> vms = new ArrayList<>(IoCampaignSystem.missing().stream().map(v -> new VmEnd(v.name(), v.privileged(),
                VmEnd.State.FINISHED, 0, v.name().equals("netdrv") ? "" : "0000000" + v.name().length())).toList());
        assertThat(vms).extracting(VmEnd::name).containsExactly("dom0", "netdrv", "hypercall", "hypercall-2", "compute",
                "mem", "net", "service", "peer");
        assertThat(vms.getFirst().privileged()).isTrue();
        assertThat(IoCampaignSystem.unclean(vms)).isNull();
        vms.set(4, new VmEnd("compute", false, VmEnd.State.FINISHED, 0, ""));
        assertThat(IoCampaignSystem.unclean(vms)).isEqualTo("compute FINISHED exit 0");
        vms.set(4, new VmEnd("compute", false, VmEnd.State.FINISHED, 0, "855f6da0"));
        vms.set(1, new VmEnd("netdrv", false, VmEnd.State.CRASHED, 0, ""));
        assertThat(IoCampaignSystem.unclean(vms)).isEqualTo("netdrv CRASHED exit 0");
    }
}
