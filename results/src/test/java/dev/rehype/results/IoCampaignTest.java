/*
 * Campaigns on the Dom0-built I/O system end to end, as `rehype campaign run` and `report` do
 * them: the spec copied to the campaign directory, the DuckDB store as the sink, real runs through
 * the fault injector on the system Dom0's toolstack builds (netdrv, the AppVMs, the peer on the
 * wire), the store read back into the report. Failstops in the hypervisor while Dom0, netdrv and
 * the AppVMs run are detected and recovered (every AppVM, Dom0's own digest and the peer as in the
 * golden run); hangs armed after the system's end never fire and are not activated; failstops in
 * the driver domain, Dom0 or an AppVM crash that domain and nothing in the hypervisor detects it.
 */
package dev.rehype.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.RunSink;
import dev.rehype.campaign.exec.Backends;
import dev.rehype.campaign.plan.Shard;
import dev.rehype.campaign.run.CampaignResult;
import dev.rehype.campaign.run.CampaignRunner;
import dev.rehype.campaign.run.Progress;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.SpecParser;

class IoCampaignTest {
    static final String HYPERVISOR = """
            name: io-hypervisor
            system: {kind: io}
            target: hypervisor
            faults:
              - {type: failstop, count: 3, trigger: {from-cycles: 1000000, to-cycles: 9000000}}
              - {type: hang, count: 2, trigger: {from-cycles: 11999000, to-cycles: 11999900}}
            seed: 5
            """;

    /** Failstops (forced crashes) into a guest of the I/O system, armed while every domain runs. */
    static String guestSpec(String target, int count) {
        return """
                name: io-guest
                system: {kind: io}
                target: %s
                faults:
                  - {type: failstop, count: %d}
                trigger: {from-cycles: 3000000, to-cycles: 8000000}
                seed: 6
                limits: {max-cycles: 20000000}
                """.formatted(target, count);
    }

    /** The I/O system's VMs in domid order, then the peer: every run has a verdict for each. */
    static final List<String> VERDICTS = List.of("dom0", "netdrv", "hypercall", "hypercall-2", "compute", "mem", "net",
            "service", "peer");

    @TempDir
    Path dir;

    @Test
    void hypervisorFailstopsOnTheIoSystemAreRecoveredAndLateHangsNeverFire() throws Exception {
        Path out = dir.resolve("io-hypervisor");
        CampaignResult result = run(HYPERVISOR, out, 1);
        assertThat(result.errors()).isEmpty();
        assertThat(result.stored()).isEqualTo(5);
        assertThat(result.determinism()).hasSize(1).allSatisfy(s -> assertThat(s.matches()).isTrue());

        CampaignData data = CampaignStores.read(out);
        assertThat(data.runs()).hasSize(5);
        GoldenRun golden = data.shards().getFirst().golden().orElseThrow();
        Map<String, String> digests = golden.digests().stream()
                .collect(Collectors.toMap(GoldenRun.VmDigest::vm, GoldenRun.VmDigest::digest));
        assertThat(digests.keySet()).containsExactlyInAnyOrderElementsOf(VERDICTS);
        assertThat(digests.get("dom0")).matches("[0-9a-f]{8}");
        assertThat(digests.get("peer")).isEqualTo("mismatches=0,malformed=0,refused=0");

        for (RunRecord r : data.runs()) {
            assertThat(r.vms()).extracting(RunRecord.VmVerdict::name).containsExactlyElementsOf(VERDICTS);
            if (r.faultType().equals("failstop")) {
                assertThat(r.activation().activated()).as("failstop fired: %s", r.faultPlan()).isTrue();
                assertThat(r.detection().detected()).isTrue();
                assertThat(r.outcome()).as("failstop %s", r.faultPlan()).isEqualTo(Outcome.RECOVERED);
                assertThat(r.vms()).allSatisfy(v -> assertThat(v.verdict()).as(v.name()).isEqualTo("ok"));
                assertThat(r.recovery().succeeded()).isTrue();
            } else {
                assertThat(r.outcome()).as("hang after the end: %s", r.faultPlan()).isEqualTo(Outcome.NOT_ACTIVATED);
                assertThat(r.activation().activated()).isFalse();
            }
        }

        CampaignReport report = CampaignReport.of(data);
        assertThat(report.rows()).containsExactly(
                new FaultTypeRow("failstop", "hypervisor", new OutcomeCounts(3, 3, 3, 3, 3, 0)),
                new FaultTypeRow("hang", "hypervisor", new OutcomeCounts(2, 0, 0, 0, 0, 0)));
        assertThat(report.latency().samples()).isEqualTo(3);
        assertThat(TextReport.render(report)).contains("Campaign io-hypervisor").contains("peer=mismatches=0");
        assertThat(HtmlReport.render(report)).contains("id='chart-outcomes'");
    }

    @ParameterizedTest
    @CsvSource({"driver, 2, netdrv, 1", "dom0, 1, dom0, 0", "appvm:net, 1, net, 6"})
    void guestFailstopsCrashTheirDomainAndNothingDetectsIt(String target, int count, String vm, int domid)
            throws Exception {
        Path out = dir.resolve("io-guest-" + vm);
        CampaignResult result = run(guestSpec(target, count), out, 0);
        assertThat(result.errors()).isEmpty();
        List<RunRecord> runs = CampaignStores.read(out).runs();
        assertThat(runs).hasSize(count);
        for (RunRecord r : runs) {
            assertThat(r.target()).isEqualTo(target);
            assertThat(r.activation().activated()).as("fired: %s", r.faultPlan()).isTrue();
            assertThat(r.activation().site()).as("a pc in %s", vm).startsWith("d" + domid + ":");
            assertThat(r.detection().detected()).isFalse();
            assertThat(r.outcome()).isEqualTo(Outcome.UNDETECTED);
            RunRecord.VmVerdict verdict = r.vms().get(domid);
            assertThat(verdict.name()).isEqualTo(vm);
            assertThat(verdict.verdict()).isEqualTo("crashed");
        }
    }

    /** Runs {@code specText} into {@code out} as the CLI does: spec copy, DuckDB store, two workers. */
    private static CampaignResult run(String specText, Path out, int verifyDeterminism) throws Exception {
        Files.createDirectories(out);
        Path copy = out.resolve(DuckDbCampaignStore.SPEC_COPY);
        Files.writeString(copy, specText);
        CampaignSpec spec = SpecParser.parse(copy);
        CampaignResult result;
        try (RunSink sink = new DuckDbCampaignStore().open(out, spec.name(), Shard.ALL)) {
            result = new CampaignRunner(spec, Backends.forSpec(spec), sink, Progress.NONE)
                    .run(2, Shard.ALL, verifyDeterminism);
        }
        System.out.printf(Locale.ROOT, "io campaign %s: %d runs, 2 workers, %.2f runs/s; %s%n", spec.name(),
                result.stored(), result.runsPerSecond(), result.counts().summary());
        return result;
    }
}
