/*
 * Hand-made run records for the tests: one builder per outcome class, with every field filled
 * the way the campaign runner fills it (absent values as empty strings or -1), so that the store
 * and the reports are checked against records whose outcome is known by construction.
 */
package dev.rehype.results;

import java.util.List;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.Reason;
import dev.rehype.campaign.RunRecord;

/** Builders of run records of every outcome. */
final class TestRuns {

    static final String CAMPAIGN = "unit";
    static final long ROOT_SEED = 42;

    private TestRuns() {
    }

    static CampaignMetadata metadata() {
        return metadata(1, 1);
    }

    static CampaignMetadata metadata(int shardIndex, int shardCount) {
        return new CampaignMetadata(CAMPAIGN, "name: unit\nruns: 100\n", ROOT_SEED, shardIndex, shardCount,
                List.of(new PolicyInfo("full", "microreboot", List.of("release-locks", "reset-evtchn", "reinit-timers"))));
    }

    static RunRecord notActivated(long index, String faultType, String target) {
        return record(index, faultType, target, "full", RunRecord.Activation.NONE, RunRecord.Detection.NONE,
                RunRecord.Recovery.NONE, Outcome.NOT_ACTIVATED, Reason.NONE, ok());
    }

    static RunRecord notManifested(long index, String faultType, String target) {
        return record(index, faultType, target, "full", activation(), RunRecord.Detection.NONE,
                RunRecord.Recovery.NONE, Outcome.NOT_MANIFESTED, Reason.NONE, ok());
    }

    static RunRecord recovered(long index, String faultType, String target, String policy, long latencyNanos) {
        return record(index, faultType, target, policy, activation(), detection(), recovery(true, latencyNanos),
                Outcome.RECOVERED, Reason.NONE, ok());
    }

    static RunRecord notRecovered(long index, String faultType, String target, String policy, Reason reason) {
        boolean recoveryRan = reason != Reason.RECOVERY_FAILED;
        return record(index, faultType, target, policy, activation(), detection(),
                recoveryRan ? recovery(true, 2_000_000) : new RunRecord.Recovery("microreboot", false, -1,
                        List.of(new RunRecord.Phase("reboot", 1_000, 50)), List.of()),
                Outcome.NOT_RECOVERED, reason,
                List.of(new RunRecord.VmVerdict("compute", "wrong-output", "deadbeef", -1),
                        new RunRecord.VmVerdict("net", "ok", "00c0ffee", 40)));
    }

    static RunRecord undetected(long index, String faultType, String target, Reason reason) {
        return record(index, faultType, target, "full", activation(), RunRecord.Detection.NONE,
                RunRecord.Recovery.NONE, Outcome.UNDETECTED, reason,
                List.of(new RunRecord.VmVerdict("compute", "hung", "", -1), new RunRecord.VmVerdict("net", "ok", "00c0ffee", 40)));
    }

    static RunRecord record(long index, String faultType, String target, String policy, RunRecord.Activation activation,
                            RunRecord.Detection detection, RunRecord.Recovery recovery, Outcome outcome, Reason reason,
                            List<RunRecord.VmVerdict> vms) {
        return new RunRecord(CAMPAIGN, index, ROOT_SEED, 1000 + index * 7919, faultType, target,
                faultType + "@" + target + ":cycle=" + (5000 + index), policy, activation, detection, recovery, outcome,
                reason, vms, 1_000_000 + index, 3_000_000 + index, "hash-" + index);
    }

    static RunRecord.Activation activation() {
        return new RunRecord.Activation(true, "Scheduler.pick@12:88", "0x00000010", "0x00000011", 5100);
    }

    static RunRecord.Detection detection() {
        return new RunRecord.Detection(true, "panic", 0, "evtchn_send", 5200, 100);
    }

    static RunRecord.Recovery recovery(boolean succeeded, long latencyNanos) {
        return new RunRecord.Recovery("microreboot", succeeded, latencyNanos,
                List.of(new RunRecord.Phase("halt-cpus", 10_000, 12), new RunRecord.Phase("reboot \"core\"", 900_000, 4_000)),
                List.of(new RunRecord.Repair("release-locks", 2, "released evtchn lock, sched lock"),
                        new RunRecord.Repair("reset-evtchn", 0, "")));
    }

    static List<RunRecord.VmVerdict> ok() {
        return List.of(new RunRecord.VmVerdict("compute", "ok", "c0ffee00", -1), new RunRecord.VmVerdict("net", "ok", "00c0ffee", 40));
    }

    /** One record of every outcome and reason, indexes from {@code first}. */
    static List<RunRecord> everyOutcome(long first) {
        long i = first;
        return List.of(
                notActivated(i++, "register", "hypervisor"),
                notManifested(i++, "register", "hypervisor"),
                recovered(i++, "failstop", "hypervisor", "full", 1_500_000),
                notRecovered(i++, "failstop", "hypervisor", "full", Reason.RECOVERY_FAILED),
                notRecovered(i++, "code", "hypervisor", "full", Reason.VM_LOST),
                notRecovered(i++, "code", "hypervisor", "full", Reason.WRONG_OUTPUT),
                notRecovered(i++, "hang", "hypervisor", "full", Reason.HANG_AFTER_RECOVERY),
                notRecovered(i++, "hang", "hypervisor", "full", Reason.NOT_MANAGEABLE),
                undetected(i++, "register", "dom0", Reason.WRONG_OUTPUT),
                undetected(i++, "register", "dom0", Reason.CRASH),
                undetected(i, "memory", "appvm:compute", Reason.HANG));
    }
}
