/*
 * A campaign report's figures, computed from stored run records only (DESIGN §3): outcome counts
 * per fault type × target (rows sorted by fault type, then target) and in total, the recovery
 * latency distribution, the ablation table when the campaign swept several policies, and the
 * determinism check and golden run as stored. The text, JSON and HTML renderings all print this
 * one object, so they cannot disagree.
 *
 * Recovery latency samples are the runs whose recovery ran to completion
 * (recovery.succeeded and recovery.latencyNanos >= 0), in milliseconds.
 */
package dev.rehype.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.rehype.campaign.RunRecord;

/**
 * The figures of one campaign.
 *
 * @param metadata     the campaign's metadata (first shard)
 * @param storeFiles   how many store files were read
 * @param rows         one row per fault type × target
 * @param total        every run together (fault type {@code all})
 * @param latenciesMs  every recovery latency sample, in run order (for the distribution chart)
 * @param latency      their nearest-rank percentiles
 * @param ablation     one row per policy when several were swept, else empty
 * @param determinism  the determinism check, when one ran
 * @param golden       the golden run, when recorded
 */
public record CampaignReport(CampaignMetadata metadata, int storeFiles, List<FaultTypeRow> rows, FaultTypeRow total,
                             List<Double> latenciesMs, LatencySummary latency, List<AblationRow> ablation,
                             Optional<DeterminismCheck> determinism, Optional<GoldenRun> golden) {

    public CampaignReport {
        rows = List.copyOf(rows);
        latenciesMs = List.copyOf(latenciesMs);
        ablation = List.copyOf(ablation);
    }

    /** Computes the report of {@code data}. */
    public static CampaignReport of(CampaignData data) {
        Map<String, Map<String, List<RunRecord>>> byType = new TreeMap<>();
        Map<String, List<RunRecord>> byPolicy = new TreeMap<>();
        for (RunRecord r : data.runs()) {
            byType.computeIfAbsent(r.faultType(), k -> new TreeMap<>()).computeIfAbsent(r.target(), k -> new ArrayList<>()).add(r);
            byPolicy.computeIfAbsent(r.policy(), k -> new ArrayList<>()).add(r);
        }
        List<FaultTypeRow> rows = new ArrayList<>();
        byType.forEach((type, targets) -> targets.forEach((target, runs) ->
                rows.add(new FaultTypeRow(type, target, OutcomeCounts.of(runs)))));
        double[] latencies = latenciesMs(data.runs());
        List<Double> latencyList = new ArrayList<>();
        for (double l : latencies) {
            latencyList.add(l);
        }
        return new CampaignReport(data.metadata(), data.shards().size(), rows,
                new FaultTypeRow("all", "", OutcomeCounts.of(data.runs())), latencyList, LatencySummary.of(latencies),
                ablation(data.metadata().policies(), byPolicy), data.determinism(), data.golden());
    }

    /** How many runs the report counts. */
    public long totalRuns() {
        return total.counts().runs();
    }

    /** Whether the campaign swept several policies (the report then has an ablation table). */
    public boolean swept() {
        return !ablation.isEmpty();
    }

    static double[] latenciesMs(List<RunRecord> runs) {
        return runs.stream()
                .filter(r -> r.recovery().succeeded() && r.recovery().latencyNanos() >= 0)
                .mapToDouble(r -> r.recovery().latencyNanos() / 1e6)
                .toArray();
    }

    private static List<AblationRow> ablation(List<PolicyInfo> declared, Map<String, List<RunRecord>> byPolicy) {
        if (byPolicy.size() < 2) {
            return List.of();
        }
        Map<String, PolicyInfo> declaredByName = new LinkedHashMap<>();
        declared.forEach(p -> declaredByName.put(p.name(), p));
        List<String> order = new ArrayList<>();
        declaredByName.keySet().stream().filter(byPolicy::containsKey).forEach(order::add);
        byPolicy.keySet().stream().filter(p -> !declaredByName.containsKey(p)).forEach(order::add);
        List<AblationRow> rows = new ArrayList<>();
        for (String name : order) {
            List<RunRecord> runs = byPolicy.get(name);
            PolicyInfo info = declaredByName.get(name);
            List<String> steps;
            String mode;
            if (info != null) {
                steps = info.repairSteps();
                mode = info.mode();
            } else {
                TreeSet<String> seen = new TreeSet<>();
                TreeSet<String> modes = new TreeSet<>();
                for (RunRecord r : runs) {
                    r.recovery().repairs().forEach(rep -> seen.add(rep.step()));
                    if (!r.recovery().mode().isEmpty()) {
                        modes.add(r.recovery().mode());
                    }
                }
                steps = List.copyOf(seen);
                mode = String.join("+", modes);
            }
            rows.add(new AblationRow(name, mode, steps, info != null, OutcomeCounts.of(runs),
                    LatencySummary.of(latenciesMs(runs))));
        }
        return rows;
    }
}
