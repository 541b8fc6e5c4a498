package dev.rehype.campaign.exec;

import dev.rehype.campaign.plan.RunTask;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.SystemSpec;
import dev.rehype.fault.PlanResolver;
import dev.rehype.fault.SiteProfile;
import dev.rehype.fault.SystemUnderTest;
import dev.rehype.fault.Target;
import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.Snapshot;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.hypervisor.system.VmResult;
import dev.rehype.machine.Seeds;
import dev.rehype.recovery.RecoveryMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Campaign runs through the fault injector: every fault type (register, code, failstop, hang,
 * memory) into every target the campaign system has (the hypervisor, Dom0, its AppVMs), each run
 * one {@link dev.rehype.fault.InjectionRun} under ReHype with the run's recovery policy and mode.
 *
 * <p>Prepared once: the campaign's system is booted and snapshotted; a {@link SiteProfile} of the
 * fault-free system is measured, so that the seed places code faults, failstops and hangs only on
 * hypervisor code the system runs (a fault that still never fires is not activated, never a
 * success); and the golden run is run. Each executor (one per worker) restores the snapshot once
 * into its own system, marks a reset point on it, runs the fault-free run once more from there
 * capturing a checkpoint every million cycles, and starts every run from the last checkpoint
 * before its fault is armed (the reference executor of the determinism check and of replays
 * starts every run from the reset point itself).
 */
public final class InjectorBackend implements InjectionBackend {
    private final CampaignSpec spec;
    private GoldenRun golden;
    private Snapshot snapshot;
    private SystemUnderTest sut;
    private SiteProfile profile;

    public InjectorBackend(CampaignSpec spec) {
        this.spec = spec;
    }

    @Override
    public String unsupported(RunTask task) {
        return unsupportedTarget(spec.system(), task.target());
    }

    /** Why faults cannot go to {@code target} (text form) in {@code system}, or null when they can. */
    public static String unsupportedTarget(SystemSpec system, String target) {
        Target t;
        try {
            t = Target.parse(target);
        } catch (RuntimeException e) {
            return "target '" + target + "' is not a target of the fault injector: " + e.getMessage();
        }
        if (t.kind() == Target.Kind.DRIVER && !system.isIo()) {
            return "target '" + target + "': the host-built campaign system has no driver domain";
        }
        if (t.kind() == Target.Kind.APPVM && !system.appvms().contains(t.name())) {
            return "target '" + target + "': the campaign system has no AppVM '" + t.name() + "'";
        }
        return null;
    }

    @Override
    public synchronized GoldenRun prepare() {
        if (golden != null) {
            return golden;
        }
        BootSpec boot;
        Map<String, GuestImage> images;
        try {
            boot = CampaignSystem.bootSpec(spec.system());
            images = CampaignSystem.images(spec.system(), boot);
        } catch (GuestImageException e) {
            throw new IllegalStateException("the campaign's guest images cannot be loaded: " + e.getMessage(), e);
        }
        try (HostSystem system = new HostSystem(systemConfig(spec))) {
            system.boot(boot);
            snapshot = system.snapshot();
        }
        sut = new SystemUnderTest(null, null, snapshot, images, this::judge, d -> true,
                RecoveryPolicy.all(), RecoveryMode.MICROREBOOT);
        profile = SiteProfile.measure(sut, spec.limits().maxCycles());
        golden = goldenRun();
        return golden;
    }

    /** The machine shape and seed of the campaign's system (its devices' seed derives from the root seed). */
    static SystemConfig systemConfig(CampaignSpec spec) {
        return SystemConfig.defaults(machineSeed(spec.rootSeed()));
    }

    /** The seed of the machine a campaign with root seed {@code rootSeed} boots (its devices, its peer). */
    public static long machineSeed(long rootSeed) {
        return Seeds.derive(rootSeed, "system");
    }

    /** The injector's view of the VMs at the end of a run (the campaign's verdicts come from {@link CampaignSystem#ends}). */
    private List<VmResult> judge(HostSystem system, boolean finished) {
        List<VmResult> out = new ArrayList<>();
        int domid = 0;
        for (VmEnd v : CampaignSystem.ends(system, spec.system())) {
            VmEnd g = golden == null ? null : golden.vm(v.name());
            boolean correct = v.state() == VmEnd.State.FINISHED && v.exitCode() == 0
                    && (g == null || g.digest().equals(v.digest()));
            out.add(new VmResult(domid++, v.name(), correct ? VmResult.CORRECT : v.state().name().toLowerCase(
                    java.util.Locale.ROOT), v.digest(), g == null ? "" : g.digest(), -1, v.state().name(), v.exitCode(),
                    null));
        }
        return out;
    }

    /** The snapshot run without any fault to the end: the golden outputs every run is judged against. */
    private GoldenRun goldenRun() {
        try (HostSystem system = HostSystem.restore(snapshot)) {
            boolean finished = system.runUntilShutdown(spec.limits().maxCycles(), d -> true);
            if (!finished) {
                throw new IllegalStateException("the golden run of campaign " + spec.name() + " did not finish within "
                        + spec.limits().maxCycles() + " virtual cycles (limits.max-cycles)");
            }
            List<VmEnd> vms = CampaignSystem.ends(system, spec.system());
            String unclean = CampaignSystem.unclean(spec.system(), vms);
            if (unclean != null) {
                throw new IllegalStateException("the golden run of campaign " + spec.name() + " is not clean: " + unclean);
            }
            return new GoldenRun(vms, system.stateHash(), system.machine().nowCycles());
        }
    }

    @Override
    public InjectorExecutor newExecutor() {
        if (golden == null) {
            throw new IllegalStateException("prepare() first");
        }
        return new InjectorExecutor(this, true);
    }

    @Override
    public InjectorExecutor newReferenceExecutor() {
        if (golden == null) {
            throw new IllegalStateException("prepare() first");
        }
        return new InjectorExecutor(this, false);
    }

    CampaignSpec spec() {
        return spec;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    SystemUnderTest sut() {
        return sut;
    }

    /** The fault-free run's executed hypervisor sites (measured by {@link #prepare}). */
    public SiteProfile profile() {
        return profile;
    }

    /** The golden run ({@link #prepare} first). */
    public GoldenRun golden() {
        return golden;
    }

    /**
     * The resolver the campaign's runs resolve plans with: the campaign system's guest images and
     * domains, and the site profile ({@link #prepare} first).
     */
    public PlanResolver planResolver() {
        if (golden == null) {
            throw new IllegalStateException("prepare() first");
        }
        return PlanResolver.forSystem(sut, InjectorExecutor.limits(spec), profile);
    }
}
