/*
 * The process exit codes of the `rehype` command, in one place so that the README, the error
 * handlers and the tests agree. Scripts may rely on them.
 */
package dev.rehype.cli;

/** Exit codes of the {@code rehype} command. */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** An internal error: a bug in the toolkit (the stack trace is shown with --verbose). */
    public static final int INTERNAL_ERROR = 1;
    /** A user mistake: an unknown or malformed option, a missing subcommand, a bad or missing file. */
    public static final int USAGE = 2;
    /** The work ran but failed a check: a guest exited non-zero, a self-check or an expected output failed. */
    public static final int CHECK_FAILED = 3;

    private ExitCodes() {
    }
}
