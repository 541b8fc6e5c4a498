/*
 * Reading stores back as a user points at them: shard files in one directory merge into one
 * campaign whose report equals the unsharded one; a run stored in two shard files, or shards of
 * different campaigns, give one error naming the files; a missing directory or one without a store
 * is named; and the merged runs export to Parquet (nested columns kept typed) and to CSV, as
 * DuckDB reads them back.
 */
package dev.rehype.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rehype.campaign.RunRecord;

class CampaignStoresTest {

    @TempDir
    Path dir;

    @Test
    void shardFilesMergeIntoOneCampaign() {
        List<RunRecord> runs = ReportFixture.runs();
        Path sharded = dir.resolve("sharded");
        writeShards(sharded, runs, 3);
        Path whole = dir.resolve("whole");
        write(whole.resolve("campaign.duckdb"), ReportFixture.metadata(), runs);

        CampaignData merged = CampaignStores.read(sharded);
        assertThat(merged.shards()).hasSize(3);
        assertThat(merged.runs()).containsExactlyElementsOf(runs);
        CampaignReport fromShards = CampaignReport.of(merged);
        CampaignReport fromOne = CampaignReport.of(CampaignStores.read(whole));
        assertThat(fromShards.rows()).isEqualTo(fromOne.rows());
        assertThat(fromShards.latency()).isEqualTo(fromOne.latency());
        assertThat(fromShards.ablation()).isEqualTo(fromOne.ablation());
        assertThat(fromShards.storeFiles()).isEqualTo(3);
    }

    @Test
    void determinismChecksOfShardsAddUp() {
        Path sharded = dir.resolve("sharded");
        writeShards(sharded, ReportFixture.runs(), 2);
        try (DuckDbRunStore s = DuckDbRunStore.open(sharded.resolve("shard-1-of-2.duckdb"))) {
            s.recordDeterminismCheck(new DeterminismCheck(3, List.of()));
        }
        try (DuckDbRunStore s = DuckDbRunStore.open(sharded.resolve("shard-2-of-2.duckdb"))) {
            s.recordDeterminismCheck(new DeterminismCheck(2, List.of(5L)));
        }
        assertThat(CampaignStores.read(sharded).determinism()).contains(new DeterminismCheck(5, List.of(5L)));
    }

    @Test
    void aRunInTwoShardFilesIsReportedWithBothFiles() {
        Path sharded = dir.resolve("sharded");
        writeShards(sharded, ReportFixture.runs(), 2);
        try (DuckDbRunStore s = DuckDbRunStore.open(sharded.resolve("shard-2-of-2.duckdb"))) {
            s.accept(ReportFixture.runs().get(4));
        }
        assertThatThrownBy(() -> CampaignStores.read(sharded))
                .isInstanceOf(CampaignStoreException.class)
                .hasMessage("runs stored in more than one shard file: run 4 is in " + sharded.resolve("shard-1-of-2.duckdb")
                        + " and " + sharded.resolve("shard-2-of-2.duckdb"));
    }

    @Test
    void aDamagedShardIsNamedAmongSeveral() throws IOException {
        Path sharded = dir.resolve("sharded");
        writeShards(sharded, ReportFixture.runs(), 3);
        Path second = sharded.resolve("shard-2-of-3.duckdb");
        byte[] bytes = Files.readAllBytes(second);
        for (int i = 4096 * 3; i < bytes.length; i += 5) {
            bytes[i] = (byte) ~bytes[i];
        }
        Files.write(second, bytes);
        assertThatThrownBy(() -> CampaignStores.read(sharded))
                .isInstanceOf(CampaignStoreException.class)
                .hasMessageStartingWith(second + ": ")
                .hasMessageContaining("campaign store");
    }

    @Test
    void shardsOfDifferentCampaignsDoNotMerge() {
        Path mixed = dir.resolve("mixed");
        write(mixed.resolve("a.duckdb"), ReportFixture.metadata(), List.of());
        write(mixed.resolve("b.duckdb"), new CampaignMetadata("other", "x", 7, 1, 1, List.of()), List.of());
        assertThatThrownBy(() -> CampaignStores.read(mixed))
                .isInstanceOf(CampaignStoreException.class)
                .hasMessage(mixed.resolve("a.duckdb") + " holds campaign 'unit' (root seed 42) but " + mixed.resolve("b.duckdb")
                        + " holds 'other' (root seed 7): not shards of one campaign");
    }

    @Test
    void missingDirectoryAndDirectoryWithoutStoreAreNamed() throws IOException {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> CampaignStores.read(missing)).hasMessage(missing + ": no such directory");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> CampaignStores.read(empty)).hasMessage(empty + ": no campaign store in it (no *.duckdb file)");
    }

    @Test
    void exportsToParquetWithNestedColumnsAndToCsv() throws SQLException, IOException {
        Path sharded = dir.resolve("sharded");
        List<RunRecord> runs = ReportFixture.runs();
        writeShards(sharded, runs, 2);
        Path parquet = dir.resolve("runs.parquet");
        Path csv = dir.resolve("runs.csv");
        assertThat(CampaignStores.export(sharded, ExportFormat.PARQUET, parquet)).isEqualTo(runs.size());
        assertThat(CampaignStores.export(sharded, ExportFormat.CSV, csv)).isEqualTo(runs.size());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*), min(run_index), max(run_index), "
                    + "any_value(typeof(recovery_phases)), sum(len(vms)), count(*) FILTER (WHERE outcome = 'RECOVERED') "
                    + "FROM read_parquet('" + parquet + "')")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(runs.size());
                assertThat(rs.getLong(2)).isZero();
                assertThat(rs.getLong(3)).isEqualTo(runs.size() - 1);
                assertThat(rs.getString(4)).isEqualTo("STRUCT(\"name\" VARCHAR, wall_nanos BIGINT, cycles BIGINT)[]");
                assertThat(rs.getLong(5)).isEqualTo(2L * runs.size());
                assertThat(rs.getLong(6)).isEqualTo(11);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*), max(json_array_length(recovery_repairs::JSON)) "
                    + "FROM read_csv('" + csv + "', header = true)")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(runs.size());
                assertThat(rs.getLong(2)).isEqualTo(2);
            }
        }
        assertThat(Files.readAllLines(csv).getFirst()).startsWith("run_index,campaign,root_seed,run_seed,fault_type");
    }

    @Test
    void exportIntoAMissingDirectoryIsNamed() {
        Path store = dir.resolve("one.duckdb");
        write(store, ReportFixture.metadata(), ReportFixture.runs());
        Path out = dir.resolve("no/such/dir/runs.csv");
        assertThatThrownBy(() -> CampaignStores.export(store, ExportFormat.CSV, out))
                .isInstanceOf(CampaignStoreException.class)
                .hasMessage(out + ": its directory " + out.toAbsolutePath().getParent() + " does not exist");
    }

    /** Writes {@code runs} into {@code n} shard files of {@code directory}, run i into shard i mod n. */
    static void writeShards(Path directory, List<RunRecord> runs, int n) {
        for (int k = 1; k <= n; k++) {
            CampaignMetadata m = ReportFixture.metadata();
            CampaignMetadata shard = new CampaignMetadata(m.name(), m.specText(), m.rootSeed(), k, n, m.policies());
            int index = k - 1;
            write(directory.resolve("shard-" + k + "-of-" + n + ".duckdb"), shard,
                    runs.stream().filter(r -> r.runIndex() % n == index).toList());
        }
    }

    static void write(Path file, CampaignMetadata metadata, List<RunRecord> runs) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, metadata)) {
            runs.forEach(store::accept);
        }
    }
}
