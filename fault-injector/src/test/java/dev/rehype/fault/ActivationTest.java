package dev.rehype.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.recovery.RecoveryMode;
import org.junit.jupiter.api.Test;

/**
 * Activation is reported honestly: a fault on code that never runs is "not activated" and leaves
 * the run exactly as the golden run (instrumentation changes nothing until a fault fires); the
 * same plan and seed give the same run bit for bit; a code fault dies with its image at a
 * microreboot and persists across a microreset.
 */
class ActivationTest {
    static final InjectionLimits LIMITS = InjectionScenarioTest.LIMITS;

    @Test
    void aFaultOnCodeThatNeverRunsIsNotActivatedAndTheRunIsTheGoldenRun() throws Exception {
        Site neverRun = SiteCatalog.core().valueSites().stream()
                .filter(s -> s.className().endsWith(".RepairGrants")).findFirst().orElseThrow();
        InjectionResult r = InjectionRun.execute(SystemUnderTest.standard(1),
                FaultPlan.parse("register hypervisor site=" + neverRun.key() + " bit=0 after=0 nth=1"), 1, LIMITS);
        assertThat(r.activations().get(0).activated()).isFalse();
        assertThat(r.activations().get(0).note()).contains("fewer than 1");
        assertThat(r.activated()).isFalse();
        assertThat(r.detected()).isFalse();
        assertThat(r.allCorrect()).isTrue();
        assertThat(r.finalStateHash()).isEqualTo(StandardSystem.run(1, LIMITS.maxCycles()).finalStateHash());
    }

    @Test
    void everyValueProbeInPlaceButNoneDueLeavesTheGoldenRun() throws Exception {
        InjectionResult r = InjectionRun.execute(SystemUnderTest.standard(1),
                FaultPlan.parse("register hypervisor site=* bit=0 after=0 nth=1000000000"), 1, LIMITS);
        assertThat(r.activated()).isFalse();
        assertThat(r.finalStateHash()).isEqualTo(StandardSystem.run(1, LIMITS.maxCycles()).finalStateHash());
    }

    @Test
    void faultsArmedBetweenTwoLooksThatNeverFireLeaveTheGoldenRunToo() throws Exception {
        // Armed off the grid of the run's looks (every 1,000,000 cycles from its start): the run
        // still looks where the fault-free run does, so it ends at the same moment in the same state.
        String golden = StandardSystem.run(1, LIMITS.maxCycles()).finalStateHash();
        for (String plan : java.util.List.of(
                "register hypervisor site=Hypervisor.onTrap@1 bit=6 after=3780837 nth=1000000000",
                "failstop hypervisor site=MemoryOps.op@entry after=7124815 nth=1000000000",
                "code hypervisor site=Hypervisor.requireCurrent@1 after=2500001 nth=1000000000",
                "register appvm:mem site=a0 bit=1 after=1234567 nth=1000000000")) {
            InjectionResult r = InjectionRun.execute(SystemUnderTest.standard(1), FaultPlan.parse(plan), 1, LIMITS);
            assertThat(r.activated()).as(plan).isFalse();
            assertThat(r.finalStateHash()).as(plan).isEqualTo(golden);
        }
    }

    @Test
    void aGuestFaultBeyondTheDomainsLastInstructionIsNotActivated() throws Exception {
        InjectionResult r = InjectionRun.execute(SystemUnderTest.standard(1),
                FaultPlan.parse("register appvm:mem site=a0 bit=1 after=0 nth=1000000000"), 1, LIMITS);
        assertThat(r.activations().get(0).activated()).isFalse();
        assertThat(r.activations().get(0).site()).isEmpty();
        assertThat(r.activations().get(0).atCycles()).isEqualTo(-1);
        assertThat(r.allCorrect()).isTrue();
    }

    @Test
    void samePlanAndSeedGiveTheSameRunBitForBitAndTheResolvedPlanReplaysIt() throws Exception {
        FaultPlan open = FaultPlan.parse("register hypervisor; memory appvm:compute");
        InjectionResult a = InjectionRun.execute(SystemUnderTest.standard(5), open, 5, LIMITS);
        InjectionResult b = InjectionRun.execute(SystemUnderTest.standard(5), open, 5, LIMITS);
        assertThat(a.plan().resolved()).isTrue();
        assertThat(b.plan()).isEqualTo(a.plan());
        assertThat(b.activations()).isEqualTo(a.activations());
        assertThat(b.finalStateHash()).isEqualTo(a.finalStateHash());
        assertThat(b.virtualCycles()).isEqualTo(a.virtualCycles());
        InjectionResult replay = InjectionRun.execute(SystemUnderTest.standard(5),
                FaultPlan.parse(a.plan().toText()), 99, LIMITS);
        assertThat(replay.activations()).isEqualTo(a.activations());
        assertThat(replay.finalStateHash()).isEqualTo(a.finalStateHash());
    }

    @Test
    void theSeedChoosesWhatThePlanLeavesOpen() {
        PlanResolver resolver = new PlanResolver(SiteCatalog.core(), java.util.Map.of(), InjectionLimits.DEFAULT, 5);
        FaultPlan open = FaultPlan.parse("code hypervisor; failstop hypervisor; memory hypervisor");
        FaultPlan one = resolver.resolve(open, 1);
        assertThat(one.resolved()).isTrue();
        assertThat(resolver.resolve(open, 1)).isEqualTo(one);
        assertThat(resolver.resolve(open, 2)).isNotEqualTo(one);
        for (Fault f : one.faults()) {
            assertThat(f.trigger().afterCycles()).isBetween(0L, InjectionLimits.DEFAULT.choiceWindowCycles() - 1);
        }
    }

    @Test
    void aCodeFaultDiesWithItsImageAtAMicrorebootAndPersistsAcrossAMicroreset() throws Exception {
        String plan = "code hypervisor site=Hypervisor.requireCurrent@1 after=2000000 nth=1";
        InjectionResult reboot = InjectionRun.execute(SystemUnderTest.standard(1), FaultPlan.parse(plan), 1, LIMITS);
        assertThat(reboot.activations().get(0).activated()).isTrue();
        assertThat(reboot.recoveries()).as("the pristine image carries no mutation: one failure only").hasSize(1);
        assertThat(reboot.recovered()).isTrue();
        assertThat(reboot.allCorrect()).isTrue();

        InjectionResult reset = InjectionRun.execute(
                SystemUnderTest.standard(1, RecoveryPolicy.all(), RecoveryMode.MICRORESET), FaultPlan.parse(plan), 1,
                LIMITS);
        assertThat(reset.activations().get(0).activated()).isTrue();
        assertThat(reset.recoveries()).as("the same image keeps failing at the mutant").hasSizeGreaterThan(1);
    }
}
