/*
 * What `rehype bench reset` measured for one size of the standard system: the run that precedes a
 * reset, the frames it dirtied, the reset's time next to a full snapshot restore's, the short-run
 * reset, the region outside machine memory (compared at every reset) with what comparing it
 * cost next to copying it whole, and the state hash after a full run from cached digests next to
 * one from scratch. Times are medians of the measured rounds.
 */
package dev.rehype.cli.bench;

import dev.rehype.cli.json.JsonWriter;

/**
 * One measured size.
 *
 * @param appVmMib              memory of each sized AppVM
 * @param machineMemoryBytes    the machine's memory
 * @param rounds                measured rounds (after one warm-up)
 * @param allCorrect            every VM of the first run finished with its expected digest
 * @param runMillis             median wall time of a full run (boot state to every workload's end)
 * @param dirtyFrames           frames a full run wrote
 * @param resetMicros           median reset after a full run
 * @param resetMinMicros        fastest such reset
 * @param resetMaxMicros        slowest such reset
 * @param shortDirtyFrames      frames a short run ({@link ResetBench#SHORT_RUN_CYCLES}) wrote
 * @param shortResetMicros      median reset after a short run
 * @param restoreMicros         median full restore of the booted snapshot into a new system
 * @param outsideMemoryBytes    bytes of the region outside machine memory (header, the core's tables),
 *                              which a reset copies back whole
 * @param regionBytesDiffering  of those, the most that differed after a full run (in 4 KiB chunks)
 * @param regionCopyMicros      median time a reset after a full run spent copying them
 * @param regionDiffMicros      median time comparing them with the marked ones took at that moment
 * @param hashMicros            median {@code HostSystem.stateHash()} right after a full run, from the digests cached
 *                              by a hash at the reset point (so it digests again all the run changed)
 * @param hashFullMicros        median {@code stateHashFromScratch()} of the same state (every byte)
 * @param hashFrames            the most frames of machine memory such a hash digested again
 * @param hashCoreChunks        the most 4 KiB chunks of the core's tables such a hash digested again
 */
public record ResetBenchResult(int appVmMib, long machineMemoryBytes, int rounds, boolean allCorrect, double runMillis,
                               int dirtyFrames, double resetMicros, double resetMinMicros, double resetMaxMicros,
                               int shortDirtyFrames, double shortResetMicros, double restoreMicros,
                               long outsideMemoryBytes, long regionBytesDiffering, double regionCopyMicros,
                               double regionDiffMicros, double hashMicros, double hashFullMicros, int hashFrames,
                               int hashCoreChunks) {

    /** How many times faster a reset after a full run is than a full restore. */
    public double speedup() {
        return restoreMicros / resetMicros;
    }

    /** One line for a terminal. */
    public String text() {
        return String.format("AppVMs of %d MiB (machine memory %d MiB; %s): full run %.0f ms, %d frames dirtied;"
                        + " reset median %.3f ms (min %.3f, max %.3f) vs full snapshot restore %.1f ms (%.0fx);"
                        + " short run (%d cycles) %d frames, reset %.3f ms; region outside memory %d KiB (%d KiB"
                        + " differing) copied whole in %.3f ms vs compared in %.3f ms; state hash after a full run"
                        + " %.3f ms (%d frames, %d core chunks digested again) vs %.1f ms from scratch",
                appVmMib, machineMemoryBytes >> 20, allCorrect ? "every VM correct" : "NOT every VM correct",
                runMillis, dirtyFrames, resetMicros / 1e3, resetMinMicros / 1e3, resetMaxMicros / 1e3,
                restoreMicros / 1e3, speedup(), ResetBench.SHORT_RUN_CYCLES, shortDirtyFrames, shortResetMicros / 1e3,
                outsideMemoryBytes >> 10, regionBytesDiffering >> 10, regionCopyMicros / 1e3, regionDiffMicros / 1e3,
                hashMicros / 1e3, hashFrames, hashCoreChunks, hashFullMicros / 1e3);
    }

    /** Writes this result as one JSON object into {@code json}. */
    public void writeTo(JsonWriter json) {
        json.beginObject()
                .name("appvm_mib").value(appVmMib)
                .name("machine_memory_bytes").value(machineMemoryBytes)
                .name("rounds").value(rounds)
                .name("all_correct").value(allCorrect)
                .name("run_millis").value(round3(runMillis))
                .name("dirty_frames").value(dirtyFrames)
                .name("reset_micros").value(round3(resetMicros))
                .name("reset_min_micros").value(round3(resetMinMicros))
                .name("reset_max_micros").value(round3(resetMaxMicros))
                .name("short_run_cycles").value(ResetBench.SHORT_RUN_CYCLES)
                .name("short_dirty_frames").value(shortDirtyFrames)
                .name("short_reset_micros").value(round3(shortResetMicros))
                .name("restore_micros").value(round3(restoreMicros))
                .name("speedup").value(round3(speedup()))
                .name("outside_memory_bytes").value(outsideMemoryBytes)
                .name("region_bytes_differing").value(regionBytesDiffering)
                .name("region_copy_micros").value(round3(regionCopyMicros))
                .name("region_diff_micros").value(round3(regionDiffMicros))
                .name("hash_micros").value(round3(hashMicros))
                .name("hash_full_micros").value(round3(hashFullMicros))
                .name("hash_frames").value(hashFrames)
                .name("hash_core_chunks").value(hashCoreChunks)
                .endObject();
    }

    private static double round3(double value) {
        return Math.round(value * 1_000.0) / 1_000.0;
    }
}
