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
                1, 1);
    }

    @Test
    void theJsonHasTheIssuesFieldsAndANullProcessRestartWithItsReason() throws Exception {
        BenchSystem standard = BenchSystem.standard(64, 1);
        BenchSystem large = BenchSystem.computeVms(8, 1024, 1);
        RecoveryLatency reboot = latency(standard, RecoveryMode.MICROREBOOT, 400_000, 300_000, 2_000_000);
        RecoveryLatency reset = latency(standard, RecoveryMode.MICRORESET, 100_000, 200_000, 150_000);
        RecoveryLatency big = latency(large, RecoveryMode.MICROREBOOT, 500_000, 600_000, 30_000_000);
        ProcessRestartLatency restart = ProcessRestartProbe.UNAVAILABLE.measure(20);
        RecoveryBench.Result result = new RecoveryBench.Result(RecoveryBenchPlan.of(100, 10, 1), reboot, reset,
                List.of(reboot, big), restart);

        String json = BenchRecoveryCommand.toJson(result);

        assertThat(json).startsWith("{\"microreboot_p50_ms\":0.4,\"microreboot_p99_ms\":2.0,"
                + "\"microreset_p50_ms\":0.15,\"microreset_p99_ms\":0.2,\"by_memory\":[{\"appvms\":4,\"mib_per_vm\":64,"
                + "\"p50_ms\":0.4,\"p99_ms\":2.0,");
        assertThat(json).contains("{\"appvms\":8,\"mib_per_vm\":1024,\"p50_ms\":0.6,\"p99_ms\":30.0,")
                .contains("\"process_restart_p50_ms\":null,\"process_restart_note\":\"process mode")
                .contains("\"systems_correct\":true");
        String text = BenchRecoveryCommand.summary(result);
        assertThat(text).contains("p99 2.000 ms  (target p99 <= 1 ms: NOT met)")
                .contains("8 x 1024 MiB: p50 0.600 ms, p99 30.000 ms  (target p99 <= 22 ms: NOT met)")
                .contains("process restart: not measured (process mode");
    }
}
