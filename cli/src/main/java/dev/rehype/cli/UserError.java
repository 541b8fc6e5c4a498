/*
 * A mistake by the user (a bad option value, a missing or malformed file) found while a command
 * runs. The CLI prints its message on one line and exits with {@link ExitCodes#USAGE}; it is never
 * shown as a stack trace. Messages name what is wrong and where.
 */
package dev.rehype.cli;

/** A user mistake found while a command runs; reported as one line, exit code 2. */
public final class UserError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates a user error whose message says what is wrong and where. */
    public UserError(String message) {
        super(message);
    }

    /** Creates a user error caused by {@code cause} (for example the I/O error of a bad file). */
    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
