/*
 * `rehype bench campaign` end to end on a few real runs: the JSON object names the mix this build
 * executes and the types it leaves out, counts every run once among the outcomes and reports a
 * speed; text output names the mix; a bad --runs is one line and exit code 2.
 */
package dev.rehype.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rehype.cli.RehypeCli;
import picocli.CommandLine;

class BenchCampaignCommandTest {

    private record Result(int exitCode, String out, String err) {
    }

    private static Result rehype(String... args) {
        CommandLine cli = RehypeCli.commandLine(plan -> {
            throw new AssertionError("no CPU benchmark in these tests");
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Result(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void jsonCountsEveryRunOnce() throws Exception {
        Result r = rehype("bench", "campaign", "--runs", "4", "--jobs", "2", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).doesNotContain("\n");
        JsonNode j = new ObjectMapper().readTree(r.out());
        List<String> mix = new ArrayList<>();
        j.get("mix").forEach(n -> mix.add(n.asText()));
        List<String> left = new ArrayList<>();
        j.get("mix_left_out").forEach(n -> left.add(n.asText()));
        assertThat(mix).containsExactly("failstop", "register", "code", "hang");
        assertThat(left).isEmpty();
        assertThat(j.get("runs").asLong()).isEqualTo(4);
        assertThat(j.get("jobs").asInt()).isEqualTo(2);
        assertThat(j.get("errors").asInt()).isZero();
        long counted = 0;
        for (JsonNode n : j.get("outcomes")) {
            counted += n.asLong();
        }
        assertThat(counted).isEqualTo(4);
        assertThat(j.get("runs_per_second").asDouble()).isPositive();
        assertThat(j.get("wall_seconds").asDouble()).isGreaterThan(j.get("runs_wall_seconds").asDouble());
    }

    @Test
    void badRunsIsOneLine() {
        Result r = rehype("bench", "campaign", "--runs", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rehype: --runs must be at least 1, got 0");
    }

    @Test
    void theSpecIsTheHypervisorFaultsMix() {
        assertThat(BenchCampaignCommand.parse(BenchCampaignCommand.specText(BenchCampaignCommand.MIX, 2000)).faults())
                .hasSize(4);
    }
}
