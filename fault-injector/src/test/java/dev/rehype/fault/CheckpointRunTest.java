package dev.rehype.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rehype.hypervisor.image.RepairResult;
import dev.rehype.hypervisor.system.Checkpoint;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.ResetPoint;
import dev.rehype.hypervisor.system.Snapshot;
import dev.rehype.recovery.RecoveryPhase;
import dev.rehype.recovery.RecoveryReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * The shortcuts campaigns take change no result: a run started from a checkpoint of the
 * fault-free run, on the pristine image until its fault is armed (and again once a register flip
 * or a failstop is done with the instrumented one), on an image instrumenting every site of its
 * kind, ends exactly as the plain run — from the reset point, on an image instrumenting only the
 * fault's own site throughout: same activations, detections, repairs, verdicts, virtual time and
 * final state hash. Faults of every kind, armed between checkpoints and exactly at one.
 */
class CheckpointRunTest {
    private static final InjectionLimits LIMITS = InjectionScenarioTest.LIMITS;
    private static SystemUnderTest sut;
    private static SiteProfile profile;

    @BeforeAll
    static void bootOnce() throws Exception {
        SystemUnderTest standard = SystemUnderTest.standard(1);
        Snapshot snapshot;
        try (HostSystem system = new HostSystem(standard.config())) {
            system.boot(standard.boot());
            snapshot = system.snapshot();
        }
        sut = standard.fromSnapshot(snapshot);
        profile = SiteProfile.measure(sut, LIMITS.maxCycles());
    }

    @AfterEach
    void shortcutsBackOn() {
        InjectionRun.switchImages = true;
        InjectionRun.sharedImages = true;
    }

    /** What a run's result says, wall-clock times left out. */
    private record Outcome(String plan, List<Activation> activations, List<String> recoveries, List<?> vms,
                           boolean finished, boolean lost, List<String> audit, long start, long cycles, String hash) {
    }

    private static Outcome outcome(InjectionResult r) {
        List<String> recoveries = new ArrayList<>();
        for (RecoveryReport rep : r.recoveries()) {
            StringBuilder b = new StringBuilder(rep.detection().toString()).append(' ').append(rep.completed());
            for (RecoveryPhase p : rep.phases()) {
                b.append(' ').append(p.name()).append('=').append(p.virtualCycles());
            }
            for (RepairResult x : rep.repairs()) {
                b.append(' ').append(x.step().label()).append(x.changes());
            }
            recoveries.add(b.toString());
        }
        return new Outcome(r.plan().toText(), r.activations(), recoveries, r.vms(), r.finished(), r.systemLost(),
                r.audit(), r.startCycles(), r.virtualCycles(), r.finalStateHash());
    }

    private static Outcome plain(String plan, long seed) {
        InjectionRun.switchImages = false;
        InjectionRun.sharedImages = false;
        try (HostSystem system = HostSystem.restore(sut.snapshot())) {
            PreparedSystem prepared = new PreparedSystem(system, system.markResetPoint(), null);
            return outcome(InjectionRun.execute(prepared, sut, FaultPlan.parse(plan), seed, LIMITS, profile));
        } finally {
            shortcutsBack();
        }
    }

    private static void shortcutsBack() {
        InjectionRun.switchImages = true;
        InjectionRun.sharedImages = true;
    }

    @Test
    void everyKindOfFaultEndsTheSameFromACheckpointOnTheSharedImages() {
        String[] plans = {
            "failstop hypervisor after=2500000",
            "hang hypervisor after=4200000",
            "register hypervisor after=3000000",
            "register hypervisor site=* after=2000000",
            "code hypervisor after=1500000",
            "code hypervisor after=3700000",
            "register appvm:compute after=3000000",
            "failstop hypervisor after=2000000",
        };
        int activated = 0;
        int detected = 0;
        try (HostSystem system = HostSystem.restore(sut.snapshot())) {
            ResetPoint point = system.markResetPoint();
            PreparedSystem prepared = new PreparedSystem(system, point, null);
            List<Checkpoint> checkpoints = InjectionRun.captureCheckpoints(prepared, sut, 6_000_000, 1_000_000);
            assertThat(checkpoints).hasSize(5);
            assertThat(checkpoints).extracting(Checkpoint::cycles).containsExactly(point.cycles() + 1_000_000,
                    point.cycles() + 2_000_000, point.cycles() + 3_000_000, point.cycles() + 4_000_000,
                    point.cycles() + 5_000_000);
            prepared = prepared.withCheckpoints(checkpoints);
            for (String plan : plans) {
                for (long seed = 1; seed <= 2; seed++) {
                    InjectionResult r = InjectionRun.execute(prepared, sut, FaultPlan.parse(plan), seed, LIMITS, profile);
                    Outcome fast = outcome(r);
                    assertThat(prepared.checkpointAtOrBefore(r.startCycles() + InjectionRun.earliestArm(r.plan(), LIMITS)))
                            .as("%s started from a checkpoint", plan).isNotNull();
                    assertThat(fast).as("%s seed %d", plan, seed).isEqualTo(plain(plan, seed));
                    activated += r.firstActivation().activated() ? 1 : 0;
                    detected += r.recoveries().isEmpty() ? 0 : 1;
                }
            }
        }
        assertThat(activated).as("runs whose fault fired").isGreaterThanOrEqualTo(10);
        assertThat(detected).as("runs that needed a recovery").isGreaterThanOrEqualTo(5);
    }

    @Test
    void aCodeFaultRunsOnTheImageWithEveryMutantAndFiresOnlyItsOwn() {
        // The same code fault on its own image and on the image with every mutant guarded.
        for (long seed = 3; seed <= 6; seed++) {
            String plan = "code hypervisor after=1000000";
            Outcome shared;
            try (HostSystem system = HostSystem.restore(sut.snapshot())) {
                PreparedSystem prepared = new PreparedSystem(system, system.markResetPoint(), null);
                shared = outcome(InjectionRun.execute(prepared, sut, FaultPlan.parse(plan), seed, LIMITS, profile));
            }
            assertThat(shared).as("seed %d", seed).isEqualTo(plain(plan, seed));
        }
    }

    @Test
    void checkpointsAreRefusedOffTheChunkGridOrOutOfOrder() {
        try (HostSystem system = HostSystem.restore(sut.snapshot())) {
            PreparedSystem prepared = new PreparedSystem(system, system.markResetPoint(), null);
            assertThatThrownBy(() -> InjectionRun.captureCheckpoints(prepared, sut, 3_000_000, 1_500_000))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple");
            List<Checkpoint> two = InjectionRun.captureCheckpoints(prepared, sut, 3_000_000, 1_000_000);
            assertThatThrownBy(() -> prepared.withCheckpoints(List.of(two.get(1), two.get(0))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order");
            assertThat(prepared.withCheckpoints(two).checkpointAtOrBefore(two.get(0).cycles() - 1)).isNull();
            assertThat(prepared.withCheckpoints(two).checkpointAtOrBefore(two.get(1).cycles())).isSameAs(two.get(1));
        }
    }
}
