package dev.rehype.campaign.exec;

import dev.rehype.campaign.plan.RunTask;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.FaultType;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.PointTransformer;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.Snapshot;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.machine.Seeds;

import java.util.ArrayList;
import java.util.List;

/**
 * Failstop faults in the hypervisor, with what the hypervisor and ReHype offer today: every method
 * entry of the core is instrumented ({@link FaultPointCatalog}, placed by {@link PointTransformer}
 * as the image loads); the golden run counts which points the running system executes; each run
 * picks one of those from its fault seed and crashes the hypervisor at the first execution of it
 * after the run's trigger moment, and ReHype ({@code dev.rehype.recovery.Rehype}) detects and
 * recovers. Other fault types and targets belong to the fault injector's backend.
 *
 * <p>Prepared once: the campaign's system is booted on a pristine image and snapshotted; every
 * run (the golden one too) restores that snapshot. The instrumented image and the pristine image
 * that microreboots switch to are shared by all workers: the core keeps no static state, and the
 * probes are per thread.
 */
public final class FailstopBackend implements InjectionBackend {
    private final CampaignSpec spec;
    private GoldenRun golden;
    private Snapshot snapshot;
    private HypervisorImage instrumented;
    private HypervisorImage pristine;
    private List<FaultPoint> points;
    private List<FaultPoint> reachable;

    public FailstopBackend(CampaignSpec spec) {
        this.spec = spec;
    }

    @Override
    public String unsupported(RunTask task) {
        if (task.faultType() != FaultType.FAILSTOP || !task.target().equals("hypervisor")) {
            return "fault type '" + task.faultType().label() + "' into target '" + task.target()
                    + "' needs the fault injector's executor; this build injects failstop faults into the hypervisor only";
        }
        return null;
    }

    @Override
    public synchronized GoldenRun prepare() {
        if (golden != null) {
            return golden;
        }
        try (HostSystem system = new HostSystem(systemConfig(spec))) {
            system.boot(CampaignSystem.bootSpec(spec.system()));
            snapshot = system.snapshot();
        } catch (GuestImageException e) {
            throw new IllegalStateException("the campaign's guest images cannot be loaded: " + e.getMessage(), e);
        }
        points = FaultPointCatalog.entries();
        PointTransformer transformer = new PointTransformer(points);
        instrumented = HypervisorImage.transformed(transformer);
        instrumented.preload();
        pristine = HypervisorImage.pristine();
        pristine.preload();
        long[] hits = new long[points.size()];
        golden = FailstopExecutor.goldenRun(this, hits);
        List<FaultPoint> executed = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (hits[i] > 0) {
                executed.add(points.get(i));
            }
        }
        if (executed.isEmpty()) {
            throw new IllegalStateException("the golden run executed none of the " + points.size()
                    + " instrumented points of the hypervisor");
        }
        reachable = List.copyOf(executed);
        Probes.clear();
        return golden;
    }

    /** The machine shape and seed of the campaign's system (its devices' seed derives from the root seed). */
    static SystemConfig systemConfig(CampaignSpec spec) {
        return SystemConfig.defaults(Seeds.derive(spec.rootSeed(), "system"));
    }

    @Override
    public InjectionExecutor newExecutor() {
        if (golden == null) {
            throw new IllegalStateException("prepare() first");
        }
        return new FailstopExecutor(this);
    }

    CampaignSpec spec() {
        return spec;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    HypervisorImage instrumented() {
        return instrumented;
    }

    HypervisorImage pristine() {
        return pristine;
    }

    /** Every instrumented point, in probe-id order. */
    List<FaultPoint> points() {
        return points;
    }

    /** The instrumented points the golden run executed: where failstops are drawn from. */
    public List<FaultPoint> reachable() {
        return reachable;
    }

    GoldenRun golden() {
        return golden;
    }
}
