/*
 * Report figures against the hand-counted campaign of ReportFixture: counts per fault type ×
 * target, recovery rates with Wilson intervals, nearest-rank latency percentiles, the ablation
 * table, and the determinism check; and the renderings: the JSON has exactly the fields the
 * issue names, the text table and the JSON agree cell by cell, and the HTML is one self-contained
 * page holding the charts as inline SVG.
 */
package dev.rehype.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class CampaignReportTest {

    @Test
    void countsPerFaultTypeAndTargetMatchTheHandCount() {
        CampaignReport report = ReportFixture.report();
        assertThat(report.totalRuns()).isEqualTo(19);
        assertThat(report.rows()).containsExactly(
                new FaultTypeRow("code", "hypervisor", new OutcomeCounts(5, 5, 5, 5, 5, 0)),
                new FaultTypeRow("failstop", "hypervisor", new OutcomeCounts(10, 9, 8, 7, 6, 1)),
                new FaultTypeRow("register", "dom0", new OutcomeCounts(4, 2, 2, 0, 0, 2)));
        assertThat(report.total()).isEqualTo(new FaultTypeRow("all", "", new OutcomeCounts(19, 16, 15, 12, 11, 3)));
        Proportion failstop = report.rows().get(1).recoveryRate();
        assertThat(failstop.rate()).isEqualTo(6.0 / 7.0);
        assertThat(failstop).isEqualTo(Proportion.of(6, 7));
        assertThat(report.rows().get(2).recoveryRate().empty()).isTrue();
    }

    @Test
    void latencyPercentilesAreNearestRankOverCompletedRecoveries() {
        CampaignReport report = ReportFixture.report();
        assertThat(report.latency()).isEqualTo(new LatencySummary(12, 5.0, 40.0, 50.0, 50.0));
    }

    @Test
    void ablationHasOneRowPerPolicyWithItsDeclaredSteps() {
        List<AblationRow> ablation = ReportFixture.report().ablation();
        assertThat(ablation).extracting(AblationRow::policy).containsExactly("full", "no-locks");
        assertThat(ablation.get(0).repairSteps()).containsExactly("release-locks", "reset-evtchn");
        assertThat(ablation.get(0).counts()).isEqualTo(new OutcomeCounts(14, 11, 10, 7, 6, 3));
        assertThat(ablation.get(1).counts()).isEqualTo(new OutcomeCounts(5, 5, 5, 5, 5, 0));
        assertThat(ablation.get(1).latency().p50Ms()).isEqualTo(30.0);
    }

    @Test
    void oneCampaignPolicyGivesNoAblation() {
        CampaignData data = new CampaignData(ReportFixture.data().shards(), TestRuns.everyOutcome(0));
        CampaignReport report = CampaignReport.of(data);
        assertThat(report.swept()).isFalse();
        assertThat(JsonReport.tree(report).has("ablation")).isFalse();
        assertThat(TextReport.render(report)).doesNotContain("Ablation");
    }

    @Test
    void jsonHasExactlyTheNamedFields() throws Exception {
        JsonNode json = new ObjectMapper().readTree(JsonReport.render(ReportFixture.report()));
        assertThat(names(json)).containsExactly("campaign", "root_seed", "store_files", "total_runs", "by_fault_type",
                "latency_ms", "recovery_latency_samples", "ablation", "determinism_check", "golden_run");
        assertThat(json.get("total_runs").asLong()).isEqualTo(19);
        for (JsonNode row : json.get("by_fault_type")) {
            assertThat(names(row)).containsExactly("fault_type", "target", "runs", "activated", "manifested", "detected",
                    "recovered", "undetected", "recovery_rate", "ci_low", "ci_high");
        }
        assertThat(names(json.get("latency_ms"))).containsExactly("p50", "p90", "p99", "max");
        assertThat(json.get("latency_ms").get("p90").asDouble()).isEqualTo(40.0);
        JsonNode register = json.get("by_fault_type").get(2);
        assertThat(register.get("recovery_rate").isNull()).isTrue();
        assertThat(register.get("ci_low").asDouble()).isEqualTo(0.0);
        assertThat(register.get("ci_high").asDouble()).isEqualTo(1.0);
        JsonNode failstop = json.get("by_fault_type").get(1);
        assertThat(failstop.get("ci_low").asDouble()).isCloseTo(Proportion.of(6, 7).low(), within(1e-15));
        assertThat(json.get("ablation")).hasSize(2);
        assertThat(json.get("determinism_check").get("passed").asBoolean()).isTrue();
    }

    @Test
    void textAndJsonAgree() throws Exception {
        CampaignReport report = ReportFixture.report();
        JsonNode json = new ObjectMapper().readTree(JsonReport.render(report));
        String text = TextReport.render(report);
        List<String[]> rows = tableRows(text, "Outcomes per fault type and target");
        JsonNode byType = json.get("by_fault_type");
        assertThat(rows).hasSize(byType.size() + 1);
        for (int i = 0; i < byType.size(); i++) {
            String[] cells = rows.get(i);
            JsonNode row = byType.get(i);
            assertThat(cells[0]).isEqualTo(row.get("fault_type").asText());
            assertThat(cells[1]).isEqualTo(row.get("target").asText());
            long runs = row.get("runs").asLong();
            assertThat(Long.parseLong(cells[2])).isEqualTo(runs);
            String[] fields = {"activated", "manifested", "detected", "recovered", "undetected"};
            for (int f = 0; f < fields.length; f++) {
                long count = row.get(fields[f]).asLong();
                assertThat(cells[3 + f]).isEqualTo(count + " (" + String.format(Locale.ROOT, "%.1f%%", 100.0 * count / runs) + ")");
            }
            if (row.get("recovery_rate").isNull()) {
                assertThat(cells[8]).isEqualTo("- (nothing detected)");
            } else {
                assertThat(cells[8]).isEqualTo(String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]",
                        row.get("recovery_rate").asDouble() * 100, row.get("ci_low").asDouble() * 100,
                        row.get("ci_high").asDouble() * 100));
            }
        }
        String[] all = rows.getLast();
        assertThat(all[0]).isEqualTo("all");
        assertThat(Long.parseLong(all[1])).isEqualTo(json.get("total_runs").asLong());
        assertThat(text).contains(" " + json.get("total_runs").asLong() + " runs)");

        Matcher latency = Pattern.compile("p50 (\\S+)  p90 (\\S+)  p99 (\\S+)  max (\\S+)").matcher(text);
        assertThat(latency.find()).isTrue();
        JsonNode l = json.get("latency_ms");
        String[] keys = {"p50", "p90", "p99", "max"};
        for (int k = 0; k < keys.length; k++) {
            assertThat(latency.group(k + 1)).isEqualTo(String.format(Locale.ROOT, "%.3f", l.get(keys[k]).asDouble()));
        }

        List<String[]> ablation = tableRows(text, "Ablation: recovery rate per repair-step set");
        JsonNode jsonAblation = json.get("ablation");
        assertThat(ablation).hasSize(jsonAblation.size());
        for (int i = 0; i < ablation.size(); i++) {
            String[] cells = ablation.get(i);
            JsonNode row = jsonAblation.get(i);
            assertThat(cells[0]).isEqualTo(row.get("policy").asText());
            List<String> steps = new ArrayList<>();
            row.get("repair_steps").forEach(s -> steps.add(s.asText()));
            assertThat(cells[2]).isEqualTo(String.join(",", steps));
            assertThat(Long.parseLong(cells[3])).isEqualTo(row.get("runs").asLong());
            assertThat(Long.parseLong(cells[4])).isEqualTo(row.get("detected").asLong());
            assertThat(Long.parseLong(cells[5])).isEqualTo(row.get("recovered").asLong());
            assertThat(cells[6]).isEqualTo(String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]",
                    row.get("recovery_rate").asDouble() * 100, row.get("ci_low").asDouble() * 100,
                    row.get("ci_high").asDouble() * 100));
        }
    }

    @Test
    void textNamesTheDeterminismCheckAndGoldenRun() {
        String text = TextReport.render(ReportFixture.report());
        assertThat(text).contains("Determinism check: 4 sampled runs re-run, every final state hash equal (passed)");
        assertThat(text).contains("Golden run: final state hash goldhash; compute=c0ffee00");
        CampaignData failed = new CampaignData(List.of(new StoredShard(java.nio.file.Path.of("x.duckdb"),
                ReportFixture.metadata(), java.util.Optional.empty(),
                java.util.Optional.of(new DeterminismCheck(5, List.of(9L, 2L))))), ReportFixture.runs());
        assertThat(TextReport.render(CampaignReport.of(failed)))
                .contains("Determinism check: FAILED: 2 of 5 re-run runs ended with another final state hash (runs 2, 9)")
                .contains("Golden run: not recorded");
    }

    @Test
    void htmlIsSelfContainedWithEveryChartAsInlineSvg() throws Exception {
        String html = HtmlReport.render(ReportFixture.report());
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("<img")
                .doesNotContain("src=").doesNotContain("url(http");
        List<String> svgs = new ArrayList<>();
        Matcher m = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            svgs.add(m.group());
        }
        assertThat(svgs).hasSize(4);
        List<String> ids = new ArrayList<>();
        List<String> titles = List.of("Outcomes per fault type and target",
                "Recovery rate per fault type and target (95% Wilson intervals)",
                "Recovery latency distribution (12 completed recoveries)",
                "Recovery rate per policy (95% Wilson intervals)");
        for (int i = 0; i < svgs.size(); i++) {
            Document svg = parseXml(svgs.get(i));
            assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
            ids.add(svg.getDocumentElement().getAttribute("id"));
            assertThat(svg.getElementsByTagName("path").getLength() + svg.getElementsByTagName("rect").getLength()
                    + svg.getElementsByTagName("line").getLength()).isGreaterThan(10);
            assertThat(svg.getDocumentElement().getTextContent()).contains(titles.get(i));
        }
        assertThat(ids).containsExactly("chart-outcomes", "chart-recovery-rate", "chart-latency", "chart-ablation");
        assertThat(svgs.get(1)).contains("code/hypervisor").contains("failstop/hypervisor").contains("register/dom0");
        assertThat(html).contains("<table id=\"outcomes\">").contains("<table id=\"ablation\">");
        assertThat(HtmlReport.render(ReportFixture.report())).isEqualTo(html);
    }

    @Test
    void aCampaignWithoutRunsStillRenders() throws Exception {
        CampaignReport empty = CampaignReport.of(new CampaignData(ReportFixture.data().shards(), List.of()));
        assertThat(empty.totalRuns()).isZero();
        assertThat(empty.rows()).isEmpty();
        assertThat(TextReport.render(empty)).contains("0 runs)").contains("p50 -");
        JsonNode json = new ObjectMapper().readTree(JsonReport.render(empty));
        assertThat(json.get("by_fault_type")).isEmpty();
        assertThat(json.get("latency_ms").get("p50").isNull()).isTrue();
        assertThat(HtmlReport.render(empty)).contains("id='chart-latency'");
    }

    @Test
    void htmlEscapesTextFromTheStore() {
        List<dev.rehype.campaign.RunRecord> runs = List.of(TestRuns.recovered(0, "<b>x</b>", "a&b", "full", 1));
        CampaignData data = new CampaignData(ReportFixture.data().shards(), runs);
        String html = HtmlReport.render(CampaignReport.of(data));
        assertThat(html).contains("&lt;b&gt;x&lt;/b&gt;").contains("a&amp;b").doesNotContain("<b>x</b>");
    }

    private static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    /** The body rows of the text table under {@code heading}, cells split at two or more blanks. */
    static List<String[]> tableRows(String text, String heading) {
        List<String> lines = text.lines().toList();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(heading)) {
                start = i;
                break;
            }
        }
        assertThat(start).as("heading %s", heading).isNotNegative();
        List<String[]> rows = new ArrayList<>();
        for (int i = start + 3; i < lines.size() && !lines.get(i).isBlank(); i++) {
            rows.add(lines.get(i).split(" {2,}"));
        }
        return rows;
    }
}
