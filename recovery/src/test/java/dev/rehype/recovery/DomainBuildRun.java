package dev.rehype.recovery;

import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.PointTransformer;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.RunReport;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import java.util.List;

/**
 * One run of the standard system (Dom0's toolstack builds the driver domain and the AppVMs with
 * domctls and event-channel operations) with a failstop at the {@code nthHit}-th execution of
 * {@code point}, recovered by microreboot under {@code policy}; the same mechanism as
 * {@link RepairStepScenarioTest} (a point placed as the image loads, armed after boot).
 */
record DomainBuildRun(FaultPoint point, long nthHit, RecoveryPolicy policy, boolean fired, RunReport report,
                      List<String> audit, Rehype rehype) {

    /** Recovered: the failstop fired, every VM finished correctly, the audit is clean, the system was not lost. */
    boolean recovered() {
        return fired && report.allCorrect() && audit.isEmpty() && !rehype.lost();
    }

    /** The changes the step made in the first recovery, or an empty list. */
    List<String> changes(dev.rehype.hypervisor.image.RepairStep step) {
        return rehype.reports().isEmpty() ? List.of()
                : rehype.reports().get(0).repairs().stream().filter(r -> r.step() == step).findFirst()
                        .map(r -> r.changes()).orElse(List.of());
    }

    String summary() {
        return point + " #" + nthHit + ": " + (fired ? "" : "not fired, ")
                + report.vms().stream().map(v -> v.name() + "=" + v.verdict()).toList()
                + (audit.isEmpty() ? "" : " audit " + audit.subList(0, Math.min(3, audit.size())))
                + (rehype.lost() ? " lost: " + rehype.lostReason() : "");
    }

    /**
     * How many times each of {@code points} runs in a run of the standard system with no failure
     * (the same seed as {@link #run}), in the order given.
     */
    static long[] hits(List<FaultPoint> points) throws Exception {
        PointTransformer transformer = new PointTransformer(points);
        SystemConfig config = SystemConfig.defaults(1);
        try (HostSystem system = new HostSystem(config, HypervisorImage.transformed(transformer))) {
            system.boot(StandardSystem.bootSpec());
            Probes probes = Probes.countOnly(transformer.points());
            try {
                system.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES, d -> true);
            } finally {
                Probes.clear();
            }
            long[] out = new long[points.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = probes.hits(points.get(i));
            }
            return out;
        }
    }

    static DomainBuildRun run(FaultPoint point, long nthHit, RecoveryPolicy policy) throws Exception {
        return run(point, nthHit, policy, StandardSystem.bootSpec());
    }

    /**
     * The standard system in which Dom0 gives the driver domain {@code graceCycles} to shut down
     * when asked (its start_info param[1]) and destroys it after that.
     */
    static BootSpec withDriverDomainGrace(int graceCycles) throws Exception {
        DomainSpec d = StandardSystem.bootSpec().domains().getFirst();
        return new BootSpec(List.of(new DomainSpec(d.name(), d.image(), d.memPages(), d.maxPages(), d.vcpus(),
                d.privileged(), d.peerDomid(), d.role(), new int[] {0, graceCycles}, d.modules())));
    }

    /** As {@link #run(FaultPoint, long, RecoveryPolicy)} with boot spec {@code spec}; a null point runs with no failure. */
    static DomainBuildRun run(FaultPoint point, long nthHit, RecoveryPolicy policy, BootSpec spec) throws Exception {
        PointTransformer points = new PointTransformer(point == null ? List.of() : List.of(point));
        HypervisorImage image = HypervisorImage.transformed(points);
        SystemConfig config = SystemConfig.defaults(1);
        try (HostSystem system = new HostSystem(config, image)) {
            Rehype rehype = new Rehype(system, policy, RecoveryMode.MICROREBOOT);
            Probes.clear();
            system.boot(spec);
            Probes probes = point == null ? Probes.countOnly(points.points())
                    : Probes.armFailstop(points.points(), point, nthHit);
            boolean finished;
            try {
                finished = system.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES, d -> true);
            } finally {
                Probes.clear();
            }
            RunReport report = StandardSystem.report(config.seed(), system, finished);
            List<String> audit = rehype.lost() ? List.of("system lost: " + rehype.lostReason()) : system.audit();
            return new DomainBuildRun(point, nthHit, policy, probes.fired() != null, report, audit, rehype);
        }
    }
}
