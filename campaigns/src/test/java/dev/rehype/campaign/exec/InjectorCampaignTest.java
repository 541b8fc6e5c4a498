package dev.rehype.campaign.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.plan.Shard;
import dev.rehype.campaign.run.CampaignResult;
import dev.rehype.campaign.run.CampaignRunner;
import dev.rehype.campaign.run.Progress;
import dev.rehype.campaign.run.Replay;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.TreeMap;

/**
 * Real runs through the fault injector's backend: every fault type into the hypervisor (hangs
 * armed just before the system's end, so that some never fire), and guest faults into Dom0 and an
 * AppVM. Two workers and one worker give the same records; real runs are classified (some not
 * activated, some recovered, every activated failstop detected); a replayed run has the same
 * essence, final state hash included.
 */
class InjectorCampaignTest {
    static final String HYPERVISOR = """
            name: injector-test
            target: hypervisor
            faults:
              - {type: register, count: 2}
              - {type: code, count: 2}
              - {type: failstop, count: 2}
              - {type: memory, count: 2}
              - type: hang
                count: 2
                trigger: {from-cycles: 7990000, to-cycles: 7999000}
            runs: 10
            seed: 11
            """;

    static String guestSpec(String target) {
        return """
                name: injector-guest-test
                target: %s
                faults:
                  - {type: register, count: 1}
                  - {type: code, count: 1}
                  - {type: failstop, count: 1}
                  - {type: memory, count: 1}
                  - {type: hang, count: 1}
                runs: 5
                seed: 12
                """.formatted(target);
    }

    static TreeMap<Long, String> essences(FailstopCampaignTest.ListSink sink) {
        TreeMap<Long, String> m = new TreeMap<>();
        sink.records.forEach(x -> m.put(x.runIndex(), FailstopCampaignTest.essence(x)));
        return m;
    }

    @Test
    void everyTypeIntoTheHypervisorParallelEqualsSequentialAndReplays() throws Exception {
        CampaignSpec spec = SpecParser.parse(HYPERVISOR, "injector-test.yaml");
        InjectorBackend backend = new InjectorBackend(spec);
        FailstopCampaignTest.ListSink parallel = new FailstopCampaignTest.ListSink();
        CampaignResult r = new CampaignRunner(spec, backend, parallel, Progress.NONE).run(2, Shard.ALL, 0);
        System.out.printf(Locale.ROOT, "injector backend: %d runs, 2 workers, %.2f runs/s; %s%n", r.stored(),
                r.runsPerSecond(), r.counts().summary());
        parallel.records.forEach(x -> System.out.println(x.outcome() + " " + x.reason() + " " + x.faultPlan()));
        assertThat(r.errors()).isEmpty();
        assertThat(parallel.records).hasSize(10);
        assertThat(parallel.records).extracting(RunRecord::faultType)
                .contains("register", "code", "failstop", "memory", "hang");
        for (RunRecord rec : parallel.records) {
            if (!rec.activation().activated()) {
                assertThat(rec.outcome()).as("not activated: %s", rec.faultPlan()).isEqualTo(Outcome.NOT_ACTIVATED);
            } else {
                assertThat(rec.outcome()).isNotEqualTo(Outcome.NOT_ACTIVATED);
                assertThat(rec.activation().site()).isNotEmpty();
                assertThat(rec.activation().atCycles()).isNotNegative();
            }
            if (rec.faultType().equals("failstop") && rec.activation().activated()) {
                assertThat(rec.detection().detected()).as("failstop detected: %s", rec.faultPlan()).isTrue();
            }
            assertThat(rec.faultPlan()).doesNotContain("site=\"\"").contains("site=");
        }
        assertThat(parallel.records).anyMatch(x -> x.outcome() == Outcome.NOT_ACTIVATED)
                .anyMatch(x -> x.outcome() == Outcome.RECOVERED);

        FailstopCampaignTest.ListSink sequential = new FailstopCampaignTest.ListSink();
        new CampaignRunner(spec, new InjectorBackend(spec), sequential, Progress.NONE).run(1, Shard.ALL, 0);
        assertThat(essences(sequential)).isEqualTo(essences(parallel));

        for (RunRecord some : parallel.records) {
            if (some.outcome() == Outcome.RECOVERED || some.faultType().equals("code")) {
                Replay.Result replay = Replay.replay(spec, some.runIndex(), backend);
                assertThat(FailstopCampaignTest.essence(replay.record())).isEqualTo(FailstopCampaignTest.essence(some));
            }
        }
    }

    @Test
    void guestFaultsIntoDom0AndAnAppVm() throws Exception {
        for (String target : new String[] {"dom0", "appvm:compute"}) {
            CampaignSpec spec = SpecParser.parse(guestSpec(target), "injector-guest-test.yaml");
            FailstopCampaignTest.ListSink sink = new FailstopCampaignTest.ListSink();
            CampaignResult r = new CampaignRunner(spec, new InjectorBackend(spec), sink, Progress.NONE)
                    .run(2, Shard.ALL, 0);
            sink.records.forEach(x -> System.out.println(target + ": " + x.outcome() + " " + x.reason() + " "
                    + x.activation().site() + " " + x.faultPlan()));
            assertThat(r.errors()).isEmpty();
            assertThat(sink.records).hasSize(5);
            for (RunRecord rec : sink.records) {
                assertThat(rec.target()).isEqualTo(target);
                assertThat(rec.faultPlan()).contains(" " + target + " ");
                if (rec.activation().activated()) {
                    assertThat(rec.activation().site()).startsWith(target.equals("dom0") ? "d0:" : "d1:");
                }
            }
            assertThat(sink.records).anyMatch(x -> x.activation().activated());
        }
    }
}
