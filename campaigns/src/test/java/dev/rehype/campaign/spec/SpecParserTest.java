package dev.rehype.campaign.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rehype.hypervisor.image.RepairStep;
import dev.rehype.recovery.RecoveryMode;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Campaign specs: the examples parse; every kind of bad spec is refused naming the field and the line. */
class SpecParserTest {
    static final String GOOD = """
            name: t
            target: hypervisor
            faults:
              - type: failstop
                weight: 3
              - type: register
                weight: 1
                trigger:
                  from-cycles: 10
                  to-cycles: 20
            runs: 50
            seed: 9
            """;

    @ParameterizedTest
    @ValueSource(strings = {"quick", "hypervisor-faults", "ablation", "failstop"})
    void theExamplesParse(String name) throws Exception {
        CampaignSpec spec = SpecParser.parse(Path.of("..", "examples", name + ".yaml"));
        assertThat(spec.name()).isEqualTo(name);
        assertThat(spec.target()).isEqualTo("hypervisor");
        assertThat(spec.totalRuns()).isPositive();
    }

    @Test
    void theQuickCampaignCoversFourFaultTypes() throws Exception {
        CampaignSpec spec = SpecParser.parse(Path.of("..", "examples", "quick.yaml"));
        assertThat(spec.faults()).extracting(FaultEntry::type)
                .containsExactly(FaultType.FAILSTOP, FaultType.REGISTER, FaultType.CODE, FaultType.HANG);
        assertThat(spec.system()).isEqualTo(SystemSpec.standard());
    }

    @Test
    void theAblationSwitchesStepsOnOneByOne() throws Exception {
        CampaignSpec spec = SpecParser.parse(Path.of("..", "examples", "ablation.yaml"));
        assertThat(spec.sweep()).isTrue();
        assertThat(spec.policies()).hasSize(RepairStep.values().length + 1);
        assertThat(spec.policies().get(0).steps()).isEmpty();
        for (int i = 1; i < spec.policies().size(); i++) {
            assertThat(spec.policies().get(i).steps()).hasSize(i).containsAll(spec.policies().get(i - 1).steps());
        }
        assertThat(spec.policies().getLast().steps()).isEqualTo(EnumSet.allOf(RepairStep.class));
        assertThat(spec.totalRuns()).isEqualTo(spec.draws() * spec.policies().size());
    }

    @Test
    void defaultsAndWeights() throws Exception {
        CampaignSpec spec = SpecParser.parse(GOOD, "t.yaml");
        assertThat(spec.draws()).isEqualTo(50);
        assertThat(spec.rootSeed()).isEqualTo(9);
        assertThat(spec.byCount()).isFalse();
        assertThat(spec.policies()).containsExactly(PolicySpec.all(RecoveryMode.MICROREBOOT));
        assertThat(spec.faults().get(0).trigger()).isEqualTo(TriggerWindow.DEFAULT);
        assertThat(spec.faults().get(1).trigger()).isEqualTo(new TriggerWindow(10, 20));
        assertThat(spec.limits()).isEqualTo(Limits.DEFAULT);
    }

    @Test
    void theDriverFaultsExampleRunsOnTheIoSystem() throws Exception {
        CampaignSpec spec = SpecParser.parse(Path.of("..", "examples", "driver-faults.yaml"));
        assertThat(spec.name()).isEqualTo("driver-faults");
        assertThat(spec.system()).isEqualTo(SystemSpec.io());
        assertThat(spec.target()).isEqualTo("driver");
        assertThat(spec.totalRuns()).isEqualTo(24);
        assertThat(spec.faults()).extracting(FaultEntry::type).containsExactly(FaultType.REGISTER, FaultType.CODE,
                FaultType.FAILSTOP, FaultType.HANG, FaultType.MEMORY);
    }

    @Test
    void theIoSystemHasADriverItsOwnAppVmsAndALaterDefaultWindow() throws Exception {
        CampaignSpec spec = SpecParser.parse(GOOD.replace("target: hypervisor", "system: {kind: io}\ntarget: appvm:net"),
                "io.yaml");
        assertThat(spec.system().kind()).isEqualTo(SystemSpec.Kind.IO);
        assertThat(spec.system().appvms()).containsExactly("hypercall", "hypercall-2", "compute", "mem", "net",
                "service");
        assertThat(spec.faults().get(0).trigger()).isEqualTo(TriggerWindow.IO_DEFAULT);
        assertThat(spec.faults().get(1).trigger()).isEqualTo(new TriggerWindow(10, 20));
        assertThat(SpecParser.parse(GOOD.replace("target: hypervisor", "system:\n  kind: io\ntarget: driver"),
                "io.yaml").target()).isEqualTo("driver");
        assertThat(SpecParser.parse(GOOD.replace("target: hypervisor", "system: {kind: host-built}\ntarget: dom0"),
                "hb.yaml").system()).isEqualTo(SystemSpec.standard());
    }

    @Test
    void countsGiveTheRuns() throws Exception {
        CampaignSpec spec = SpecParser.parse("""
                name: c
                target: appvm:mem
                system:
                  appvms: [compute, mem]
                faults:
                  - {type: failstop, count: 7}
                  - {type: hang, count: 0}
                recovery:
                  mode: microreset
                  steps: [release-locks, retry-hypercall]
                """, "c.yaml");
        assertThat(spec.byCount()).isTrue();
        assertThat(spec.draws()).isEqualTo(7);
        assertThat(spec.system().appvms()).containsExactly("compute", "mem");
        assertThat(spec.policies().get(0).mode()).isEqualTo(RecoveryMode.MICRORESET);
        assertThat(spec.policies().get(0).name()).isEqualTo("microreset/release-locks+retry-hypercall");
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of(GOOD.replace("seed: 9", "seed: 9\ncolour: red"), 13, "colour", "unknown field"),
                Arguments.of(GOOD.replace("runs: 50", "runs: fifty"), 11, "runs", "expected an integer"),
                Arguments.of(GOOD.replace("runs: 50", "runs: -3"), 11, "runs", "must be at least 1"),
                Arguments.of(GOOD.replace("runs: 50", "runs: 0"), 11, "runs", "must be at least 1"),
                Arguments.of(GOOD.replace("type: register", "type: bitrot"), 6, "faults[1].type",
                        "unknown fault type 'bitrot'"),
                Arguments.of(GOOD.replace("target: hypervisor", "target: toaster"), 2, "target", "unknown target"),
                Arguments.of(GOOD.replace("target: hypervisor", "target: appvm:nope"), 2, "target", "no AppVM 'nope'"),
                Arguments.of(GOOD.replace("target: hypervisor", "target: driver"), 2, "target", "no driver domain"),
                Arguments.of(GOOD.replace("weight: 3", "weight: 0").replace("weight: 1", "weight: 0"), 4, "faults",
                        "the weights sum to 0"),
                Arguments.of(GOOD.replace("weight: 3", "count: 3"), 7, "faults[1].weight", "mixes counts and weights"),
                Arguments.of(GOOD.replace("weight: 3", "weight: -1"), 5, "faults[0].weight", "must be >= 0"),
                Arguments.of(GOOD.replace("to-cycles: 20", "to-cycles: 5"), 10, "faults[1].trigger.to-cycles",
                        "is empty"),
                Arguments.of(GOOD + "recovery:\n  mode: microreboot\n  steps: [release-locks, fix-everything]\n", 15,
                        "recovery.steps[1]", "unknown repair step 'fix-everything'"),
                Arguments.of(GOOD + "recovery:\n  mode: reboot\n", 14, "recovery.mode", "unknown recovery mode"),
                Arguments.of(GOOD + "recovery:\n  sweep:\n    - {steps: all}\n    - {steps: all}\n", 16,
                        "recovery.sweep[1]", "used twice"),
                Arguments.of(GOOD + "limits:\n  max-cycles: 1.5\n", 14, "limits.max-cycles", "expected an integer"),
                Arguments.of(GOOD.replace("name: t", "name: [a]"), 1, "name", "expected a non-empty string"),
                Arguments.of(GOOD.replace("name: t\n", ""), 1, "name", "missing"),
                Arguments.of(GOOD + "seed: 3\n", 13, "seed", "given twice"),
                Arguments.of(GOOD.replace("runs: 50", "runs: [50"), 12, "", "not valid YAML"),
                Arguments.of(GOOD + "system:\n  appvms: [hc-ping]\n", 14, "system.appvms", "are a pair"),
                Arguments.of(GOOD + "system:\n  kind: xen\n", 14, "system.kind", "unknown system kind 'xen'; kinds: "
                        + "host-built, io"),
                Arguments.of(GOOD + "system:\n  kind: [io]\n", 14, "system.kind", "expected"),
                Arguments.of(GOOD + "system:\n  kind: io\n  appvms: [compute]\n", 15, "system.appvms",
                        "the io system's AppVMs are fixed"),
                Arguments.of(GOOD.replace("target: hypervisor", "system: {kind: io}\ntarget: appvm:hc-ping"), 3,
                        "target", "no AppVM 'hc-ping'"),
                Arguments.of(GOOD.replace("target: hypervisor", "system: {kind: host-built}\ntarget: driver"), 3,
                        "target", "the host-built system has no driver domain"));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void badSpecsNameTheFieldAndTheLine(String text, int line, String field, String problem) {
        assertThatThrownBy(() -> SpecParser.parse(text, "bad.yaml"))
                .isInstanceOfSatisfying(SpecException.class, e -> {
                    assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
                    assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith("bad.yaml:" + line + ": ").contains(problem)
                            .doesNotContain("\n");
                });
    }

    @Test
    void aMissingFileIsOneLine() {
        assertThatThrownBy(() -> SpecParser.parse(Path.of("no/such/spec.yaml")))
                .isInstanceOf(SpecException.class).hasMessage("no/such/spec.yaml:1: cannot be read: no such file");
    }
}
