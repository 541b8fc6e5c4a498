package dev.rehype.hypervisor.system;

import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.machine.EchoPeer;
import dev.rehype.machine.Machine;

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
        return booted(new HostSystem(config));
    }

    /** A small system with an {@link EchoPeer} on the wire (it echoes any frame), booted, not run. */
    static HostSystem bootedWithEchoPeer(long seed) {
        return booted(new HostSystem(new SystemConfig(2, seed, 8L << 20, 8, 2), HypervisorImage.pristine(),
                new EchoPeer(Machine.DEFAULT_WIRE_LATENCY_CYCLES)));
    }

    private static HostSystem booted(HostSystem system) {
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
