package dev.rehype.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.guests.GuestImage;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.image.RepairStep;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.PointTransformer;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.RunReport;
import dev.rehype.hypervisor.system.HostBuiltSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof that each repair step is worth its code: a failstop placed at a chosen point of the
 * hypervisor while the host-built system runs (the points were chosen on it); with every step, microreboot recovers and every VM
 * finishes correctly with a clean audit; without the step under test, the same failure is not
 * recovered (a VM fails or hangs, or the preserved state stays inconsistent).
 */
class RepairStepScenarioTest {

    record Scenario(RepairStep step, FaultPoint point, long nthHit, boolean sleeperAndMem) {
        Scenario(RepairStep step, FaultPoint point, long nthHit) {
            this(step, point, nthHit, false);
        }

        @Override
        public String toString() {
            return step.label() + " @ " + point + " #" + nthHit + (sleeperAndMem ? " (dom0 sleeping + mem)" : "");
        }
    }

    /** Dom0 sleeping on its timer between management rounds on CPU 0, mem working on CPU 1. */
    static BootSpec sleeperAndMem() throws Exception {
        return new BootSpec(List.of(
                new DomainSpec("dom0", GuestImage.load("workloads/dom0.elf"), 128, 128, 1, true, DomainSpec.NO_PEER, 0,
                        new int[] {0, 20, 0xFFFF}),
                new DomainSpec("mem", GuestImage.load("workloads/mem.elf"), 64, 128, 1, false, DomainSpec.NO_PEER, 0,
                        new int[0])));
    }

    record Outcome(boolean fired, boolean allCorrect, List<String> audit, Rehype rehype, RunReport report) {
        boolean recovered() {
            return fired && allCorrect && audit.isEmpty() && !rehype.lost();
        }
    }

    static Stream<Arguments> scenarios() {
        FaultPoint inMemoryOpHoldingALock = FaultPoint.after("MemoryOps", "op", "SpinLocks.acquire", 1);
        return Stream.of(
                new Scenario(RepairStep.RELEASE_LOCKS, inMemoryOpHoldingALock, 3),
                // A CPU left idle by recovery, whose sleeping VM waits on its timer, never wakes again
                // unless the timer hardware is reprogrammed (busy CPUs reprogram theirs at every trap).
                new Scenario(RepairStep.REPROGRAM_TIMERS, inMemoryOpHoldingALock, 3, true),
                new Scenario(RepairStep.REBUILD_RUN_QUEUES, inMemoryOpHoldingALock, 3),
                new Scenario(RepairStep.RETRY_HYPERCALL, FaultPoint.entry("MemoryOps", "op"), 2),
                new Scenario(RepairStep.RESUME_MULTICALL,
                        FaultPoint.before("Hypervisor", "multicall", "Hypervisor.dispatch", 1), 2),
                new Scenario(RepairStep.RECOMPUTE_FRAME_COUNTS,
                        FaultPoint.after("P2m", "map", "P2m.install", 1), 3),
                new Scenario(RepairStep.REPAIR_EVENT_CHANNELS,
                        FaultPoint.after("EventChannels", "setPending", "EventChannels.setBit", 1), 40))
                .map(Arguments::of);
    }

    static Outcome run(Scenario s, RecoveryPolicy policy) throws Exception {
        PointTransformer points = new PointTransformer(List.of(s.point()));
        try (HostSystem system = new HostSystem(SystemConfig.defaults(1), HypervisorImage.transformed(points))) {
            Rehype rehype = new Rehype(system, policy, RecoveryMode.MICROREBOOT);
            Probes.clear();
            system.boot(s.sleeperAndMem() ? sleeperAndMem() : HostBuiltSystem.bootSpec());
            Probes probes = Probes.armFailstop(points.points(), s.point(), s.nthHit());
            boolean finished = system.runUntilShutdown(1_000_000_000L, d -> true);
            RunReport report = HostBuiltSystem.report(1, system, finished);
            boolean correct = s.sleeperAndMem()
                    ? finished && system.domains().stream().allMatch(d -> d.isShutdown() && d.shutdownReason() == 0
                            && d.shutdownCode() == 0)
                    : report.allCorrect();
            List<String> audit = rehype.lost() ? List.of("system lost: " + rehype.lostReason()) : system.audit();
            return new Outcome(probes.fired() != null, correct, audit, rehype, report);
        }
    }

    @AfterEach
    void disarm() {
        Probes.clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void recoveredWithTheStepAndNotWithoutIt(Scenario s) throws Exception {
        Outcome with = run(s, RecoveryPolicy.all());
        assertThat(with.fired()).as("the failstop fired").isTrue();
        assertThat(with.rehype().reports()).as("recoveries").isNotEmpty();
        assertThat(with.recovered()).as("recovered with every step: %s %s %s", with.report().vms(), with.audit(),
                with.rehype().reports().get(0).repairs()).isTrue();
        RecoveryReport r = with.rehype().reports().get(0);
        assertThat(r.repairs().stream().filter(x -> x.step() == s.step()).findFirst().orElseThrow().changes())
                .as("the step under test changed something").isNotEmpty();

        Outcome without = run(s, RecoveryPolicy.allBut(s.step()));
        assertThat(without.fired()).isTrue();
        assertThat(without.recovered()).as("recovered without %s: %s", s.step(), without.report().vms()).isFalse();
    }
}
