package dev.rehype.fault.bench;

import dev.rehype.fault.hv.FaultRuntime;
import dev.rehype.fault.hv.FaultTransformer;
import dev.rehype.fault.hv.SiteCatalog;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;

import java.util.Arrays;

/**
 * What instrumenting the hypervisor costs: the standard system run to its end with the pristine
 * image (the golden run's) and with the fully instrumented image (a value probe after every
 * value-producing instruction of the core, the runtime counting every probe, none due), in
 * alternation after warm-up runs. Reports median wall-clock times, the overhead, the probes run,
 * the time to build and load the instrumented image, and whether both runs ended in the same
 * state (instrumentation must not change the simulation). Wall-clock time is measured, never used
 * in a decision.
 */
public final class InstrumentationOverhead {
    private InstrumentationOverhead() {
    }

    /** The figures of one bench. */
    public record Result(int runs, int probedSites, long virtualCycles, long pristineMedianNanos,
                         long instrumentedMedianNanos, long probesPerRun, long imageBuildNanos, boolean sameFinalState) {
        /** Instrumented over pristine, minus one, in percent. */
        public double overheadPercent() {
            return 100.0 * (instrumentedMedianNanos - pristineMedianNanos) / pristineMedianNanos;
        }

        /** Extra wall-clock nanoseconds per probe executed. */
        public double nanosPerProbe() {
            return probesPerRun == 0 ? 0 : (double) (instrumentedMedianNanos - pristineMedianNanos) / probesPerRun;
        }
    }

    /** Runs {@code warmup} + {@code runs} pairs with {@code seed}. */
    public static Result measure(long seed, int warmup, int runs) throws GuestImageException {
        SiteCatalog catalog = SiteCatalog.core();
        BootSpec spec = StandardSystem.bootSpec();
        long[] pristine = new long[runs];
        long[] instrumented = new long[runs];
        long probes = 0;
        long cycles = 0;
        long build = Long.MAX_VALUE;
        boolean same = true;
        for (int i = -warmup; i < runs; i++) {
            long t0 = System.nanoTime();
            Run p = run(seed, spec, HypervisorImage.pristine(), null);
            long t1 = System.nanoTime();
            HypervisorImage image = HypervisorImage.transformed(FaultTransformer.everyValue(catalog));
            long b0 = System.nanoTime();
            image.preload();
            build = Math.min(build, System.nanoTime() - b0);
            long t2 = System.nanoTime();
            Run q = run(seed, spec, image, catalog);
            long t3 = System.nanoTime();
            if (i >= 0) {
                pristine[i] = t1 - t0;
                instrumented[i] = t3 - t2;
                probes = q.probes;
                cycles = p.cycles;
                same &= p.hash.equals(q.hash);
            }
        }
        return new Result(runs, catalog.valueSites().size(), cycles, median(pristine), median(instrumented), probes, build,
                same);
    }

    private record Run(long cycles, String hash, long probes) {
    }

    private static Run run(long seed, BootSpec spec, HypervisorImage image, SiteCatalog catalog) {
        FaultRuntime runtime = catalog == null ? null : FaultRuntime.install(catalog);
        if (runtime != null) {
            // A register fault that never comes due (never enabled): every probe takes the path
            // of a run whose fault is still pending, and is counted.
            runtime.armValue(-1, 0, Long.MAX_VALUE, "");
        }
        try (HostSystem system = new HostSystem(SystemConfig.defaults(seed), image)) {
            system.boot(spec);
            system.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES, d -> true);
            return new Run(system.machine().nowCycles(), system.stateHash(),
                    runtime == null ? 0 : runtime.valueExecutions());
        } finally {
            FaultRuntime.clear();
        }
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
