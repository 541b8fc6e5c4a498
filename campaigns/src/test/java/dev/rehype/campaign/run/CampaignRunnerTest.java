package dev.rehype.campaign.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.campaign.FileCampaignStore;
import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.RunSink;
import dev.rehype.campaign.plan.Shard;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.SpecParser;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner: resume after a real kill -9 of a child JVM (no run lost, none duplicated), shards that
 * together store every run once, a determinism check that catches a nondeterministic executor,
 * and parallel results equal to sequential ones.
 */
class CampaignRunnerTest {
    static final String SPEC = """
            name: runner-test
            target: hypervisor
            faults:
              - {type: failstop, weight: 2}
              - {type: hang, weight: 1}
            recovery:
              sweep:
                - {name: none, steps: none}
                - {name: all, steps: all}
            runs: 30
            seed: 3
            """;

    static CampaignSpec spec() throws Exception {
        return SpecParser.parse(SPEC, "runner-test.yaml");
    }

    static Map<Long, String> byIndex(List<RunRecord> records) {
        return records.stream().collect(Collectors.toMap(RunRecord::runIndex,
                r -> r.outcome() + " " + r.reason() + " " + r.finalStateHash() + " " + r.policy(), (a, b) -> {
                    throw new AssertionError("duplicate run");
                }, TreeMap::new));
    }

    @Test
    void resumesAfterKillNineWithoutLossOrDuplicates(@TempDir Path dir) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                ResumeChild.class.getName(), dir.toString(), "40").redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        Path runs = dir.resolve("runs.jsonl");
        while (child.isAlive() && lines(runs) < 12) {
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("the child is still running when killed: %s",
                Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : "").isTrue();
        child.destroyForcibly();
        child.waitFor();
        long before = FileCampaignStore.readAll(dir).size();
        assertThat(before).isBetween(12L, 59L);

        CampaignSpec spec = spec();
        CampaignResult result;
        try (RunSink sink = new FileCampaignStore().open(dir, spec.name(), Shard.ALL)) {
            result = new CampaignRunner(spec, new FakeBackend(0, false), sink, Progress.NONE).run(2, Shard.ALL, 0);
        }
        assertThat(result.alreadyStored()).isEqualTo(before);
        assertThat(result.stored()).isEqualTo(60 - before);
        List<RunRecord> all = FileCampaignStore.readAll(dir);
        assertThat(all).hasSize(60);
        assertThat(byIndex(all).keySet()).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 60).boxed().toList());
        assertThat(byIndex(all)).isEqualTo(reference(spec));
    }

    private static long lines(Path file) throws Exception {
        if (!Files.exists(file)) {
            return 0;
        }
        return Files.readString(file, StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count();
    }

    private static Map<Long, String> reference(CampaignSpec spec) throws Exception {
        Path d = Files.createTempDirectory("reference");
        try (RunSink sink = new FileCampaignStore().open(d, spec.name(), Shard.ALL)) {
            new CampaignRunner(spec, new FakeBackend(0, false), sink, Progress.NONE).run(1, Shard.ALL, 0);
        }
        return byIndex(FileCampaignStore.readAll(d));
    }

    @Test
    void shardsTogetherStoreEveryRunOnce(@TempDir Path dir) throws Exception {
        CampaignSpec spec = spec();
        for (int k = 1; k <= 3; k++) {
            Shard shard = new Shard(k, 3);
            try (RunSink sink = new FileCampaignStore().open(dir, spec.name(), shard)) {
                CampaignResult r = new CampaignRunner(spec, new FakeBackend(0, false), sink, Progress.NONE)
                        .run(2, shard, 0);
                assertThat(r.shardRuns()).isEqualTo(20);
                assertThat(r.complete()).isTrue();
            }
            long slot = k - 1;
            assertThat(FileCampaignStore.readAll(dir).stream().filter(x -> x.runIndex() % 3 == slot).count())
                    .isEqualTo(20);
        }
        List<RunRecord> all = FileCampaignStore.readAll(dir);
        assertThat(all).hasSize(60);
        assertThat(byIndex(all)).isEqualTo(reference(spec));
    }

    @Test
    void theDeterminismCheckCatchesANondeterministicExecutor(@TempDir Path dir) throws Exception {
        CampaignSpec spec = spec();
        try (RunSink sink = new FileCampaignStore().open(dir.resolve("good"), spec.name(), Shard.ALL)) {
            CampaignResult good = new CampaignRunner(spec, new FakeBackend(0, false), sink, Progress.NONE)
                    .run(2, Shard.ALL, 5);
            assertThat(good.determinism()).hasSize(5);
            assertThat(good.determinismOk()).isTrue();
        }
        try (RunSink sink = new FileCampaignStore().open(dir.resolve("bad"), spec.name(), Shard.ALL)) {
            CampaignResult bad = new CampaignRunner(spec, new FakeBackend(0, true), sink, Progress.NONE)
                    .run(2, Shard.ALL, 5);
            assertThat(bad.determinism()).hasSize(5);
            assertThat(bad.determinismOk()).isFalse();
            assertThat(bad.determinism()).anyMatch(s -> !s.matches());
        }
    }

    @Test
    void parallelEqualsSequential(@TempDir Path dir) throws Exception {
        CampaignSpec spec = spec();
        try (RunSink sink = new FileCampaignStore().open(dir, spec.name(), Shard.ALL)) {
            new CampaignRunner(spec, new FakeBackend(1, false), sink, Progress.NONE).run(4, Shard.ALL, 0);
        }
        assertThat(byIndex(FileCampaignStore.readAll(dir))).isEqualTo(reference(spec));
    }

    @Test
    void aStopRequestStoresNothingHalfDoneAndTheRestRunsLater(@TempDir Path dir) throws Exception {
        CampaignSpec spec = spec();
        CampaignResult first;
        try (RunSink sink = new FileCampaignStore().open(dir, spec.name(), Shard.ALL)) {
            CampaignRunner runner = new CampaignRunner(spec, new FakeBackend(5, false), sink, Progress.NONE);
            Thread stopper = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(60);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                runner.requestStop();
            });
            first = runner.run(2, Shard.ALL, 0);
            stopper.join();
        }
        assertThat(first.stopped()).isTrue();
        assertThat(FileCampaignStore.readAll(dir)).hasSize((int) first.stored());
        try (RunSink sink = new FileCampaignStore().open(dir, spec.name(), Shard.ALL)) {
            CampaignResult rest = new CampaignRunner(spec, new FakeBackend(0, false), sink, Progress.NONE)
                    .run(2, Shard.ALL, 0);
            assertThat(rest.alreadyStored()).isEqualTo(first.stored());
        }
        assertThat(byIndex(FileCampaignStore.readAll(dir))).isEqualTo(reference(spec));
    }

    @Test
    void plainProgressPrintsCountsAndAnEta() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new PlainProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
        OutcomeCounts counts = new OutcomeCounts();
        counts.add(dev.rehype.campaign.Outcome.RECOVERED);
        p.start("c", 10, 2);
        p.update(3, counts);
        p.close();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("c: 10 runs, 2 already stored").contains("3/10 runs (30%)").contains("ETA")
                .contains("recovered 1");
    }

    @Test
    void theTerminalBarShowsTheCampaignAndTheCounts() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 160);
        OutcomeCounts counts = new OutcomeCounts();
        counts.add(dev.rehype.campaign.Outcome.NOT_ACTIVATED);
        p.start("bar-test", 10, 0);
        p.update(4, counts);
        p.close();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("bar-test").contains("notact 1");
    }
}
