/*
 * The campaign store as a runner uses it: records of every outcome come back equal, completed()
 * names the stored runs, a run stored twice is refused (in one session and after reopening), a
 * store reopened with another campaign's metadata is refused, the golden run and determinism check
 * are kept, and files that are not campaign stores or are damaged give one error naming the file.
 */
package dev.rehype.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rehype.campaign.RunRecord;

class DuckDbRunStoreTest {

    @TempDir
    Path dir;

    @Test
    void recordsOfEveryOutcomeComeBackEqual() {
        Path file = dir.resolve("unit.duckdb");
        List<RunRecord> runs = TestRuns.everyOutcome(0);
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, TestRuns.metadata())) {
            runs.forEach(store::accept);
        }
        CampaignData data = CampaignStores.read(file);
        assertThat(data.runs()).containsExactlyElementsOf(runs);
        assertThat(data.metadata()).isEqualTo(TestRuns.metadata());
        assertThat(data.runs()).extracting(RunRecord::outcome).containsAll(List.of(dev.rehype.campaign.Outcome.values()));
        assertThat(data.runs()).extracting(RunRecord::reason).containsAll(List.of(dev.rehype.campaign.Reason.values()));
    }

    @Test
    void completedNamesTheStoredRunsAfterReopening() {
        Path file = dir.resolve("unit.duckdb");
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, TestRuns.metadata())) {
            store.accept(TestRuns.recovered(3, "failstop", "hypervisor", "full", 1));
            store.accept(TestRuns.notActivated(7, "code", "hypervisor"));
            assertThat(store.completed()).isEqualTo(bits(3, 7));
        }
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, TestRuns.metadata())) {
            assertThat(store.completed()).isEqualTo(bits(3, 7));
            store.accept(TestRuns.notActivated(4, "code", "hypervisor"));
            assertThat(store.completed()).isEqualTo(bits(3, 4, 7));
        }
    }

    @Test
    void aRunStoredTwiceIsRefusedWithTheFileAndRunNamed() {
        Path file = dir.resolve("unit.duckdb");
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, TestRuns.metadata())) {
            store.accept(TestRuns.notActivated(5, "code", "hypervisor"));
            assertThatThrownBy(() -> store.accept(TestRuns.notManifested(5, "code", "hypervisor")))
                    .isInstanceOf(CampaignStoreException.class)
                    .hasMessage(file + ": run 5 is already stored; a run is stored once");
        }
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, TestRuns.metadata())) {
            assertThatThrownBy(() -> store.accept(TestRuns.notActivated(5, "code", "hypervisor")))
                    .hasMessageContaining("run 5 is already stored");
        }
        assertThat(CampaignStores.read(file).runs()).containsExactly(TestRuns.notActivated(5, "code", "hypervisor"));
    }

    @Test
    void concurrentAcceptsAllArriveAndADuplicateRaceHasOneWinner() throws Exception {
        Path file = dir.resolve("unit.duckdb");
        int threads = 8;
        int perThread = 40;
        List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger duplicateWins = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger duplicateRefusals = new java.util.concurrent.atomic.AtomicInteger();
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, TestRuns.metadata())) {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Thread> workers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        for (int i = first; i < first + perThread; i++) {
                            store.accept(StoreDurabilityTest.expected(i));
                            try {
                                store.accept(StoreDurabilityTest.expected(1_000 + i % 10));
                                duplicateWins.incrementAndGet();
                            } catch (CampaignStoreException e) {
                                assertThat(e.getMessage()).contains("is already stored");
                                duplicateRefusals.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            assertThat(failures).isEmpty();
            assertThat(duplicateWins.get()).isEqualTo(10);
            assertThat(duplicateRefusals.get()).isEqualTo(threads * perThread - 10);
            assertThat(store.completed().cardinality()).isEqualTo(threads * perThread + 10);
        }
        List<RunRecord> stored = CampaignStores.read(file).runs();
        assertThat(stored).hasSize(threads * perThread + 10);
        for (RunRecord r : stored) {
            assertThat(r).isEqualTo(StoreDurabilityTest.expected(r.runIndex()));
        }
    }

    @Test
    void aRecordOfAnotherCampaignIsRefused() {
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(dir.resolve("unit.duckdb"), TestRuns.metadata())) {
            RunRecord r = TestRuns.notActivated(1, "code", "hypervisor");
            RunRecord other = new RunRecord("other", 1, r.rootSeed(), r.runSeed(), r.faultType(), r.target(), r.faultPlan(),
                    r.policy(), r.activation(), r.detection(), r.recovery(), r.outcome(), r.reason(), r.vms(),
                    r.virtualCycles(), r.wallNanos(), r.finalStateHash());
            assertThatThrownBy(() -> store.accept(other)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("campaign 'other'");
            assertThat(store.completed().isEmpty()).isTrue();
        }
    }

    @Test
    void resumingWithAnotherCampaignsMetadataIsRefused() {
        Path file = dir.resolve("unit.duckdb");
        DuckDbRunStore.openOrCreate(file, TestRuns.metadata()).close();
        CampaignMetadata otherSeed = new CampaignMetadata(TestRuns.CAMPAIGN, TestRuns.metadata().specText(), 43, 1, 1, List.of());
        assertThatThrownBy(() -> DuckDbRunStore.openOrCreate(file, otherSeed))
                .isInstanceOf(CampaignStoreException.class)
                .hasMessageStartingWith(file + ": holds campaign 'unit' (root seed 42, shard 1/1)")
                .hasMessageEndingWith("the root seed differs");
        assertThatThrownBy(() -> DuckDbRunStore.openOrCreate(file, TestRuns.metadata(2, 3)))
                .hasMessageEndingWith("the shard (1/1 stored, 2/3 asked) differs");
    }

    @Test
    void goldenRunAndDeterminismCheckAreKept() {
        Path file = dir.resolve("unit.duckdb");
        GoldenRun golden = new GoldenRun("abc123", List.of(new GoldenRun.VmDigest("compute", "c0ffee00"),
                new GoldenRun.VmDigest("net", "00c0ffee")));
        DeterminismCheck check = new DeterminismCheck(10, List.of(7L, 3L));
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, TestRuns.metadata())) {
            assertThat(store.golden()).isEmpty();
            store.recordGolden(golden);
            store.recordDeterminismCheck(check);
        }
        StoredShard shard = CampaignStores.read(file).shards().getFirst();
        assertThat(shard.golden()).contains(golden);
        assertThat(shard.determinism()).contains(new DeterminismCheck(10, List.of(3L, 7L)));
        assertThat(shard.determinism().orElseThrow().passed()).isFalse();
    }

    @Test
    void aDatabaseWhoseCreationNeverCommittedIsCreatedAfresh() throws SQLException {
        Path file = dir.resolve("unit.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
            assertThat(c.isValid(1)).isTrue();
        }
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, TestRuns.metadata())) {
            assertThat(store.completed().isEmpty()).isTrue();
            store.accept(TestRuns.notActivated(0, "code", "hypervisor"));
        }
        assertThat(CampaignStores.read(file).runs()).hasSize(1);
    }

    @Test
    void aTextFileIsNotACampaignStore() throws IOException {
        Path file = dir.resolve("notes.duckdb");
        Files.writeString(file, "just some notes\n");
        assertThatThrownBy(() -> DuckDbRunStore.openOrCreate(file, TestRuns.metadata()))
                .isInstanceOf(CampaignStoreException.class)
                .hasMessage(file + ": not a campaign store (not a DuckDB database file)");
        assertThatThrownBy(() -> CampaignStores.read(dir))
                .hasMessage(file + ": not a campaign store (not a DuckDB database file)");
        assertThat(Files.readString(file)).isEqualTo("just some notes\n");
    }

    @Test
    void anotherDuckDbDatabaseIsNotACampaignStore() throws SQLException {
        Path file = dir.resolve("other.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE things (x INTEGER)");
        }
        assertThatThrownBy(() -> CampaignStores.read(file))
                .isInstanceOf(CampaignStoreException.class)
                .hasMessage(file + ": not a campaign store (a DuckDB database without the campaign and runs tables)");
        assertThatThrownBy(() -> DuckDbRunStore.openOrCreate(file, TestRuns.metadata()))
                .hasMessage(file + ": not a campaign store (a DuckDB database without the campaign and runs tables)");
    }

    @Test
    void aTruncatedStoreIsReportedAsDamagedNamingTheFile() throws IOException {
        Path file = dir.resolve("unit.duckdb");
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, TestRuns.metadata())) {
            TestRuns.everyOutcome(0).forEach(store::accept);
        }
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size / 3);
        }
        assertThatThrownBy(() -> CampaignStores.read(file))
                .isInstanceOf(CampaignStoreException.class)
                .hasMessageStartingWith(file + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aStoreWithOverwrittenBlocksIsReportedAsDamagedNamingTheFile() throws IOException {
        Path file = dir.resolve("unit.duckdb");
        try (DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, TestRuns.metadata())) {
            TestRuns.everyOutcome(0).forEach(store::accept);
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 4096 * 3; i < bytes.length; i += 7) {
            bytes[i] = (byte) ~bytes[i];
        }
        Files.write(file, bytes);
        assertThatThrownBy(() -> CampaignStores.read(file))
                .isInstanceOf(CampaignStoreException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining("campaign store")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    static BitSet bits(int... indexes) {
        BitSet b = new BitSet();
        for (int i : indexes) {
            b.set(i);
        }
        return b;
    }
}
