/*
 * The campaign report for a terminal: the campaign line, golden run and determinism check, the
 * outcome table per fault type × target (counts with their share of runs, and the recovery rate
 * with its 95% Wilson interval), the Wilson intervals of every share, the recovery latency
 * percentiles and, when policies were swept, the ablation table.
 */
package dev.rehype.results;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Renders a {@link CampaignReport} as plain text. */
public final class TextReport {

    private TextReport() {
    }

    /** The report as text lines, each ending with a newline. */
    public static String render(CampaignReport report) {
        StringBuilder out = new StringBuilder();
        CampaignMetadata m = report.metadata();
        out.append("Campaign ").append(m.name()).append(" (root seed ").append(m.rootSeed()).append(", ")
                .append(report.storeFiles()).append(report.storeFiles() == 1 ? " store file, " : " store files, ")
                .append(report.totalRuns()).append(" runs)\n");
        out.append("Golden run: ").append(report.golden().map(TextReport::golden).orElse("not recorded")).append('\n');
        out.append("Determinism check: ").append(determinism(report)).append("\n\n");

        out.append("Outcomes per fault type and target (count and percent of runs; recovery rate = recovered / detected)\n");
        TextTable outcomes = new TextTable(List.of("fault type", "target", "runs", "activated", "manifested",
                "detected", "recovered", "undetected", "recovery rate [95% CI]"),
                false, false, true, true, true, true, true, true, false);
        List<FaultTypeRow> all = new ArrayList<>(report.rows());
        all.add(report.total());
        for (FaultTypeRow row : all) {
            OutcomeCounts c = row.counts();
            outcomes.row(row.faultType(), row.target(), Long.toString(c.runs()),
                    Formats.countShare(c.ofRuns(c.activated())), Formats.countShare(c.ofRuns(c.manifested())),
                    Formats.countShare(c.ofRuns(c.detected())), Formats.countShare(c.ofRuns(c.recovered())),
                    Formats.countShare(c.ofRuns(c.undetected())), Formats.rateWithInterval(row.recoveryRate()));
        }
        out.append(outcomes.render()).append('\n');

        out.append("95% Wilson intervals of the shares of runs (percent)\n");
        TextTable intervals = new TextTable(List.of("fault type", "target", "activated", "manifested", "detected",
                "recovered", "undetected"), false, false, false, false, false, false, false);
        for (FaultTypeRow row : all) {
            OutcomeCounts c = row.counts();
            intervals.row(row.faultType(), row.target(), Formats.interval(c.ofRuns(c.activated())),
                    Formats.interval(c.ofRuns(c.manifested())), Formats.interval(c.ofRuns(c.detected())),
                    Formats.interval(c.ofRuns(c.recovered())), Formats.interval(c.ofRuns(c.undetected())));
        }
        out.append(intervals.render()).append('\n');

        LatencySummary l = report.latency();
        out.append("Recovery latency (ms, nearest rank, ").append(l.samples()).append(" completed recoveries): p50 ")
                .append(Formats.millis(l.p50Ms())).append("  p90 ").append(Formats.millis(l.p90Ms()))
                .append("  p99 ").append(Formats.millis(l.p99Ms())).append("  max ").append(Formats.millis(l.maxMs()))
                .append('\n');

        if (report.swept()) {
            out.append("\nAblation: recovery rate per repair-step set\n");
            TextTable ablation = new TextTable(List.of("policy", "mode", "repair steps", "runs", "detected",
                    "recovered", "recovery rate [95% CI]", "latency p50 ms"),
                    false, false, false, true, true, true, false, true);
            for (AblationRow row : report.ablation()) {
                ablation.row(row.policy(), row.mode(), steps(row), Long.toString(row.counts().runs()),
                        Long.toString(row.counts().detected()), Long.toString(row.counts().recovered()),
                        Formats.rateWithInterval(row.recoveryRate()), Formats.millis(row.latency().p50Ms()));
            }
            out.append(ablation.render());
        }
        return out.toString();
    }

    static String steps(AblationRow row) {
        String steps = row.repairSteps().isEmpty() ? "(none)" : String.join(",", row.repairSteps());
        return row.stepsDeclared() ? steps : steps + " (seen)";
    }

    static String golden(GoldenRun g) {
        String digests = g.digests().stream().map(d -> d.vm() + "=" + d.digest()).collect(Collectors.joining(", "));
        return "final state hash " + g.finalStateHash() + (digests.isEmpty() ? "" : "; " + digests);
    }

    static String determinism(CampaignReport report) {
        return report.determinism().map(d -> {
            if (d.checkedRuns() == 0) {
                return "ran with 0 runs";
            }
            if (d.passed()) {
                return d.checkedRuns() + " sampled runs re-run, every final state hash equal (passed)";
            }
            return "FAILED: " + d.mismatchedRunIndexes().size() + " of " + d.checkedRuns()
                    + " re-run runs ended with another final state hash (runs "
                    + d.mismatchedRunIndexes().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
        }).orElse("not run");
    }
}
