/*
 * `rehype bench reset` through the command line: on small AppVMs it measures real resets and
 * prints one JSON object (or the derived options, then one line per size); bad rounds or sizes are
 * one error line with exit code 2.
 */
package dev.rehype.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.RehypeCli;
import picocli.CommandLine;

class BenchResetCommandTest {

    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome rehype(String... args) {
        CommandLine cli = RehypeCli.commandLine(plan -> {
            throw new AssertionError("no CPU bench here");
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    @Test
    void jsonModeMeasuresEachSizeAndPrintsOneObject() {
        Outcome o = rehype("bench", "reset", "--appvm-mib", "1,2", "--rounds", "3", "--json");
        assertThat(o.err()).isEmpty();
        assertThat(o.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(o.out().lines()).hasSize(1);
        String json = o.out().strip();
        assertThat(json).startsWith("{\"seed\":1,\"rounds\":3,").endsWith("]}");
        assertThat(json).contains("{\"appvm_mib\":1,", "{\"appvm_mib\":2,", "\"all_correct\":true",
                "\"reset_micros\":", "\"restore_micros\":", "\"region_diff_micros\":", "\"region_copy_micros\":",
                "\"hash_micros\":", "\"hash_full_micros\":", "\"hash_frames\":", "\"hash_core_chunks\":");
        assertThat(json).doesNotContain("\"dirty_frames\":0,");
        // The size is the AppVMs' own: one MiB more for each of the three sized AppVMs, rounded up to a MiB.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"machine_memory_bytes\":(\\d+)").matcher(json);
        assertThat(m.find()).isTrue();
        long one = Long.parseLong(m.group(1));
        assertThat(m.find()).isTrue();
        assertThat(Long.parseLong(m.group(1)) - one).isEqualTo(3L << 20);
    }

    @Test
    void textModePrintsTheDerivedOptionsThenOneLinePerSize() {
        Outcome o = rehype("bench", "reset", "--appvm-mib", "1", "--rounds", "3");
        assertThat(o.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(o.out().lines().toList()).hasSize(2);
        assertThat(o.out().lines().findFirst().orElseThrow())
                .startsWith("bench reset: host-built system on 2 CPUs, seed 1;")
                .contains("sized [1] MiB; 3 measured rounds");
        assertThat(o.out()).contains("  AppVMs of 1 MiB (machine memory ", "every VM correct", "frames dirtied;",
                "vs full snapshot restore", "state hash after a full run ");
    }

    @Test
    void badRoundsOrSizesAreOneLineAndExitCodeTwo() {
        for (String[] args : new String[][] {
                {"bench", "reset", "--rounds", "2"},
                {"bench", "reset", "--appvm-mib", "0"},
                {"bench", "reset", "--appvm-mib", "64,513"},
                {"bench", "reset", "--appvm-mib", "lots"}}) {
            Outcome o = rehype(args);
            assertThat(o.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(o.err().lines()).as(String.join(" ", args)).hasSize(1).allMatch(l -> l.startsWith("rehype: "));
            assertThat(o.out()).isEmpty();
        }
        assertThat(rehype("bench", "reset", "--appvm-mib", "64,513").err())
                .contains("--appvm-mib: each size must be 1..512 MiB, got 513");
    }
}
