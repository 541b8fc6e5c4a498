package dev.rehype.recovery;

import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.PointTransformer;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.RunReport;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demonstration of ReHype end to end: boot the standard system on a hypervisor image with one
 * failstop placed in the middle of a hypercall that holds a lock (memory_op, just after it takes
 * the domain's lock), let the workloads run, watch the failure be detected and recovered, and
 * check that every VM still finishes with its expected digest. Produces a timeline of events.
 */
public final class Demo {
    /** The point: memory_op, right after acquiring the calling domain's lock. */
    public static final FaultPoint POINT = FaultPoint.after("MemoryOps", "op", "SpinLocks.acquire", 1);
    /** Which execution of the point fails (after boot). */
    public static final long NTH_HIT = 3;
    public static final long PROGRESS_INTERVAL_CYCLES = 2_000_000;

    /** One line of the timeline: virtual time, what happened. */
    public record Event(long atCycles, String what) {
    }

    /** Everything the demo shows. */
    public record Result(long seed, RecoveryMode mode, List<Event> timeline, List<RecoveryReport> recoveries,
                         RunReport run, String faultFired) {
        public boolean recovered() {
            return faultFired != null && !recoveries.isEmpty() && recoveries.stream().allMatch(RecoveryReport::completed)
                    && run.allCorrect();
        }
    }

    private Demo() {
    }

    public static Result run(long seed, RecoveryMode mode, long maxCycles) throws GuestImageException {
        List<Event> timeline = new ArrayList<>();
        PointTransformer points = new PointTransformer(List.of(POINT));
        try (HostSystem system = new HostSystem(SystemConfig.defaults(seed), HypervisorImage.transformed(points))) {
            Rehype rehype = new Rehype(system, RecoveryPolicy.all(), mode);
            Probes.clear();
            system.boot(StandardSystem.bootSpec());
            timeline.add(new Event(0, "boot: " + system.domains().size() + " domains on "
                    + system.config().cpus() + " CPUs; failstop armed at " + POINT + " (execution " + NTH_HIT + ")"));
            Probes probes = Probes.armFailstop(points.points(), POINT, NTH_HIT);
            int seen = 0;
            boolean finished = false;
            try {
                while (!finished && system.machine().nowCycles() < maxCycles) {
                    finished = system.runUntilShutdown(PROGRESS_INTERVAL_CYCLES, d -> true);
                    long now = system.machine().nowCycles();
                    for (; seen < rehype.reports().size(); seen++) {
                        describe(timeline, rehype.reports().get(seen));
                    }
                    timeline.add(new Event(now, "progress: " + progress(system.domains())));
                }
            } finally {
                Probes.clear();
            }
            RunReport report = StandardSystem.report(seed, system, finished);
            timeline.add(new Event(system.machine().nowCycles(), "end: " + (report.allCorrect()
                    ? "every VM finished with its expected digest" : "NOT every VM is correct")));
            return new Result(seed, mode, timeline, rehype.reports(), report, probes.fired());
        }
    }

    private static void describe(List<Event> timeline, RecoveryReport r) {
        Detection d = r.detection();
        timeline.add(new Event(d.atCycles(), "fault: " + d.message()));
        timeline.add(new Event(d.atCycles(), String.format(Locale.ROOT, "detected: %s on cpu %d during %s%s",
                d.kind(), d.cpu(), d.trap(), (d.hypercall() >= 0 ? " (hypercall " + d.hypercall() + ")" : "")
                        + (d.interrupt() >= 0 ? " (interrupt " + d.interrupt() + " in service)" : ""))));
        for (RecoveryPhase p : r.phases()) {
            timeline.add(new Event(d.atCycles(), String.format(Locale.ROOT, "  %-36s %9.3f ms  %7d cycles",
                    p.name(), p.wallNanos() / 1e6, p.virtualCycles())));
        }
        r.repairs().stream().filter(x -> x.ran() && !x.changes().isEmpty()).forEach(x -> x.changes().forEach(
                c -> timeline.add(new Event(d.atCycles(), "  " + x.step().label() + ": " + c))));
        timeline.add(new Event(d.atCycles() + r.totalVirtualCycles(), String.format(Locale.ROOT,
                "resumed: %s done in %.3f ms wall, %d virtual cycles", r.mode(), r.totalWallNanos() / 1e6,
                r.totalVirtualCycles())));
    }

    private static String progress(List<DomainStatus> domains) {
        StringBuilder b = new StringBuilder();
        for (DomainStatus d : domains) {
            b.append(d.name()).append('=').append(d.isShutdown() ? "done" : d.instructions() / 1000 + "k").append(' ');
        }
        return b.toString().trim();
    }
}
