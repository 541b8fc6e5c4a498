package dev.rehype.campaign.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.FaultType;
import dev.rehype.campaign.spec.SpecParser;
import dev.rehype.machine.Seeds;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Planning: the same spec gives the same tasks; sweeps share fault draws; counts are exact; shards partition. */
class PlannerTest {
    @Test
    void theSameSpecGivesTheSameTasks() throws Exception {
        CampaignSpec a = SpecParser.parse(Path.of("..", "examples", "quick.yaml"));
        CampaignSpec b = SpecParser.parse(Path.of("..", "examples", "quick.yaml"));
        List<RunTask> first = Planner.plan(a);
        assertThat(Planner.plan(b)).isEqualTo(first);
        assertThat(first).hasSize(300);
        for (RunTask t : first) {
            assertThat(t.runSeed()).isEqualTo(Seeds.derive(a.rootSeed(), t.runIndex()));
            assertThat(t.triggerCycles()).isBetween(100_000L, 5_999_999L);
        }
        Map<FaultType, Long> mix = first.stream().collect(Collectors.groupingBy(RunTask::faultType,
                Collectors.counting()));
        assertThat(mix.keySet()).containsExactlyInAnyOrder(FaultType.FAILSTOP, FaultType.REGISTER, FaultType.CODE,
                FaultType.HANG);
        assertThat(mix.get(FaultType.FAILSTOP)).isBetween(110L, 190L);
        assertThat(Planner.task(a, 123)).isEqualTo(first.get(123));
    }

    @Test
    void anotherSeedGivesOtherDraws() throws Exception {
        String text = java.nio.file.Files.readString(Path.of("..", "examples", "quick.yaml"));
        List<RunTask> one = Planner.plan(SpecParser.parse(text, "a"));
        List<RunTask> two = Planner.plan(SpecParser.parse(text.replace("seed: 1", "seed: 2"), "b"));
        assertThat(two).isNotEqualTo(one);
    }

    @Test
    void everyPolicyOfASweepGetsTheSameFaultDraws() throws Exception {
        CampaignSpec spec = SpecParser.parse(Path.of("..", "examples", "ablation.yaml"));
        List<RunTask> tasks = Planner.plan(spec);
        int p = spec.policies().size();
        assertThat(tasks).hasSize((int) spec.draws() * p);
        for (int d = 0; d < spec.draws(); d++) {
            RunTask base = tasks.get(d * p);
            Set<Long> seeds = new HashSet<>();
            for (int i = 0; i < p; i++) {
                RunTask t = tasks.get(d * p + i);
                assertThat(t.drawIndex()).isEqualTo(d);
                assertThat(t.policy()).isEqualTo(spec.policies().get(i));
                assertThat(t.faultSeed()).isEqualTo(base.faultSeed());
                assertThat(t.triggerCycles()).isEqualTo(base.triggerCycles());
                assertThat(t.faultType()).isEqualTo(base.faultType());
                seeds.add(t.runSeed());
            }
            assertThat(seeds).hasSize(p);
        }
    }

    @Test
    void countsAreExact() throws Exception {
        CampaignSpec spec = SpecParser.parse("""
                name: c
                target: hypervisor
                faults:
                  - {type: failstop, count: 5}
                  - {type: hang, count: 3}
                  - {type: memory, count: 2}
                """, "c.yaml");
        Map<FaultType, Long> mix = Planner.plan(spec).stream().collect(Collectors.groupingBy(RunTask::faultType,
                Collectors.counting()));
        assertThat(mix).isEqualTo(Map.of(FaultType.FAILSTOP, 5L, FaultType.HANG, 3L, FaultType.MEMORY, 2L));
    }

    @Test
    void shardsPartitionTheRuns() {
        int n = 3;
        Map<Long, Long> owners = java.util.stream.LongStream.range(0, 100).boxed()
                .collect(Collectors.toMap(Function.identity(), i -> java.util.stream.IntStream.rangeClosed(1, n)
                        .filter(k -> new Shard(k, n).owns(i)).count()));
        assertThat(owners.values()).containsOnly(1L);
        assertThat(Shard.parse("2/3")).isEqualTo(new Shard(2, 3));
    }
}
