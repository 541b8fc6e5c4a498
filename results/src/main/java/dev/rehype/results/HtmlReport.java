/*
 * The campaign report as one self-contained HTML file: the same figures as the text report in
 * HTML tables, and the charts (ReportCharts) as inline SVG — no script, no style sheet, font or
 * image from elsewhere, so the file opens offline in any browser. Every text from the store is
 * HTML-escaped.
 */
package dev.rehype.results;

import java.util.ArrayList;
import java.util.List;

/** Renders a {@link CampaignReport} as a self-contained HTML page. */
public final class HtmlReport {

    private HtmlReport() {
    }

    /** The HTML page. */
    public static String render(CampaignReport report) {
        CampaignMetadata m = report.metadata();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Campaign ")
                .append(escape(m.name())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0;font-size:13px}")
                .append("th,td{border:1px solid #ccc;padding:3px 8px}td.n{text-align:right;white-space:nowrap}th{background:#eee}")
                .append("figure{margin:1.5em 0}svg{max-width:100%;height:auto}.fail{color:#b00}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>Campaign ").append(escape(m.name())).append("</h1>\n<p>Root seed ").append(m.rootSeed())
                .append(", ").append(report.storeFiles()).append(report.storeFiles() == 1 ? " store file, " : " store files, ")
                .append(report.totalRuns()).append(" runs.</p>\n");
        h.append("<p>Golden run: ").append(escape(report.golden().map(TextReport::golden).orElse("not recorded")))
                .append("</p>\n");
        String determinism = TextReport.determinism(report);
        boolean failed = report.determinism().map(d -> !d.passed()).orElse(false);
        h.append("<p id=\"determinism-check\"").append(failed ? " class=\"fail\"" : "").append(">Determinism check: ")
                .append(escape(determinism)).append("</p>\n");

        h.append("<h2>Outcomes per fault type and target</h2>\n");
        h.append("<p>Counts with their percentage of runs and its 95% Wilson interval; recovery rate = recovered / detected.</p>\n");
        h.append("<table id=\"outcomes\">\n<tr><th>fault type</th><th>target</th><th>runs</th><th>activated</th>"
                + "<th>manifested</th><th>detected</th><th>recovered</th><th>undetected</th>"
                + "<th>recovery rate [95% CI]</th></tr>\n");
        List<FaultTypeRow> all = new ArrayList<>(report.rows());
        all.add(report.total());
        for (FaultTypeRow row : all) {
            OutcomeCounts c = row.counts();
            h.append("<tr><td>").append(escape(row.faultType())).append("</td><td>").append(escape(row.target()))
                    .append("</td><td class=\"n\">").append(c.runs()).append("</td>");
            for (long count : new long[] {c.activated(), c.manifested(), c.detected(), c.recovered(), c.undetected()}) {
                Proportion p = c.ofRuns(count);
                h.append("<td class=\"n\">").append(Formats.countShare(p)).append("<br><small>")
                        .append(Formats.interval(p)).append("</small></td>");
            }
            h.append("<td class=\"n\">").append(escape(Formats.rateWithInterval(row.recoveryRate()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        h.append("<figure>").append(ReportCharts.outcomes(report.rows())).append("</figure>\n");
        h.append("<figure>").append(ReportCharts.rates("Recovery rate per fault type and target (95% Wilson intervals)",
                "fault type / target", report.rows().stream().map(FaultTypeRow::label).toList(),
                report.rows().stream().map(FaultTypeRow::recoveryRate).toList(), "recovery-rate")).append("</figure>\n");

        LatencySummary l = report.latency();
        h.append("<h2>Recovery latency</h2>\n<table id=\"latency\"><tr><th>completed recoveries</th><th>p50 ms</th>"
                + "<th>p90 ms</th><th>p99 ms</th><th>max ms</th></tr>\n<tr><td class=\"n\">").append(l.samples())
                .append("</td><td class=\"n\">").append(Formats.millis(l.p50Ms())).append("</td><td class=\"n\">")
                .append(Formats.millis(l.p90Ms())).append("</td><td class=\"n\">").append(Formats.millis(l.p99Ms()))
                .append("</td><td class=\"n\">").append(Formats.millis(l.maxMs())).append("</td></tr>\n</table>\n");
        h.append("<p>Percentiles by the nearest-rank method over every run whose recovery completed.</p>\n");
        h.append("<figure>").append(ReportCharts.latency(report.latenciesMs(), l)).append("</figure>\n");

        if (report.swept()) {
            h.append("<h2>Ablation: recovery rate per repair-step set</h2>\n<table id=\"ablation\"><tr><th>policy</th>"
                    + "<th>mode</th><th>repair steps</th><th>runs</th><th>detected</th><th>recovered</th>"
                    + "<th>recovery rate [95% CI]</th><th>latency p50 ms</th></tr>\n");
            for (AblationRow row : report.ablation()) {
                h.append("<tr><td>").append(escape(row.policy())).append("</td><td>").append(escape(row.mode()))
                        .append("</td><td>").append(escape(TextReport.steps(row))).append("</td><td class=\"n\">")
                        .append(row.counts().runs()).append("</td><td class=\"n\">").append(row.counts().detected())
                        .append("</td><td class=\"n\">").append(row.counts().recovered()).append("</td><td class=\"n\">")
                        .append(escape(Formats.rateWithInterval(row.recoveryRate()))).append("</td><td class=\"n\">")
                        .append(Formats.millis(row.latency().p50Ms())).append("</td></tr>\n");
            }
            h.append("</table>\n<figure>").append(ReportCharts.rates("Recovery rate per policy (95% Wilson intervals)",
                    "policy", report.ablation().stream().map(AblationRow::policy).toList(),
                    report.ablation().stream().map(AblationRow::recoveryRate).toList(), "ablation")).append("</figure>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** {@code s} with the HTML special characters escaped. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
