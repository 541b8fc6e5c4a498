package dev.rehype.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.cli.CliRun;
import org.junit.jupiter.api.Test;

/** `rehype run`: the standard system end to end through the command line. */
class RunCommandTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void jsonNamesEveryVmWithItsVerdictAndTheSameSeedGivesTheSameJson() {
        CliRun a = run("run", "--seed", "3", "--json");
        CliRun b = run("run", "--seed", "3", "--json");
        assertThat(a.exit()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        assertThat(a.out()).contains("\"vms\":[", "\"name\":\"compute\"", "\"verdict\":\"correct\"",
                "\"final_state_hash\":\"", "\"virtual_cycles\":", "\"all_correct\":true");
        assertThat(a.out()).contains("{\"domid\":0,\"name\":\"dom0\",", "\"name\":\"netdrv\"",
                "\"name\":\"hypercall-2\"", "\"name\":\"mem\"",
                "\"name\":\"net\",\"verdict\":\"correct\",\"digest\":\"1bb114e6\"",
                "\"name\":\"service\",\"verdict\":\"correct\",\"digest\":\"2a3c68cd\"",
                "\"packets\":400}", "\"packets\":240}",
                "\"peer\":{\"echoes\":200,\"exchanges\":120,\"mismatches\":0,", "\"clients_done\":3,",
                "\"ok\":true}");
        assertThat(a.out().lines().count()).isEqualTo(1);
    }

    @Test
    void textNamesEveryVmThePacketsItMovedAndWhatThePeerChecked() {
        CliRun r = run("run", "--seed", "5");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("run: seed=5 ")
                .containsPattern("d6 net +correct +digest=1bb114e6 instructions=\\d+ packets=400\n")
                .containsPattern("d7 service +correct +digest=2a3c68cd instructions=\\d+ packets=240\n")
                .containsPattern("d1 netdrv +correct +digest=- +instructions=\\d+ packets=\\d+\n")
                .contains("peer: echoes=200 service exchanges=120 checked, mismatches=0", "all VMs correct");
    }

    @Test
    void aRunCutShortFailsTheCheckWithExitCode3() {
        CliRun r = run("run", "--max-cycles", "500000");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).contains("unfinished", "NOT all VMs correct");
    }

    @Test
    void aBadLimitIsAUsageError() {
        CliRun r = run("run", "--max-cycles", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--max-cycles must be at least 1");
    }
}
