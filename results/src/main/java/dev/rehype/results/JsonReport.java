/*
 * The campaign report for scripts: one JSON object. The fields the issue fixes are exactly
 * `total_runs`, `by_fault_type` (list of `fault_type`, `target`, `runs`, `activated`,
 * `manifested`, `detected`, `recovered`, `undetected`, `recovery_rate`, `ci_low`, `ci_high`),
 * `latency_ms` (`p50`, `p90`, `p99`, `max`) and `ablation` (only when policies were swept). Beside
 * them: `campaign`, `root_seed`, `store_files`, `recovery_latency_samples`, `determinism_check`
 * and `golden_run`. Rates are fractions in [0, 1]; a rate with nothing detected and a percentile
 * of no samples are null; ci_low/ci_high are the 95% Wilson interval of recovery_rate.
 */
package dev.rehype.results;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders a {@link CampaignReport} as JSON. */
public final class JsonReport {

    private JsonReport() {
    }

    /** The report as one compact JSON object (no trailing newline). */
    public static String render(CampaignReport report) {
        return tree(report).toString();
    }

    /** The report as a JSON tree. */
    public static ObjectNode tree(CampaignReport report) {
        ObjectNode root = RunRows.JSON.createObjectNode();
        root.put("campaign", report.metadata().name());
        root.put("root_seed", report.metadata().rootSeed());
        root.put("store_files", report.storeFiles());
        root.put("total_runs", report.totalRuns());
        ArrayNode rows = root.putArray("by_fault_type");
        for (FaultTypeRow row : report.rows()) {
            ObjectNode o = rows.addObject();
            o.put("fault_type", row.faultType());
            o.put("target", row.target());
            counts(o, row.counts());
        }
        ObjectNode latency = root.putObject("latency_ms");
        number(latency, "p50", report.latency().p50Ms());
        number(latency, "p90", report.latency().p90Ms());
        number(latency, "p99", report.latency().p99Ms());
        number(latency, "max", report.latency().maxMs());
        root.put("recovery_latency_samples", report.latency().samples());
        if (report.swept()) {
            ArrayNode ablation = root.putArray("ablation");
            for (AblationRow row : report.ablation()) {
                ObjectNode o = ablation.addObject();
                o.put("policy", row.policy());
                o.put("mode", row.mode());
                ArrayNode steps = o.putArray("repair_steps");
                row.repairSteps().forEach(steps::add);
                o.put("repair_steps_declared", row.stepsDeclared());
                counts(o, row.counts());
                number(o, "latency_p50_ms", row.latency().p50Ms());
            }
        }
        if (report.determinism().isPresent()) {
            DeterminismCheck d = report.determinism().get();
            ObjectNode o = root.putObject("determinism_check");
            o.put("checked_runs", d.checkedRuns());
            ArrayNode mismatched = o.putArray("mismatched_runs");
            d.mismatchedRunIndexes().forEach(mismatched::add);
            o.put("passed", d.passed());
        } else {
            root.putNull("determinism_check");
        }
        if (report.golden().isPresent()) {
            GoldenRun g = report.golden().get();
            ObjectNode o = root.putObject("golden_run");
            o.put("final_state_hash", g.finalStateHash());
            ObjectNode digests = o.putObject("digests");
            g.digests().forEach(d -> digests.put(d.vm(), d.digest()));
        } else {
            root.putNull("golden_run");
        }
        return root;
    }

    private static void counts(ObjectNode o, OutcomeCounts c) {
        o.put("runs", c.runs());
        o.put("activated", c.activated());
        o.put("manifested", c.manifested());
        o.put("detected", c.detected());
        o.put("recovered", c.recovered());
        o.put("undetected", c.undetected());
        Proportion rate = c.recoveryRate();
        number(o, "recovery_rate", rate.rate());
        o.put("ci_low", rate.low());
        o.put("ci_high", rate.high());
    }

    static void number(ObjectNode o, String name, double value) {
        if (Double.isFinite(value)) {
            o.put(name, value);
        } else {
            o.putNull(name);
        }
    }
}
