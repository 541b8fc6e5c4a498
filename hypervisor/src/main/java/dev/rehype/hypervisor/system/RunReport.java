package dev.rehype.hypervisor.system;

import dev.rehype.machine.peer.NetPeerReport;

import java.util.List;

/**
 * The outcome of one run of a system: every VM's result, what the peer on the wire saw and
 * checked (null when the wire has no {@code NetPeer}), the final state hash, virtual time.
 */
public record RunReport(long seed, List<VmResult> vms, NetPeerReport peer, String finalStateHash,
                        long virtualCycles, boolean finished) {
    public RunReport {
        vms = List.copyOf(vms);
    }

    /** True when every VM is correct and the peer, if any, saw no wrong response and no malformed frame. */
    public boolean allCorrect() {
        return vms.stream().allMatch(VmResult::correct) && peerClean();
    }

    /** True when there is no peer or it counted no mismatch, no malformed frame and no refused hello. */
    public boolean peerClean() {
        return peer == null || peer.clean();
    }
}
