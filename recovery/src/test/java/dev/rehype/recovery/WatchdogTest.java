package dev.rehype.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.ClassTransformer;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.image.RepairStep;
import dev.rehype.hypervisor.image.Watchdog;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.PointTransformer;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.RunReport;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.hypervisor.system.VmResult;
import dev.rehype.machine.Seeds;
import dev.rehype.machine.peer.NetPeer;
import dev.rehype.region.layout.CoreTablesLayout;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.SpinLockLayout;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Detection beyond panics: a hang placed at a fault point ({@link Probes#armHang}) spins inside
 * the hypervisor until the watchdog, on virtual time, breaks it; a lock left held by a CPU that
 * failed is found by the lock-spin detector. Each detection names its kind, the CPU, the
 * hypercall or interrupt in progress and the virtual time, the system recovers, and the same seed
 * gives the same detection at the same virtual cycle.
 */
class WatchdogTest {
    /** The memory_op hypercall number. */
    static final int MEMORY_OP = 12;

    record Outcome(RunReport report, Rehype rehype, Probes probes, List<String> audit, String stateHash) {
        RecoveryReport first() {
            return rehype.reports().getFirst();
        }
    }

    static Outcome runStandard(FaultPoint point, long nthHit, boolean hang, RecoveryPolicy policy, RecoveryMode mode,
                               long boundCycles) throws Exception {
        PointTransformer points = new PointTransformer(List.of(point));
        try (HostSystem system = new HostSystem(SystemConfig.defaults(1), HypervisorImage.transformed(points))) {
            Rehype rehype = new Rehype(system, policy, mode);
            if (boundCycles > 0) {
                rehype.setWatchdogBound(boundCycles);
            }
            Probes.clear();
            system.boot(StandardSystem.bootSpec());
            Probes probes = hang ? Probes.armHang(points.points(), point, nthHit)
                    : Probes.armFailstop(points.points(), point, nthHit);
            boolean finished = system.runUntilShutdown(1_000_000_000L, d -> true);
            RunReport report = StandardSystem.report(1, system, finished);
            return new Outcome(report, rehype, probes, rehype.lost() ? List.of("lost: " + rehype.lostReason())
                    : system.audit(), system.stateHash());
        }
    }

    @AfterEach
    void disarm() {
        Probes.clear();
    }

    @Test
    void aHangInsideAHypercallIsBrokenByTheWatchdogAndEveryVmFinishesCorrectly() throws Exception {
        FaultPoint point = FaultPoint.entry("MemoryOps", "op");
        Outcome o = runStandard(point, 2, true, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT, 0);
        assertThat(o.probes().fired()).isEqualTo(point.toString());
        assertThat(o.rehype().reports()).hasSize(1);
        RecoveryReport r = o.first();
        Detection d = r.detection();
        assertThat(d.kind()).isEqualTo(DetectionKind.WATCHDOG);
        assertThat(d.hypercall()).isEqualTo(MEMORY_OP);
        assertThat(d.interrupt()).isEqualTo(-1);
        assertThat(d.trap()).isEqualTo("ecall from S-mode");
        assertThat(d.message()).contains("cpu " + d.cpu(), "bound " + Watchdog.DEFAULT_BOUND_CYCLES);
        // The spin charged one turn past the bound: the detection is that much after the trap.
        long spent = Watchdog.DEFAULT_BOUND_CYCLES + Probes.HANG_SPIN_CYCLES;
        assertThat(r.phases().getFirst().name()).isEqualTo("detection");
        assertThat(r.phases().getFirst().virtualCycles()).isEqualTo(spent);
        assertThat(d.atCycles()).isGreaterThan(spent);
        assertThat(r.completed()).isTrue();
        assertThat(o.report().vms()).extracting(VmResult::verdict).containsOnly(VmResult.CORRECT);
        assertThat(o.audit()).isEmpty();
    }

    @Test
    void theBoundIsConfigurableAndTheSameSeedGivesTheSameDetectionAtTheSameVirtualTime() throws Exception {
        FaultPoint point = FaultPoint.after("MemoryOps", "op", "SpinLocks.acquire", 1);
        Outcome a = runStandard(point, 3, true, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT, 50_000);
        Outcome b = runStandard(point, 3, true, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT, 50_000);
        Detection da = a.first().detection();
        assertThat(da.kind()).isEqualTo(DetectionKind.WATCHDOG);
        assertThat(a.first().phases().getFirst().virtualCycles()).isEqualTo(50_000 + Probes.HANG_SPIN_CYCLES);
        // It hung holding a domain lock: recovery released it.
        assertThat(a.first().repairs().getFirst().changes()).anyMatch(c -> c.contains("released"));
        assertThat(a.report().allCorrect()).isTrue();
        assertThat(a.audit()).isEmpty();
        assertThat(b.first().detection()).isEqualTo(da);
        assertThat(b.stateHash()).isEqualTo(a.stateHash());
        assertThat(b.report().vms()).isEqualTo(a.report().vms());

        Outcome longer = runStandard(point, 3, true, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT, 80_000);
        assertThat(longer.first().detection().atCycles() - da.atCycles()).isEqualTo(30_000);
    }

    @Test
    void microresetRecoversAHangToo() throws Exception {
        FaultPoint point = FaultPoint.entry("MemoryOps", "op");
        Outcome o = runStandard(point, 2, true, RecoveryPolicy.all(), RecoveryMode.MICRORESET, 0);
        assertThat(o.first().detection().kind()).isEqualTo(DetectionKind.WATCHDOG);
        assertThat(o.first().mode()).isEqualTo(RecoveryMode.MICRORESET);
        assertThat(o.report().allCorrect()).isTrue();
        assertThat(o.audit()).isEmpty();
    }

    @Test
    void aLockLeftHeldByAFailedCpuIsDetectedAsALockSpin() throws Exception {
        try (HostSystem system = new HostSystem(SystemConfig.defaults(1))) {
            Rehype rehype = new Rehype(system, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT);
            system.boot(StandardSystem.bootSpec());
            system.machine().run(2_000_000);
            // CPU 1 stopped dead inside the page allocator, holding the heap lock, and nothing
            // noticed: its lock word says so, and the CPU no longer runs.
            long heapLock = system.layout().lock(CoreTablesLayout.LOCK_HEAP);
            Fields.u32(system.coreState(), heapLock + SpinLockLayout.OWNER, 1 + 1);
            Fields.u32(system.coreState(), heapLock + SpinLockLayout.DEPTH, 1);
            system.machine().hart(1).halt();
            system.machine().timer(1).cancel();
            long stoppedAt = system.machine().nowCycles();

            boolean finished = system.runUntilShutdown(1_000_000_000L, d -> true);

            RecoveryReport r = rehype.reports().getFirst();
            Detection d = r.detection();
            assertThat(d.kind()).isEqualTo(DetectionKind.LOCK_SPIN);
            assertThat(d.cpu()).isZero();
            assertThat(d.message()).contains("lock " + CoreTablesLayout.LOCK_HEAP, "held by cpu 1",
                    "not inside the hypervisor");
            assertThat(d.hypercall()).isEqualTo(MEMORY_OP);
            assertThat(d.atCycles()).isGreaterThan(stoppedAt);
            assertThat(r.phases().getFirst().virtualCycles()).isPositive();
            assertThat(r.repairs().getFirst().changes()).anyMatch(c -> c.contains("released"));
            assertThat(rehype.reports()).hasSize(1);
            assertThat(StandardSystem.report(1, system, finished).allCorrect()).isTrue();
            assertThat(system.audit()).isEmpty();
        }
    }

    @Test
    void aHangInsideTheNicInterruptHandlerNamesTheInterruptAndIsRecovered() throws Exception {
        FaultPoint point = FaultPoint.after("Devices", "onInterrupt", "InterruptPort.claim", 1);
        PointTransformer points = new PointTransformer(List.of(point));
        SystemConfig config = RepairStepScenarioTest.NETWORK_CONFIG;
        try (HostSystem system = new HostSystem(config, HypervisorImage.transformed(points),
                new NetPeer(Seeds.derive(config.seed(), "netpeer")))) {
            Rehype rehype = new Rehype(system, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT);
            Probes.clear();
            system.boot(RepairStepScenarioTest.network());
            Probes probes = Probes.armHang(points.points(), point, 99);
            boolean finished = system.runUntilShutdown(100_000_000L, d -> true);
            assertThat(probes.fired()).isNotNull();
            Detection d = rehype.reports().getFirst().detection();
            assertThat(d.kind()).isEqualTo(DetectionKind.WATCHDOG);
            assertThat(d.trap()).isEqualTo("external interrupt");
            assertThat(d.interrupt()).isEqualTo(dev.rehype.machine.Machine.NIC0_IRQ);
            assertThat(d.hypercall()).isEqualTo(-1);
            assertThat(finished).isTrue();
            assertThat(system.domains()).allMatch(s -> s.isShutdown() && s.shutdownReason() == 0 && s.shutdownCode() == 0);
            assertThat(system.domains()).anyMatch(s -> s.name().equals("net")
                    && RepairStepScenarioTest.NET_DIGEST.equals(s.digest()));
            assertThat(system.audit()).isEmpty();
        }
    }

    /** Puts a loop with no end (a {@code goto} to itself) at the entry of {@code Class.method} of the core. */
    static ClassTransformer endlessAtEntry(String simpleClass, String method) {
        return (name, bytes) -> {
            if (!name.equals(HypervisorImage.CORE_PACKAGE + "." + simpleClass)) {
                return bytes;
            }
            ClassFile cf = ClassFile.of();
            return cf.transformClass(cf.parse(bytes), ClassTransform.transformingMethodBodies(
                    m -> m.methodName().equalsString(method), new CodeTransform() {
                        @Override
                        public void atStart(CodeBuilder b) {
                            Label again = b.newBoundLabel();
                            b.goto_(again);
                        }

                        @Override
                        public void accept(CodeBuilder b, CodeElement e) {
                            b.with(e);
                        }
                    }));
        };
    }

    @Test
    void aRecoveryThatLoopsForEverFailsAtItsOwnLoopBoundAndTheSystemIsDeclaredLost() throws Exception {
        FaultPoint point = FaultPoint.entry("MemoryOps", "op");
        PointTransformer points = new PointTransformer(List.of(point));
        ClassTransformer endless = endlessAtEntry("Hypervisor", "recover");
        try (HostSystem system = new HostSystem(SystemConfig.defaults(1),
                HypervisorImage.transformed((n, b) -> endless.transform(n, points.transform(n, b))))) {
            // Microreset recovers on the failed image, whose recovery never ends.
            Rehype rehype = new Rehype(system, RecoveryPolicy.all(), RecoveryMode.MICRORESET);
            Probes.clear();
            system.boot(StandardSystem.bootSpec());
            Probes.armFailstop(points.points(), point, 2);
            system.runUntilShutdown(1_000_000_000L, d -> true);
            long bound = Watchdog.DEFAULT_BOUND_CYCLES
                    + Rehype.RECOVERY_LOOPS_PER_FRAME * system.machine().memory().frames();
            assertThat(rehype.lost()).isTrue();
            assertThat(rehype.lostReason()).contains("recovery failed", "loop iterations", "loop bound " + bound);
            assertThat(rehype.reports()).hasSize(1);
            assertThat(rehype.reports().getFirst().completed()).isFalse();
        }
    }
}
