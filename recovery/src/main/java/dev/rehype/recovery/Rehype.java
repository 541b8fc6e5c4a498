package dev.rehype.recovery;

import dev.rehype.hypervisor.image.HangDetected;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.image.RepairResult;
import dev.rehype.hypervisor.image.Watchdog;
import dev.rehype.hypervisor.image.WatchdogExpired;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.machine.Hart;
import dev.rehype.machine.TrapCause;
import dev.rehype.machine.TrapHandler;
import dev.rehype.region.PreservedRegion;
import dev.rehype.region.RegionException;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.PerCpuLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * ReHype around a running system: it stands between the machine and the hypervisor, and when an
 * exception escapes the hypervisor's code (detection: a panic; the {@link Watchdog}, which it
 * starts at every trap, expiring on a CPU inside the hypervisor past its bound of virtual time; a
 * spin on a lock nobody can release), it recovers on the spot, inside the trap
 * of the failed CPU — microreboot (a pristine image, prepared in advance, takes over the
 * preserved state in recovery mode) or microreset (the same image resets itself) — then the
 * failed CPU returns to its guest and the others carry on. Every recovery yields a
 * {@link RecoveryReport}. A failure during recovery, or too many recoveries in a row, ends the
 * system: it is reported, never looped on.
 *
 * <p>The pristine image of the next microreboot is loaded as soon as the previous one is used.
 * With an {@link ImageWarmup} it is also made warm — its code run somewhere harmless until the JVM
 * has compiled it — on a thread of its own, off the recovery path; a recovery that comes before
 * it is ready waits for it, and that wait is part of the recovery's time.
 */
public final class Rehype implements TrapHandler {
    /** Virtual cycles charged for a recovery (the model's cost of the reboot path). */
    public static final long MICROREBOOT_CYCLES = 50_000;
    public static final long MICRORESET_CYCLES = 10_000;
    /** Recoveries allowed within {@link #STORM_WINDOW_CYCLES} before the system is declared lost. */
    public static final int STORM_LIMIT = 5;
    public static final long STORM_WINDOW_CYCLES = 5_000_000;
    /**
     * Loop iterations a recovery may run per machine frame, on top of a trap's bound: the repairs
     * walk the frame table and every domain's P2M a few times (see {@link Watchdog#loop}).
     */
    public static final long RECOVERY_LOOPS_PER_FRAME = 64;

    private final HostSystem system;
    private final RecoveryPolicy policy;
    private final RecoveryMode mode;
    private final List<RecoveryReport> reports = new ArrayList<>();
    private final java.util.function.Supplier<HypervisorImage> images;
    private HypervisorImage pristine;
    private final ImageWarmup warmup;
    /** The thread preparing {@link #next}, or null when {@link #pristine} is ready. */
    private Thread preparing;
    private volatile HypervisorImage next;
    private volatile RuntimeException preparationFailure;
    private volatile long preparationNanos;
    private long lastRecoveryCpuNanos;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private int stormLimit = STORM_LIMIT;
    private Watchdog watchdog = new Watchdog(Watchdog.DEFAULT_BOUND_CYCLES);
    private boolean lost;
    private String lostReason;

    public Rehype(HostSystem system, RecoveryPolicy policy, RecoveryMode mode) {
        this(system, policy, mode, HypervisorImage::pristine);
    }

    /**
     * As above, with the images a microreboot switches to coming from {@code images} (pristine
     * ones normally; benches that fail on purpose again and again give instrumented ones).
     */
    public Rehype(HostSystem system, RecoveryPolicy policy, RecoveryMode mode,
                  java.util.function.Supplier<HypervisorImage> images) {
        this(system, policy, mode, images, null);
    }

    /**
     * As above, with every pristine image made warm by {@code warmup} (null: loaded and linked
     * only, synchronously) before a microreboot switches to it.
     */
    public Rehype(HostSystem system, RecoveryPolicy policy, RecoveryMode mode,
                  java.util.function.Supplier<HypervisorImage> images, ImageWarmup warmup) {
        this.system = system;
        this.policy = policy;
        this.mode = mode;
        this.images = images;
        this.warmup = warmup;
        prepareImage();
        system.machine().setHypervisor(this);
    }

    /** Makes a freshly loaded image warm: runs its code where it changes nothing of the system. */
    @FunctionalInterface
    public interface ImageWarmup {
        /** Runs {@code image}'s recovery path (on state of its own) until it is compiled; called off the trap path. */
        void warm(HypervisorImage image);
    }

    private void prepareImage() {
        if (mode != RecoveryMode.MICROREBOOT) {
            return;
        }
        if (warmup == null) {
            long t0 = System.nanoTime();
            HypervisorImage image = images.get();
            image.preload();
            pristine = image;
            preparationNanos = System.nanoTime() - t0;
            return;
        }
        pristine = null;
        next = null;
        preparationFailure = null;
        preparing = Thread.ofPlatform().daemon().name("rehype-pristine-image").start(() -> {
            try {
                long t0 = System.nanoTime();
                HypervisorImage image = images.get();
                image.preload();
                warmup.warm(image);
                preparationNanos = System.nanoTime() - t0;
                next = image;
            } catch (RuntimeException e) {
                preparationFailure = e;
            }
        });
    }

    /**
     * Waits until the pristine image of the next microreboot is ready (loaded, and warm when a
     * warm-up was given). Returns at once in microreset mode.
     *
     * @throws IllegalStateException if preparing it failed
     */
    public void awaitPristine() {
        if (preparing != null) {
            boolean interrupted = false;
            while (preparing.isAlive()) {
                try {
                    preparing.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            preparing = null;
            if (preparationFailure != null) {
                throw new IllegalStateException("preparing the pristine image failed: " + preparationFailure,
                        preparationFailure);
            }
            pristine = next;
        }
    }

    /**
     * CPU time the recovering thread itself spent in the last completed recovery (detection to
     * resume): its wall-clock time minus whatever the host's scheduler gave to other threads.
     */
    public long lastRecoveryCpuNanos() {
        return lastRecoveryCpuNanos;
    }

    /** Wall-clock time the last pristine image took to load (and warm), off the recovery path. */
    public long lastPreparationNanos() {
        return preparationNanos;
    }

    @Override
    public long onTrap(Hart hart) {
        if (lost) {
            hart.halt();
            system.machine().stop();
            return 1;
        }
        Watchdog.install(watchdog);
        watchdog.enter(hart.id(), hart.timeCycles());
        try {
            return system.hypervisor().onTrap(hart);
        } catch (RuntimeException failure) {
            long spentCycles = failure instanceof WatchdogExpired expired ? expired.spentCycles()
                    : watchdog.chargedCycles();
            // Recovery runs on the same CPU in the same trap: it starts a fresh watchdog period,
            // whose loop bound grows with the machine's memory (repairs walk the frame table).
            watchdog.enter(hart.id(), hart.timeCycles() + spentCycles, recoveryLoopBound());
            return spentCycles + recover(hart, failure, spentCycles);
        } finally {
            watchdog.leave();
        }
    }

    /**
     * The loop bound of a recovery: {@link #RECOVERY_LOOPS_PER_FRAME} iterations per machine frame
     * on top of a trap's bound.
     */
    private long recoveryLoopBound() {
        return watchdog.boundCycles() + RECOVERY_LOOPS_PER_FRAME * system.machine().memory().frames();
    }

    private long recover(Hart hart, RuntimeException failure, long spentCycles) {
        long t0 = System.nanoTime();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        int cpu = hart.id();
        long rec = system.layout().perCpu(cpu);
        int hypercall = Fields.u32(system.coreState(), rec + PerCpuLayout.ACTIVE) != 0
                ? Fields.u32(system.coreState(), rec + PerCpuLayout.NR) : -1;
        int[] inService = system.machine().interrupts().inService(cpu);
        DetectionKind kind = switch (failure) {
            case WatchdogExpired w -> DetectionKind.WATCHDOG;
            case HangDetected h -> DetectionKind.LOCK_SPIN;
            default -> DetectionKind.PANIC;
        };
        Detection detection = new Detection(kind, cpu, TrapCause.name(hart.trapCause()), hypercall,
                inService.length == 0 ? -1 : inService[0], hart.timeCycles() + spentCycles,
                String.valueOf(failure.getMessage()));
        List<RecoveryPhase> phases = new ArrayList<>();
        long t1 = System.nanoTime();
        phases.add(new RecoveryPhase("detection", t1 - t0, spentCycles));
        if (storm(detection.atCycles())) {
            return giveUp(detection, phases, "more than " + stormLimit + " recoveries within "
                    + STORM_WINDOW_CYCLES + " cycles");
        }
        try {
            HypervisorEntry entry = system.hypervisor();
            long cycles;
            if (mode == RecoveryMode.MICROREBOOT) {
                awaitPristine();
                entry = pristine.instantiate(system.machine(), system.coreState(), system.layout());
                long t2 = System.nanoTime();
                phases.add(new RecoveryPhase("image switch", t2 - t1, 0));
                PreservedRegion attached = PreservedRegion.attach(system.region().segment());
                long generation = attached.bumpGeneration();
                long t3 = System.nanoTime();
                phases.add(new RecoveryPhase("re-attach (generation " + generation + ")", t3 - t2, 0));
                cycles = MICROREBOOT_CYCLES;
            } else {
                cycles = MICRORESET_CYCLES;
            }
            long t4 = System.nanoTime();
            // A failure before the trap saved its vCPU's context leaves the hart as the authority:
            // recovery then saves every CPU's context from its hart, the failed one's included.
            List<RepairResult> repairs = entry.recover(policy, hart.trapContextSaved() ? cpu : -1);
            long t5 = System.nanoTime();
            long repairNanos = 0;
            for (RepairResult r : repairs) {
                repairNanos += r.wallNanos();
            }
            phases.add(new RecoveryPhase("re-initialise", Math.max(0, t5 - t4 - repairNanos), 0));
            for (RepairResult r : repairs) {
                if (r.ran()) {
                    phases.add(new RecoveryPhase("repair " + r.step().label(), r.wallNanos(), 0));
                }
            }
            system.replaceHypervisor(entry);
            long t6 = System.nanoTime();
            phases.add(new RecoveryPhase("resume", t6 - t5, cycles));
            lastRecoveryCpuNanos = THREADS.getCurrentThreadCpuTime() - cpu0;
            reports.add(new RecoveryReport(detection, mode, phases, repairs, system.region().generation(), true, null));
            if (mode == RecoveryMode.MICROREBOOT) {
                prepareImage();
            }
            return cycles;
        } catch (RuntimeException | RegionException again) {
            return giveUp(detection, phases, "recovery failed: " + again);
        }
    }

    private boolean storm(long now) {
        int recent = 0;
        for (RecoveryReport r : reports) {
            if (now - r.detection().atCycles() < STORM_WINDOW_CYCLES) {
                recent++;
            }
        }
        return recent >= stormLimit;
    }

    /**
     * Sets the watchdog's bound: virtual cycles one CPU may spend inside the hypervisor for one
     * trap before it is declared hung (default {@link Watchdog#DEFAULT_BOUND_CYCLES}).
     */
    public void setWatchdogBound(long boundCycles) {
        this.watchdog = new Watchdog(boundCycles);
    }

    public long watchdogBoundCycles() {
        return watchdog.boundCycles();
    }

    /** The most loop iterations one trap or recovery has run here without expiring (see {@link Watchdog#loop}). */
    public long maxLoopIterations() {
        return watchdog.maxLoopIterations();
    }

    /** Allows more recoveries in a row (benches that fail on purpose again and again). */
    public void setStormLimit(int limit) {
        this.stormLimit = limit;
    }

    private long giveUp(Detection detection, List<RecoveryPhase> phases, String why) {
        lost = true;
        lostReason = why;
        reports.add(new RecoveryReport(detection, mode, phases, List.of(), system.region().generation(), false, why));
        for (int c = 0; c < system.machine().hartCount(); c++) {
            system.machine().hart(c).halt();
        }
        system.machine().stop();
        return 1;
    }

    public List<RecoveryReport> reports() {
        return List.copyOf(reports);
    }

    /** True when the system could not be recovered (it is stopped). */
    public boolean lost() {
        return lost;
    }

    public String lostReason() {
        return lostReason;
    }
}
