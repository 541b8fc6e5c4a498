package dev.rehype.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.PointTransformer;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.ResetPoint;
import dev.rehype.hypervisor.system.RunReport;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reset point survives what an injection run does to a system: a failstop in an instrumented
 * hypervisor, detected and recovered by microreboot (a pristine image takes over, the region's
 * generation is bumped). Resetting afterwards gives back the booted system — its state hash, its
 * region generation, a hypervisor of the image the caller names — and the runs that follow are
 * exactly those from the first boot: the fault-free run the golden one, the failstop run the
 * first failstop run. The state hash from cached digests is the one from every byte after a
 * recovery.
 */
class ResetAfterMicrorebootTest {
    private static final long SEED = 1;
    private static final long MAX = 2_000_000_000L;
    private static final FaultPoint POINT = FaultPoint.after("MemoryOps", "op", "SpinLocks.acquire", 1);

    @AfterEach
    void disarm() {
        Probes.clear();
    }

    private record FaultRun(RunReport report, List<RecoveryReport> recoveries, String fired) {
    }

    private static FaultRun failstopRun(HostSystem system, PointTransformer points) {
        Rehype rehype = new Rehype(system, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT);
        Probes probes = Probes.armFailstop(points.points(), POINT, 3);
        boolean finished = system.runUntilShutdown(MAX, d -> true);
        Probes.clear();
        assertThat(rehype.lost()).isFalse();
        // The recovered image rebuilt the core's tables and wrote memory: the cached digests saw it all.
        assertThat(system.stateHash()).isEqualTo(system.stateHashFromScratch());
        return new FaultRun(StandardSystem.report(SEED, system, finished), rehype.reports(), probes.fired());
    }

    @Test
    void resetAfterAMicrorebootGivesBackTheBootedSystemAndTheSameRuns() throws Exception {
        PointTransformer points = new PointTransformer(List.of(POINT));
        HypervisorImage image = HypervisorImage.transformed(points);
        try (HostSystem system = new HostSystem(SystemConfig.defaults(SEED), image)) {
            system.boot(StandardSystem.bootSpec());
            ResetPoint point = system.markResetPoint();
            String booted = system.stateHash();
            long generation = system.region().generation();

            RunReport golden = StandardSystem.report(SEED, system, system.runUntilShutdown(MAX, d -> true));
            assertThat(golden.allCorrect()).isTrue();
            point.resetTo(system, image);
            assertThat(system.stateHash()).isEqualTo(booted);

            FaultRun first = failstopRun(system, points);
            assertThat(first.fired()).isEqualTo(POINT.toString());
            assertThat(first.recoveries()).hasSize(1);
            assertThat(first.recoveries().get(0).completed()).isTrue();
            assertThat(first.report().allCorrect()).isTrue();
            assertThat(system.region().generation()).isEqualTo(generation + 1);
            assertThat(system.hypervisor().getClass().getClassLoader()).isNotSameAs(image.classLoader());

            point.resetTo(system, image);
            assertThat(system.stateHash()).isEqualTo(booted);
            assertThat(system.region().generation()).isEqualTo(generation);
            assertThat(system.hypervisor().getClass().getClassLoader()).isSameAs(image.classLoader());
            assertThat(system.audit()).isEmpty();

            RunReport again = StandardSystem.report(SEED, system, system.runUntilShutdown(MAX, d -> true));
            assertThat(again).isEqualTo(golden);

            point.resetTo(system, image);
            FaultRun second = failstopRun(system, points);
            assertThat(second.fired()).isEqualTo(first.fired());
            assertThat(second.report()).isEqualTo(first.report());
            assertThat(second.recoveries().get(0).detection()).isEqualTo(first.recoveries().get(0).detection());

            point.resetTo(system);
            assertThat(system.stateHash()).isEqualTo(booted);
            assertThat(StandardSystem.report(SEED, system, system.runUntilShutdown(MAX, d -> true))).isEqualTo(golden);
        }
    }
}
