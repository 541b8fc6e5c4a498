package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.machine.Machine;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Machine memory beyond the old 3.75 GiB limit: with the MMIO window at the top of the 34-bit
 * machine-physical space, a machine of 4.5 GiB boots the standard system (its region zero-filled
 * lazily, domains populated without scrubbing never-used frames) and every VM finishes correctly
 * (judged without hashing the whole machine, which would touch every page).
 */
class LargeMachineTest {

    @Test
    void theStandardSystemRunsCorrectlyOnAMachineLargerThanTheOldMmioWindowAllowed() throws Exception {
        long bytes = (4L << 30) + (512L << 20);
        assertThat(bytes).isGreaterThan(0xF000_0000L).isLessThan(Machine.MMIO_BASE);
        SystemConfig config = new SystemConfig(2, 3, bytes, SystemConfig.DEFAULT_MAX_DOMAINS,
                SystemConfig.DEFAULT_MAX_VCPUS);
        try (HostSystem system = new HostSystem(config)) {
            system.boot(StandardSystem.bootSpec());
            assertThat(system.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES, d -> true)).isTrue();
            assertThat(StandardSystem.judge(system.domains())).hasSize(StandardSystem.vms().size())
                    .allSatisfy(r -> assertThat(r.verdict()).isEqualTo(VmResult.CORRECT));
            assertThat(system.audit()).isEmpty();
        }
    }
}
