/*
 * Everything that decides what `rehype bench cpu` measures, derived from its options before any
 * run starts, and printed first (like a seed) so that a figure can be reproduced.
 */
package dev.rehype.cli.bench;

/**
 * What the CPU benchmark runs.
 *
 * @param imageName  the guest image, relative to the guests' class-path root (for example {@code bench/cpu.elf})
 * @param runs       measured runs per target (at least {@link #MIN_RUNS})
 * @param warmupRuns unmeasured runs before them, per target
 * @param maxCycles  virtual-time budget of one interpreter run; a run that needs more fails
 */
public record CpuBenchPlan(String imageName, int runs, int warmupRuns, long maxCycles) {

    /** The self-checking CPU benchmark program. */
    public static final String DEFAULT_IMAGE = "bench/cpu.elf";
    /** Fewest measured runs: a median of fewer says little about noise. */
    public static final int MIN_RUNS = 5;
    /** Default measured runs. */
    public static final int DEFAULT_RUNS = 5;
    /** Default warm-up runs. */
    public static final int DEFAULT_WARMUP_RUNS = 1;
    /** Default cycle budget of one run: 25 times what bench/cpu.elf needs (about 2e8), so only a runaway guest reaches it. */
    public static final long DEFAULT_MAX_CYCLES = 5_000_000_000L;

    /** Checks the plan. */
    public CpuBenchPlan {
        if (imageName == null || imageName.isBlank()) {
            throw new IllegalArgumentException("imageName must name a guest image");
        }
        if (runs < MIN_RUNS) {
            throw new IllegalArgumentException("runs must be at least " + MIN_RUNS + ", got " + runs);
        }
        if (warmupRuns < 0) {
            throw new IllegalArgumentException("warmupRuns must not be negative, got " + warmupRuns);
        }
        if (maxCycles <= 0) {
            throw new IllegalArgumentException("maxCycles must be positive, got " + maxCycles);
        }
    }
}
