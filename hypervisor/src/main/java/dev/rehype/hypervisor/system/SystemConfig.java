package dev.rehype.hypervisor.system;

/**
 * The shape of a hypervisor system: physical CPUs, the root seed, machine memory, and the sizes
 * of the core's preserved tables.
 */
public record SystemConfig(int cpus, long seed, long machineMemoryBytes, int maxDomains, int maxVcpus) {
    public static final long DEFAULT_MACHINE_MEMORY_BYTES = 32L << 20;
    public static final int DEFAULT_MAX_DOMAINS = 16;
    public static final int DEFAULT_MAX_VCPUS = 4;

    public SystemConfig {
        if (cpus < 1 || cpus > 64) {
            throw new IllegalArgumentException("cpus must be 1..64, got " + cpus);
        }
        if (machineMemoryBytes < (1 << 20) || machineMemoryBytes % 4096 != 0) {
            throw new IllegalArgumentException("machine memory must be >= 1 MiB in whole frames, got "
                    + machineMemoryBytes);
        }
    }

    public static SystemConfig defaults(long seed) {
        return new SystemConfig(2, seed, DEFAULT_MACHINE_MEMORY_BYTES, DEFAULT_MAX_DOMAINS, DEFAULT_MAX_VCPUS);
    }
}
