package dev.rehype.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.guests.GuestImage;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.image.RepairStep;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.PointTransformer;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.RunReport;
import dev.rehype.hypervisor.system.HostBuiltSystem;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.machine.Seeds;
import dev.rehype.machine.peer.NetPeer;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof that each repair step is worth its code: a failstop placed at a chosen point of the
 * hypervisor while the standard system runs; with every step, microreboot recovers and every VM
 * finishes correctly with a clean audit; without the step under test, the same failure is not
 * recovered (a VM fails or hangs, or the preserved state stays inconsistent).
 */
class RepairStepScenarioTest {

    /** The system a scenario runs. */
    enum Workload {
        /** The standard system (Dom0, compute, hc-ping/pong, mem). */
        STANDARD,
        /** Dom0 sleeping on its timer between management rounds on CPU 0, mem working on CPU 1. */
        SLEEPER_AND_MEM,
        /**
         * Dom0's toolstack (dom0io) building the NIC driver domain (netdrv, which owns the NIC and
         * its interrupt) and the net echo AppVM, whose frames cross grant-mapped rings, the NIC
         * and the wire to a {@link NetPeer}.
         */
        NETWORK,
        /**
         * The standard system ({@link StandardSystem}): Dom0's toolstack builds the driver domain
         * and every AppVM with domctls and event-channel operations, then serves them.
         */
        DOM0_BUILT
    }

    record Scenario(RepairStep step, FaultPoint point, long nthHit, Workload workload) {
        Scenario(RepairStep step, FaultPoint point, long nthHit) {
            this(step, point, nthHit, Workload.STANDARD);
        }

        @Override
        public String toString() {
            return step.label() + " @ " + point + " #" + nthHit + (workload == Workload.STANDARD ? "" : " (" + workload + ")");
        }
    }

    static BootSpec sleeperAndMem() throws Exception {
        return new BootSpec(List.of(
                new DomainSpec("dom0", GuestImage.load("workloads/dom0.elf"), 128, 128, 1, true, DomainSpec.NO_PEER, 0,
                        new int[] {0, 20, 0xFFFF}),
                new DomainSpec("mem", GuestImage.load("workloads/mem.elf"), 64, 128, 1, false, DomainSpec.NO_PEER, 0,
                        new int[0])));
    }

    /**
     * What a run showed; {@code pointHits}: how many times the fault point was reached in all;
     * {@code deadCpuCycles}: CPU time charged to shut-down domains over {@link #IDLE_AFTER_CYCLES}
     * of virtual time after the run (0 when nothing runs for a dead domain).
     */
    record Outcome(boolean fired, boolean allCorrect, List<String> audit, Rehype rehype, RunReport report,
                   long pointHits, long deadCpuCycles) {
        boolean recovered() {
            return fired && allCorrect && audit.isEmpty() && !rehype.lost();
        }
    }

    static final Scenario VCPU_LEFT_RUNNING_FOR_A_DEAD_DOMAIN = new Scenario(RepairStep.CLEAR_STALE_VCPU_FLAGS,
            FaultPoint.before("Hypervisor", "shutdownDomain", "Scheduler.setVstate", 1), 1);

    static final Scenario NIC_INTERRUPT_LEFT_IN_SERVICE = new Scenario(RepairStep.ACK_INTERRUPTS,
            FaultPoint.after("Devices", "onInterrupt", "InterruptPort.claim", 1), 99, Workload.NETWORK);

    static Stream<Arguments> scenarios() {
        FaultPoint inMemoryOpHoldingALock = FaultPoint.after("MemoryOps", "op", "SpinLocks.acquire", 1);
        return Stream.of(
                new Scenario(RepairStep.RELEASE_LOCKS, inMemoryOpHoldingALock, 3),
                // A CPU left idle by recovery, whose sleeping VM waits on its timer, never wakes again
                // unless the timer hardware is reprogrammed (busy CPUs reprogram theirs at every trap).
                new Scenario(RepairStep.REPROGRAM_TIMERS, inMemoryOpHoldingALock, 3, Workload.SLEEPER_AND_MEM),
                new Scenario(RepairStep.REBUILD_RUN_QUEUES, inMemoryOpHoldingALock, 3),
                new Scenario(RepairStep.RETRY_HYPERCALL, FaultPoint.entry("MemoryOps", "op"), 2),
                // Dom0's management loop: a domctl cut short before the core read its command (so
                // nothing was done), and a getdomaininfo cut short under the domctl lock: both run
                // again; without the step Dom0 resumes after its ecall with no result written.
                new Scenario(RepairStep.RETRY_HYPERCALL, FaultPoint.entry("Domctl", "op"), 2),
                new Scenario(RepairStep.RETRY_HYPERCALL, FaultPoint.after("Domctl", "op", "SpinLocks.acquire", 1), 3),
                new Scenario(RepairStep.RESUME_MULTICALL,
                        FaultPoint.before("Hypervisor", "multicall", "Hypervisor.dispatch", 1), 2),
                new Scenario(RepairStep.RECOMPUTE_FRAME_COUNTS,
                        FaultPoint.after("P2m", "map", "P2m.install", 1), 3),
                new Scenario(RepairStep.REPAIR_EVENT_CHANNELS,
                        FaultPoint.after("EventChannels", "setPending", "EventChannels.setBit", 1), 40),
                // The NIC's interrupt claimed (odd hits: each handler run claims until none is
                // left) and never completed: it stays in service on CPU 0 and no NIC interrupt is
                // delivered again; the driver domain only gets by on its own timer ticks.
                NIC_INTERRUPT_LEFT_IN_SERVICE,
                // netback's first ring map cut between its P2M mapping and its map-track and pin
                // records: the stray mapping must go for the map to be run again; otherwise the
                // driver domain gets -EAGAIN, never connects the front end, and net never finishes.
                new Scenario(RepairStep.REPAIR_GRANTS, FaultPoint.after("GrantTables", "map", "P2m.map", 1), 1,
                        Workload.NETWORK),
                // The first VM to power off, cut between marking its domain shut down and taking
                // its vCPUs offline: its vCPU stays RUNNING for a dead domain (its CPU time keeps
                // growing, its instructions are read from whichever vCPU the CPU runs next).
                VCPU_LEFT_RUNNING_FOR_A_DEAD_DOMAIN,
                // Dom0's toolstack creating its third domain, cut after the domain was made and
                // before its domid reached the toolstack: the half-made domain must be torn down
                // and createdomain run again; otherwise Dom0 gets -EAGAIN, never builds that
                // module, and the orphan domain is left paused forever.
                new Scenario(RepairStep.SETTLE_INTENTS,
                        FaultPoint.before("Domctl", "createDomain", "GuestMemory.writeU16", 1), 3, Workload.DOM0_BUILT))
                .map(Arguments::of);
    }

    static Outcome run(Scenario s, RecoveryPolicy policy) throws Exception {
        return run(s, policy, false);
    }

    /**
     * Runs {@code s}; with {@code probedAfterReboot} the microreboot switches to an image with the
     * same fault point (never firing again), so that its hits go on being counted after recovery.
     */
    static Outcome run(Scenario s, RecoveryPolicy policy, boolean probedAfterReboot) throws Exception {
        PointTransformer points = new PointTransformer(List.of(s.point()));
        HypervisorImage image = HypervisorImage.transformed(points);
        try (HostSystem system = s.workload() == Workload.NETWORK
                ? new HostSystem(NETWORK_CONFIG, image, new NetPeer(Seeds.derive(NETWORK_CONFIG.seed(), "netpeer")))
                : new HostSystem(SystemConfig.defaults(1), image)) {
            Rehype rehype = probedAfterReboot
                    ? new Rehype(system, policy, RecoveryMode.MICROREBOOT, () -> HypervisorImage.transformed(points))
                    : new Rehype(system, policy, RecoveryMode.MICROREBOOT);
            Probes.clear();
            system.boot(switch (s.workload()) {
                case STANDARD -> HostBuiltSystem.bootSpec();
                case SLEEPER_AND_MEM -> sleeperAndMem();
                case NETWORK -> network();
                case DOM0_BUILT -> StandardSystem.bootSpec();
            });
            Probes probes = Probes.armFailstop(points.points(), s.point(), s.nthHit());
            boolean finished = system.runUntilShutdown(switch (s.workload()) {
                case NETWORK -> 100_000_000L;
                case DOM0_BUILT -> StandardSystem.DEFAULT_MAX_CYCLES;
                default -> 1_000_000_000L;
            }, d -> true);
            RunReport report = s.workload() == Workload.DOM0_BUILT ? StandardSystem.report(1, system, finished)
                    : HostBuiltSystem.report(1, system, finished);
            boolean correct = switch (s.workload()) {
                case STANDARD, DOM0_BUILT -> report.allCorrect();
                case SLEEPER_AND_MEM -> finished && system.domains().stream().allMatch(d -> d.isShutdown()
                        && d.shutdownReason() == 0 && d.shutdownCode() == 0);
                case NETWORK -> finished && system.domains().stream().allMatch(d -> d.isShutdown()
                        && d.shutdownReason() == 0 && d.shutdownCode() == 0)
                        && system.domains().stream().anyMatch(d -> d.name().equals("net") && NET_DIGEST.equals(d.digest()));
            };
            List<String> audit = rehype.lost() ? List.of("system lost: " + rehype.lostReason()) : system.audit();
            long deadBefore = deadCpuCycles(system);
            if (!rehype.lost()) {
                system.machine().run(IDLE_AFTER_CYCLES);
            }
            return new Outcome(probes.fired() != null, correct, audit, rehype, report, probes.hits(s.point()),
                    deadCpuCycles(system) - deadBefore);
        }
    }

    static final long IDLE_AFTER_CYCLES = 1_000_000;

    private static long deadCpuCycles(HostSystem system) {
        return system.domains().stream().filter(DomainStatus::isShutdown).mapToLong(DomainStatus::cpuCycles).sum();
    }

    static final SystemConfig NETWORK_CONFIG = new SystemConfig(2, 7, 32L << 20, 8, 2);
    /** What net prints with its default parameters (the hypervisor's NetworkPathTest checks it too). */
    static final String NET_DIGEST = "1bb114e6";

    static BootSpec network() throws Exception {
        List<DomainSpec.Module> modules = new ArrayList<>();
        for (String name : List.of("netdrv", "net")) {
            try (InputStream in = RepairStepScenarioTest.class.getResourceAsStream("/guests/workloads/" + name + ".elf")) {
                modules.add(new DomainSpec.Module(name, in.readAllBytes()));
            }
        }
        return new BootSpec(List.of(new DomainSpec("dom0io", GuestImage.load("workloads/dom0io.elf"), 192, 224, 1, true,
                DomainSpec.NO_PEER, 0, new int[0], modules)));
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

    @Test
    void withoutAcknowledgingTheNicInterruptIsNeverDeliveredAgain() throws Exception {
        Scenario s = NIC_INTERRUPT_LEFT_IN_SERVICE;
        Outcome with = run(s, RecoveryPolicy.all(), true);
        Outcome without = run(s, RecoveryPolicy.allBut(s.step()), true);
        // The point follows every claim: with the step the handler keeps running after recovery;
        // without it, the claim that failed was the last one — the interrupt stays in service.
        assertThat(with.pointHits()).isGreaterThan(s.nthHit());
        assertThat(without.pointHits()).isEqualTo(s.nthHit());
        assertThat(without.audit()).anyMatch(p -> p.contains("in service on cpu 0"));
    }

    @Test
    void withoutClearingItADeadDomainKeepsBeingChargedCpuTime() throws Exception {
        Scenario s = VCPU_LEFT_RUNNING_FOR_A_DEAD_DOMAIN;
        Outcome with = run(s, RecoveryPolicy.all());
        Outcome without = run(s, RecoveryPolicy.allBut(s.step()));
        // What the toolstack sees (getdomaininfo's CPU time): a powered-off VM still "running".
        assertThat(with.deadCpuCycles()).isZero();
        assertThat(without.deadCpuCycles()).isEqualTo(IDLE_AFTER_CYCLES);
        assertThat(without.audit()).anyMatch(p -> p.contains("no longer active"));
    }
}
