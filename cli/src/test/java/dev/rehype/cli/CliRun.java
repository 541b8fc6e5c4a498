package dev.rehype.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the {@code rehype} command line for tests: its exit code and what it
 * printed on stdout and stderr. The CPU bench's probe is refused (tests that need it wire their own).
 */
public record CliRun(int exit, String out, String err) {

    /** Runs {@code rehype args...} and captures its exit code and output. */
    public static CliRun of(String... args) {
        CommandLine cli = RehypeCli.commandLine(plan -> {
            throw new AssertionError("no bench here");
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
