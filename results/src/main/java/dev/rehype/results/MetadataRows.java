/*
 * Reading and writing the one-row `campaign` table, and the check that tells a campaign store from
 * any other DuckDB database: both tables present, exactly one metadata row, the format marker and
 * a schema version this code knows. Works on the database opened directly and on one attached
 * under a name (shard merge).
 */
package dev.rehype.results;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The {@code campaign} table's row, both ways. */
final class MetadataRows {

    private MetadataRows() {
    }

    /** Inserts the metadata row of a new store. */
    static void insert(Connection c, CampaignMetadata m) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO campaign (store_format, store_version, name, spec_text, root_seed, shard_index, "
                        + "shard_count, policies) VALUES (?, ?, ?, ?, ?, ?, ?, CAST(CAST(? AS JSON) AS "
                        + StoreSchema.POLICIES_TYPE + "))")) {
            p.setString(1, StoreSchema.FORMAT);
            p.setInt(2, StoreSchema.VERSION);
            p.setString(3, m.name());
            p.setString(4, m.specText());
            p.setLong(5, m.rootSeed());
            p.setInt(6, m.shardIndex());
            p.setInt(7, m.shardCount());
            p.setString(8, policiesJson(m.policies()));
            p.executeUpdate();
        }
    }

    /** Stores the golden run's hash and digests. */
    static void updateGolden(Connection c, GoldenRun g) throws SQLException {
        ArrayNode digests = RunRows.JSON.createArrayNode();
        for (GoldenRun.VmDigest d : g.digests()) {
            digests.addObject().put("vm", d.vm()).put("digest", d.digest());
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE campaign SET golden_state_hash = ?, "
                + "golden_digests = CAST(CAST(? AS JSON) AS " + StoreSchema.DIGESTS_TYPE + ")")) {
            p.setString(1, g.finalStateHash());
            p.setString(2, digests.toString());
            p.executeUpdate();
        }
    }

    /** Stores a determinism check's result. */
    static void updateDeterminism(Connection c, DeterminismCheck d) throws SQLException {
        ArrayNode runs = RunRows.JSON.createArrayNode();
        d.mismatchedRunIndexes().forEach(runs::add);
        try (PreparedStatement p = c.prepareStatement("UPDATE campaign SET determinism_checked_runs = ?, "
                + "determinism_mismatched_runs = CAST(CAST(? AS JSON) AS BIGINT[])")) {
            p.setInt(1, d.checkedRuns());
            p.setString(2, runs.toString());
            p.executeUpdate();
        }
    }

    /**
     * Reads and checks the metadata of the campaign store in database {@code database} (as DuckDB
     * names it); {@code file} is only for messages.
     *
     * @throws CampaignStoreException when the database is not a campaign store
     */
    static StoredShard read(Connection c, String database, Path file) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT table_name FROM duckdb_tables() "
                + "WHERE database_name = ? AND schema_name = 'main' ORDER BY table_name")) {
            p.setString(1, database);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        if (!tables.contains("campaign") || !tables.contains("runs")) {
            throw new CampaignStoreException(file + ": not a campaign store (a DuckDB database without the "
                    + "campaign and runs tables)");
        }
        String sql = "SELECT store_format, store_version, name, spec_text, root_seed, shard_index, shard_count, "
                + "CAST(to_json(policies) AS VARCHAR) AS policies, golden_state_hash, "
                + "CAST(to_json(golden_digests) AS VARCHAR) AS golden_digests, determinism_checked_runs, "
                + "CAST(to_json(determinism_mismatched_runs) AS VARCHAR) AS determinism_mismatched_runs "
                + "FROM " + quoteIdentifier(database) + ".main.campaign";
        try (PreparedStatement p = c.prepareStatement(sql); ResultSet rs = p.executeQuery()) {
            if (!rs.next()) {
                throw new CampaignStoreException(file + ": damaged campaign store (its campaign table is empty)");
            }
            if (!StoreSchema.FORMAT.equals(rs.getString("store_format"))) {
                throw new CampaignStoreException(file + ": not a campaign store (store_format is '"
                        + rs.getString("store_format") + "')");
            }
            int version = rs.getInt("store_version");
            if (version != StoreSchema.VERSION) {
                throw new CampaignStoreException(file + ": campaign store version " + version
                        + "; this toolkit reads version " + StoreSchema.VERSION);
            }
            StoredShard shard = shard(rs, file);
            if (rs.next()) {
                throw new CampaignStoreException(file + ": damaged campaign store (its campaign table has several rows)");
            }
            return shard;
        }
    }

    private static StoredShard shard(ResultSet rs, Path file) throws SQLException {
        List<PolicyInfo> policies = new ArrayList<>();
        for (JsonNode n : RunRows.array(rs.getString("policies"), "policies")) {
            List<String> steps = new ArrayList<>();
            n.path("repair_steps").forEach(s -> steps.add(s.asText()));
            policies.add(new PolicyInfo(n.path("name").asText(), n.path("mode").asText(), steps));
        }
        CampaignMetadata metadata = new CampaignMetadata(rs.getString("name"), rs.getString("spec_text"),
                rs.getLong("root_seed"), rs.getInt("shard_index"), rs.getInt("shard_count"), policies);
        Optional<GoldenRun> golden = Optional.empty();
        String goldenHash = rs.getString("golden_state_hash");
        if (goldenHash != null) {
            List<GoldenRun.VmDigest> digests = new ArrayList<>();
            for (JsonNode n : RunRows.array(rs.getString("golden_digests"), "golden_digests")) {
                digests.add(new GoldenRun.VmDigest(n.path("vm").asText(), n.path("digest").asText()));
            }
            golden = Optional.of(new GoldenRun(goldenHash, digests));
        }
        Optional<DeterminismCheck> determinism = Optional.empty();
        int checked = rs.getInt("determinism_checked_runs");
        if (!rs.wasNull()) {
            List<Long> mismatched = new ArrayList<>();
            RunRows.array(rs.getString("determinism_mismatched_runs"), "determinism_mismatched_runs")
                    .forEach(n -> mismatched.add(n.asLong()));
            determinism = Optional.of(new DeterminismCheck(checked, mismatched));
        }
        return new StoredShard(file, metadata, golden, determinism);
    }

    static String policiesJson(List<PolicyInfo> policies) {
        ArrayNode array = RunRows.JSON.createArrayNode();
        for (PolicyInfo p : policies) {
            ObjectNode o = array.addObject().put("name", p.name()).put("mode", p.mode());
            ArrayNode steps = o.putArray("repair_steps");
            p.repairSteps().forEach(steps::add);
        }
        return array.toString();
    }

    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
