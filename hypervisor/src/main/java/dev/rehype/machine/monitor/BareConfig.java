package dev.rehype.machine.monitor;

/**
 * How the bare monitor runs a standalone program: the virtual-cycle budget, the size of the
 * guest RAM at {@link BareMonitor#GUEST_RAM_BASE}, and the machine's root seed.
 */
public record BareConfig(long maxCycles, int ramBytes, long seed) {
    public static final long DEFAULT_MAX_CYCLES = 1_000_000_000L;
    public static final int DEFAULT_RAM_BYTES = 4 << 20;

    public BareConfig {
        if (maxCycles < 1) {
            throw new IllegalArgumentException("maxCycles must be >= 1, got " + maxCycles);
        }
        if (ramBytes < 4096 || ramBytes % 4096 != 0 || ramBytes > (256 << 20)) {
            throw new IllegalArgumentException("ramBytes must be a multiple of 4096 in [4 KiB, 256 MiB], got "
                    + ramBytes);
        }
    }

    public static BareConfig defaults() {
        return new BareConfig(DEFAULT_MAX_CYCLES, DEFAULT_RAM_BYTES, 1);
    }

    public BareConfig withMaxCycles(long cycles) {
        return new BareConfig(cycles, ramBytes, seed);
    }
}
