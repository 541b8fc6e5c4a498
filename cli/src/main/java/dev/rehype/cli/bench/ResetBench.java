/*
 * The procedure of `rehype bench reset`: what it costs to start an injection run from the booted
 * system, with a reset point (only what the previous run changed is put back) next to a full
 * snapshot restore (a new system from the snapshot's bytes). It boots the campaigns' system (the
 * host-built one, {@code HostBuiltSystem}) with its AppVMs given a chosen memory size, marks a reset point and takes a snapshot, then, round
 * after round, runs the system to the end of its workloads (what an injection run does) or for a
 * short while, and times the reset that follows; in rounds of their own, what comparing the region
 * outside machine memory with the marked one after a full run would cost instead of the reset's
 * whole copy; the state hash after a full run from its cached digests next to one from scratch; and full
 * restores of the snapshot.
 * Every run after a reset must end exactly as the first one did (the same report, final state hash
 * included), or the bench fails.
 */
package dev.rehype.cli.bench;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import dev.rehype.cli.CheckFailure;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.system.HostBuiltSystem;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.ResetPoint;
import dev.rehype.hypervisor.system.RunReport;
import dev.rehype.hypervisor.system.Snapshot;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;

/** Measures resets against full snapshot restores on the campaigns' (host-built) system. */
public final class ResetBench {
    /** The root seed of every system the bench boots. */
    public static final long SEED = 1;
    /** The short run: one of the host's check intervals of virtual time. */
    public static final long SHORT_RUN_CYCLES = HostSystem.CHECK_INTERVAL_CYCLES;
    /** The AppVMs whose memory the bench sizes; mem keeps its own (its digest is a function of its size). */
    static final List<String> SIZED_VMS = List.of("compute", "hc-ping", "hc-pong");
    /** Machine memory beyond what the domains may hold: P2M tables and the allocator's slack. */
    private static final long SLACK_BYTES = 16L << 20;
    private static final int PAGE_BYTES = 4096;
    /** Granule of the region comparison measured against the reset's whole copy. */
    static final int DIFF_CHUNK_BYTES = 4096;

    private ResetBench() {
    }

    /**
     * Measures the standard system with {@code appVmMib} MiB for each sized AppVM:
     * {@code rounds} measured rounds after one warm-up round.
     *
     * @throws CheckFailure if a run after a reset does not end as the first run did
     */
    public static ResetBenchResult measure(int appVmMib, int rounds) throws GuestImageException {
        BootSpec spec = bootSpec(appVmMib);
        SystemConfig config = new SystemConfig(2, SEED, machineMemoryBytes(spec), SystemConfig.DEFAULT_MAX_DOMAINS,
                SystemConfig.DEFAULT_MAX_VCPUS);
        HypervisorImage image = HypervisorImage.pristine();
        image.preload();
        try (HostSystem system = new HostSystem(config, image)) {
            system.boot(spec);
            ResetPoint point = system.markResetPoint();
            Snapshot snapshot = system.snapshot();

            double[] runMillis = new double[rounds];
            double[] resetMicros = new double[rounds];
            double[] regionCopyMicros = new double[rounds];
            double[] regionDiffMicros = new double[rounds];
            MemorySegment marked = snapshot.region();
            MemorySegment live = system.region().segment();
            long ramOffset = system.region().machineMemory().address() - live.address();
            long ramEnd = ramOffset + system.region().machineMemory().byteSize();
            double[] shortResetMicros = new double[rounds];
            double[] hashMicros = new double[rounds];
            double[] hashFullMicros = new double[rounds];
            int hashFrames = 0;
            int hashCoreChunks = 0;
            int dirtyFrames = 0;
            int shortDirtyFrames = 0;
            long regionBytesDiffering = 0;
            RunReport first = null;
            for (int round = -1; round < rounds; round++) {
                // Hashed at the reset point, the hash after the run digests again all the run changed (a campaign
                // hashes only at the end of runs, so its hashes see at most that).
                system.stateHash();
                long start = System.nanoTime();
                boolean finished = system.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES, d -> true);
                long ran = System.nanoTime() - start;
                // The state hash after the run (what a campaign computes), from its cached digests and from scratch.
                start = System.nanoTime();
                String hash = system.stateHash();
                long hashed = System.nanoTime() - start;
                HostSystem.HashWork hashWork = system.lastHashWork();
                start = System.nanoTime();
                String fullHash = system.stateHashFromScratch();
                long hashedFull = System.nanoTime() - start;
                if (!hash.equals(fullHash)) {
                    throw new CheckFailure("bench reset: with AppVMs of " + appVmMib + " MiB, the state hash from cached"
                            + " digests " + hash + " is not the one from scratch " + fullHash);
                }
                boolean check = round == -1 || round == rounds - 1;
                RunReport report = check ? HostBuiltSystem.report(SEED, system, finished) : null;
                if (round == -1) {
                    first = report;
                } else if (check && !report.equals(first)) {
                    throw new CheckFailure("bench reset: with AppVMs of " + appVmMib + " MiB, the run after "
                            + rounds + " resets ended otherwise than the first: " + report + " vs " + first);
                }
                int dirty = point.dirtyFrames();
                start = System.nanoTime();
                ResetPoint.ResetStats stats = point.resetTo(system, image);
                long reset = System.nanoTime() - start;

                system.runUntilShutdown(SHORT_RUN_CYCLES, d -> true);
                int shortDirty = point.dirtyFrames();
                start = System.nanoTime();
                point.resetTo(system, image);
                long shortReset = System.nanoTime() - start;
                if (round >= 0) {
                    runMillis[round] = ran / 1e6;
                    resetMicros[round] = reset / 1e3;
                    regionCopyMicros[round] = stats.regionNanos() / 1e3;
                    shortResetMicros[round] = shortReset / 1e3;
                    hashMicros[round] = hashed / 1e3;
                    hashFullMicros[round] = hashedFull / 1e3;
                    hashFrames = Math.max(hashFrames, hashWork.memoryFrames());
                    hashCoreChunks = Math.max(hashCoreChunks, hashWork.coreChunks());
                    dirtyFrames = Math.max(dirtyFrames, dirty);
                    shortDirtyFrames = Math.max(shortDirtyFrames, shortDirty);
                }
            }

            // Comparing instead of copying, measured apart so that neither warms the cache for the other.
            for (int round = -1; round < rounds; round++) {
                system.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES, d -> true);
                long start = System.nanoTime();
                long differing = differingBytes(live, marked, 0, ramOffset)
                        + differingBytes(live, marked, ramEnd, live.byteSize());
                long diff = System.nanoTime() - start;
                point.resetTo(system, image);
                if (round >= 0) {
                    regionDiffMicros[round] = diff / 1e3;
                    regionBytesDiffering = Math.max(regionBytesDiffering, differing);
                }
            }

            double[] restoreMicros = new double[rounds];
            for (int round = -1; round < rounds; round++) {
                long start = System.nanoTime();
                HostSystem restored = HostSystem.restore(snapshot, image);
                long took = System.nanoTime() - start;
                restored.close();
                if (round >= 0) {
                    restoreMicros[round] = took / 1e3;
                }
            }

            return new ResetBenchResult(appVmMib, config.machineMemoryBytes(), rounds, first.allCorrect(),
                    Statistics.median(runMillis), dirtyFrames, Statistics.median(resetMicros),
                    Statistics.min(resetMicros), Statistics.max(resetMicros), shortDirtyFrames,
                    Statistics.median(shortResetMicros), Statistics.median(restoreMicros),
                    point.outsideMemoryBytes(), regionBytesDiffering, Statistics.median(regionCopyMicros),
                    Statistics.median(regionDiffMicros), Statistics.median(hashMicros), Statistics.median(hashFullMicros),
                    hashFrames, hashCoreChunks);
        }
    }

    /**
     * What a reset that compared the region instead of copying it would do first: the bytes of
     * the {@link #DIFF_CHUNK_BYTES} chunks of [from, to) in which {@code live} differs from
     * {@code marked}.
     */
    static long differingBytes(MemorySegment live, MemorySegment marked, long from, long to) {
        long differing = 0;
        long at = from;
        while (at < to) {
            long mismatch = MemorySegment.mismatch(live, at, to, marked, at, to);
            if (mismatch < 0) {
                break;
            }
            long chunk = from + ((at + mismatch - from) / DIFF_CHUNK_BYTES) * DIFF_CHUNK_BYTES;
            long end = Math.min(chunk + DIFF_CHUNK_BYTES, to);
            differing += end - chunk;
            at = end;
        }
        return differing;
    }

    /** The standard system's boot spec with every sized AppVM holding {@code appVmMib} MiB. */
    static BootSpec bootSpec(int appVmMib) throws GuestImageException {
        BootSpec standard = HostBuiltSystem.bootSpec();
        int pages = Math.multiplyExact(appVmMib, (1 << 20) / PAGE_BYTES);
        List<DomainSpec> domains = new ArrayList<>();
        for (DomainSpec d : standard.domains()) {
            if (SIZED_VMS.contains(d.name())) {
                // The hypercall workload's digest wants room above its reservation, as in the standard spec.
                int above = d.maxPages() - d.memPages();
                d = new DomainSpec(d.name(), d.image(), pages, pages + above, d.vcpus(), d.privileged(), d.peerDomid(),
                        d.role(), d.params(), d.modules());
            }
            domains.add(d);
        }
        return new BootSpec(domains);
    }

    /** Machine memory for {@code spec}: every domain at its maximum, plus slack, in whole MiB. */
    static long machineMemoryBytes(BootSpec spec) {
        long bytes = SLACK_BYTES;
        for (DomainSpec d : spec.domains()) {
            bytes += (long) d.maxPages() * PAGE_BYTES;
        }
        return (bytes + (1 << 20) - 1) & ~((1L << 20) - 1);
    }
}
