package dev.rehype.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.image.Watchdog;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.StandardSystem;
import org.junit.jupiter.api.Test;

/**
 * The loop bound leaves fault-free work far from it: on the standard system with 64 MiB per
 * AppVM (Dom0 builds every domain, each populate and copy a trap of the hypervisor's), no trap
 * runs a tenth of the watchdog's bound in loop iterations, so the meter changes nothing until a
 * fault sends a loop on for ever.
 */
class LoopHeadroomTest {
    @Test
    void theDeepestFaultFreeTrapStaysUnderATenthOfTheBound() throws Exception {
        int mib = 64;
        try (HostSystem system = new HostSystem(StandardSystem.config(5, mib))) {
            Rehype rehype = new Rehype(system, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT);
            system.boot(StandardSystem.bootSpec(mib));
            assertThat(system.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES, d -> true)).isTrue();
            assertThat(rehype.reports()).isEmpty();
            assertThat(StandardSystem.report(5, system, true, mib).allCorrect()).isTrue();
            // Building and loading the AppVMs takes thousands of iterations in one trap: the meter counts.
            assertThat(rehype.maxLoopIterations()).isBetween(1_000L, Watchdog.DEFAULT_BOUND_CYCLES / 10);
        }
    }
}
