/*
 * `campaign run` and `replay` as a user meets them, with real hypervisor failstop runs on the
 * standard system into the results module's DuckDB store: a small campaign runs, checks its
 * determinism, prints the report (golden run and determinism check included); a rerun resumes with
 * nothing left to do; `campaign report --format json` reads the store; a run replays with the same
 * outcome and final hash; bad specs, other specs in the same directory, campaigns this build cannot execute
 * and bad replay arguments are one line on stderr with exit code 2.
 */
package dev.rehype.cli.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rehype.campaign.RunRecord;
import dev.rehype.cli.ExecutionErrorHandler;
import dev.rehype.cli.ParameterErrorHandler;
import dev.rehype.results.CampaignStores;
import picocli.CommandLine;

class CampaignCommandsTest {
    static final String SPEC = """
            name: cli-failstop
            target: hypervisor
            faults:
              - type: failstop
                weight: 1
            runs: 3
            seed: 21
            """;

    record Result(int exitCode, String out, String err) {
    }

    static Result run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler(new ParameterErrorHandler());
        cli.setExecutionExceptionHandler(new ExecutionErrorHandler(() -> false));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void runResumeAndReplay(@TempDir Path tmp) throws Exception {
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, SPEC);
        Path dir = tmp.resolve("out");
        Result first = run(new RunCampaignCommand(), spec.toString(), "--out", dir.toString(), "--jobs", "2",
                "--verify-determinism", "1");
        System.out.println(first.out());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("campaign cli-failstop: root seed 21, 3 runs")
                .contains("stored 3 runs now (0 before) of 3").contains("determinism check: 1 of 1")
                .contains("Campaign cli-failstop (root seed 21, 1 store file, 3 runs)")
                .contains("Determinism check: 1 sampled runs re-run, every final state hash equal (passed)").doesNotContain("Golden run: not recorded");
        assertThat(dir.resolve("campaign.yaml")).hasContent(SPEC.strip());
        assertThat(dir.resolve("runs.duckdb")).exists();

        Result again = run(new RunCampaignCommand(), spec.toString(), "--out", dir.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("stored 0 runs now (3 before) of 3");

        RunRecord stored = CampaignStores.read(dir).runs().get(1);
        assertThat(stored.runIndex()).isEqualTo(1L);
        Result json = run(new CampaignReportCommand(), dir.toString(), "--format", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.get("total_runs").asLong()).isEqualTo(3);
        assertThat(report.get("determinism_check").get("checked_runs").asInt()).isEqualTo(1);
        assertThat(first.out()).contains("golden run: final hash "
                + report.get("golden_run").get("final_state_hash").asText() + ",");
        Result replay = run(new ReplayCommand(), dir.toString(), "1");
        System.out.println(replay.out());
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("reproduced: same outcome (" + stored.outcome() + ")")
                .contains(stored.finalStateHash()).contains("fault: failstop hypervisor").contains("verdict compute");
    }

    @Test
    void mistakesAreOneLineAndExitTwo(@TempDir Path tmp) throws Exception {
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, SPEC);
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, SPEC.replace("runs: 3", "runs: -3"));
        Path quick = tmp.resolve("quick.yaml");
        Files.writeString(quick, Files.readString(Path.of("..", "examples", "quick.yaml"))
                .replace("target: hypervisor", "target: driver"));
        Path dir = tmp.resolve("out");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("campaign.yaml"), "name: other\n");

        Result badSpec = run(new RunCampaignCommand(), bad.toString());
        assertThat(badSpec.exitCode()).isEqualTo(2);
        assertThat(badSpec.err().strip()).isEqualTo("rehype: " + bad + ":6: field 'runs': must be at least 1, got -3");

        Result other = run(new RunCampaignCommand(), spec.toString(), "--out", dir.toString());
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err().strip()).contains("holds the results of another spec").doesNotContain("\n");

        Result driver = run(new RunCampaignCommand(), quick.toString(), "--out", tmp.resolve("q").toString());
        assertThat(driver.exitCode()).isEqualTo(2);
        assertThat(driver.err().strip()).contains(quick + ":").contains("field 'target'").contains("no driver domain")
                .doesNotContain("\n");

        Result shard = run(new RunCampaignCommand(), spec.toString(), "--shard", "4/3");
        assertThat(shard.exitCode()).isEqualTo(2);
        assertThat(shard.err()).contains("--shard");

        Result notADir = run(new ReplayCommand(), tmp.resolve("nothing").toString(), "0");
        assertThat(notADir.exitCode()).isEqualTo(2);
        assertThat(notADir.err()).contains("not a campaign's results directory");

        Files.createDirectories(tmp.resolve("c"));
        Files.writeString(tmp.resolve("c").resolve("campaign.yaml"), SPEC);
        Result outOfRange = run(new ReplayCommand(), tmp.resolve("c").toString(), "3");
        assertThat(outOfRange.exitCode()).isEqualTo(2);
        assertThat(outOfRange.err()).contains("run 3 is not in campaign cli-failstop (runs 0..2)");
    }
}
