/*
 * The DuckDB store as campaigns use it through the CampaignStore boundary: found by ServiceLoader,
 * one file per shard named after the shard, metadata taken from the spec copied into the
 * directory, the golden run and the determinism samples kept for the report, stored runs found
 * across shards, and a spec of another campaign refused with one line naming the file.
 */
package dev.rehype.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rehype.campaign.CampaignStore;
import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.RunSink;
import dev.rehype.campaign.exec.VmEnd;
import dev.rehype.campaign.plan.Shard;
import dev.rehype.campaign.run.DeterminismSample;

class DuckDbCampaignStoreTest {

    static final String SPEC = """
            name: unit
            target: hypervisor
            faults:
              - type: failstop
                weight: 1
            recovery:
              sweep:
                - {name: none, steps: none}
                - {name: locks, steps: [release-locks]}
            runs: 3
            seed: 42
            """;

    @Test
    void shardsGoldenDeterminismAndLookup(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("campaign.yaml"), SPEC);
        CampaignStore store = dev.rehype.campaign.CampaignStores.load();
        assertThat(store).isInstanceOf(DuckDbCampaignStore.class);

        try (RunSink one = store.open(dir, "unit", new Shard(1, 2))) {
            one.recordGolden(new dev.rehype.campaign.exec.GoldenRun(List.of(
                    new VmEnd("dom0", true, VmEnd.State.FINISHED, 0, "115b5917"),
                    new VmEnd("compute", false, VmEnd.State.FINISHED, 0, "855f6da0")), "golden-hash", 7_750_000));
            one.accept(TestRuns.recovered(0, "failstop", "hypervisor", "none", 2_000_000));
            one.accept(TestRuns.recovered(2, "failstop", "hypervisor", "none", 3_000_000));
            one.recordDeterminism(List.of(
                    new DeterminismSample(0, "h0", "h0", Outcome.RECOVERED, Outcome.RECOVERED),
                    new DeterminismSample(2, "h2", "h2x", Outcome.RECOVERED, Outcome.RECOVERED)));
        }
        try (RunSink two = store.open(dir, "unit", new Shard(2, 2))) {
            two.accept(TestRuns.notActivated(1, "failstop", "hypervisor"));
        }
        assertThat(dir.resolve("runs-1-of-2.duckdb")).exists();
        assertThat(dir.resolve("runs-2-of-2.duckdb")).exists();

        CampaignData data = CampaignStores.read(dir);
        assertThat(data.metadata().specText()).isEqualTo(SPEC);
        assertThat(data.metadata().rootSeed()).isEqualTo(42);
        assertThat(data.metadata().policies()).extracting(PolicyInfo::name).containsExactly("none", "locks");
        assertThat(data.metadata().policies().get(1).repairSteps()).containsExactly("release-locks");
        assertThat(data.golden()).hasValueSatisfying(g -> {
            assertThat(g.finalStateHash()).isEqualTo("golden-hash");
            assertThat(g.digests()).containsExactly(new GoldenRun.VmDigest("dom0", "115b5917"),
                    new GoldenRun.VmDigest("compute", "855f6da0"));
        });
        assertThat(data.determinism()).hasValue(new DeterminismCheck(2, List.of(2L)));

        assertThat(store.find(dir, 1)).hasValueSatisfying(r -> assertThat(r.outcome()).isEqualTo(Outcome.NOT_ACTIVATED));
        assertThat(store.find(dir, 5)).isEmpty();
        assertThat(store.reportTable(dir)).contains("Campaign unit (root seed 42, 2 store files, 3 runs)")
                .contains("final state hash golden-hash").contains("FAILED: 1 of 2");

        try (RunSink resumed = store.open(dir, "unit", new Shard(1, 2))) {
            assertThat(resumed.completed().stream()).containsExactly(0, 2);
        }
    }

    @Test
    void nothingStoredAndAnotherCampaign(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("campaign.yaml"), SPEC);
        CampaignStore store = new DuckDbCampaignStore();
        assertThat(store.find(dir, 0)).isEmpty();
        assertThatThrownBy(() -> store.open(dir, "other", Shard.ALL)).isInstanceOf(CampaignStoreException.class)
                .hasMessage(dir.resolve("campaign.yaml") + ": holds campaign 'unit', not 'other'");
        assertThatThrownBy(() -> store.open(dir.resolve("missing"), "unit", Shard.ALL))
                .isInstanceOf(CampaignStoreException.class).hasMessageContaining("campaign.yaml").hasMessageNotContaining("\n");
        assertThat(dir.resolve("runs.duckdb")).doesNotExist();
    }
}
