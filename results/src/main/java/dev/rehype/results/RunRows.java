/*
 * The mapping between a RunRecord and its row in the `runs` table, both ways. Nested values
 * (recovery phases, repair steps, VM verdicts) travel as JSON text and are cast to DuckDB's typed
 * list-of-struct columns on insert (and back to JSON text on read), so that Parquet export keeps
 * them as nested columns. A row that does not map back to a record (an unknown outcome, a broken
 * nested value) is a damaged store.
 */
package dev.rehype.results;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.Reason;
import dev.rehype.campaign.RunRecord;

/** Binds records to INSERT parameters and reads them back from query rows. */
final class RunRows {

    static final ObjectMapper JSON = new ObjectMapper();

    private RunRows() {
    }

    /** The INSERT statement for one run; bind it with {@link #bind}. */
    static String insertSql() {
        List<String> values = new ArrayList<>();
        for (String column : StoreSchema.RUN_COLUMNS) {
            values.add(switch (column) {
                case "recovery_phases" -> "CAST(CAST(? AS JSON) AS " + StoreSchema.PHASES_TYPE + ")";
                case "recovery_repairs" -> "CAST(CAST(? AS JSON) AS " + StoreSchema.REPAIRS_TYPE + ")";
                case "vms" -> "CAST(CAST(? AS JSON) AS " + StoreSchema.VMS_TYPE + ")";
                default -> "?";
            });
        }
        return "INSERT INTO runs (" + String.join(", ", StoreSchema.RUN_COLUMNS) + ") VALUES ("
                + String.join(", ", values) + ")";
    }

    /** The SELECT list that {@link #read} expects, over a relation with the runs table's columns. */
    static String selectList() {
        return StoreSchema.RUN_COLUMNS.stream()
                .map(c -> switch (c) {
                    case "recovery_phases", "recovery_repairs", "vms" -> "CAST(to_json(" + c + ") AS VARCHAR) AS " + c;
                    default -> c;
                })
                .collect(Collectors.joining(", "));
    }

    /** Sets every parameter of {@link #insertSql()} from {@code r}. */
    static void bind(PreparedStatement p, RunRecord r) throws SQLException {
        int i = 1;
        p.setLong(i++, r.runIndex());
        p.setString(i++, r.campaign());
        p.setLong(i++, r.rootSeed());
        p.setLong(i++, r.runSeed());
        p.setString(i++, r.faultType());
        p.setString(i++, r.target());
        p.setString(i++, r.faultPlan());
        p.setString(i++, r.policy());
        RunRecord.Activation a = r.activation();
        p.setBoolean(i++, a.activated());
        p.setString(i++, a.site());
        p.setString(i++, a.valueBefore());
        p.setString(i++, a.valueAfter());
        p.setLong(i++, a.atCycles());
        RunRecord.Detection d = r.detection();
        p.setBoolean(i++, d.detected());
        p.setString(i++, d.kind());
        p.setInt(i++, d.cpu());
        p.setString(i++, d.inProgress());
        p.setLong(i++, d.atCycles());
        p.setLong(i++, d.latencyCycles());
        RunRecord.Recovery rec = r.recovery();
        p.setString(i++, rec.mode());
        p.setBoolean(i++, rec.succeeded());
        p.setLong(i++, rec.latencyNanos());
        p.setString(i++, phasesJson(rec.phases()));
        p.setString(i++, repairsJson(rec.repairs()));
        p.setString(i++, r.outcome().name());
        p.setString(i++, r.reason().name());
        p.setString(i++, vmsJson(r.vms()));
        p.setLong(i++, r.virtualCycles());
        p.setLong(i++, r.wallNanos());
        p.setString(i, r.finalStateHash());
    }

    /** The record in the current row of a query over {@link #selectList()}. */
    static RunRecord read(ResultSet rs) throws SQLException {
        RunRecord.Activation activation = new RunRecord.Activation(rs.getBoolean("activated"),
                rs.getString("activation_site"), rs.getString("activation_value_before"),
                rs.getString("activation_value_after"), rs.getLong("activation_cycles"));
        RunRecord.Detection detection = new RunRecord.Detection(rs.getBoolean("detected"),
                rs.getString("detection_kind"), rs.getInt("detection_cpu"), rs.getString("detection_in_progress"),
                rs.getLong("detection_cycles"), rs.getLong("detection_latency_cycles"));
        RunRecord.Recovery recovery = new RunRecord.Recovery(rs.getString("recovery_mode"),
                rs.getBoolean("recovery_succeeded"), rs.getLong("recovery_latency_nanos"),
                phases(rs.getString("recovery_phases")), repairs(rs.getString("recovery_repairs")));
        return new RunRecord(rs.getString("campaign"), rs.getLong("run_index"), rs.getLong("root_seed"),
                rs.getLong("run_seed"), rs.getString("fault_type"), rs.getString("target"), rs.getString("fault_plan"),
                rs.getString("policy"), activation, detection, recovery,
                enumValue(Outcome.class, rs.getString("outcome"), "outcome"),
                enumValue(Reason.class, rs.getString("reason"), "reason"),
                vms(rs.getString("vms")), rs.getLong("virtual_cycles"), rs.getLong("wall_nanos"),
                rs.getString("final_state_hash"));
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String column) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("column " + column + " holds '" + value + "', not a known value");
        }
    }

    static String phasesJson(List<RunRecord.Phase> phases) {
        ArrayNode array = JSON.createArrayNode();
        for (RunRecord.Phase p : phases) {
            array.addObject().put("name", p.name()).put("wall_nanos", p.wallNanos()).put("cycles", p.cycles());
        }
        return array.toString();
    }

    static String repairsJson(List<RunRecord.Repair> repairs) {
        ArrayNode array = JSON.createArrayNode();
        for (RunRecord.Repair r : repairs) {
            array.addObject().put("step", r.step()).put("changes", r.changes()).put("description", r.description());
        }
        return array.toString();
    }

    static String vmsJson(List<RunRecord.VmVerdict> vms) {
        ArrayNode array = JSON.createArrayNode();
        for (RunRecord.VmVerdict v : vms) {
            array.addObject().put("name", v.name()).put("verdict", v.verdict()).put("digest", v.digest())
                    .put("packets", v.packets());
        }
        return array.toString();
    }

    private static List<RunRecord.Phase> phases(String json) {
        List<RunRecord.Phase> out = new ArrayList<>();
        for (JsonNode n : array(json, "recovery_phases")) {
            out.add(new RunRecord.Phase(text(n, "name"), n.path("wall_nanos").asLong(), n.path("cycles").asLong()));
        }
        return out;
    }

    private static List<RunRecord.Repair> repairs(String json) {
        List<RunRecord.Repair> out = new ArrayList<>();
        for (JsonNode n : array(json, "recovery_repairs")) {
            out.add(new RunRecord.Repair(text(n, "step"), n.path("changes").asInt(), text(n, "description")));
        }
        return out;
    }

    private static List<RunRecord.VmVerdict> vms(String json) {
        List<RunRecord.VmVerdict> out = new ArrayList<>();
        for (JsonNode n : array(json, "vms")) {
            out.add(new RunRecord.VmVerdict(text(n, "name"), text(n, "verdict"), text(n, "digest"),
                    n.path("packets").asLong()));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    static JsonNode array(String json, String column) {
        try {
            JsonNode node = JSON.readTree(json == null ? "[]" : json);
            if (node.isNull()) {
                return JSON.createArrayNode();
            }
            if (!node.isArray()) {
                throw new IllegalStateException("column " + column + " does not hold a list");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("column " + column + " holds invalid JSON", e);
        }
    }
}
