/*
 * Two campaigns side by side (`campaign compare A B`): for every fault type × target present in
 * either, both recovery rates with their 95% Wilson intervals, the difference B − A, and the
 * two-sided p-value of Fisher's exact test on the 2x2 table (recovered, not recovered) × (A, B);
 * plus the same for all runs together. A fault type × target missing from one campaign compares
 * against nothing detected there (p = 1).
 */
package dev.rehype.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The comparison of campaign A with campaign B.
 *
 * @param a     campaign A's report
 * @param b     campaign B's report
 * @param rows  one row per fault type × target, sorted
 * @param total all runs of each campaign
 */
public record CampaignComparison(CampaignReport a, CampaignReport b, List<Row> rows, Row total) {

    public CampaignComparison {
        rows = List.copyOf(rows);
    }

    /**
     * One fault type × target compared.
     *
     * @param faultType  the fault type ({@code all} for the total row)
     * @param target     the target (empty for the total row)
     * @param a          A's recovered / detected
     * @param b          B's recovered / detected
     * @param difference B's rate minus A's, NaN when either detected nothing
     * @param pValue     two-sided Fisher's exact test p-value
     */
    public record Row(String faultType, String target, Proportion a, Proportion b, double difference, double pValue) {

        static Row of(String faultType, String target, OutcomeCounts a, OutcomeCounts b) {
            Proportion pa = a.recoveryRate();
            Proportion pb = b.recoveryRate();
            double p = FisherExact.twoSided(a.recovered(), a.detected() - a.recovered(),
                    b.recovered(), b.detected() - b.recovered());
            return new Row(faultType, target, pa, pb, pb.rate() - pa.rate(), p);
        }
    }

    /** Compares {@code a} with {@code b}. */
    public static CampaignComparison of(CampaignReport a, CampaignReport b) {
        OutcomeCounts none = new OutcomeCounts(0, 0, 0, 0, 0, 0);
        Map<String, OutcomeCounts[]> keyed = new TreeMap<>();
        for (FaultTypeRow row : a.rows()) {
            keyed.computeIfAbsent(row.faultType() + "\u0000" + row.target(), k -> new OutcomeCounts[] {none, none})[0] = row.counts();
        }
        for (FaultTypeRow row : b.rows()) {
            keyed.computeIfAbsent(row.faultType() + "\u0000" + row.target(), k -> new OutcomeCounts[] {none, none})[1] = row.counts();
        }
        List<Row> rows = new ArrayList<>();
        keyed.forEach((key, counts) -> {
            int split = key.indexOf('\u0000');
            rows.add(Row.of(key.substring(0, split), key.substring(split + 1), counts[0], counts[1]));
        });
        return new CampaignComparison(a, b, rows, Row.of("all", "", a.total().counts(), b.total().counts()));
    }

    /** The comparison as a terminal table. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("A: campaign ").append(a.metadata().name()).append(" (root seed ").append(a.metadata().rootSeed())
                .append(", ").append(a.totalRuns()).append(" runs)\n");
        out.append("B: campaign ").append(b.metadata().name()).append(" (root seed ").append(b.metadata().rootSeed())
                .append(", ").append(b.totalRuns()).append(" runs)\n\n");
        out.append("Recovery rate (recovered / detected) with 95% Wilson intervals; difference B - A; "
                + "two-sided Fisher's exact test\n");
        TextTable table = new TextTable(List.of("fault type", "target", "A recovered/detected", "A rate [95% CI]",
                "B recovered/detected", "B rate [95% CI]", "difference", "p-value"),
                false, false, true, false, true, false, true, true);
        List<Row> all = new ArrayList<>(rows);
        all.add(total);
        for (Row r : all) {
            table.row(r.faultType(), r.target(), r.a().successes() + "/" + r.a().trials(), Formats.rateWithInterval(r.a()),
                    r.b().successes() + "/" + r.b().trials(), Formats.rateWithInterval(r.b()),
                    Formats.points(r.difference()), Formats.pValue(r.pValue()));
        }
        out.append(table.render());
        return out.toString();
    }

    /** The comparison as one JSON object. */
    public String json() {
        ObjectNode root = RunRows.JSON.createObjectNode();
        campaign(root.putObject("a"), a);
        campaign(root.putObject("b"), b);
        ArrayNode list = root.putArray("by_fault_type");
        rows.forEach(r -> row(list.addObject(), r));
        row(root.putObject("all"), total);
        return root.toString();
    }

    private static void campaign(ObjectNode o, CampaignReport r) {
        o.put("campaign", r.metadata().name());
        o.put("root_seed", r.metadata().rootSeed());
        o.put("total_runs", r.totalRuns());
    }

    private static void row(ObjectNode o, Row r) {
        o.put("fault_type", r.faultType());
        o.put("target", r.target());
        side(o, "a_", r.a());
        side(o, "b_", r.b());
        JsonReport.number(o, "difference", r.difference());
        o.put("p_value", r.pValue());
    }

    private static void side(ObjectNode o, String prefix, Proportion p) {
        o.put(prefix + "detected", p.trials());
        o.put(prefix + "recovered", p.successes());
        JsonReport.number(o, prefix + "recovery_rate", p.rate());
        o.put(prefix + "ci_low", p.low());
        o.put(prefix + "ci_high", p.high());
    }
}
