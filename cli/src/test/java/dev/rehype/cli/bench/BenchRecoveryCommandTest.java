/*
 * `rehype bench recovery`: bad counts are usage errors naming the option, and the JSON object has
 * the fields the issue asks for, with the process restart null (and a note saying why) when process
 * mode did not measure it. The figures come from latencies built here, not from a run.
 */
package dev.rehype.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.RehypeCli;
import dev.rehype.recovery.RecoveryMode;
import dev.rehype.recovery.bench.BenchSystem;
import dev.rehype.recovery.bench.ProcessRestartLatency;
import dev.rehype.recovery.bench.ProcessRestartProbe;
import dev.rehype.recovery.bench.RecoveryBench;
import dev.rehype.recovery.bench.RecoveryBenchPlan;
import dev.rehype.recovery.bench.RecoveryLatency;
import picocli.CommandLine;

class BenchRecoveryCommandTest {

    private static String[] run(String... args) {
        CommandLine cli = RehypeCli.commandLine(plan -> {
            throw new AssertionError("bench cpu is not run here");
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test
    void tooFewRecoveriesOrANegativeWarmUpIsAUsageErrorNamingTheOption() {
        String[] few = run("bench", "recovery", "--recoveries", "99");
        assertThat(few[0]).isEqualTo(String.valueOf(ExitCodes.USAGE));
        assertThat(few[2]).contains("--recoveries must be at least 100, got 99");
        String[] negative = run("bench", "recovery", "--warmup", "-1");
        assertThat(negative[0]).isEqualTo(String.valueOf(ExitCodes.USAGE));
        assertThat(negative[2]).contains("--warmup must not be negative, got -1");
    }

    private static RecoveryLatency latency(BenchSystem system, RecoveryMode mode, long... nanos) {
        return new RecoveryLatency(system, mode, nanos, nanos, List.of(new RecoveryLatency.PhaseMedian("detection", 10)), 0, 1,
                1, 1, system.dom0Built() ? 123_456 : 0, system.mibPerVm() > 0 ? system.mibPerVm() : 1.0);
    }

    @Test
    void theJsonHasTheIssuesFieldsAndANullProcessRestartWithItsReason() throws Exception {
        BenchSystem standard = BenchSystem.dom0Built(64, 1);
        BenchSystem moduleSized = BenchSystem.dom0Built(1);
        BenchSystem large = BenchSystem.computeVms(8, 1024, 1);
        RecoveryLatency reboot = latency(standard, RecoveryMode.MICROREBOOT, 400_000, 300_000, 2_000_000);
        RecoveryLatency reset = latency(standard, RecoveryMode.MICRORESET, 100_000, 200_000, 150_000);
        RecoveryLatency small = latency(moduleSized, RecoveryMode.MICROREBOOT, 200_000, 300_000, 700_000);
        RecoveryLatency big = latency(large, RecoveryMode.MICROREBOOT, 500_000, 600_000, 30_000_000);
        ProcessRestartLatency restart = ProcessRestartProbe.UNAVAILABLE.measure(20);
        RecoveryBench.Result result = new RecoveryBench.Result(RecoveryBenchPlan.of(100, 10, 1), reboot, reset,
                List.of(small, reboot, big), restart);

        String json = BenchRecoveryCommand.toJson(result);

        assertThat(json).startsWith("{\"system\":\"standard (Dom0-built), 6 AppVMs x 64 MiB\","
                + "\"failures_start\":\"once Dom0 has built every domain (seen in the domain list)\","
                + "\"failures_start_cycles\":123456,"
                + "\"microreboot_p50_ms\":0.4,\"microreboot_p99_ms\":2.0,"
                + "\"microreset_p50_ms\":0.15,\"microreset_p99_ms\":0.2,\"by_memory\":[{\"system\":\"standard (Dom0-built)\","
                + "\"appvms\":6,\"mib_per_vm\":1.0,\"mib_per_vm_note\":\"the largest AppVM, as Dom0's toolstack sizes them\","
                + "\"p50_ms\":0.3,\"p99_ms\":0.7,");
        assertThat(json).contains("{\"system\":\"standard (Dom0-built)\",\"appvms\":6,\"mib_per_vm\":64,\"p50_ms\":0.4,"
                        + "\"p99_ms\":2.0,")
                .doesNotContain("host-built\",")
                .contains("{\"system\":\"host-built compute\",\"appvms\":8,\"mib_per_vm\":1024,\"p50_ms\":0.6,"
                        + "\"p99_ms\":30.0,")
                .contains("\"cpu_p50_ms\":0.6,\"cpu_p99_ms\":30.0,\"failures_start_cycles\":0,")
                .contains("\"process_restart_p50_ms\":null,\"process_restart_note\":\"process mode")
                .contains("\"microreboot_cpu_p50_ms\":0.4,\"microreboot_cpu_p99_ms\":2.0,")
                .contains("\"microreset_cpu_p50_ms\":0.15,")
                .contains("\"systems_correct\":true");
        String text = BenchRecoveryCommand.summary(result);
        assertThat(text).contains("system: standard (Dom0-built), 6 AppVMs x 64 MiB; failures start once Dom0 "
                        + "has built every domain (at or before cycle 123456)")
                .contains("p99 2.000 ms  (target p99 <= 1 ms: NOT met)")
                .contains("microreboot, standard (Dom0-built), 6 AppVMs as Dom0 sizes them: p50 0.300 ms, p99 0.700 ms")
                .doesNotContain("microreboot, standard (Dom0-built), 6 AppVMs x 64 MiB:")
                .contains("8 x 1024 MiB: p50 0.600 ms, p99 30.000 ms  (target p99 <= 22 ms: NOT met)")
                .contains("process restart: not measured (process mode");
    }
}
