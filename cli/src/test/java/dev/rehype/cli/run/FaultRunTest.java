package dev.rehype.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.cli.CliRun;
import org.junit.jupiter.api.Test;

/** `rehype run --fault`: activation, detection, recovery and verdicts, in text and JSON. */
class FaultRunTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void aHypervisorFailstopIsShownFiredDetectedAndRecovered() {
        CliRun r = run("run", "--seed", "1", "--max-cycles", "30000000", "--fault",
                "failstop hypervisor site=MemoryOps.op@entry nth=2");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("fault plan: failstop hypervisor site=MemoryOps.op@entry after=", "nth=2",
                "fault 1 failstop hypervisor: fired at cycle", "MemoryOps.op@0:",
                "panic on cpu", "injected failstop at MemoryOps.op@entry", "microreboot completed",
                "all VMs correct");
    }

    @Test
    void jsonIsOneObjectAndTheSameSeedAndPlanGiveTheSameJson() {
        String[] args = {"run", "--seed", "2", "--max-cycles", "30000000", "--json", "--fault",
            "register appvm:compute site=pc bit=31 mode=kernel after=2000000"};
        CliRun a = run(args);
        CliRun b = run(args);
        assertThat(a.exit()).isEqualTo(3);
        assertThat(a.out().lines().count()).isEqualTo(1);
        assertThat(a.out()).contains("\"activated\":true", "\"site\":\"d4:pc=0x", "\"verdict\":\"crashed\"",
                "\"recoveries\":[]");
        assertThat(b.out()).isEqualTo(a.out());
    }

    @Test
    void aBadPlanIsOneUsageErrorLine() {
        CliRun r = run("run", "--fault", "register nowhere");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("--fault: fault 1: unknown target 'nowhere'");
    }
}
