/*
 * The real source of the CPU benchmark's measurements. Our interpreter: the guest image run by the
 * bare monitor (one hart, the program's own instruction count and wall time). Native: the same C
 * source, copied from the class path and compiled with the host's `gcc -O2`; the program times its
 * own work and prints `native_nanos=N`. qemu: the same ELF under `qemu-riscv32` (user mode),
 * timed as a whole process. Every run must exit 0 after printing its ok line. A reference that is
 * not installed is reported as unavailable with a note.
 */
package dev.rehype.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.rehype.cli.CheckFailure;
import dev.rehype.cli.UserError;
import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.machine.monitor.BareConfig;
import dev.rehype.machine.monitor.BareMonitor;
import dev.rehype.machine.monitor.BareRun;

/** Measures the CPU benchmark on our interpreter, natively and under qemu-riscv32. */
public final class GuestCpuBenchProbe implements CpuBenchProbe {

    /** Name of the native reference target. */
    public static final String NATIVE_TARGET = "native gcc -O2";
    /** Name of the qemu reference target. */
    public static final String QEMU_TARGET = "qemu-riscv32";
    /** Class-path directory of the benchmark's C sources. */
    public static final String SOURCE_DIR = "guests/riscv/bench";
    /** The C files of the native build (the benchmark and its hosted runtime). */
    public static final List<String> NATIVE_SOURCES = List.of("cpu.c", "sys_native.c");
    /** Longest a host process (compiler, native run, qemu run) may take. */
    public static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(GuestCpuBenchProbe.class);
    private static final Pattern NATIVE_NANOS = Pattern.compile("(?m)^native_nanos=(\\d+)\\s*$");
    /** The benchmark's success line ends with the word "ok" ("bench cpu: crc=... mix=... ok"). */
    private static final Pattern OK_LINE = Pattern.compile("(?m)^(?!.*\\b(?:not ok|FAIL)\\b).*[ \\t]ok[ \\t\\r]*$");
    private static final int OUTPUT_TAIL_LINES = 8;

    private final CpuBenchPlan plan;
    private final GuestImage image;
    private final BareConfig config;
    private Path workDir;

    private GuestCpuBenchProbe(CpuBenchPlan plan, GuestImage image, BareConfig config) {
        this.plan = plan;
        this.image = image;
        this.config = config;
    }

    /**
     * Loads the plan's image and prepares the bare monitor's configuration with the plan's cycle budget.
     *
     * @throws UserError if the image is missing or is not a RISC-V executable the machine can run
     */
    public static CpuBenchProbe open(CpuBenchPlan plan) {
        GuestImage image;
        try {
            image = GuestImage.load(plan.imageName());
        } catch (GuestImageException e) {
            throw new UserError(e.getMessage(), e);
        }
        BareConfig config = BareConfig.defaults().withMaxCycles(plan.maxCycles());
        LOG.debug("cpu bench: {} with {}", plan.imageName(), config);
        return new GuestCpuBenchProbe(plan, image, config);
    }

    @Override
    public InterpreterSample runInterpreter() {
        BareRun run = BareMonitor.run(image, config);
        LOG.debug("interpreter run: exited={} exitCode={} instructions={} cycles={} wallNanos={} stop={}",
                run.exited(), run.exitCode(), run.instructions(), run.cycles(), run.wallNanos(), run.stopReason());
        String what = plan.imageName() + " on the interpreter";
        if (!run.exited()) {
            throw new CheckFailure(what + " did not exit: " + run.stopReason() + tail(run.console()));
        }
        checkPassed(what, run.exitCode(), run.console());
        return new InterpreterSample(run.instructions(), run.wallNanos());
    }

    @Override
    public ReferenceTiming timeNative() {
        Optional<Path> gcc = HostProcess.onPath("gcc");
        if (gcc.isEmpty()) {
            return ReferenceTiming.unavailable(NATIVE_TARGET, "gcc not found on PATH");
        }
        Path dir = workDir().resolve("native");
        List<String> copied = ClasspathDirectory.copy(loader(), SOURCE_DIR, NATIVE_SOURCES.getFirst(), dir);
        LOG.debug("native sources in {}: {}", dir, copied);
        List<String> compile = new ArrayList<>(List.of(gcc.get().toString(), "-O2", "-o", "cpu-native", "-I."));
        compile.addAll(NATIVE_SOURCES);
        ProcessOutcome build = HostProcess.run(compile, dir, PROCESS_TIMEOUT);
        if (build.exitCode() != 0) {
            String firstError = build.output().lines().filter(l -> l.contains("error")).findFirst()
                    .orElse(build.output().lines().findFirst().orElse("exit code " + build.exitCode()));
            LOG.warn("{} failed; no native reference: {}", String.join(" ", compile), firstError.strip());
            return ReferenceTiming.unavailable(NATIVE_TARGET, "gcc -O2 failed: " + firstError.strip());
        }
        List<String> command = List.of(dir.resolve("cpu-native").toString());
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < plan.warmupRuns() + plan.runs(); i++) {
            ProcessOutcome run = HostProcess.run(command, dir, PROCESS_TIMEOUT);
            checkPassed("the native build of " + plan.imageName(), run.exitCode(), run.output());
            Matcher m = NATIVE_NANOS.matcher(run.output());
            if (!m.find()) {
                throw new CheckFailure("the native build of " + plan.imageName() + " did not print native_nanos=N" + tail(run.output()));
            }
            long workNanos = Math.max(1, Long.parseLong(m.group(1)));
            LOG.debug("native run {}: {} ns of work, {} ns as a process", i + 1, workNanos, run.elapsedNanos());
            if (i >= plan.warmupRuns()) {
                nanos.add(workNanos);
            }
        }
        return ReferenceTiming.measured(NATIVE_TARGET, nanos);
    }

    @Override
    public ReferenceTiming timeQemu() {
        Optional<Path> qemu = HostProcess.onPath("qemu-riscv32");
        if (qemu.isEmpty()) {
            return ReferenceTiming.unavailable(QEMU_TARGET, "qemu-riscv32 not found on PATH");
        }
        Path dir = workDir();
        Path elf = dir.resolve("cpu.elf");
        ClasspathDirectory.copyFile(loader(), GuestImage.RESOURCE_ROOT + plan.imageName(), elf);
        if (!elf.toFile().setExecutable(true, true)) { // qemu's user mode refuses to load a file it could not exec
            throw new IllegalStateException("cannot make " + elf + " executable");
        }
        List<String> command = List.of(qemu.get().toString(), elf.toString());
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < plan.warmupRuns() + plan.runs(); i++) {
            ProcessOutcome run = HostProcess.run(command, dir, PROCESS_TIMEOUT);
            checkPassed(plan.imageName() + " under qemu-riscv32", run.exitCode(), run.output());
            LOG.debug("qemu run {}: {} ns", i + 1, run.elapsedNanos());
            if (i >= plan.warmupRuns()) {
                nanos.add(Math.max(1, run.elapsedNanos()));
            }
        }
        return ReferenceTiming.measured(QEMU_TARGET, nanos);
    }

    @Override
    public void close() {
        if (workDir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(workDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the benchmark's temporary directory {}: {}", workDir, e.toString());
        }
        workDir = null;
    }

    /** Whether {@code output} has the benchmark's success line: a line ending with the word "ok", without FAIL. */
    static boolean printedOk(String output) {
        return OK_LINE.matcher(output).find();
    }

    private static void checkPassed(String what, int exitCode, String output) {
        if (exitCode != 0) {
            throw new CheckFailure(what + " exited with code " + exitCode + tail(output));
        }
        if (!printedOk(output)) {
            throw new CheckFailure(what + " exited 0 but did not print its ok line" + tail(output));
        }
    }

    /** The last lines a run printed, indented, for a failure message. */
    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        if (lines.isEmpty()) {
            return " (it printed nothing)";
        }
        List<String> last = lines.subList(Math.max(0, lines.size() - OUTPUT_TAIL_LINES), lines.size());
        return "; it printed" + (last.size() < lines.size() ? " (last " + last.size() + " lines)" : "") + ":\n  | "
                + String.join("\n  | ", last);
    }

    private Path workDir() {
        if (workDir == null) {
            try {
                workDir = Files.createTempDirectory("rehype-bench-cpu-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory", e);
            }
        }
        return workDir;
    }

    private static ClassLoader loader() {
        return GuestCpuBenchProbe.class.getClassLoader();
    }
}
