package dev.rehype.recovery.bench;

/**
 * How much the recovery bench measures: recoveries measured per configuration (after
 * {@code warmupRecoveries} unmeasured ones), the root seed of the systems it boots, the virtual
 * cycles the guests run between two failures, and the bound after which an armed failure that
 * has not struck is an error rather than a wait.
 */
public record RecoveryBenchPlan(int recoveries, int warmupRecoveries, long seed, long gapCycles,
                                long maxCyclesPerRecovery) {
    public static final int MIN_RECOVERIES = 100;
    public static final int DEFAULT_RECOVERIES = 200;
    public static final int DEFAULT_WARMUP_RECOVERIES = 20;
    public static final long DEFAULT_GAP_CYCLES = 200_000;
    public static final long DEFAULT_MAX_CYCLES_PER_RECOVERY = 50_000_000;

    public RecoveryBenchPlan {
        if (recoveries < 1 || warmupRecoveries < 0 || gapCycles < 0 || maxCyclesPerRecovery < 1) {
            throw new IllegalArgumentException("a recovery bench plan needs recoveries >= 1, warm-up >= 0, gap >= 0 "
                    + "and a positive bound; got " + recoveries + ", " + warmupRecoveries + ", " + gapCycles + ", "
                    + maxCyclesPerRecovery);
        }
    }

    public static RecoveryBenchPlan of(int recoveries, int warmupRecoveries, long seed) {
        return new RecoveryBenchPlan(recoveries, warmupRecoveries, seed, DEFAULT_GAP_CYCLES,
                DEFAULT_MAX_CYCLES_PER_RECOVERY);
    }
}
