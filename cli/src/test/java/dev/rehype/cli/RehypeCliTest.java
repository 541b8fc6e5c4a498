/*
 * The command line as a user meets it: help and version exit 0; a bad option, a bad value or a
 * missing subcommand gives one line on stderr and exit code 2; failures while running map to their
 * exit codes, with a stack trace only for internal errors and only with --verbose; `bench cpu
 * --json` prints exactly one JSON object on stdout. The benchmark runs on a scripted probe.
 */
package dev.rehype.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rehype.cli.bench.CpuBenchPlan;
import dev.rehype.cli.bench.CpuBenchProbe;
import dev.rehype.cli.bench.InterpreterSample;
import dev.rehype.cli.bench.ReferenceTiming;
import picocli.CommandLine;

class RehypeCliTest {

    /** What one invocation printed and returned. */
    private record Outcome(int exitCode, String out, String err) {
    }

    /** A probe whose runs all retire 1,000 instructions in 10 ns (100,000 MIPS), without gcc, with qemu at 5 ns. */
    private static final Function<CpuBenchPlan, CpuBenchProbe> SCRIPTED = plan -> probe(() -> new InterpreterSample(1_000, 10));

    @AfterEach
    void restoreQuietLogging() {
        LoggingSetup.configure(false, null);
    }

    private static CpuBenchProbe probe(java.util.function.Supplier<InterpreterSample> run) {
        return new CpuBenchProbe() {
            @Override
            public InterpreterSample runInterpreter() {
                return run.get();
            }

            @Override
            public ReferenceTiming timeNative() {
                return ReferenceTiming.unavailable("native gcc -O2", "gcc not found on PATH");
            }

            @Override
            public ReferenceTiming timeQemu() {
                return ReferenceTiming.measured("qemu-riscv32", List.of(5L, 5L, 5L, 5L, 5L));
            }

            @Override
            public void close() {
            }
        };
    }

    private static Outcome rehype(Function<CpuBenchPlan, CpuBenchProbe> probes, String... args) {
        CommandLine cli = RehypeCli.commandLine(probes);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    private static Outcome rehype(String... args) {
        return rehype(SCRIPTED, args);
    }

    @Test
    void helpAndVersionExitZero() {
        Outcome help = rehype("--help");
        assertThat(help.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(help.out()).contains("Usage: rehype").contains("bench").contains("Exit codes:");

        Outcome benchHelp = rehype("bench", "cpu", "--help");
        assertThat(benchHelp.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(benchHelp.out()).contains("--runs=N").contains("--warmup=N").contains("--json");

        Outcome version = rehype("--version");
        assertThat(version.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(version.out()).startsWith("rehype ").contains("JVM ");
    }

    @Test
    void anUnknownOptionIsOneLineWithASuggestionAndExitCodeTwo() {
        Outcome o = rehype("bench", "cpu", "--jsn");
        assertThat(o.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err().lines()).containsExactly(
                "rehype: Unknown option: '--jsn'; did you mean --json? (see 'rehype bench cpu --help')");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void badOptionValuesAreRejectedWithExitCodeTwo() {
        for (String[] args : List.of(
                new String[] {"bench", "cpu", "--runs", "3"},
                new String[] {"bench", "cpu", "--runs", "five"},
                new String[] {"bench", "cpu", "--warmup", "-1"},
                new String[] {"bench", "cpu", "--runs"})) {
            Outcome o = rehype(args);
            assertThat(o.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(o.err().lines()).as(String.join(" ", args)).hasSize(1).allMatch(l -> l.startsWith("rehype: "));
            assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(rehype("bench", "cpu", "--runs", "3").err()).contains("--runs must be at least 5, got 3");
    }

    @Test
    void aMissingSubcommandIsAUsageError() {
        assertThat(rehype().exitCode()).isEqualTo(ExitCodes.USAGE);
        Outcome bench = rehype("bench");
        assertThat(bench.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bench.err()).startsWith("rehype: Missing required subcommand");
        assertThat(rehype("frobnicate").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void jsonModePrintsExactlyOneJsonObjectOnStdout() {
        Outcome o = rehype("bench", "cpu", "--json");
        assertThat(o.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(o.out().lines()).hasSize(1);
        String json = o.out().strip();
        assertThat(json).startsWith("{\"image\":\"bench/cpu.elf\",\"mips\":100000.0,").endsWith("}");
        assertThat(json).contains("\"runs\":5,\"warmup\":1,")
                .contains("\"native_nanos\":null,\"native_ratio\":null,\"native_note\":\"gcc not found on PATH\"")
                .contains("\"qemu_nanos\":5,\"qemu_ratio\":2.0,");
    }

    @Test
    void textModePrintsTheDerivedOptionsFirst() {
        Outcome o = rehype("bench", "cpu", "--runs", "7", "--warmup", "2");
        assertThat(o.exitCode()).isEqualTo(ExitCodes.OK);
        List<String> lines = o.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("bench cpu: image=bench/cpu.elf runs=7 warmup=2 ");
        assertThat(lines).filteredOn(l -> l.startsWith("  warm-up ")).hasSize(2);
        assertThat(lines).filteredOn(l -> l.startsWith("  run ")).hasSize(7);
        assertThat(o.out()).contains("interpreter MIPS").contains("(gcc not found on PATH)");
    }

    @Test
    void globalOptionsAreAcceptedAfterTheSubcommandToo() {
        assertThat(rehype("--verbose", "bench", "cpu", "--json").exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(rehype("bench", "cpu", "--json", "--verbose").exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aFailedCheckExitsThreeWithItsMessage() {
        Outcome o = rehype(plan -> probe(() -> {
            throw new CheckFailure("bench/cpu.elf on the interpreter exited with code 7");
        }), "bench", "cpu");
        assertThat(o.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(o.err()).isEqualTo("rehype: bench/cpu.elf on the interpreter exited with code 7" + System.lineSeparator());
    }

    @Test
    void aUserErrorWhileRunningExitsTwo() {
        Outcome o = rehype(plan -> {
            throw new UserError("bench/cpu.elf: not a RISC-V ELF file");
        }, "bench", "cpu", "--json");
        assertThat(o.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).isEqualTo("rehype: bench/cpu.elf: not a RISC-V ELF file" + System.lineSeparator());
        assertThat(o.out()).isEmpty();
    }

    @Test
    void anInternalErrorShowsItsStackTraceOnlyWithVerbose() {
        Function<CpuBenchPlan, CpuBenchProbe> broken = plan -> probe(() -> {
            throw new IllegalStateException("decoder table corrupt");
        });
        Outcome quiet = rehype(broken, "bench", "cpu");
        assertThat(quiet.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
        assertThat(quiet.err()).contains("rehype: internal error: java.lang.IllegalStateException: decoder table corrupt")
                .contains("--verbose")
                .doesNotContain("\tat ");

        Outcome verbose = rehype(broken, "bench", "cpu", "--verbose");
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
        assertThat(verbose.err()).contains("rehype: internal error:").contains("\tat ");
    }

    @Test
    void theLogFileGetsTheFullDebugLog(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("rehype.log");
        Outcome o = rehype(plan -> probe(() -> {
            throw new IllegalStateException("decoder table corrupt");
        }), "--log-file", log.toString(), "bench", "cpu", "--json");
        assertThat(o.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
        LoggingSetup.configure(false, null); // closes the file appender
        String text = Files.readString(log);
        assertThat(text).contains("DEBUG").contains("internal error").contains("decoder table corrupt").contains("\tat ");
    }

    @Test
    void anUnwritableLogFileIsAUsageError(@TempDir Path dir) {
        Outcome o = rehype("--log-file", dir.resolve("missing/dir/rehype.log").toString(), "bench", "cpu");
        assertThat(o.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).startsWith("rehype: --log-file ").contains("its directory does not exist");
        assertThat(rehype("--log-file", dir.toString(), "bench", "cpu").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void machineInfoPrintsTheMachineDefaults() {
        Outcome text = rehype("machine", "info");
        assertThat(text.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(text.out()).containsPattern("mmio_base +0x3f0000000 ");

        Outcome json = rehype("machine", "info", "--json");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(json.out().lines()).hasSize(1);
        assertThat(json.out()).startsWith("{\"isa\":\"RV32IMA_Zicsr_Zifencei\",")
                .contains("\"mmio_base\":16911433728,")
                .contains("\"bare_guest_ram_base\":2147483648,");
    }
}
