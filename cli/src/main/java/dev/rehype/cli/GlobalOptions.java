/*
 * The options every `rehype` command accepts, before or after the subcommand name: how much to
 * log on the console and where to write the full log. They are parsed before any command runs so
 * that logging is configured first.
 */
package dev.rehype.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options shared by all commands; picocli inherits them into every subcommand. */
public final class GlobalOptions {

    private boolean verbose;
    private Path logFile;

    /** Shows DEBUG lines on the console and stack traces of internal errors. */
    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log DEBUG lines on the console and show stack traces of internal errors.")
    public void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    /** Writes a full DEBUG log to this file (appended). */
    @Option(names = "--log-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Append a full DEBUG log to FILE.")
    public void setLogFile(Path logFile) {
        this.logFile = logFile;
    }

    /** Whether DEBUG lines and stack traces go to the console. */
    public boolean verbose() {
        return verbose;
    }

    /** The file the full log is appended to, or null. */
    public Path logFile() {
        return logFile;
    }
}
