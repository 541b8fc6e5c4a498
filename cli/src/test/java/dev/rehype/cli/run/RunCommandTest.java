package dev.rehype.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.cli.RehypeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `rehype run`: the standard system end to end through the command line. */
class RunCommandTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cli = RehypeCli.commandLine(plan -> {
            throw new AssertionError("no bench here");
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void jsonNamesEveryVmWithItsVerdictAndTheSameSeedGivesTheSameJson() {
        Result a = run("run", "--seed", "3", "--json");
        Result b = run("run", "--seed", "3", "--json");
        assertThat(a.exit()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        assertThat(a.out()).contains("\"vms\":[", "\"name\":\"compute\"", "\"verdict\":\"correct\"",
                "\"final_state_hash\":\"", "\"virtual_cycles\":", "\"all_correct\":true");
        assertThat(a.out().lines().count()).isEqualTo(1);
    }

    @Test
    void aRunCutShortFailsTheCheckWithExitCode3() {
        Result r = run("run", "--max-cycles", "500000");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).contains("unfinished", "NOT all VMs correct");
    }

    @Test
    void aBadLimitIsAUsageError() {
        Result r = run("run", "--max-cycles", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--max-cycles must be at least 1");
    }
}
