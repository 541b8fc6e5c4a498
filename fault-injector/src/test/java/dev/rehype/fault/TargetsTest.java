package dev.rehype.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.guests.GuestImage;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.Snapshot;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.hypervisor.system.VmResult;
import dev.rehype.recovery.RecoveryMode;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Targets other than the standard system's: a driver domain (found by name) in a small system of
 * Dom0, a driver domain and an AppVM, and runs started from a snapshot as campaigns start them.
 */
class TargetsTest {
    static BootSpec smallSystem() throws Exception {
        return new BootSpec(List.of(
                new DomainSpec("dom0", GuestImage.load("workloads/dom0.elf"), 128, 128, 1, true, DomainSpec.NO_PEER, 0,
                        new int[] {0, 20, 0xFFFF}),
                new DomainSpec("netdrv", GuestImage.load("workloads/mem.elf"), 64, 128, 1, false, DomainSpec.NO_PEER, 0,
                        new int[0]),
                new DomainSpec("app", GuestImage.load("workloads/mem.elf"), 64, 128, 1, false, DomainSpec.NO_PEER, 0,
                        new int[0])));
    }

    static SystemUnderTest small() throws Exception {
        BootSpec spec = smallSystem();
        return new SystemUnderTest(SystemConfig.defaults(3), spec, null, SystemUnderTest.imagesOf(spec),
                (system, finished) -> system.domains().stream().map(d -> new VmResult(d.domid(), d.name(),
                        d.isShutdown() ? d.shutdownReason() == 3 ? "crashed" : VmResult.CORRECT : "unfinished",
                        d.digest(), null, d.instructions(), d.state(), d.shutdownCode(), null)).toList(),
                d -> true, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT);
    }

    @Test
    void aDriverDomainIsFoundByNameAndCrashedAlone() throws Exception {
        InjectionResult r = InjectionRun.execute(small(), FaultPlan.parse("failstop driver after=1000000 nth=1"), 3,
                InjectionScenarioTest.LIMITS);
        Activation a = r.activations().get(0);
        assertThat(a.activated()).isTrue();
        assertThat(a.domid()).isEqualTo(1);
        assertThat(r.vms()).extracting(VmResult::name, VmResult::verdict).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dom0", "correct"),
                org.assertj.core.groups.Tuple.tuple("netdrv", "crashed"),
                org.assertj.core.groups.Tuple.tuple("app", "correct"));
    }

    @Test
    void runsFromASnapshotAreTheSameRunEachTime() throws Exception {
        SystemUnderTest sut = small();
        Snapshot snapshot;
        try (HostSystem system = new HostSystem(sut.config())) {
            system.boot(sut.boot());
            system.runUntilShutdown(500_000, d -> true);
            snapshot = system.snapshot();
        }
        SystemUnderTest fromSnapshot = sut.fromSnapshot(snapshot);
        FaultPlan plan = FaultPlan.parse("register appvm:app site=a1 bit=2; code hypervisor");
        InjectionResult a = InjectionRun.execute(fromSnapshot, plan, 11, InjectionScenarioTest.LIMITS);
        InjectionResult b = InjectionRun.execute(fromSnapshot, plan, 11, InjectionScenarioTest.LIMITS);
        assertThat(a.startCycles()).isEqualTo(snapshot.takenAtCycles());
        assertThat(a.plan().resolved()).isTrue();
        assertThat(b.activations()).isEqualTo(a.activations());
        assertThat(b.finalStateHash()).isEqualTo(a.finalStateHash());
    }
}
