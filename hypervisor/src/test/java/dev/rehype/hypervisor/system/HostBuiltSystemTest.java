package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The host-built system (no I/O path) still runs to the end with every expected digest, the same for any seed. */
class HostBuiltSystemTest {

    @Test
    void everyVmFinishesCorrectlyAndTheSameSeedGivesTheSameRun() throws Exception {
        RunReport a = HostBuiltSystem.run(SystemConfig.defaults(4), StandardSystem.DEFAULT_MAX_CYCLES);
        RunReport b = HostBuiltSystem.run(SystemConfig.defaults(4), StandardSystem.DEFAULT_MAX_CYCLES);
        assertThat(a.vms()).extracting(VmResult::name).containsExactly("dom0", "compute", "hc-ping", "hc-pong", "mem");
        assertThat(a.vms()).extracting(VmResult::verdict).containsOnly(VmResult.CORRECT);
        assertThat(a.allCorrect()).isTrue();
        assertThat(b).isEqualTo(a);
    }
}
