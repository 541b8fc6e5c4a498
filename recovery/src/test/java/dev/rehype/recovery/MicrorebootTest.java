package dev.rehype.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.image.RepairStep;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.PointTransformer;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.RunReport;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.hypervisor.system.VmResult;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The standard system survives a failstop in the hypervisor through microreboot and microreset. */
class MicrorebootTest {

    record Outcome(RunReport report, Rehype rehype, Probes probes, List<String> audit) {
    }

    static Outcome run(FaultPoint point, long nthHit, RecoveryPolicy policy, RecoveryMode mode) throws Exception {
        PointTransformer points = new PointTransformer(List.of(point));
        try (HostSystem system = new HostSystem(SystemConfig.defaults(1), HypervisorImage.transformed(points))) {
            Probes probes = Probes.armFailstop(points.points(), point, nthHit);
            Rehype rehype = new Rehype(system, policy, mode);
            system.boot(StandardSystem.bootSpec());
            boolean finished = system.runUntilShutdown(2_000_000_000L, d -> true);
            RunReport report = StandardSystem.report(1, system, finished);
            return new Outcome(report, rehype, probes, rehype.lost() ? List.of() : system.audit());
        }
    }

    @AfterEach
    void disarm() {
        Probes.clear();
    }

    @Test
    void aFailstopHoldingADomainLockIsRecoveredByMicrorebootAndEveryVmFinishesCorrectly() throws Exception {
        FaultPoint point = FaultPoint.after("MemoryOps", "op", "SpinLocks.acquire", 1);
        Outcome o = run(point, 3, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT);
        assertThat(o.probes().fired()).isEqualTo(point.toString());
        assertThat(o.rehype().reports()).hasSize(1);
        RecoveryReport r = o.rehype().reports().get(0);
        assertThat(r.completed()).isTrue();
        assertThat(r.detection().hypercall()).isEqualTo(12);
        assertThat(r.repairs().get(0).changes()).anyMatch(c -> c.contains("released"));
        assertThat(o.report().vms()).extracting(VmResult::verdict).containsOnly(VmResult.CORRECT);
        assertThat(o.audit()).isEmpty();
    }

    @Test
    void withoutReleasingLocksTheSameFailureIsNotRecovered() throws Exception {
        FaultPoint point = FaultPoint.after("MemoryOps", "op", "SpinLocks.acquire", 1);
        Outcome o = run(point, 3, RecoveryPolicy.allBut(RepairStep.RELEASE_LOCKS), RecoveryMode.MICROREBOOT);
        assertThat(o.probes().fired()).isNotNull();
        assertThat(o.report().allCorrect()).isFalse();
    }

    @Test
    void microresetRecoversTheSameFailure() throws Exception {
        FaultPoint point = FaultPoint.after("MemoryOps", "op", "SpinLocks.acquire", 1);
        Outcome o = run(point, 3, RecoveryPolicy.all(), RecoveryMode.MICRORESET);
        assertThat(o.rehype().reports()).hasSize(1);
        assertThat(o.report().vms()).extracting(VmResult::verdict).containsOnly(VmResult.CORRECT);
        assertThat(o.audit()).isEmpty();
    }

    /**
     * A failure at the very entry of a trap, before the trapping vCPU's context is saved: the
     * hart's registers, not the preserved context (saved at an earlier trap), hold the guest's
     * state, and recovery must take them from the hart. Hits 200..1000 cover hypercalls, timer
     * interrupts and guest faults on both CPUs.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {200, 333, 501, 777, 1000})
    void aFailureBeforeTheTrapSavedItsContextResumesTheGuestFromTheHart(long nthHit) throws Exception {
        FaultPoint point = FaultPoint.entry("Hypervisor", "onTrap");
        Outcome o = run(point, nthHit, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT);
        assertThat(o.probes().fired()).isEqualTo(point.toString());
        assertThat(o.rehype().reports()).hasSize(1);
        assertThat(o.report().vms()).extracting(VmResult::verdict).containsOnly(VmResult.CORRECT);
        assertThat(o.audit()).isEmpty();
    }
}
