package dev.rehype.campaign.spec;

/**
 * Per-run limits. {@code maxCycles}: the virtual time a run may take (a run that reaches it with
 * work unfinished is a hang); {@code wallClockSeconds}: a guard against a run that takes too
 * long on this host — such a run is abandoned, reported and not stored (a wall-clock limit must
 * never decide an outcome), so a rerun of the campaign retries it.
 */
public record Limits(long maxCycles, long wallClockSeconds) {
    public static final long DEFAULT_MAX_CYCLES = 40_000_000L;
    public static final long DEFAULT_WALL_CLOCK_SECONDS = 120;
    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_CYCLES, DEFAULT_WALL_CLOCK_SECONDS);
}
