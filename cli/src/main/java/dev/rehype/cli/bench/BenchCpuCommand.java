/*
 * `rehype bench cpu`: how fast our interpreter runs real guest code, next to the same program
 * compiled natively and run under qemu-riscv32. It runs the self-checking guest program
 * bench/cpu.elf (warm-up runs, then measured runs), prints the derived options first, one line per
 * run, and a summary; with --json exactly one JSON object on stdout instead.
 */
package dev.rehype.cli.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code bench cpu} command. */
@Command(name = "cpu",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Measure the interpreter's speed (MIPS) on the self-checking guest program bench/cpu.elf, "
                + "and compare its time with the same C source built by the host's gcc -O2 and with qemu-riscv32 "
                + "(each only when installed). Every run must exit 0 and print its ok line.")
public final class BenchCpuCommand implements Callable<Integer> {

    private final Function<CpuBenchPlan, CpuBenchProbe> probes;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout instead of the text table.")
    private boolean json;

    private int runs = CpuBenchPlan.DEFAULT_RUNS;
    private int warmupRuns = CpuBenchPlan.DEFAULT_WARMUP_RUNS;

    /** Creates the command; {@code probes} opens the measurement source for a plan. */
    public BenchCpuCommand(Function<CpuBenchPlan, CpuBenchProbe> probes) {
        this.probes = probes;
    }

    /** Sets the number of measured runs per target. */
    @Option(names = "--runs", paramLabel = "N", defaultValue = "" + CpuBenchPlan.DEFAULT_RUNS,
            description = "Measured runs per target (default: ${DEFAULT-VALUE}; at least " + CpuBenchPlan.MIN_RUNS + ").")
    void setRuns(int runs) {
        if (runs < CpuBenchPlan.MIN_RUNS) {
            throw new ParameterException(spec.commandLine(),
                    "--runs must be at least " + CpuBenchPlan.MIN_RUNS + ", got " + runs);
        }
        this.runs = runs;
    }

    /** Sets the number of warm-up runs per target. */
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + CpuBenchPlan.DEFAULT_WARMUP_RUNS,
            description = "Unmeasured warm-up runs per target before the measured ones (default: ${DEFAULT-VALUE}).")
    void setWarmupRuns(int warmupRuns) {
        if (warmupRuns < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup must not be negative, got " + warmupRuns);
        }
        this.warmupRuns = warmupRuns;
    }

    @Override
    public Integer call() {
        CpuBenchPlan plan = new CpuBenchPlan(CpuBenchPlan.DEFAULT_IMAGE, runs, warmupRuns, CpuBenchPlan.DEFAULT_MAX_CYCLES);
        String jdk = Runtime.version().toString();
        int hostCpus = Runtime.getRuntime().availableProcessors();
        PrintWriter out = spec.commandLine().getOut();
        CpuBenchProgress progress = CpuBenchProgress.NONE;
        if (!json) {
            out.println(CpuBenchText.header(plan, jdk, hostCpus));
            out.flush();
            progress = new TextProgress(out);
        }
        CpuBenchResult result;
        try (CpuBenchProbe probe = probes.apply(plan)) {
            result = CpuBench.run(plan, probe, progress, jdk, hostCpus);
        }
        out.print(json ? CpuBenchJson.of(result) + System.lineSeparator() : CpuBenchText.summary(result));
        out.flush();
        return ExitCodes.OK;
    }

    /** Shows each run as it ends. */
    private record TextProgress(PrintWriter out) implements CpuBenchProgress {

        @Override
        public void warmupRun(int index, int count, InterpreterSample sample) {
            out.println(CpuBenchText.runLine("warm-up", index, count, sample));
            out.flush();
        }

        @Override
        public void measuredRun(int index, int count, InterpreterSample sample) {
            out.println(CpuBenchText.runLine("run", index, count, sample));
            out.flush();
        }

        @Override
        public void referenceStarted(String target) {
            out.println("  timing " + target + " ...");
            out.flush();
        }
    }
}
