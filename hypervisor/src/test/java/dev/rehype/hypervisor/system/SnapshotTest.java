package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.machine.snapshot.MachineState;
import dev.rehype.machine.snapshot.PendingEventKind;
import dev.rehype.machine.snapshot.PendingEventState;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running system saved mid-run and restored is the same system: the same state hash at once,
 * the same hash after every later step, the same consoles and the same final state when its guests
 * finish. Through a file too, and with NIC traffic in flight. A snapshot is left as it was by a
 * restore, so every run of a campaign can start from it.
 */
class SnapshotTest {
    private static final long STEP_CYCLES = 250_000;
    private static final Set<PendingEventKind> ALL_KINDS = EnumSet.allOf(PendingEventKind.class);

    @TempDir
    Path dir;

    /** Runs {@code system} in small steps until some vCPU waits in a run queue (so the heap state matters). */
    private static void runUntilAQueueHoldsAVcpu(HostSystem system) {
        for (int step = 0; step < 1_000; step++) {
            if (Arrays.stream(system.hypervisor().saveHeap().runQueues()).anyMatch(q -> q.length > 0)) {
                return;
            }
            system.machine().run(10_000);
        }
        throw new AssertionError("no vCPU ever waited in a run queue");
    }

    private static boolean anyRunning(HostSystem system) {
        return system.domains().stream().anyMatch(d -> !d.isShutdown());
    }

    /** Runs both systems step by step to the end of their guests, checking they never differ. */
    private static void runInLockstepToTheEnd(HostSystem original, HostSystem restored) {
        int steps = 0;
        while (anyRunning(original)) {
            original.machine().run(STEP_CYCLES);
            restored.machine().run(STEP_CYCLES);
            assertThat(restored.stateHash()).as("state hash after step %d", steps).isEqualTo(original.stateHash());
            assertThat(++steps).as("steps before every probe powered off").isLessThan(400);
        }
        assertThat(anyRunning(restored)).isFalse();
        assertThat(restored.domains()).isEqualTo(original.domains());
        assertThat(restored.audit()).isEmpty();
    }

    @Test
    void aSystemRestoredMidRunHasTheSameHashAndFinishesInTheSameState() {
        try (HostSystem original = ProbeSystems.booted(11)) {
            original.machine().run(1_000_000);
            runUntilAQueueHoldsAVcpu(original);
            assertThat(anyRunning(original)).isTrue();
            assertThat(original.machine().console().text()).isNotEmpty();

            Snapshot snapshot = original.snapshot();
            assertThat(snapshot.takenAtCycles()).isEqualTo(original.machine().nowCycles());
            try (HostSystem restored = HostSystem.restore(snapshot)) {
                assertThat(restored.stateHash()).isEqualTo(original.stateHash());
                assertThat(restored.domains()).isEqualTo(original.domains());
                assertThat(restored.machine().console().text()).isEqualTo(original.machine().console().text());
                assertThat(restored.audit()).isEmpty();

                runInLockstepToTheEnd(original, restored);
                for (DomainStatus d : restored.domains()) {
                    assertThat(d.shutdownReason()).as(d.name()).isEqualTo(DomainStatus.REASON_POWEROFF);
                    assertThat(d.console().lines()).as(d.name()).hasSize(ProbeSystems.ITERATIONS);
                }
            }
        }
    }

    @Test
    void aRunFromASnapshotEndsInTheSameStateAsARunFromBoot() {
        try (HostSystem system = ProbeSystems.booted(5)) {
            system.machine().run(2_000_000);
            Snapshot snapshot = system.snapshot();
            system.machine().run(3_000_000);
            String fromBoot = system.stateHash();
            long end = system.machine().nowCycles();
            try (HostSystem restored = HostSystem.restore(snapshot)) {
                restored.machine().run(end - restored.machine().nowCycles());
                assertThat(restored.stateHash()).isEqualTo(fromBoot);
            }
        }
    }

    @Test
    void aSnapshotIsLeftAsItWasAndEveryRestoreRunsTheSame() {
        Snapshot snapshot;
        try (HostSystem system = ProbeSystems.booted(3)) {
            system.machine().run(1_500_000);
            snapshot = system.snapshot();
        }
        byte[] before = snapshot.toBytes();
        String[] hashes = new String[3];
        for (int i = 0; i < hashes.length; i++) {
            try (HostSystem run = HostSystem.restore(snapshot)) {
                run.machine().run(2_000_000);
                hashes[i] = run.stateHash();
            }
        }
        assertThat(hashes).containsOnly(hashes[0]);
        assertThat(snapshot.toBytes()).isEqualTo(before);
    }

    @Test
    void aSnapshotFileRoundTripsToTheSameBytesAndTheSameSystem() throws Exception {
        try (HostSystem original = ProbeSystems.booted(23)) {
            original.machine().run(1_200_000);
            Snapshot snapshot = original.snapshot();
            Path file = dir.resolve("booted.snap");
            snapshot.write(file);
            Snapshot loaded = Snapshot.read(file);

            assertThat(loaded.toBytes()).isEqualTo(snapshot.toBytes());
            assertThat(loaded.config()).isEqualTo(original.config());
            try (HostSystem restored = HostSystem.restore(loaded)) {
                assertThat(restored.stateHash()).isEqualTo(original.stateHash());
                runInLockstepToTheEnd(original, restored);
            }
        }
    }

    @Test
    void nicTrafficInFlightIsSavedWithItsPendingEventsAndContinuesTheSame() throws Exception {
        try (HostSystem original = ProbeSystems.bootedWithEchoPeer(17)) {
            TestNicDriver driver = TestNicDriver.setUp(original.machine());
            for (int step = 0; step < 40; step++) {
                original.machine().run(2_000);
                driver.step();
            }
            original.machine().run(40);
            MachineState state = original.machine().exportState();
            Set<PendingEventKind> pending = EnumSet.noneOf(PendingEventKind.class);
            for (PendingEventState e : state.events().pending()) {
                pending.add(e.kind());
            }
            assertThat(pending).isEqualTo(ALL_KINDS);
            assertThat(driver.progress().received()).isPositive();

            Path file = dir.resolve("traffic.snap");
            original.snapshot().write(file);
            try (HostSystem restored = HostSystem.restore(Snapshot.read(file))) {
                TestNicDriver copy = new TestNicDriver(restored.machine(), driver.progress());
                assertThat(restored.stateHash()).isEqualTo(original.stateHash());
                for (int step = 0; step < 200; step++) {
                    original.machine().run(2_000);
                    restored.machine().run(2_000);
                    driver.step();
                    copy.step();
                    assertThat(restored.stateHash()).as("after step %d", step).isEqualTo(original.stateHash());
                }
                assertThat(copy.progress()).isEqualTo(driver.progress());
                assertThat(restored.machine().nic().rxPackets()).isEqualTo(original.machine().nic().rxPackets())
                        .isGreaterThan(200);
            }
        }
    }
}
