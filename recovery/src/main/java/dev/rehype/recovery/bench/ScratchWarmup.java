package dev.rehype.recovery.bench;

import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.ResetPoint;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.recovery.Rehype;
import dev.rehype.region.PreservedRegion;
import dev.rehype.region.RegionException;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a pristine hypervisor image warm before a microreboot switches to it, the way ReHype keeps
 * its pristine copy ready: the image takes over a scratch system of its own shaped like the real
 * one (for the Dom0-built standard system another standard system, run until Dom0 has built every
 * domain so its driver domain, rings and grants are live; for a host-built system Dom0 and small
 * AppVMs, as many domains as the real system has), booted once and run a little, in recovery mode
 * again and again, re-attaching the scratch region each time and now and then running the scratch
 * guests on it (its trap path too), so that its classes are linked and the JVM has compiled the
 * recovery path with a profile like the real system's. The scratch system is marked as a reset
 * point once booted and run, and put back to it before an image is warmed whenever one of its
 * domains has shut down: a scratch system whose workloads have finished has no runnable vCPU, no
 * pending event and no live grant, so recovering it would leave those paths of the image cold
 * (and linked or compiled only during the real recovery). The scratch system shares nothing with
 * the system being recovered; only the warm-up thread touches it.
 */
public final class ScratchWarmup implements Rehype.ImageWarmup, AutoCloseable {
    /** Recovery-mode runs of each image (enough for the JIT's first tier on every method of the path). */
    public static final int DEFAULT_ROUNDS = 200;
    static final long SCRATCH_MACHINE_BYTES = 8L << 20;
    static final long SCRATCH_RUN_CYCLES = 3_000_000;
    /** Between rounds the scratch system runs on the new image now and then, so vCPU states vary. */
    static final int RUN_EVERY_ROUNDS = 10;
    static final long RUN_CYCLES = 20_000;

    private final HostSystem scratch;
    private final int rounds;
    private final ResetPoint booted;

    private ScratchWarmup(HostSystem scratch, int rounds) {
        this.scratch = scratch;
        this.rounds = rounds;
        this.booted = scratch.markResetPoint();
    }

    /**
     * A scratch system shaped like {@code like} (CPUs, table sizes) with as many domains as the
     * system it stands in for ({@code domains}: Dom0 and small AppVMs), booted and run a little.
     */
    public static ScratchWarmup forSystem(SystemConfig like, int domains, int rounds) throws GuestImageException {
        SystemConfig config = new SystemConfig(like.cpus(), like.seed(), SCRATCH_MACHINE_BYTES, like.maxDomains(),
                like.maxVcpus());
        HostSystem scratch = new HostSystem(config);
        try {
            GuestImage dom0 = GuestImage.load("workloads/dom0.elf");
            GuestImage compute = GuestImage.load("workloads/compute.elf");
            List<DomainSpec> specs = new ArrayList<>();
            specs.add(new DomainSpec("dom0", dom0, 128, 128, 1, true, DomainSpec.NO_PEER, 0, new int[] {0, 20, 0xFFFF}));
            for (int i = 1; i < Math.max(2, domains); i++) {
                specs.add(new DomainSpec("scratch-" + i, compute, 64, 64, 1, false, DomainSpec.NO_PEER, 0, new int[0]));
            }
            scratch.boot(new BootSpec(specs));
            scratch.machine().run(SCRATCH_RUN_CYCLES);
            return new ScratchWarmup(scratch, rounds);
        } catch (GuestImageException | RuntimeException | Error e) {
            scratch.close();
            throw e;
        }
    }

    /**
     * A scratch standard system (Dom0 builds the driver domain and the AppVMs, a NetPeer on the
     * wire) on a machine like {@code like}'s, run until Dom0 has built every domain and a little
     * more, so that the images warmed on it run the same trap paths as the system they stand in for.
     * Its AppVMs have {@code appVmMib} MiB each, as Dom0 gives them (0: as their modules size them).
     */
    public static ScratchWarmup forStandardSystem(SystemConfig like, int appVmMib, int rounds)
            throws GuestImageException {
        HostSystem scratch = new HostSystem(like);
        try {
            scratch.boot(StandardSystem.bootSpec(appVmMib));
            long start = scratch.machine().nowCycles();
            while (!RecoveryLatencyBench.everyDomainBuilt(scratch.domains())) {
                if (scratch.machine().nowCycles() - start >= RecoveryLatencyBench.MAX_BUILD_CYCLES) {
                    throw new IllegalStateException("the scratch standard system: Dom0 had not built every domain within "
                            + RecoveryLatencyBench.MAX_BUILD_CYCLES + " cycles");
                }
                scratch.machine().run(HostSystem.CHECK_INTERVAL_CYCLES);
            }
            scratch.machine().run(SCRATCH_RUN_CYCLES);
            return new ScratchWarmup(scratch, rounds);
        } catch (GuestImageException | RuntimeException | Error e) {
            scratch.close();
            throw e;
        }
    }

    @Override
    public void warm(HypervisorImage image) {
        if (scratch.domains().stream().anyMatch(DomainStatus::isShutdown)) {
            booted.resetTo(scratch);
        }
        int cpus = scratch.machine().hartCount();
        for (int i = 0; i < rounds; i++) {
            HypervisorEntry entry = image.instantiate(scratch.machine(), scratch.coreState(), scratch.layout());
            try {
                PreservedRegion.attach(scratch.region().segment()).bumpGeneration();
            } catch (RegionException e) {
                throw new IllegalStateException("the scratch region cannot be re-attached: " + e.getMessage(), e);
            }
            entry.recover(RecoveryPolicy.all(), i % cpus);
            scratch.replaceHypervisor(entry);
            scratch.machine().setHypervisor(entry);
            if (i % RUN_EVERY_ROUNDS == 0) {
                scratch.machine().run(RUN_CYCLES);
            }
        }
    }

    @Override
    public void close() {
        scratch.close();
    }
}
