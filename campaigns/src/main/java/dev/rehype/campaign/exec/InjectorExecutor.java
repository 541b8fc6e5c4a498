package dev.rehype.campaign.exec;

import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.plan.RunTask;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.PolicySpec;
import dev.rehype.fault.Activation;
import dev.rehype.fault.FaultPlan;
import dev.rehype.fault.FaultPlans;
import dev.rehype.fault.InjectionLimits;
import dev.rehype.fault.InjectionResult;
import dev.rehype.fault.InjectionRun;
import dev.rehype.fault.PreparedSystem;
import dev.rehype.fault.Target;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.RepairResult;
import dev.rehype.hypervisor.system.Checkpoint;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.ResetPoint;
import dev.rehype.recovery.Detection;
import dev.rehype.recovery.RecoveryPhase;
import dev.rehype.recovery.RecoveryReport;
import dev.rehype.recovery.Rehype;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Executes injection runs for one worker ({@link InjectorBackend}): its own system, restored once
 * from the booted snapshot, with a reset point marked on it; each run puts the system back to that
 * point (only the frames the last run dirtied are copied) and runs the task's fault through
 * {@link InjectionRun#execute} — the plan is the task's fault type and target armed at the task's
 * trigger moment, the rest (site, bit, count) resolved from the draw's fault seed, so every policy
 * of a sweep gets the same fault — then reads how every VM ended from the system as the run left it.
 *
 * <p>The management check: Dom0's management loop issues domctl operations (getdomaininfo on every
 * domain, getvcpuinfo, pause/unpause, refused requests) until it ends with a digest over their
 * results. After a recovery the system counts as manageable when Dom0 was still running at a look
 * after the last recovery (the run looks every million cycles, so some of its operations ran on
 * the recovered hypervisor), then finished with the golden run's digest, and the core's audit of
 * its invariants is clean.
 */
public final class InjectorExecutor implements InjectionExecutor {
    private final InjectorBackend backend;
    private final HostSystem system;
    private final ResetPoint point;
    private final List<Checkpoint> checkpoints;

    /**
     * @param fastForward capture checkpoints along the fault-free run and start runs from them
     *                    (false: every run from the reset point)
     */
    InjectorExecutor(InjectorBackend backend, boolean fastForward) {
        this.backend = backend;
        this.system = HostSystem.restore(backend.snapshot());
        this.point = system.markResetPoint();
        this.checkpoints = fastForward ? InjectionRun.captureCheckpoints(new PreparedSystem(system, point, null),
                backend.sut(), Math.min(backend.golden().virtualCycles() - point.cycles(), backend.spec().limits().maxCycles()),
                CHECKPOINT_EVERY_CYCLES) : List.of();
    }

    /** Virtual time between two checkpoints of the fault-free run. */
    static final long CHECKPOINT_EVERY_CYCLES = 1_000_000;

    /** The unresolved plan of {@code task}: its fault type at its target, armed at its trigger moment. */
    public static FaultPlan planOf(RunTask task) {
        return FaultPlans.generate(task.faultType().label(), Target.parse(task.target()), task.triggerCycles(),
                task.triggerCycles() + 1, task.faultSeed());
    }

    @Override
    public Observation execute(RunTask task, Trace trace, BooleanSupplier stop) {
        trace.event(point.cycles(), "run " + task.runIndex() + ": seed " + task.runSeed() + ", fault draw "
                + task.drawIndex() + ", fault seed " + task.faultSeed() + ", policy " + task.policy().name());
        return execute("run " + task.runIndex(), planOf(task), task.faultSeed(), task.policy(), trace, stop).observation();
    }

    /**
     * Runs {@code plan} (what it leaves open resolved from {@code faultSeed}) under {@code policy}
     * from the prepared system, exactly as a campaign run: the same start (checkpoint or reset
     * point), watch, limits and reading of the VMs; {@code runName} names the run in messages.
     * Throws {@link RunAbandoned} when {@code stop} turns true or the wall-clock guard runs out,
     * {@link dev.rehype.fault.FaultPlanException} for a plan naming something that does not exist.
     */
    public PlanRun execute(String runName, FaultPlan plan, long faultSeed, PolicySpec policy, Trace trace,
                           BooleanSupplier stop) {
        CampaignSpec spec = backend.spec();
        long guardNanos = spec.limits().wallClockSeconds() * 1_000_000_000L;
        long wallStart = System.nanoTime();
        int[] recoveriesSeen = {0};
        PreparedSystem.ChunkWatch watch = (sys, rehype) -> {
            if (stop.getAsBoolean()) {
                throw new RunAbandoned(runName + " abandoned: the campaign is stopping");
            }
            if (System.nanoTime() - wallStart > guardNanos) {
                throw new RunAbandoned(runName + " abandoned: it overran its wall-clock guard of "
                        + spec.limits().wallClockSeconds() + " s at virtual cycle " + sys.machine().nowCycles());
            }
            if (dom0Running(sys)) {
                recoveriesSeen[0] = rehype.reports().size();
            }
        };
        InjectionResult r = InjectionRun.execute(new PreparedSystem(system, point, watch, checkpoints),
                backend.sut().recoveredBy(policy.recoveryPolicy(), policy.mode()), plan, faultSeed, limits(spec),
                backend.profile());
        long end = system.machine().nowCycles();
        trace.event(r.startCycles(), "fault: " + r.plan().toText());
        Checkpoint from = InjectionRun.startingCheckpoint(new PreparedSystem(system, point, null, checkpoints), r.plan(),
                limits(spec));
        if (from != null) {
            trace.event(from.cycles(), "started from the fault-free run's checkpoint at cycle " + from.cycles()
                    + " (the same state, not emulated again)");
        }
        Activation a = r.firstActivation();
        trace.event(a.activated() ? a.atCycles() : end, a.activated() ? "activated at " + a.site()
                + (a.valueBefore().isEmpty() ? "" : " (" + a.valueBefore() + " -> " + a.valueAfter() + ")")
                + (a.note().isEmpty() ? "" : ": " + a.note()) : "not activated: " + a.note());
        r.recoveries().forEach(rep -> describe(trace, rep));
        List<VmEnd> vms;
        try {
            vms = CampaignSystem.ends(system, spec.system());
        } catch (RuntimeException e) {
            trace.event(end, "the host could not read the domains: " + e);
            vms = CampaignSystem.missing(spec.system());
        }
        boolean limitHit = !r.finished() && !r.systemLost() && r.virtualCycles() >= spec.limits().maxCycles();
        if (limitHit) {
            trace.event(end, "cycle limit of " + spec.limits().maxCycles() + " reached with "
                    + vms.stream().filter(v -> v.state() == VmEnd.State.UNFINISHED).map(VmEnd::name).toList()
                    + " still running");
        }
        ManagementCheck management = management(r, vms, recoveriesSeen[0]);
        trace.event(end, "management check: " + management.status() + " (" + management.detail() + ")");
        return new PlanRun(r, observation(r, vms, management, limitHit, end));
    }

    static InjectionLimits limits(CampaignSpec spec) {
        return new InjectionLimits(spec.limits().maxCycles(), spec.limits().maxCycles());
    }

    private static boolean dom0Running(HostSystem sys) {
        try {
            List<DomainStatus> domains = sys.domains();
            return !domains.isEmpty() && domains.get(0).domid() == 0 && !domains.get(0).isShutdown();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private ManagementCheck management(InjectionResult r, List<VmEnd> vms, int recoveriesSeen) {
        if (r.systemLost()) {
            return ManagementCheck.failed("the system was lost: " + r.lostReason());
        }
        VmEnd dom0 = vms.get(0);
        VmEnd golden = backend.golden().vm(dom0.name());
        if (recoveriesSeen < r.recoveries().size()) {
            return ManagementCheck.notRun("Dom0's management loop had ended before the last recovery");
        }
        if (dom0.state() != VmEnd.State.FINISHED || dom0.exitCode() != 0 || !dom0.digest().equals(golden.digest())) {
            return ManagementCheck.failed("Dom0's domctl operations after recovery: " + dom0.state() + ", exit "
                    + dom0.exitCode() + ", digest " + (dom0.digest().isEmpty() ? "none" : dom0.digest())
                    + " (golden " + golden.digest() + ")");
        }
        if (!r.audit().isEmpty()) {
            return ManagementCheck.failed("audit: " + r.audit().get(0) + (r.audit().size() > 1 ? " (+"
                    + (r.audit().size() - 1) + " more)" : ""));
        }
        return ManagementCheck.ok("Dom0's domctl operations after recovery succeeded (golden digest "
                + golden.digest() + "); audit clean");
    }

    private static Observation observation(InjectionResult r, List<VmEnd> vms, ManagementCheck management,
                                           boolean limitHit, long nowCycles) {
        Activation a = r.firstActivation();
        RunRecord.Activation activation = a.activated()
                ? new RunRecord.Activation(true, a.site(), a.valueBefore(), a.valueAfter(), a.atCycles())
                : RunRecord.Activation.NONE;
        RunRecord.Detection detection = RunRecord.Detection.NONE;
        RunRecord.Recovery recovery = RunRecord.Recovery.NONE;
        List<RecoveryReport> reports = r.recoveries();
        if (!reports.isEmpty()) {
            Detection d = r.firstDetection();
            detection = new RunRecord.Detection(true, d.kind().name().toLowerCase(Locale.ROOT), d.cpu(),
                    r.detectionInProgress(), d.atCycles(), r.detectionLatencyCycles());
            List<RunRecord.Phase> phases = new ArrayList<>();
            List<RunRecord.Repair> repairs = new ArrayList<>();
            long latency = 0;
            boolean completed = !r.systemLost();
            for (int i = 0; i < reports.size(); i++) {
                RecoveryReport rep = reports.get(i);
                String prefix = reports.size() > 1 ? "#" + (i + 1) + " " : "";
                for (RecoveryPhase p : rep.phases()) {
                    phases.add(new RunRecord.Phase(prefix + p.name(), p.wallNanos(), p.virtualCycles()));
                }
                for (RepairResult x : rep.repairs()) {
                    if (x.ran()) {
                        repairs.add(new RunRecord.Repair(prefix + x.step().label(), x.changes().size(),
                                String.join("; ", x.changes())));
                    }
                }
                latency += rep.totalWallNanos();
                completed &= rep.completed();
            }
            recovery = new RunRecord.Recovery(reports.get(0).mode().name().toLowerCase(Locale.ROOT), completed,
                    latency, phases, repairs);
        }
        return new Observation(r.plan().toText(), activation, detection, recovery, vms, management, limitHit, nowCycles,
                r.finalStateHash());
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

    @Override
    public void close() {
        system.close();
    }
}
