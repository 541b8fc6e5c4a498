package dev.rehype.cli.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.cli.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rehype supervise` and `rehype hypervisor`: process mode through the command line. */
class ProcessCommandsTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void superviseSurvivesAKillMinus9AndReportsTheRestartAndCorrectVms() {
        CliRun r = run("supervise", "--seed", "2", "--kill-after-ms", "300", "--json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\"all_correct\":true", "\"restart_count\":1", "\"cause\":\"killed (SIGKILL",
                "\"process_restart_p50_ms\":", "\"verdict\":\"correct\"");
        assertThat(r.out()).doesNotContain("\"verdict\":\"wrong digest\"", "\"verdict\":\"unfinished\"");
    }

    @Test
    void superviseRunsTheIoSystemKilledInsideDom0sDomctlsAndJudgesThePeer() {
        CliRun r = run("supervise", "--system", "io", "--seed", "3", "--kill-in-trap-of", "hypercall:domctl",
                "--kill-in-trap-every", "10000", "--json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\"system\":\"io\"", "\"all_correct\":true", "\"peer\":{\"correct\":true",
                "\"name\":\"netdrv\"", "\"name\":\"service\"", "\"cause\":\"killed (SIGKILL",
                "\"trap\":\"hypercall:domctl\"");
        assertThat(r.out()).doesNotContain("\"restart_count\":0", "\"failed_cpu\":-1");
    }

    @Test
    void anUnknownSystemIsAUsageError() {
        CliRun r = run("supervise", "--system", "xen");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--system: unknown system 'xen' (expected host-built or io)");
        CliRun bad = run("supervise", "--kill-in-trap-of", "domctl", "--kill-in-trap-every", "5");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--kill-in-trap-of: 'domctl' is not a handler");
    }

    @Test
    void bothKillSchedulesAtOnceAreAUsageError() {
        CliRun r = run("supervise", "--kill-after-ms", "5", "--kill-every-ms", "5");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--kill-after-ms or --kill-every-ms, not both");
    }

    @Test
    void hypervisorOverAFileThatIsNotARegionIsOneClearErrorWithExitCode2(@TempDir Path dir) throws Exception {
        Path bogus = dir.resolve("bogus.region");
        Files.writeString(bogus, "not a region at all ".repeat(100));
        org.slf4j.LoggerFactory.getLogger(ProcessCommandsTest.class);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        CliRun r;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            r = run("hypervisor", "--region", bogus.toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(r.exit()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
                .startsWith("rehype hypervisor: ").contains(bogus.toString()).contains("not a ReHype preserved region");
        assertThat(Files.readString(bogus)).isEqualTo("not a region at all ".repeat(100));
    }
}
