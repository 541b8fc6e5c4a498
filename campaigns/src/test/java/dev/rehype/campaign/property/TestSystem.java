package dev.rehype.campaign.property;

/**
 * The system the kit's own tests share: the host-built campaign system with system seed 1, runs
 * limited to 12 M virtual cycles (its fault-free run ends at ~7.75 M; a run whose AppVM hangs then
 * stops sooner than at the campaigns' 40 M). Every test using these settings shares one boot.
 */
final class TestSystem {
    static final long MAX_CYCLES = 12_000_000;

    private TestSystem() {
    }

    static BootedSystem booted() {
        return BootedSystem.of(PropertySystem.HOST_BUILT, 1, MAX_CYCLES);
    }
}
