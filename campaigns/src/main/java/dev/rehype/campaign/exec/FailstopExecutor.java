package dev.rehype.campaign.exec;

import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.plan.RunTask;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.RepairResult;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.machine.Machine;
import dev.rehype.recovery.Detection;
import dev.rehype.recovery.RecoveryPhase;
import dev.rehype.recovery.RecoveryReport;
import dev.rehype.recovery.Rehype;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Executes hypervisor failstop runs for one worker ({@link FailstopBackend}): restores the booted
 * snapshot on the instrumented image under ReHype with the run's policy, runs the machine in slices
 * of {@link #POLL_CYCLES}, arms the failstop (first execution of the drawn point) once the trigger
 * moment has passed, and watches the domains until every one has shut down, recovery has given
 * up, or the cycle limit runs out. Probes are armed only while the machine runs, never while the
 * host reads the hypervisor's state.
 *
 * <p>The management check: Dom0's management loop issues domctl operations (getdomaininfo on every
 * domain, getvcpuinfo, pause/unpause, refused requests) until it ends with a digest over their
 * results. After a recovery, the system counts as manageable when Dom0 was still running at a
 * poll after the last recovery (so some of its operations ran on the recovered hypervisor), then
 * finished with the golden run's digest, and the core's audit of its invariants is clean.
 */
public final class FailstopExecutor implements InjectionExecutor {
    /** Virtual cycles between two looks at the domains. */
    public static final long POLL_CYCLES = 250_000;

    private final FailstopBackend backend;

    FailstopExecutor(FailstopBackend backend) {
        this.backend = backend;
    }

    /** The failstop point run {@code task} uses: drawn from its fault seed among the executed points. */
    public static FaultPoint pointOf(RunTask task, List<FaultPoint> reachable) {
        return reachable.get(new SplittableRandom(task.faultSeed()).nextInt(reachable.size()));
    }

    @Override
    public Observation execute(RunTask task, Trace trace, BooleanSupplier stop) {
        CampaignSpec spec = backend.spec();
        FaultPoint point = pointOf(task, backend.reachable());
        String plan = "failstop hypervisor " + point + " first-execution-after-cycle=" + task.triggerCycles();
        long guardNanos = spec.limits().wallClockSeconds() * 1_000_000_000L;
        long wallStart = System.nanoTime();
        Probes.clear();
        try (HostSystem system = HostSystem.restore(backend.snapshot(), backend.instrumented())) {
            Rehype rehype = new Rehype(system, task.policy().recoveryPolicy(), task.policy().mode(),
                    backend::pristine);
            Machine m = system.machine();
            long start = m.nowCycles();
            trace.event(start, "run " + task.runIndex() + ": seed " + task.runSeed() + ", fault draw "
                    + task.drawIndex() + ", policy " + task.policy().name());
            trace.event(start, "fault: " + plan);
            String site = null;
            boolean limitHit = false;
            int reportsTraced = 0;
            int recoveriesBeforeDom0LastSeen = -1;
            while (true) {
                List<DomainStatus> domains = system.domains();
                boolean dom0Alive = !domains.isEmpty() && !domains.get(0).isShutdown();
                if (dom0Alive) {
                    recoveriesBeforeDom0LastSeen = rehype.reports().size();
                }
                if (domains.stream().allMatch(DomainStatus::isShutdown) || rehype.lost()) {
                    break;
                }
                long elapsed = m.nowCycles() - start;
                if (elapsed >= spec.limits().maxCycles()) {
                    limitHit = true;
                    trace.event(m.nowCycles(), "cycle limit of " + spec.limits().maxCycles() + " reached with "
                            + domains.stream().filter(d -> !d.isShutdown()).map(DomainStatus::name).toList()
                            + " still running");
                    break;
                }
                if (stop.getAsBoolean()) {
                    throw new RunAbandoned("run " + task.runIndex() + " abandoned: the campaign is stopping");
                }
                if (System.nanoTime() - wallStart > guardNanos) {
                    throw new RunAbandoned("run " + task.runIndex() + " abandoned: it overran its wall-clock guard of "
                            + spec.limits().wallClockSeconds() + " s at virtual cycle " + m.nowCycles());
                }
                long slice = Math.min(POLL_CYCLES, spec.limits().maxCycles() - elapsed);
                boolean armed = site == null && elapsed >= task.triggerCycles();
                if (site == null && !armed) {
                    slice = Math.min(slice, task.triggerCycles() - elapsed);
                }
                Probes probes = armed ? Probes.armFailstop(backend.points(), point, 1) : null;
                try {
                    m.run(slice);
                } finally {
                    Probes.clear();
                }
                if (probes != null && probes.fired() != null) {
                    site = probes.fired();
                }
                for (; reportsTraced < rehype.reports().size(); reportsTraced++) {
                    describe(trace, rehype.reports().get(reportsTraced));
                }
            }
            List<RecoveryReport> reports = rehype.reports();
            List<VmEnd> vms = CampaignSystem.ends(system, spec.system());
            ManagementCheck management = management(system, rehype, vms, recoveriesBeforeDom0LastSeen);
            Observation o = observation(plan, site, reports, rehype, vms, management, limitHit, m.nowCycles(),
                    system.stateHash());
            trace.event(m.nowCycles(), "management check: " + management.status() + " (" + management.detail() + ")");
            return o;
        } finally {
            Probes.clear();
        }
    }

    private ManagementCheck management(HostSystem system, Rehype rehype, List<VmEnd> vms, int recoveriesSeen) {
        if (rehype.lost()) {
            return ManagementCheck.failed("the system was lost: " + rehype.lostReason());
        }
        VmEnd dom0 = vms.get(0);
        VmEnd golden = backend.golden().vm(dom0.name());
        if (recoveriesSeen < rehype.reports().size()) {
            return ManagementCheck.notRun("Dom0's management loop had ended before the last recovery");
        }
        if (dom0.state() != VmEnd.State.FINISHED || dom0.exitCode() != 0 || !dom0.digest().equals(golden.digest())) {
            return ManagementCheck.failed("Dom0's domctl operations after recovery: " + dom0.state() + ", exit "
                    + dom0.exitCode() + ", digest " + (dom0.digest().isEmpty() ? "none" : dom0.digest())
                    + " (golden " + golden.digest() + ")");
        }
        List<String> audit;
        try {
            audit = system.audit();
        } catch (RuntimeException e) {
            return ManagementCheck.failed("the audit of the hypervisor's invariants failed: " + e);
        }
        if (!audit.isEmpty()) {
            return ManagementCheck.failed("audit: " + audit.get(0) + (audit.size() > 1 ? " (+" + (audit.size() - 1)
                    + " more)" : ""));
        }
        return ManagementCheck.ok("Dom0's domctl operations after recovery succeeded (golden digest "
                + golden.digest() + "); audit clean");
    }

    private static Observation observation(String plan, String site, List<RecoveryReport> reports, Rehype rehype,
                                           List<VmEnd> vms, ManagementCheck management, boolean limitHit,
                                           long nowCycles, String hash) {
        RunRecord.Detection detection = RunRecord.Detection.NONE;
        RunRecord.Recovery recovery = RunRecord.Recovery.NONE;
        long activatedAt = -1;
        if (!reports.isEmpty()) {
            Detection d = reports.get(0).detection();
            activatedAt = site != null ? d.atCycles() : -1;
            detection = new RunRecord.Detection(true, d.kind().name().toLowerCase(Locale.ROOT), d.cpu(),
                    d.hypercall() >= 0 ? "hypercall " + d.hypercall() : d.trap(), d.atCycles(),
                    activatedAt >= 0 ? d.atCycles() - activatedAt : -1);
            List<RunRecord.Phase> phases = new ArrayList<>();
            List<RunRecord.Repair> repairs = new ArrayList<>();
            long latency = 0;
            boolean completed = !rehype.lost();
            for (int i = 0; i < reports.size(); i++) {
                RecoveryReport r = reports.get(i);
                String prefix = reports.size() > 1 ? "#" + (i + 1) + " " : "";
                for (RecoveryPhase p : r.phases()) {
                    phases.add(new RunRecord.Phase(prefix + p.name(), p.wallNanos(), p.virtualCycles()));
                }
                for (RepairResult x : r.repairs()) {
                    if (x.ran()) {
                        repairs.add(new RunRecord.Repair(prefix + x.step().label(), x.changes().size(),
                                String.join("; ", x.changes())));
                    }
                }
                latency += r.totalWallNanos();
                completed &= r.completed();
            }
            recovery = new RunRecord.Recovery(reports.get(0).mode().name().toLowerCase(Locale.ROOT), completed,
                    latency, phases, repairs);
        }
        RunRecord.Activation activation = site == null ? RunRecord.Activation.NONE
                : new RunRecord.Activation(true, site, "", "", activatedAt);
        return new Observation(plan, activation, detection, recovery, vms, management, limitHit, nowCycles, hash);
    }

    private static void describe(Trace trace, RecoveryReport r) {
        Detection d = r.detection();
        trace.event(d.atCycles(), "activated and detected: " + d.kind() + " on cpu " + d.cpu() + " during " + d.trap()
                + (d.hypercall() >= 0 ? " (hypercall " + d.hypercall() + ")" : "") + ": " + d.message());
        for (RecoveryPhase p : r.phases()) {
            trace.event(d.atCycles(), String.format(Locale.ROOT, "  %s phase %-34s %9.3f ms %7d cycles",
                    r.mode().name().toLowerCase(Locale.ROOT), p.name(), p.wallNanos() / 1e6, p.virtualCycles()));
        }
        for (RepairResult x : r.repairs()) {
            if (x.ran()) {
                trace.event(d.atCycles(), "  repair " + x.step().label() + ": " + (x.changes().isEmpty()
                        ? "nothing to change" : String.join("; ", x.changes())));
            }
        }
        trace.event(d.atCycles() + r.totalVirtualCycles(), r.completed() ? "recovery completed, guests resumed"
                : "recovery FAILED: " + r.failure());
    }

    /**
     * The golden run: the snapshot restored on the instrumented image, no fault armed, probes
     * counting into {@code hits} (by probe id) while the machine runs.
     */
    static GoldenRun goldenRun(FailstopBackend backend, long[] hits) {
        CampaignSpec spec = backend.spec();
        List<FaultPoint> points = backend.points();
        Probes.clear();
        try (HostSystem system = HostSystem.restore(backend.snapshot(), backend.instrumented())) {
            Machine m = system.machine();
            long start = m.nowCycles();
            while (!system.domains().stream().allMatch(DomainStatus::isShutdown)) {
                long elapsed = m.nowCycles() - start;
                if (elapsed >= spec.limits().maxCycles()) {
                    throw new IllegalStateException("the golden run of campaign " + spec.name() + " did not finish within "
                            + spec.limits().maxCycles() + " virtual cycles (limits.max-cycles); still running: "
                            + system.domains().stream().filter(d -> !d.isShutdown()).map(DomainStatus::name).toList());
                }
                Probes probes = Probes.countOnly(points);
                try {
                    m.run(Math.min(POLL_CYCLES, spec.limits().maxCycles() - elapsed));
                } finally {
                    Probes.clear();
                }
                for (int i = 0; i < points.size(); i++) {
                    hits[i] += probes.hits(points.get(i));
                }
            }
            List<VmEnd> vms = CampaignSystem.ends(system, spec.system());
            for (VmEnd v : vms) {
                if (v.state() != VmEnd.State.FINISHED || v.exitCode() != 0 || v.digest().isEmpty()) {
                    throw new IllegalStateException("the golden run of campaign " + spec.name() + " is not clean: "
                            + v.name() + " " + v.state() + " exit " + v.exitCode());
                }
            }
            return new GoldenRun(vms, system.stateHash(), m.nowCycles());
        }
    }

    @Override
    public void close() {
        Probes.clear();
    }
}
