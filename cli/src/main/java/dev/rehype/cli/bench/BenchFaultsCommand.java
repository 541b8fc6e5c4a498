/*
 * `rehype bench faults`: what the fault injector's bytecode instrumentation costs — the standard
 * system with the pristine hypervisor image against the image with a value probe after every
 * value-producing instruction (see dev.rehype.fault.bench.InstrumentationOverhead).
 */
package dev.rehype.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.UserError;
import dev.rehype.cli.VersionProvider;
import dev.rehype.fault.bench.InstrumentationOverhead;
import dev.rehype.guests.GuestImageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code bench faults} command. */
@Command(name = "faults",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Overhead of the fully instrumented hypervisor image (a probe after every value-producing "
                + "instruction) on the standard system, against the pristine image.")
public final class BenchFaultsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--seed", description = "Seed of the standard system (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    private long seed;

    @Option(names = "--runs", description = "Measured runs of each image (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    private int runs;

    @Option(names = "--warmup", description = "Warm-up runs of each image (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    private int warmup;

    @Override
    public Integer call() {
        if (runs < 1 || warmup < 0) {
            throw new UserError("--runs must be at least 1 and --warmup at least 0, got " + runs + " and " + warmup);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "bench faults: seed=%d runs=%d warmup=%d system=standard%n", seed, runs, warmup);
        out.flush();
        InstrumentationOverhead.Result r;
        try {
            r = InstrumentationOverhead.measure(seed, warmup, runs);
        } catch (GuestImageException e) {
            throw new UserError(e.getMessage(), e);
        }
        out.printf(Locale.ROOT, "  probed sites            %d value-producing instructions%n", r.probedSites());
        out.printf(Locale.ROOT, "  virtual cycles per run  %d%n", r.virtualCycles());
        out.printf(Locale.ROOT, "  probes run per run      %d%n", r.probesPerRun());
        out.printf(Locale.ROOT, "  pristine image          %.1f ms (median wall clock)%n", r.pristineMedianNanos() / 1e6);
        out.printf(Locale.ROOT, "  instrumented image      %.1f ms (median wall clock)%n", r.instrumentedMedianNanos() / 1e6);
        out.printf(Locale.ROOT, "  overhead                %+.1f %% (%.1f ns per probe)%n", r.overheadPercent(),
                r.nanosPerProbe());
        out.printf(Locale.ROOT, "  image build and load    %.1f ms (rewrite and define every core class)%n",
                r.imageBuildNanos() / 1e6);
        out.printf(Locale.ROOT, "  same final state        %s%n", r.sameFinalState() ? "yes" : "NO");
        out.flush();
        return r.sameFinalState() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
