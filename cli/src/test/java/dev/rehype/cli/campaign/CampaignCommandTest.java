/*
 * `rehype campaign report|compare|export` as a user meets them, on stores written here: the text
 * report prints the table, --format json prints one JSON object, --format html --out writes the
 * page; compare prints both rates and the p-value; export writes Parquet and CSV. A directory that
 * does not exist, one without a store, a damaged store and a bad --format each give one line on
 * stderr and exit code 2, with no stack trace.
 */
package dev.rehype.cli.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.Reason;
import dev.rehype.campaign.RunRecord;
import dev.rehype.cli.LoggingSetup;
import dev.rehype.cli.RehypeCli;
import dev.rehype.results.CampaignMetadata;
import dev.rehype.results.DuckDbRunStore;
import dev.rehype.results.PolicyInfo;
import picocli.CommandLine;

class CampaignCommandTest {

    private record Result(int exitCode, String out, String err) {
    }

    @TempDir
    Path dir;

    @AfterEach
    void restoreQuietLogging() {
        LoggingSetup.configure(false, null);
    }

    private static Result rehype(String... args) {
        CommandLine cli = RehypeCli.commandLine(plan -> {
            throw new AssertionError("no benchmark in these tests");
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Result(cli.execute(args), out.toString(), err.toString());
    }

    /** A campaign of {@code recovered} recovered and {@code lost} not recovered failstop runs, plus one not activated. */
    private Path campaign(String name, int recovered, int lost) {
        Path campaignDir = dir.resolve(name);
        try {
            Files.createDirectories(campaignDir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CampaignMetadata metadata = new CampaignMetadata(name, "name: " + name + "\n", 7, 1, 1,
                List.of(new PolicyInfo("full", "microreboot", List.of("release-locks"))));
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(campaignDir.resolve("campaign.duckdb"), metadata)) {
            List<RunRecord> runs = new ArrayList<>();
            long i = 0;
            for (int k = 0; k < recovered; k++) {
                runs.add(run(name, i++, Outcome.RECOVERED, Reason.NONE, 1_000_000L * (k + 1)));
            }
            for (int k = 0; k < lost; k++) {
                runs.add(run(name, i++, Outcome.NOT_RECOVERED, Reason.VM_LOST, 5_000_000));
            }
            runs.add(run(name, i, Outcome.NOT_ACTIVATED, Reason.NONE, -1));
            runs.forEach(store::accept);
        }
        return campaignDir;
    }

    private static RunRecord run(String campaign, long index, Outcome outcome, Reason reason, long latencyNanos) {
        boolean activated = outcome != Outcome.NOT_ACTIVATED;
        boolean detected = outcome.detected();
        RunRecord.Recovery recovery = detected
                ? new RunRecord.Recovery("microreboot", true, latencyNanos,
                        List.of(new RunRecord.Phase("reboot", latencyNanos, 100)),
                        List.of(new RunRecord.Repair("release-locks", 1, "released the evtchn lock")))
                : RunRecord.Recovery.NONE;
        return new RunRecord(campaign, index, 7, 100 + index, "failstop", "hypervisor", "failstop@hypervisor", "full",
                activated ? new RunRecord.Activation(true, "Evtchn.send@3:40", "", "", 10) : RunRecord.Activation.NONE,
                detected ? new RunRecord.Detection(true, "panic", 0, "evtchn_send", 20, 10) : RunRecord.Detection.NONE,
                recovery, outcome, reason,
                List.of(new RunRecord.VmVerdict("compute", outcome == Outcome.NOT_RECOVERED ? "lost" : "ok", "ab", -1)),
                1000, 2000, "h" + index);
    }

    @Test
    void reportPrintsTheOutcomeTable() {
        Path campaign = campaign("quick", 3, 1);
        Result r = rehype("campaign", "report", campaign.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Campaign quick (root seed 7, 1 store file, 5 runs)")
                .contains("failstop    hypervisor")
                .contains("75.0% [30.1, 95.4]")
                .contains("p50 2.000  p90 5.000  p99 5.000  max 5.000");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void reportAsJsonIsOneObject() throws IOException {
        Path campaign = campaign("quick", 3, 1);
        Result r = rehype("campaign", "report", campaign.toString(), "--format", "json");
        assertThat(r.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("total_runs").asLong()).isEqualTo(5);
        assertThat(json.get("by_fault_type").get(0).get("recovered").asLong()).isEqualTo(3);
        assertThat(json.get("latency_ms").get("max").asDouble()).isEqualTo(5.0);
        assertThat(r.out().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void reportAsHtmlToAFile() throws IOException {
        Path campaign = campaign("quick", 3, 1);
        Path html = dir.resolve("report.html");
        Result r = rehype("campaign", "report", campaign.toString(), "--format", "html", "--out", html.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("wrote the html report of campaign quick (5 runs) to " + html + "\n");
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg").contains("id='chart-recovery-rate'");
    }

    @Test
    void compareShowsBothRatesAndTheExactTest() {
        Path a = campaign("before", 3, 1);
        Path b = campaign("after", 1, 3);
        Result r = rehype("campaign", "compare", a.toString(), b.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("A: campaign before").contains("B: campaign after")
                .contains("3/4").contains("1/4").contains("-50.0 pp").contains("0.4857");
        Result json = rehype("campaign", "compare", a.toString(), b.toString(), "--json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).contains("\"p_value\":0.4857142857");
    }

    @Test
    void exportWritesParquetAndCsv() throws IOException {
        Path campaign = campaign("quick", 3, 1);
        Path parquet = dir.resolve("runs.parquet");
        Result r = rehype("campaign", "export", campaign.toString(), "--format", "parquet", "--out", parquet.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("exported 5 runs to " + parquet + " (parquet)\n");
        assertThat(new String(Files.readAllBytes(parquet), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        Path csv = dir.resolve("runs.csv");
        assertThat(rehype("campaign", "export", campaign.toString(), "--format", "csv", "--out", csv.toString()).exitCode()).isZero();
        assertThat(Files.readAllLines(csv)).hasSize(6);
    }

    @Test
    void unknownDirectoryIsOneLineExitTwo() {
        Path missing = dir.resolve("missing");
        Result r = rehype("campaign", "report", missing.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("rehype: " + missing + ": no such directory\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void directoryWithoutAStoreIsOneLineExitTwo() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Result r = rehype("campaign", "compare", empty.toString(), empty.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("rehype: " + empty + ": no campaign store in it (no *.duckdb file)\n");
    }

    @Test
    void damagedStoreIsOneLineExitTwo() throws IOException {
        Path campaign = campaign("quick", 3, 1);
        Path store = campaign.resolve("campaign.duckdb");
        byte[] bytes = Files.readAllBytes(store);
        Files.write(store, java.util.Arrays.copyOf(bytes, 100));
        for (String[] args : List.of(new String[] {"campaign", "report", campaign.toString()},
                new String[] {"campaign", "export", campaign.toString(), "--format", "csv", "--out", dir.resolve("x.csv").toString()})) {
            Result r = rehype(args);
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).startsWith("rehype: " + store + ": ").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(r.err().lines().count()).isEqualTo(1);
        }
        Path notes = Files.writeString(dir.resolve("notes.duckdb"), "notes");
        Result r = rehype("campaign", "report", notes.toString());
        assertThat(r.err()).isEqualTo("rehype: " + notes + ": not a campaign store (not a DuckDB database file)\n");
    }

    @Test
    void badFormatAndMissingSubcommandAreUsageErrors() {
        Path campaign = campaign("quick", 1, 0);
        Result bad = rehype("campaign", "report", campaign.toString(), "--format", "pdf");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("rehype: Invalid value for option '--format'").contains("text, json, html");
        Result none = rehype("campaign");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err().lines().count()).isEqualTo(1);
        Result noOut = rehype("campaign", "export", campaign.toString(), "--format", "csv");
        assertThat(noOut.exitCode()).isEqualTo(2);
        assertThat(noOut.err()).contains("--out");
    }
}
