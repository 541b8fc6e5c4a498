package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.machine.peer.NetPeerReport;
import dev.rehype.machine.peer.NetPeerState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The campaign pattern on the standard system: boot once, run a while, snapshot to a file, and
 * start runs from the file. The snapshot is taken mid-traffic — echoes and service exchanges on
 * the wire, the peer half-way through its sessions — so it holds the peer's state as well as the
 * machine's and the hypervisor's. Each run from it ends in exactly the report (every VM's verdict,
 * digest and packets, what the peer checked, the final state hash, the virtual time) of a run
 * from boot with the same seed.
 */
class StandardSystemSnapshotTest {
    private static final long SEED = 9;
    /** Where the snapshot is taken: a whole number of the host's check intervals after boot. */
    private static final long SNAPSHOT_AT_CYCLES = 8 * HostSystem.CHECK_INTERVAL_CYCLES;

    @TempDir
    Path dir;

    @Test
    void runsFromASnapshotFileEndExactlyAsARunFromBoot() throws Exception {
        RunReport fromBoot = StandardSystem.run(SEED, StandardSystem.DEFAULT_MAX_CYCLES);
        assertThat(fromBoot.allCorrect()).isTrue();
        assertThat(fromBoot.virtualCycles()).isGreaterThan(SNAPSHOT_AT_CYCLES);

        Path file = dir.resolve("standard.snap");
        try (HostSystem system = new HostSystem(SystemConfig.defaults(SEED))) {
            system.boot(StandardSystem.bootSpec());
            assertThat(system.runUntilShutdown(SNAPSHOT_AT_CYCLES, d -> true)).isFalse();
            NetPeerReport midway = system.peer().report();
            assertThat(midway.echoes()).as("echoes so far").isBetween(1L, fromBoot.peer().echoes() - 1);
            assertThat(midway.exchanges()).as("exchanges so far").isBetween(1L, fromBoot.peer().exchanges() - 1);
            system.snapshot().write(file);
        }
        Snapshot snapshot = Snapshot.read(file);
        assertThat(snapshot.takenAtCycles()).isEqualTo(SNAPSHOT_AT_CYCLES);
        assertThat(snapshot.machineState().nic().peer()).isInstanceOfSatisfying(NetPeerState.class,
                p -> assertThat(p.sessions()).hasSize(1));
        for (int run = 0; run < 2; run++) {
            try (HostSystem restored = HostSystem.restore(snapshot)) {
                assertThat(restored.audit()).isEmpty();
                boolean finished = restored.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES - SNAPSHOT_AT_CYCLES,
                        d -> true);
                assertThat(StandardSystem.report(SEED, restored, finished)).as("run %d from the snapshot", run)
                        .isEqualTo(fromBoot);
                assertThat(restored.audit()).isEmpty();
            }
        }
    }
}
