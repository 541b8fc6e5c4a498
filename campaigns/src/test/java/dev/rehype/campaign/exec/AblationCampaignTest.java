package dev.rehype.campaign.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.Reason;
import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.plan.Shard;
import dev.rehype.campaign.run.CampaignRunner;
import dev.rehype.campaign.run.Progress;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.SpecParser;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A sweep with real runs: each hypervisor failstop draw runs under "no repair step" and under
 * "every repair step", with the very same fault; without repairs the system does not come back,
 * with them it does — except that a crash inside domctl may leave Dom0's management request failed
 * after recovery, which the management check catches as not manageable. Draws whose failstop
 * never fires are not activated under both policies.
 */
class AblationCampaignTest {
    static final String SPEC = """
            name: ablation-test
            target: hypervisor
            faults:
              - {type: failstop, weight: 1}
            trigger: {from-cycles: 100000, to-cycles: 3000000}
            recovery:
              sweep:
                - {name: none, steps: none}
                - {name: all, steps: all}
            runs: 3
            seed: 3
            limits: {max-cycles: 20000000}
            """;

    @Test
    void theSameFaultsWithoutAndWithRepairs() throws Exception {
        CampaignSpec spec = SpecParser.parse(SPEC, "ablation-test.yaml");
        FailstopCampaignTest.ListSink sink = new FailstopCampaignTest.ListSink();
        new CampaignRunner(spec, new InjectorBackend(spec), sink, Progress.NONE).run(2, Shard.ALL, 0);
        List<RunRecord> runs = sink.records.stream().sorted(Comparator.comparingLong(RunRecord::runIndex)).toList();
        assertThat(runs).hasSize(6);
        int compared = 0;
        for (int d = 0; d < 3; d++) {
            RunRecord none = runs.get(2 * d);
            RunRecord all = runs.get(2 * d + 1);
            System.out.println("draw " + d + ": " + all.faultPlan() + " | none: " + none.outcome() + " " + none.reason()
                    + " | all: " + all.outcome() + " " + all.reason());
            assertThat(none.policy()).isEqualTo("none");
            assertThat(all.policy()).isEqualTo("all");
            assertThat(none.faultPlan()).isEqualTo(all.faultPlan());
            assertThat(none.activation()).isEqualTo(all.activation());
            if (!none.activation().activated()) {
                assertThat(none.outcome()).isEqualTo(Outcome.NOT_ACTIVATED);
                assertThat(all.outcome()).isEqualTo(Outcome.NOT_ACTIVATED);
                continue;
            }
            compared++;
            assertThat(none.outcome()).as("draw %d without repairs: %s", d, none.faultPlan())
                    .isEqualTo(Outcome.NOT_RECOVERED);
            boolean domctl = all.faultPlan().contains("Domctl.");
            if (domctl && all.outcome() != Outcome.RECOVERED) {
                assertThat(all.reason()).isEqualTo(Reason.NOT_MANAGEABLE);
            } else {
                assertThat(all.outcome()).as("draw %d with every repair: %s %s", d, all.faultPlan(), all.reason())
                        .isEqualTo(Outcome.RECOVERED);
            }
            assertThat(all.recovery().repairs()).hasSize(dev.rehype.hypervisor.image.RepairStep.values().length);
            assertThat(none.recovery().repairs()).isEmpty();
        }
        assertThat(compared).as("activated draws").isGreaterThanOrEqualTo(2);
    }
}
