package dev.rehype.recovery.process;

import dev.rehype.hypervisor.system.VmResult;
import dev.rehype.machine.peer.NetPeerReport;

import java.util.List;

/**
 * What a supervised run produced: the system it ran, every VM's verdict, what the peer on the wire
 * saw (the I/O system; null for the host-built one, which has no network work), every restart,
 * whether every domain finished within the limit, why the system was lost if it was, and the
 * console tail of each VM that is not correct (for diagnosis).
 */
public record ProcessRunReport(long seed, ProcessSystem system, List<VmResult> vms, NetPeerReport peer,
                               List<RestartRecord> restarts, boolean finished, long virtualCycles, String lostReason,
                               List<String> failedConsoles) {
    public ProcessRunReport {
        vms = List.copyOf(vms);
        restarts = List.copyOf(restarts);
        failedConsoles = List.copyOf(failedConsoles);
    }

    /**
     * True when the system was not lost, every domain finished, every VM has its expected digest
     * and the peer (if it took part) saw no mismatch, malformed frame or refused hello.
     */
    public boolean allCorrect() {
        return lostReason == null && finished && !vms.isEmpty() && vms.stream().allMatch(VmResult::correct)
                && peerClean();
    }

    /** True when the peer took no part or saw every service response right and every frame well formed. */
    public boolean peerClean() {
        return peer == null || peer.clean();
    }
}
