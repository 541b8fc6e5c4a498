package dev.rehype.campaign.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.RunSink;
import dev.rehype.campaign.plan.Shard;
import dev.rehype.campaign.run.CampaignResult;
import dev.rehype.campaign.run.CampaignRunner;
import dev.rehype.campaign.run.Progress;
import dev.rehype.campaign.run.Replay;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.SpecParser;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Real runs: hypervisor failstops on the standard system, recovered by ReHype. A small campaign
 * run with two workers and then with one gives the same records; a replayed run gives the same
 * outcome and final hash; every activated failstop is detected. Prints the runs per second.
 */
class FailstopCampaignTest {
    static final String SPEC = """
            name: failstop-test
            target: hypervisor
            faults:
              - type: failstop
                weight: 1
            runs: 8
            seed: 5
            """;

    static final class ListSink implements RunSink {
        final List<RunRecord> records = new ArrayList<>();

        @Override
        public BitSet completed() {
            BitSet b = new BitSet();
            records.forEach(r -> b.set((int) r.runIndex()));
            return b;
        }

        @Override
        public synchronized void accept(RunRecord record) {
            records.add(record);
        }

        @Override
        public void close() {
        }
    }

    /** What must be equal between two executions of the same run (wall times are not). */
    static String essence(RunRecord r) {
        return r.runIndex() + " " + r.faultPlan() + " " + r.outcome() + " " + r.reason() + " " + r.activation() + " "
                + r.detection() + " " + r.vms() + " " + r.virtualCycles() + " " + r.finalStateHash();
    }

    @Test
    void parallelEqualsSequentialAndReplayReproducesARun() throws Exception {
        CampaignSpec spec = SpecParser.parse(SPEC, "failstop-test.yaml");
        InjectorBackend backend = new InjectorBackend(spec);
        ListSink parallel = new ListSink();
        CampaignResult r = new CampaignRunner(spec, backend, parallel, Progress.NONE).run(2, Shard.ALL, 0);
        System.out.printf(Locale.ROOT, "failstop executor: %d runs with 2 workers in %.2f s = %.2f runs/s; %s; "
                + "%d of %d core sites executed by the fault-free run%n", r.stored(), r.runsWallNanos() / 1e9,
                r.runsPerSecond(), r.counts().summary(), backend.profile().executedSites().size(), dev.rehype.fault.hv.SiteCatalog.core().sites().size());
        assertThat(r.errors()).isEmpty();
        assertThat(r.complete()).isTrue();
        assertThat(parallel.records).hasSize(8);
        for (RunRecord rec : parallel.records) {
            if (rec.activation().activated()) {
                assertThat(rec.detection().detected()).as("failstop detected: %s", essence(rec)).isTrue();
                assertThat(rec.outcome()).isIn(Outcome.RECOVERED, Outcome.NOT_RECOVERED);
            } else {
                assertThat(rec.outcome()).isEqualTo(Outcome.NOT_ACTIVATED);
            }
        }
        assertThat(parallel.records).anyMatch(x -> x.outcome() == Outcome.RECOVERED);

        ListSink sequential = new ListSink();
        new CampaignRunner(spec, new InjectorBackend(spec), sequential, Progress.NONE).run(1, Shard.ALL, 0);
        TreeMap<Long, String> a = new TreeMap<>();
        TreeMap<Long, String> b = new TreeMap<>();
        parallel.records.forEach(x -> a.put(x.runIndex(), essence(x)));
        sequential.records.forEach(x -> b.put(x.runIndex(), essence(x)));
        assertThat(b).isEqualTo(a);

        RunRecord some = parallel.records.stream().filter(x -> x.outcome() == Outcome.RECOVERED).findFirst()
                .orElseThrow();
        Replay.Result replay = Replay.replay(spec, some.runIndex(), backend);
        replay.trace().forEach(System.out::println);
        assertThat(essence(replay.record())).isEqualTo(essence(some));
        assertThat(replay.trace()).anyMatch(l -> l.contains("activated and detected"))
                .anyMatch(l -> l.contains("management check: OK"));
    }
}
