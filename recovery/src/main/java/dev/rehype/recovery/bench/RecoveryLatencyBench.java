package dev.rehype.recovery.bench;

import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.PointTransformer;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.recovery.RecoveryMode;
import dev.rehype.recovery.RecoveryPhase;
import dev.rehype.recovery.RecoveryReport;
import dev.rehype.recovery.Rehype;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-process recovery latency, measured rather than modelled: a system runs its workloads while a
 * failstop is armed again and again at a point every trap into the hypervisor passes (right after
 * the trapping vCPU's context is saved, so the interrupted guest simply resumes); each recovery
 * is timed wall clock from detection to guests resumed, as {@link RecoveryReport} records it.
 *
 * <p>On a system Dom0 builds (the standard system) the failures start only once Dom0 has built
 * every domain, seen in the domain list: every VM of {@link StandardSystem#vms()} is there and has
 * run, so no failure strikes while Dom0's domctls are building domains.
 *
 * <p>The loop is bounded: a failure that has not struck within the plan's cycle bound is an
 * error, a lost system is an error, and a system that finishes its workloads is judged and
 * replaced by a freshly booted one so that failures keep being hit; the last system is run to its
 * end, without failures, once the recoveries are measured, and judged too. The standard system is
 * judged as {@link StandardSystem#report} judges it (every VM correct, the peer saw no wrong
 * response) with an empty audit; the host-built ones by every domain exiting 0 and an empty audit.
 * Guests run {@code gapCycles} between two failures.
 */
public final class RecoveryLatencyBench {
    /** Where the repeated failures strike: inside every trap, after the context is saved. */
    public static final FaultPoint POINT = FaultPoint.after("Hypervisor", "onTrap", "Hypervisor.saveContext", 1);
    /** Virtual cycles the machine runs between two looks for the armed failure. */
    static final long SLICE_CYCLES = 100_000;
    /** Systems booted at most for one configuration before the bench gives up. */
    static final int MAX_SYSTEMS = 64;
    /** Virtual cycles Dom0 gets to build every domain of the standard system before the bench gives up. */
    static final long MAX_BUILD_CYCLES = 2_000_000_000L;

    /** Observes the bench as it goes (progress lines); all methods default to nothing. */
    public interface Progress {
        Progress NONE = new Progress() {
        };

        /** A system was booted for {@code what} (wall time to build it). */
        default void booted(String what, long bootNanos) {
        }

        /** {@code done} of {@code total} recoveries (warm-up included) are behind. */
        default void recovered(int done, int total) {
        }
    }

    private RecoveryLatencyBench() {
    }

    /**
     * Measures {@code plan.recoveries()} recoveries of {@code system} in {@code mode}, after the
     * plan's warm-up recoveries.
     *
     * @throws RecoveryBenchException when a failure stops striking, a recovery fails, or too many
     *         systems are used up
     */
    public static RecoveryLatency measure(BenchSystem system, RecoveryMode mode, RecoveryBenchPlan plan,
                                          Progress progress) throws RecoveryBenchException {
        return measure(system, mode, plan, progress, POINT);
    }

    /** As above, with the failures placed at {@code point} (which must be hit again and again). */
    static RecoveryLatency measure(BenchSystem system, RecoveryMode mode, RecoveryBenchPlan plan, Progress progress,
                                   FaultPoint point) throws RecoveryBenchException {
        int total = plan.warmupRecoveries() + plan.recoveries();
        long[] nanos = new long[plan.recoveries()];
        Map<String, List<Long>> phaseNanos = new LinkedHashMap<>();
        long[] preparation = new long[plan.recoveries()];
        long[] cpu = new long[plan.recoveries()];
        int booted = 0;
        int finished = 0;
        int correct = 0;
        long failuresStart = 0;
        double appVmMib = 0;
        Run run = null;
        try {
            for (int i = 0; i < total; i++) {
                long waited = 0;
                RecoveryReport report = null;
                while (report == null) {
                    if (run == null || run.finished()) {
                        if (run != null) {
                            finished++;
                            correct += run.correct() ? 1 : 0;
                            run.close();
                            run = null;
                        }
                        if (booted == MAX_SYSTEMS) {
                            throw new RecoveryBenchException(system.describe() + ", " + mode + ": " + MAX_SYSTEMS
                                    + " systems finished their workloads after only " + i + " recoveries");
                        }
                        long t0 = System.nanoTime();
                        run = Run.boot(system, mode, plan.seed() + booted, point);
                        booted++;
                        failuresStart = Math.max(failuresStart, run.failuresStartCycles());
                        appVmMib = Math.max(appVmMib, run.appVmMib());
                        progress.booted(system.describe(), System.nanoTime() - t0);
                        waited = 0;
                    }
                    if (waited >= plan.maxCyclesPerRecovery()) {
                        throw new RecoveryBenchException(system.describe() + ", " + mode + ": the failure armed at "
                                + point + " did not strike within " + plan.maxCyclesPerRecovery()
                                + " cycles (recovery " + (i + 1) + " of " + total + ")");
                    }
                    report = run.failOnce(SLICE_CYCLES);
                    waited += SLICE_CYCLES;
                }
                if (!report.completed()) {
                    throw new RecoveryBenchException(system.describe() + ", " + mode + ": recovery " + (i + 1)
                            + " failed: " + report.failure());
                }
                if (i >= plan.warmupRecoveries()) {
                    nanos[i - plan.warmupRecoveries()] = report.totalWallNanos();
                    preparation[i - plan.warmupRecoveries()] = run.preparationNanos();
                    cpu[i - plan.warmupRecoveries()] = run.recoveryCpuNanos();
                    for (RecoveryPhase p : report.phases()) {
                        phaseNanos.computeIfAbsent(phaseName(p.name()), k -> new ArrayList<>()).add(p.wallNanos());
                    }
                }
                progress.recovered(i + 1, total);
                run.runGuests(plan.gapCycles());
            }
            if (run.runToEnd(StandardSystem.DEFAULT_MAX_CYCLES)) {
                finished++;
                correct += run.correct() ? 1 : 0;
            }
        } finally {
            if (run != null) {
                run.close();
            }
            Probes.clear();
        }
        List<RecoveryLatency.PhaseMedian> phases = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : phaseNanos.entrySet()) {
            long[] sorted = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            phases.add(new RecoveryLatency.PhaseMedian(e.getKey(), RecoveryLatency.quantile(sorted, 0.5)));
        }
        java.util.Arrays.sort(preparation);
        return new RecoveryLatency(system, mode, nanos, cpu, phases, RecoveryLatency.quantile(preparation, 0.5), booted,
                finished, correct, failuresStart, appVmMib);
    }

    /** Every VM of the standard system is in the list under its domid and name and has run (or already stopped). */
    static boolean everyDomainBuilt(List<DomainStatus> domains) {
        List<StandardSystem.Vm> vms = StandardSystem.vms();
        for (int domid = 0; domid < vms.size(); domid++) {
            String name = vms.get(domid).name();
            int id = domid;
            boolean built = domains.stream().anyMatch(d -> d.domid() == id && d.name().equals(name)
                    && (d.instructions() > 0 || d.isShutdown()));
            if (!built) {
                return false;
            }
        }
        return true;
    }

    /** Phase names without their per-recovery detail ("re-attach (generation 7)" → "re-attach"). */
    static String phaseName(String name) {
        int paren = name.indexOf(" (");
        return paren < 0 ? name : name.substring(0, paren);
    }

    /** One booted system with ReHype around it and the bench's fault point instrumented. */
    private static final class Run implements AutoCloseable {
        private final HostSystem host;
        private final Rehype rehype;
        private final PointTransformer points;
        private final FaultPoint point;
        private final ScratchWarmup warmup;
        private final BenchSystem system;
        private final long failuresStartCycles;
        private int seen;

        private Run(HostSystem host, Rehype rehype, PointTransformer points, FaultPoint point, ScratchWarmup warmup,
                    BenchSystem system, long failuresStartCycles) {
            this.host = host;
            this.rehype = rehype;
            this.points = points;
            this.point = point;
            this.warmup = warmup;
            this.system = system;
            this.failuresStartCycles = failuresStartCycles;
        }

        static Run boot(BenchSystem system, RecoveryMode mode, long seed, FaultPoint point)
                throws RecoveryBenchException {
            PointTransformer points = new PointTransformer(List.of(point));
            SystemConfig c = system.config();
            SystemConfig config = new SystemConfig(c.cpus(), seed, c.machineMemoryBytes(), c.maxDomains(),
                    c.maxVcpus());
            ScratchWarmup warmup = null;
            HostSystem host = null;
            try {
                warmup = system.dom0Built()
                        ? ScratchWarmup.forStandardSystem(config, system.mibPerVm(), ScratchWarmup.DEFAULT_ROUNDS)
                        : ScratchWarmup.forSystem(config, system.domains(), ScratchWarmup.DEFAULT_ROUNDS);
                HypervisorImage image = HypervisorImage.transformed(points);
                if (mode == RecoveryMode.MICRORESET) {
                    // microreset recovers with the running image's own code: make it warm the same way
                    warmup.warm(image);
                }
                host = new HostSystem(config, image);
                Rehype rehype = new Rehype(host, RecoveryPolicy.all(), mode,
                        () -> HypervisorImage.transformed(new PointTransformer(List.of(point))),
                        mode == RecoveryMode.MICROREBOOT ? warmup : null);
                rehype.setStormLimit(Integer.MAX_VALUE);
                Probes.clear();
                host.boot(system.spec());
                long start = system.dom0Built() ? awaitBuilt(host, rehype, system) : host.machine().nowCycles();
                return new Run(host, rehype, points, point, warmup, system, start);
            } catch (dev.rehype.guests.GuestImageException e) {
                throw new RecoveryBenchException("the scratch system for warming images cannot boot: " + e.getMessage());
            } catch (RecoveryBenchException | RuntimeException | Error e) {
                if (host != null) {
                    host.close();
                }
                if (warmup != null) {
                    warmup.close();
                }
                throw e;
            }
        }

        /**
         * Runs the system (no failure armed) until Dom0 has built every domain of the standard
         * system and each has run, and returns the virtual time then.
         */
        private static long awaitBuilt(HostSystem host, Rehype rehype, BenchSystem system)
                throws RecoveryBenchException {
            long start = host.machine().nowCycles();
            while (!everyDomainBuilt(host.domains())) {
                if (host.machine().nowCycles() - start >= MAX_BUILD_CYCLES || rehype.lost()) {
                    throw new RecoveryBenchException(system.describe() + ": Dom0 had not built every domain within "
                            + MAX_BUILD_CYCLES + " cycles (domains: " + host.domains().stream()
                            .map(d -> d.domid() + " " + d.name() + " " + d.state()).toList() + ")");
                }
                host.machine().run(HostSystem.CHECK_INTERVAL_CYCLES);
            }
            return host.machine().nowCycles();
        }

        long failuresStartCycles() {
            return failuresStartCycles;
        }

        /** The largest AppVM's memory in MiB now (the driver domain is not an AppVM). */
        double appVmMib() {
            int pages = 0;
            for (DomainStatus d : host.domains()) {
                boolean appVm = system.dom0Built() ? d.domid() >= BenchSystem.STANDARD_NON_APPVMS : !d.privileged();
                if (appVm) {
                    pages = Math.max(pages, d.totPages());
                }
            }
            return pages / (double) BenchSystem.PAGES_PER_MIB;
        }

        long recoveryCpuNanos() {
            return rehype.lastRecoveryCpuNanos();
        }

        /** Wall time the pristine image used by the last recovery took to prepare (0 in microreset mode). */
        long preparationNanos() {
            return rehype.lastPreparationNanos();
        }

        /** Arms a failstop at the point's next hit and runs up to {@code cycles}; the recovery, or null. */
        RecoveryReport failOnce(long cycles) throws RecoveryBenchException {
            try {
                rehype.awaitPristine();
            } catch (IllegalStateException e) {
                throw new RecoveryBenchException(e.getMessage());
            }
            Probes.armFailstop(points.points(), point, 1);
            try {
                long start = host.machine().nowCycles();
                while (host.machine().nowCycles() - start < cycles && !rehype.lost() && !finished()) {
                    host.machine().run(Math.min(HostSystem.CHECK_INTERVAL_CYCLES, cycles));
                    if (rehype.reports().size() > seen) {
                        break;
                    }
                }
            } finally {
                Probes.clear();
            }
            if (rehype.lost()) {
                throw new RecoveryBenchException("the system was lost: " + rehype.lostReason());
            }
            List<RecoveryReport> reports = rehype.reports();
            if (reports.size() == seen) {
                return null;
            }
            seen = reports.size();
            return reports.get(seen - 1);
        }

        void runGuests(long cycles) {
            if (cycles > 0 && !finished()) {
                host.machine().run(cycles);
            }
        }

        /** Runs the guests, no failure armed, until every domain has shut down or {@code maxCycles}; true if they have. */
        boolean runToEnd(long maxCycles) {
            Probes.clear();
            return host.runUntilShutdown(maxCycles, d -> true) && !rehype.lost();
        }

        boolean finished() {
            for (DomainStatus d : host.domains()) {
                if (!d.isShutdown()) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The standard system: every VM correct and the peer saw nothing wrong, as
         * {@link StandardSystem#report} judges it; a host-built one: every domain exited 0
         * (poweroff). Either way the hypervisor's audit finds nothing.
         */
        boolean correct() {
            if (system.dom0Built()) {
                return StandardSystem.report(host.config().seed(), host, true, system.mibPerVm()).allCorrect() && host.audit().isEmpty();
            }
            for (DomainStatus d : host.domains()) {
                if (d.shutdownReason() != DomainStatus.REASON_POWEROFF || d.shutdownCode() != 0) {
                    return false;
                }
            }
            return host.audit().isEmpty();
        }

        @Override
        public void close() {
            try {
                rehype.awaitPristine();
            } catch (IllegalStateException e) {
                // the run is over: a failed preparation no longer matters
            }
            host.close();
            if (warmup != null) {
                warmup.close();
            }
        }
    }
}
