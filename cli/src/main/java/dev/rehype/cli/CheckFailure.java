/*
 * The work a command ran did not pass its check: a guest program exited non-zero or did not print
 * its success line, or a reference program misbehaved. This is neither a user mistake nor a bug in
 * the CLI; the CLI prints the message (which names the run and what was seen) and exits with
 * {@link ExitCodes#CHECK_FAILED}.
 */
package dev.rehype.cli;

/** A run that failed its check; reported as one line (plus what the run printed), exit code 3. */
public final class CheckFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates a check failure whose message names the run and what was seen. */
    public CheckFailure(String message) {
        super(message);
    }
}
