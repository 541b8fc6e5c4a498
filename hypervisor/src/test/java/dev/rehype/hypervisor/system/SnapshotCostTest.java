package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a snapshot of the standard system (default size: 32 MiB of machine memory), taken mid-run,
 * costs: its size on disk and the wall-clock time to take, write, read and restore it. Measured
 * and printed, never asserted (wall-clock time depends on the machine); what is asserted is that
 * the measured restores are the saved system.
 */
class SnapshotCostTest {
    private static final int ROUNDS = 7;

    @TempDir
    Path dir;

    @FunctionalInterface
    private interface Step {
        Object run() throws Exception;
    }

    /** Median and minimum milliseconds of {@code ROUNDS} runs of {@code step}. */
    private static String time(Step step) throws Exception {
        double[] millis = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            Object result = step.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (result instanceof AutoCloseable c) {
                c.close();
            }
        }
        Arrays.sort(millis);
        return String.format("median %.1f ms, min %.1f ms", millis[ROUNDS / 2], millis[0]);
    }

    @Test
    void theStandardSystemIsMeasured() throws Exception {
        SystemConfig config = SystemConfig.defaults(1);
        assertThat(config.machineMemoryBytes()).isEqualTo(32L << 20);
        try (HostSystem system = new HostSystem(config)) {
            system.boot(StandardSystem.bootSpec());
            system.runUntilShutdown(3 * HostSystem.CHECK_INTERVAL_CYCLES, d -> true);
            Path file = dir.resolve("booted.snap");
            Snapshot snapshot = system.snapshot();
            snapshot.write(file);

            String take = time(system::snapshot);
            String write = time(() -> {
                snapshot.write(file);
                return null;
            });
            String read = time(() -> Snapshot.read(file));
            Snapshot loaded = Snapshot.read(file);
            String restore = time(() -> HostSystem.restore(loaded));
            byte[] object = SnapshotCodec.encode(snapshot.contents());

            System.out.printf("snapshot of the standard system with %d MiB of machine memory: file %d bytes (region image %d,"
                            + " object part %d); take %s; write %s; read %s; restore %s%n",
                    config.machineMemoryBytes() >> 20, Files.size(file), snapshot.region().byteSize(), object.length,
                    take, write, read, restore);
            try (HostSystem restored = HostSystem.restore(loaded)) {
                assertThat(restored.stateHash()).isEqualTo(system.stateHash());
            }
        }
    }
}
