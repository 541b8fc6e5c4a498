package dev.rehype.fault;

import dev.rehype.fault.hv.EntryHook;
import dev.rehype.fault.hv.FaultRuntime;
import dev.rehype.fault.hv.FaultTransformer;
import dev.rehype.fault.hv.HypervisorGate;
import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;
import dev.rehype.hypervisor.image.ClassTransformer;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.PointTransformer;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.hypervisor.system.Checkpoint;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.VmResult;
import dev.rehype.recovery.RecoveryMode;
import dev.rehype.recovery.Rehype;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * One injection run: the plan resolved from the seed, the hypervisor image instrumented for its
 * hypervisor faults only (no fault in the hypervisor: the pristine image), the system booted or
 * restored, ReHype around the hypervisor (microreboots switch to pristine images, so a code fault
 * dies with the failed image), and the run driven to each fault's trigger time, armed there, and
 * on to the end: every awaited domain shut down, the system lost, or the cycle limit.
 *
 * <p>On a {@link PreparedSystem} with checkpoints, the run starts from the last checkpoint of the
 * fault-free run at or before its first fault's arming time instead of the reset point (the same
 * state, not emulated again; the run's start and limits stay counted from the reset point), and
 * on the pristine image until a hypervisor fault that needs the instrumented image is armed
 * (then the instance is replaced by one of that image taking over its heap state).
 *
 * <p>Deterministic: the same system, plan and seed give the same result, final state hash
 * included (wall-clock time aside). Runs on the calling thread; parallel runs on other threads
 * share nothing.
 */
public final class InjectionRun {
    /** Virtual cycles between two looks at the domains and at ReHype. */
    static final long CHUNK_CYCLES = 1_000_000;

    /** The image microreboots switch to and fault-free runs use, loaded once and shared (the core keeps no static state). */
    private static final HypervisorImage PRISTINE = HypervisorImage.pristine();

    /** Instrumented images by what they instrument, shared between runs and threads (faults are armed per thread). */
    private static final ImageCache IMAGES = new ImageCache(64);

    private InjectionRun() {
    }

    /**
     * Runs {@code plan} against {@code sut} with {@code seed} (which chooses whatever the plan left
     * open) within {@code limits}.
     *
     * @throws FaultPlanException when the plan names something that does not exist
     */
    public static InjectionResult execute(SystemUnderTest sut, FaultPlan plan, long seed, InjectionLimits limits) {
        return execute(sut, plan, seed, limits, null);
    }

    /**
     * As above, with the seed's choices of hypervisor code-fault sites and failstop points made
     * among the sites {@code profile} (measured once on the fault-free system) saw executed.
     */
    public static InjectionResult execute(SystemUnderTest sut, FaultPlan plan, long seed, InjectionLimits limits,
                                          SiteProfile profile) {
        return execute(null, sut, plan, seed, limits, profile);
    }

    /**
     * As above, on {@code prepared}'s system put back to its reset point (with the run's image)
     * instead of a system booted or restored for the run; {@code sut} gives the images, the judge,
     * the awaited domains and the recovery. The system stays as the run left it. A null
     * {@code prepared} boots or restores as {@code sut} says.
     */
    public static InjectionResult execute(PreparedSystem prepared, SystemUnderTest sut, FaultPlan plan, long seed,
                                          InjectionLimits limits, SiteProfile profile) {
        long wall0 = System.nanoTime();
        SiteCatalog catalog = SiteCatalog.core();
        FaultPlan resolved = PlanResolver.forSystem(sut, limits, profile).resolve(plan, seed);

        BitSet values = new BitSet();
        BitSet mutants = new BitSet();
        List<FaultPoint> points = new ArrayList<>();
        for (Fault f : resolved.faults()) {
            if (!f.target().isHypervisor()) {
                continue;
            }
            switch (f) {
                case RegisterFault r when r.site().equals("*") -> catalog.valueSites().forEach(s -> values.set(s.id()));
                case RegisterFault r -> values.set(catalog.byKey(r.site()).orElseThrow().id());
                case CodeFault c -> mutants.set(catalog.byKey(c.site()).orElseThrow().id());
                case FailstopFault s -> points.add(ProbePoints.parse(s.site()));
                case HangFault h -> points.add(ProbePoints.parse(h.site()));
                default -> {
                }
            }
        }
        if (points.size() > 1) {
            throw new FaultPlanException("at most one failstop or hang in the hypervisor per plan, got " + points.size());
        }
        boolean instrumented = !values.isEmpty() || !mutants.isEmpty() || !points.isEmpty();
        if (sharedImages) {
            // Instrument every site of each kind a fault needs, so that runs share a few images
            // (and their compiled code) instead of loading and compiling one per site: a probe
            // or guard fires only for the site its fault armed, so the others change nothing.
            if (!values.isEmpty()) {
                catalog.valueSites().forEach(s -> values.set(s.id()));
            }
            if (!mutants.isEmpty()) {
                catalog.mutableSites().forEach(s -> mutants.set(s.id()));
            }
            if (points.size() == 1 && points.get(0).anchor() == FaultPoint.Anchor.ENTRY
                    && catalog.methods().contains(points.get(0).className() + "#" + points.get(0).methodName())) {
                points = entryPoints(catalog);
            }
        }
        FaultTransformer sites = new FaultTransformer(catalog, values, mutants);
        PointTransformer probes = new PointTransformer(points);
        ClassTransformer chain = (name, bytes) -> probes.transform(name, sites.transform(name, bytes));
        HypervisorImage image = instrumented ? IMAGES.get(values, mutants, points, () -> HypervisorImage.transformed(chain))
                : PRISTINE;

        FaultRuntime runtime = FaultRuntime.install(catalog);
        Probes.clear();
        HostSystem system = null;
        try {
            boolean deferImage = instrumented && switchImages;
            HypervisorImage startImage = deferImage ? PRISTINE : image;
            long startCycles;
            if (prepared != null) {
                system = prepared.system();
                startCycles = prepared.point().cycles();
                Checkpoint from = startingCheckpoint(prepared, resolved, limits);
                if (from != null) {
                    prepared.point().resetTo(system, from, startImage);
                } else {
                    prepared.point().resetTo(system, startImage);
                }
            } else {
                system = sut.snapshot() != null ? HostSystem.restore(sut.snapshot(), startImage)
                        : new HostSystem(sut.config(), startImage);
                startCycles = system.machine().nowCycles();
            }
            Rehype rehype = new Rehype(system, sut.policy(), sut.mode(), () -> PRISTINE);
            if (prepared == null && sut.boot() != null) {
                system.boot(sut.boot());
            }
            List<ArmedFault> armed = new ArrayList<>();
            List<EntryHook> hooks = new ArrayList<>();
            hooks.add(runtime);
            for (int i = 0; i < resolved.faults().size(); i++) {
                Fault f = resolved.faults().get(i);
                ArmedFault a = place(i, f, catalog, runtime, points, system, sut);
                armed.add(a);
                if (a instanceof EntryHook h) {
                    hooks.add(h);
                }
            }
            system.machine().setHypervisor(new HypervisorGate(rehype, hooks));

            long start = startCycles;
            PreparedSystem.ChunkWatch watch = prepared != null && prepared.watch() != null ? prepared.watch()
                    : (sys, r) -> { };
            ImageSwitch switcher = new ImageSwitch(system, deferImage ? image : null, sut.mode(), armed);
            boolean finished = drive(system, rehype, sut, armed, start, limits.maxCycles(), watch, switcher);
            List<Activation> activations = new ArrayList<>();
            for (ArmedFault a : armed) {
                activations.add(a.activation());
            }
            List<VmResult> vms;
            List<String> audit = new ArrayList<>();
            try {
                vms = sut.judge().judge(system, finished);
            } catch (RuntimeException e) {
                vms = List.of();
                audit.add("the host could not read the domains: " + e);
            }
            if (rehype.lost()) {
                audit.add("system lost: " + rehype.lostReason());
            } else {
                try {
                    audit.addAll(system.audit());
                } catch (RuntimeException e) {
                    audit.add("audit failed: " + e);
                }
            }
            long cycles = system.machine().nowCycles() - start;
            return new InjectionResult(resolved, seed, activations, rehype.reports(), rehype.lost(), rehype.lostReason(),
                    vms, finished, audit, start, cycles, System.nanoTime() - wall0, system.stateHash());
        } finally {
            FaultRuntime.clear();
            Probes.clear();
            if (prepared == null && system != null) {
                system.close();
            }
        }
    }

    /**
     * Runs {@code prepared}'s system from its reset point without any fault, as an injection run
     * runs before its first fault is armed (the pristine image, ReHype and the gate around it, the
     * same chunks), and captures a checkpoint every {@code everyCycles} of virtual time (a multiple
     * of the run's chunk) until {@code untilCycles} or every awaited domain has shut down. Runs
     * whose first fault is armed later start from the last checkpoint before it, in exactly the
     * state they would have reached; the system is left as this run left it.
     *
     * @throws IllegalArgumentException if {@code everyCycles} is not a positive multiple of the chunk
     * @throws IllegalStateException if the fault-free run needed a recovery
     */
    public static List<Checkpoint> captureCheckpoints(PreparedSystem prepared, SystemUnderTest sut, long untilCycles,
                                                      long everyCycles) {
        if (everyCycles <= 0 || everyCycles % CHUNK_CYCLES != 0) {
            throw new IllegalArgumentException("checkpoints every " + everyCycles + " cycles: must be a positive multiple of "
                    + CHUNK_CYCLES);
        }
        HostSystem system = prepared.system();
        FaultRuntime runtime = FaultRuntime.install(SiteCatalog.core());
        Probes.clear();
        try {
            prepared.point().resetTo(system, PRISTINE);
            Rehype rehype = new Rehype(system, sut.policy(), sut.mode(), () -> PRISTINE);
            system.machine().setHypervisor(new HypervisorGate(rehype, List.of(runtime)));
            long start = prepared.point().cycles();
            List<Checkpoint> out = new ArrayList<>();
            while (!allShutdown(system, sut)) {
                long now = system.machine().nowCycles();
                if (now - start >= untilCycles) {
                    break;
                }
                system.machine().run(Math.min(CHUNK_CYCLES, start + untilCycles - now));
                if (!rehype.reports().isEmpty() || rehype.lost()) {
                    throw new IllegalStateException("the fault-free run from the reset point needed a recovery at cycle "
                            + system.machine().nowCycles() + ": " + rehype.reports());
                }
                long at = system.machine().nowCycles() - start;
                if (at % everyCycles == 0 && at < untilCycles) {
                    out.add(prepared.point().capture(system));
                }
            }
            return List.copyOf(out);
        } catch (HostViewFailed e) {
            throw new IllegalStateException("the host could not read the domains in the fault-free run", e.getCause());
        } finally {
            FaultRuntime.clear();
            Probes.clear();
        }
    }

    /** The checkpoint of {@code prepared} a run of the resolved {@code plan} starts from, or null (the reset point). */
    public static Checkpoint startingCheckpoint(PreparedSystem prepared, FaultPlan plan, InjectionLimits limits) {
        return prepared.checkpointAtOrBefore(prepared.point().cycles() + earliestArm(plan, limits));
    }

    /** The virtual cycles into the run at which its first fault is armed ({@code maxCycles} when none is). */
    public static long earliestArm(FaultPlan resolved, InjectionLimits limits) {
        long earliest = limits.maxCycles();
        for (Fault f : resolved.faults()) {
            earliest = Math.min(earliest, f.trigger().afterCycles());
        }
        return earliest;
    }

    /** A probe at the entry of every method of the core, in the catalog's order. */
    static List<FaultPoint> entryPoints(SiteCatalog catalog) {
        List<FaultPoint> out = new ArrayList<>();
        for (String m : catalog.methods()) {
            int hash = m.indexOf('#');
            String cls = m.substring(0, hash);
            out.add(FaultPoint.entry(cls.substring(cls.lastIndexOf('.') + 1), m.substring(hash + 1)));
        }
        return out;
    }

    /**
     * Whether runs start on the pristine image and switch to the instrumented one only when their
     * first hypervisor fault is armed (a test seam: the result is the same either way).
     */
    static volatile boolean switchImages = true;

    /**
     * Whether a run's instrumented image instruments every site of the kinds its faults need
     * (every value site for a register fault, every mutable site for a code fault, every method
     * entry for a failstop or hang at an entry) rather than only the faults' own sites (a test
     * seam: the result is the same either way).
     */
    static volatile boolean sharedImages = true;

    /**
     * The hypervisor instance of a run replaced, between two chunks, by one of another image taking
     * over its heap state: the instrumented image when the first fault that needs it is armed (what
     * runs before runs without probes), and the pristine one again once every such fault is done
     * with it (a register flip made, a failstop fired). Either way the run reaches the same states
     * as on the instrumented image throughout.
     */
    private static final class ImageSwitch {
        private final HostSystem system;
        private final RecoveryMode mode;
        private final List<ArmedFault> needing = new ArrayList<>();
        private HypervisorImage pending;
        private HypervisorEntry instrumented;

        ImageSwitch(HostSystem system, HypervisorImage image, RecoveryMode mode, List<ArmedFault> armed) {
            this.system = system;
            this.pending = image;
            this.mode = mode;
            for (ArmedFault a : armed) {
                if (a.needsInstrumentedImage()) {
                    needing.add(a);
                }
            }
        }

        /** Switches unless the run is lost or a microreboot already replaced the image it would have run (by the pristine one). */
        void toInstrumented(Rehype rehype) {
            if (pending == null || rehype.lost() || (mode == RecoveryMode.MICROREBOOT && !rehype.reports().isEmpty())) {
                pending = null;
                return;
            }
            instrumented = switchTo(pending);
            pending = null;
        }

        /** After a chunk: back to the pristine image when every fault that needed the instrumented one is done with it. */
        void afterChunk(Rehype rehype) {
            if (instrumented == null || rehype.lost() || system.hypervisor() != instrumented) {
                return;
            }
            for (ArmedFault a : needing) {
                if (!a.doneWithImage()) {
                    return;
                }
            }
            switchTo(PRISTINE);
            instrumented = null;
        }

        private HypervisorEntry switchTo(HypervisorImage image) {
            HypervisorEntry entry = image.instantiate(system.machine(), system.coreState(), system.layout());
            entry.restoreHeap(system.hypervisor().saveHeap());
            system.replaceHypervisor(entry);
            return entry;
        }
    }

    private static ArmedFault place(int i, Fault f, SiteCatalog catalog, FaultRuntime runtime, List<FaultPoint> points,
                                    HostSystem system, SystemUnderTest sut) {
        if (!f.target().isHypervisor()) {
            return new GuestArm(i, f, system, GuestAddresses.imageOf(f.target(), sut.images()));
        }
        return switch (f) {
            case RegisterFault r -> new HvRegisterArm(i, r, catalog, runtime);
            case CodeFault c -> new HvCodeArm(i, c, catalog, runtime);
            case FailstopFault s -> new HvProbeArm(i, s, ProbePoints.parse(s.site()), points, catalog);
            case HangFault h -> new HvProbeArm(i, h, ProbePoints.parse(h.site()), points, catalog);
            case MemoryFault m -> {
                if (m.site().startsWith("heap:")) {
                    String path = m.site().substring("heap:".length());
                    HeapPaths.flip(system.hypervisor(), path, m.bit());
                    HeapPaths.flip(system.hypervisor(), path, m.bit());
                }
                yield new HvMemoryArm(i, m, system);
            }
        };
    }

    /**
     * Runs from {@code start}, arming each fault at its trigger time, to the end: every awaited
     * domain shut down (true), the system lost, the host unable to read the domains, or
     * {@code maxCycles} passed.
     */
    private static boolean drive(HostSystem system, Rehype rehype, SystemUnderTest sut, List<ArmedFault> armed,
                                 long start, long maxCycles, PreparedSystem.ChunkWatch watch, ImageSwitch switcher) {
        List<ArmedFault> order = new ArrayList<>(armed);
        order.sort(Comparator.comparingLong(ArmedFault::armAtCycles));
        List<ArmedFault> done = new ArrayList<>();
        try {
            for (ArmedFault a : order) {
                if (a.armAtCycles() >= maxCycles) {
                    break;
                }
                if (runTo(system, rehype, sut, start, start + maxCycles, start + a.armAtCycles(), done, watch, switcher)) {
                    return true;
                }
                if (rehype.lost()) {
                    return false;
                }
                if (a.needsInstrumentedImage()) {
                    switcher.toInstrumented(rehype);
                }
                a.arm();
                done.add(a);
            }
            return !rehype.lost()
                    && runTo(system, rehype, sut, start, start + maxCycles, start + maxCycles, done, watch, switcher);
        } catch (HostViewFailed e) {
            return false;
        }
    }

    /**
     * Runs until virtual time {@code pauseAt} (at most {@code limit}, the run's end), arming again
     * after each chunk the faults of {@code armed} still pending; true when every awaited domain
     * has shut down. Chunks end on the grid of {@link #CHUNK_CYCLES} counted from {@code origin}
     * (the run's start) or at the limit, as in the fault-free run, and only there does the run
     * look whether it is over. A pause to arm a fault comes at the end of the machine's first
     * window at or after {@code pauseAt} ({@link dev.rehype.machine.Machine#run(long, long)}),
     * never inside a window, so a run whose fault never fires is the fault-free run, cycle for
     * cycle, and ends in its state.
     */
    private static boolean runTo(HostSystem system, Rehype rehype, SystemUnderTest sut, long origin, long limit,
                                 long pauseAt, List<ArmedFault> armed, PreparedSystem.ChunkWatch watch,
                                 ImageSwitch switcher) {
        while (true) {
            long now = system.machine().nowCycles();
            boolean look = (now - origin) % CHUNK_CYCLES == 0 || now >= limit;
            if (look && allShutdown(system, sut)) {
                return true;
            }
            if (now >= pauseAt || rehype.lost()) {
                return false;
            }
            long chunkEnd = Math.min(now + CHUNK_CYCLES - (now - origin) % CHUNK_CYCLES, limit);
            system.machine().run(chunkEnd - now, pauseAt);
            watch.afterChunk(system, rehype);
            for (ArmedFault a : armed) {
                if (a.pending()) {
                    a.arm();
                }
            }
            switcher.afterChunk(rehype);
        }
    }

    /**
     * True when every awaited domain has shut down. The host reads the domains through the
     * hypervisor, from preserved state a fault may have damaged: when that read fails, the run
     * stops here (not finished), and the judge's own read reports it.
     */
    private static boolean allShutdown(HostSystem system, SystemUnderTest sut) {
        List<DomainStatus> domains;
        try {
            domains = system.domains();
        } catch (RuntimeException e) {
            throw new HostViewFailed(e);
        }
        for (DomainStatus d : domains) {
            if (sut.waitFor().test(d) && !d.isShutdown()) {
                return false;
            }
        }
        return true;
    }

    /** The host's read of the domains failed: the run ends. */
    private static final class HostViewFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HostViewFailed(RuntimeException cause) {
            super(cause);
        }
    }

    /** The site a hypervisor code or register fault names, for reports. */
    static Site site(SiteCatalog catalog, String key) {
        return catalog.byKey(key).orElseThrow();
    }
}
