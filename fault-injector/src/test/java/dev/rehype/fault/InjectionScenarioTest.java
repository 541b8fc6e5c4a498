package dev.rehype.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.system.VmResult;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Each fault type on each kind of target, on the standard system: the fault fires where and when
 * the plan says, the activation record says so, and the effect is the one the fault must have.
 */
class InjectionScenarioTest {
    static final InjectionLimits LIMITS = InjectionLimits.DEFAULT.withMaxCycles(30_000_000);

    static InjectionResult run(String plan) throws Exception {
        return InjectionRun.execute(SystemUnderTest.standard(1), FaultPlan.parse(plan), 1, LIMITS);
    }

    static Map<String, String> verdicts(InjectionResult r) {
        return r.vms().stream().collect(Collectors.toMap(VmResult::name, VmResult::verdict));
    }

    /** The VMs that need neither Dom0's management nor the network: they must not notice a guest fault elsewhere. */
    static final java.util.List<String> INDEPENDENT = java.util.List.of("hypercall", "hypercall-2", "compute", "mem");

    /** {@code vm} is hurt; every other independent AppVM finishes correctly (Dom0 may notice the loss). */
    static void onlyThisVmHurt(InjectionResult r, String vm) {
        assertThat(verdicts(r).get(vm)).as(vm).isNotEqualTo(VmResult.CORRECT);
        for (String other : INDEPENDENT) {
            if (!other.equals(vm)) {
                assertThat(verdicts(r)).as(other).containsEntry(other, VmResult.CORRECT);
            }
        }
    }

    // ------------------------------------------------------------------ the hypervisor

    @Test
    void hypervisorRegisterFlipAtTheChosenInstructionAndTimeIsAPanicThatIsRecovered() throws Exception {
        InjectionResult r = run("register hypervisor site=Hypervisor.onTrap@1 bit=6 after=2000000 nth=1");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(a.className()).isEqualTo("dev.rehype.hypervisor.core.Hypervisor");
        assertThat(a.methodName()).isEqualTo("onTrap");
        assertThat(a.bci()).isEqualTo(1);
        assertThat(a.line()).isPositive();
        assertThat(a.site()).isEqualTo("Hypervisor.onTrap@1:" + a.line());
        assertThat(Integer.parseInt(a.valueBefore(), 16) ^ Integer.parseInt(a.valueAfter(), 16)).isEqualTo(1 << 6);
        assertThat(a.atCycles()).as("the first hypervisor entry from 2,000,000 on").isBetween(2_000_000L, 2_001_000L);
        assertThat(r.recoveries()).hasSize(1);
        assertThat(r.firstDetection().message()).contains("out of bounds");
        assertThat(r.firstDetection().atCycles()).isEqualTo(a.atCycles());
        assertThat(r.recovered()).isTrue();
        assertThat(r.audit()).isEmpty();
    }

    @Test
    void hypervisorRegisterFlipInsideANamedHypercallWaitsForThatHypercall() throws Exception {
        InjectionResult r = run("register hypervisor site=Hypervisor.onTrap@1 bit=6 after=2000000 nth=1 "
                + "inside=hypercall:memory_op");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(a.atCycles()).isGreaterThan(2_000_000);
        assertThat(r.firstDetection().trap()).isEqualTo("ecall from S-mode");
        assertThat(r.firstDetection().atCycles()).isEqualTo(a.atCycles());
    }

    @Test
    void hypervisorFailstopAtAProbePointFiresAtItsNthExecutionInsideTheHypercall() throws Exception {
        InjectionResult r = run("failstop hypervisor site=MemoryOps.op@entry after=0 nth=2");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(a.site()).startsWith("MemoryOps.op@0:");
        assertThat(r.firstDetection().hypercall()).isEqualTo(12);
        assertThat(r.firstDetection().message()).contains("injected failstop at MemoryOps.op@entry");
        assertThat(r.recovered()).isTrue();
        assertThat(r.allCorrect()).isTrue();
    }

    @Test
    void hypervisorHangAtAProbePointSpinsUntilTheWatchdogBreaksItAndIsRecovered() throws Exception {
        InjectionResult r = run("hang hypervisor site=MemoryOps.op@entry after=0 nth=2");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(a.site()).startsWith("MemoryOps.op@0:");
        assertThat(r.firstDetection().kind()).isEqualTo(dev.rehype.recovery.DetectionKind.WATCHDOG);
        assertThat(r.firstDetection().hypercall()).isEqualTo(12);
        assertThat(r.recovered()).isTrue();
        assertThat(r.allCorrect()).isTrue();
    }

    @Test
    void hypervisorMemoryFlipInAPreservedTableIsWhatTheAuditFinds() throws Exception {
        InjectionResult r = run("memory hypervisor site=region:domain[4].TOT_PAGES bit=20 after=2000000 nth=1");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(a.site()).isEqualTo("region:domain[4].TOT_PAGES");
        assertThat(Integer.parseInt(a.valueAfter(), 16) - Integer.parseInt(a.valueBefore(), 16)).isEqualTo(1 << 20);
        assertThat(a.atCycles()).isBetween(2_000_000L, 2_001_000L);
        assertThat(r.audit()).anyMatch(line -> line.startsWith("d4: tot_pages"));
    }

    @Test
    void hypervisorMemoryFlipInAHeapFieldConfusesTheScheduler() throws Exception {
        InjectionResult r = run("memory hypervisor site=heap:sched.current[0] bit=3 after=2000000 nth=1");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(Integer.parseInt(a.valueBefore(), 16) ^ Integer.parseInt(a.valueAfter(), 16)).isEqualTo(8);
        assertThat(r.audit()).anyMatch(line -> line.contains("RUNNING on cpu 0"));
    }

    // ------------------------------------------------------------------ guests

    @Test
    void guestRegisterFlipOfThePcInKernelModeCrashesThatVmOnly() throws Exception {
        InjectionResult r = run("register appvm:compute site=pc bit=31 mode=kernel after=2000000 nth=1");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(a.domid()).isEqualTo(4);
        assertThat(a.site()).startsWith("d4:pc=0x" + Long.toHexString(a.pc()) + ":");
        assertThat(a.symbol()).isNotEmpty();
        assertThat(Integer.parseUnsignedInt(a.valueBefore(), 16) ^ Integer.parseUnsignedInt(a.valueAfter(), 16))
                .isEqualTo(1 << 31);
        assertThat(a.atCycles()).isGreaterThanOrEqualTo(2_000_000);
        assertThat(verdicts(r)).containsEntry("compute", "crashed");
        onlyThisVmHurt(r, "compute");
        assertThat(r.detected()).as("a guest crash is no hypervisor failure").isFalse();
    }

    @Test
    void guestRegisterFlipInUserModeWaitsForTheDomainsFirstUserInstruction() throws Exception {
        InjectionResult r = run("register appvm:compute site=t0 bit=0 mode=user after=0 nth=1");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(a.note()).isEqualTo("bit 0 of t0 in user mode");
        assertThat(a.symbol()).isEqualTo("user_thread_entry");
    }

    @Test
    void guestCodeWordFlipMakesTheNextInstructionIllegal() throws Exception {
        InjectionResult r = run("code appvm:compute site=pc bit=0 mode=kernel after=2000000 nth=1");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(Integer.parseUnsignedInt(a.valueBefore(), 16) ^ Integer.parseUnsignedInt(a.valueAfter(), 16)).isEqualTo(1);
        assertThat(a.note()).contains("code word at 0x" + Long.toHexString(a.pc()));
        onlyThisVmHurt(r, "compute");
    }

    @Test
    void guestDataWordFlipInATableTheWorkloadChecksIsCaughtByItsOwnCheck() throws Exception {
        InjectionResult r = run("memory appvm:compute site=data:crc_table+40 bit=5 after=0 nth=1000000");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(a.note()).contains("crc_table+0x28");
        assertThat(Integer.parseUnsignedInt(a.valueBefore(), 16) ^ Integer.parseUnsignedInt(a.valueAfter(), 16))
                .isEqualTo(1 << 5);
        onlyThisVmHurt(r, "compute");
    }

    @Test
    void forcedCrashOfDom0LeavesTheAppVmsItBuiltRunningButNotTheNetwork() throws Exception {
        InjectionResult r = run("failstop dom0 after=6000000 nth=1");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(a.domid()).isZero();
        assertThat(a.atCycles()).isGreaterThanOrEqualTo(6_000_000);
        assertThat(verdicts(r)).containsEntry("dom0", "crashed");
        onlyThisVmHurt(r, "dom0");
        assertThat(verdicts(r)).as("the driver domain waits for Dom0 to stop it").containsEntry("netdrv", "unfinished");
        assertThat(r.detected()).isFalse();
    }

    @Test
    void injectedInfiniteLoopHangsThatVmOnly() throws Exception {
        InjectionResult r = run("hang appvm:mem after=2000000 nth=1");
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(a.valueAfter()).isEqualTo("6f");
        assertThat(r.finished()).isFalse();
        assertThat(verdicts(r)).containsEntry("mem", "unfinished");
        onlyThisVmHurt(r, "mem");
    }

    @Test
    void guestFaultAtTheKthInstructionFiresAtThatInstruction() throws Exception {
        InjectionResult first = run("register appvm:hypercall site=t6 bit=0 after=3000000 nth=500");
        InjectionResult next = run("register appvm:hypercall site=t6 bit=0 after=3000000 nth=501");
        Activation a = first.activations().get(0);
        Activation b = next.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(b.activated()).isTrue();
        assertThat(b.atCycles()).as("one instruction later").isGreaterThan(a.atCycles());
        assertThat(b.atCycles() - a.atCycles()).isLessThan(200);
    }
}
