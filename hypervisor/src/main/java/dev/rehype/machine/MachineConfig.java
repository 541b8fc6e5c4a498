package dev.rehype.machine;

/**
 * The shape of a machine: how many harts, how long each runs before the next takes its turn
 * (the quantum, in virtual cycles), the root seed of every device's randomness, and the number
 * of interrupt sources on the interrupt controller.
 */
public record MachineConfig(int harts, long quantumCycles, long seed, int irqSources) {
    public static final long DEFAULT_QUANTUM_CYCLES = 10_000;
    public static final int DEFAULT_IRQ_SOURCES = 32;

    public MachineConfig {
        if (harts < 1 || harts > 64) {
            throw new IllegalArgumentException("harts must be 1..64, got " + harts);
        }
        if (quantumCycles < 1) {
            throw new IllegalArgumentException("quantumCycles must be >= 1, got " + quantumCycles);
        }
        if (irqSources < 1 || irqSources > 1023) {
            throw new IllegalArgumentException("irqSources must be 1..1023, got " + irqSources);
        }
    }

    public static MachineConfig defaults(int harts, long seed) {
        return new MachineConfig(harts, DEFAULT_QUANTUM_CYCLES, seed, DEFAULT_IRQ_SOURCES);
    }
}
