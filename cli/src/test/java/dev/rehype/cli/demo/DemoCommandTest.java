package dev.rehype.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.cli.RehypeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `rehype demo`: one failstop mid-hypercall holding a lock, detected, recovered, every VM correct. */
class DemoCommandTest {

    private static String[] run(String... args) {
        CommandLine cli = RehypeCli.commandLine(plan -> {
            throw new AssertionError("no bench here");
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test
    void microrebootRecoversAndTheJsonSaysSo() {
        String[] r = run("demo", "--json");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("\"recovered\":true", "\"fault_fired\":true", "\"mode\":\"microreboot\"",
                "\"phases\":[", "\"name\":\"image switch\"", "\"step\":\"release-locks\"", "released",
                "\"verdict\":\"correct\"");
    }

    @Test
    void microresetTimelineShowsDetectionRepairsAndVerdicts() {
        String[] r = run("demo", "--mode", "microreset");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("fault: injected failstop", "detected: PANIC", "release-locks: lock",
                "resumed: MICRORESET", "recovered: every VM finished correctly");
    }

    @Test
    void anUnknownModeIsAUsageError() {
        String[] r = run("demo", "--mode", "reboot");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--mode must be microreboot or microreset");
    }
}
