package dev.rehype.hypervisor.system;

import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;

import java.util.List;

/**
 * Boots systems of {@link ProbeGuest}s for snapshot tests: three unprivileged domains of different
 * compute lengths on two physical CPUs, so that one vCPU is usually waiting in a run queue, slices
 * expire and timers wake blocked vCPUs.
 */
final class ProbeSystems {
    /** Iterations of each probe; every one prints a line, so a console shows progress. */
    static final int ITERATIONS = 8;

    private ProbeSystems() {
    }

    /** A small system (8 MiB of machine memory), booted, not run. */
    static HostSystem booted(long seed) {
        return booted(new SystemConfig(2, seed, 8L << 20, 8, 2));
    }

    /** A system of shape {@code config}, booted with the three probes, not run. */
    static HostSystem booted(SystemConfig config) {
        HostSystem system = new HostSystem(config);
        system.boot(new BootSpec(List.of(
                probe("short", 40_000),
                probe("medium", 90_000),
                probe("long", 130_000))));
        return system;
    }

    private static DomainSpec probe(String name, int spin) {
        return new DomainSpec(name, ProbeGuest.image(name, spin, ITERATIONS, 0x10000), 32, 64, 1, false,
                DomainSpec.NO_PEER, 0, new int[0]);
    }
}
