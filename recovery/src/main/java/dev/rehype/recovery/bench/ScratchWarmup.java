package dev.rehype.recovery.bench;

import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.recovery.Rehype;
import dev.rehype.region.PreservedRegion;
import dev.rehype.region.RegionException;

import java.util.List;

/**
 * Makes a pristine hypervisor image warm before a microreboot switches to it, the way ReHype keeps
 * its pristine copy ready: the image takes over a small scratch system of its own (Dom0 and two
 * AppVMs, booted once and run a little) in recovery mode again and again, re-attaching the scratch
 * region each time, so that its classes are linked and the JVM has compiled the recovery path. The scratch system shares nothing with the
 * system being recovered; only the warm-up thread touches it.
 */
public final class ScratchWarmup implements Rehype.ImageWarmup, AutoCloseable {
    /** Recovery-mode runs of each image (enough for the JIT's first tier on every method of the path). */
    public static final int DEFAULT_ROUNDS = 200;
    static final long SCRATCH_MACHINE_BYTES = 8L << 20;
    static final long SCRATCH_RUN_CYCLES = 3_000_000;

    private final HostSystem scratch;
    private final int rounds;

    private ScratchWarmup(HostSystem scratch, int rounds) {
        this.scratch = scratch;
        this.rounds = rounds;
    }

    /** A scratch system shaped like {@code like} (CPUs, table sizes), booted and run a little. */
    public static ScratchWarmup forSystem(SystemConfig like, int rounds) throws GuestImageException {
        SystemConfig config = new SystemConfig(like.cpus(), like.seed(), SCRATCH_MACHINE_BYTES, like.maxDomains(),
                like.maxVcpus());
        HostSystem scratch = new HostSystem(config);
        try {
            GuestImage dom0 = GuestImage.load("workloads/dom0.elf");
            GuestImage compute = GuestImage.load("workloads/compute.elf");
            scratch.boot(new BootSpec(List.of(
                    new DomainSpec("dom0", dom0, 128, 128, 1, true, DomainSpec.NO_PEER, 0, new int[] {0, 20, 0xFFFF}),
                    new DomainSpec("scratch-1", compute, 64, 64, 1, false, DomainSpec.NO_PEER, 0, new int[0]),
                    new DomainSpec("scratch-2", compute, 64, 64, 1, false, DomainSpec.NO_PEER, 0, new int[0]))));
            scratch.machine().run(SCRATCH_RUN_CYCLES);
            return new ScratchWarmup(scratch, rounds);
        } catch (GuestImageException | RuntimeException | Error e) {
            scratch.close();
            throw e;
        }
    }

    @Override
    public void warm(HypervisorImage image) {
        int cpus = scratch.machine().hartCount();
        for (int i = 0; i < rounds; i++) {
            HypervisorEntry entry = image.instantiate(scratch.machine(), scratch.coreState(), scratch.layout());
            try {
                PreservedRegion.attach(scratch.region().segment()).bumpGeneration();
            } catch (RegionException e) {
                throw new IllegalStateException("the scratch region cannot be re-attached: " + e.getMessage(), e);
            }
            entry.recover(RecoveryPolicy.all(), i % cpus);
        }
    }

    @Override
    public void close() {
        scratch.close();
    }
}
