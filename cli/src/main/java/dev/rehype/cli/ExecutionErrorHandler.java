/*
 * How the CLI reports an exception thrown while a command runs. User mistakes and failed checks
 * are expected outcomes: one line on stderr (`rehype: <message>`), exit 2 or 3; a guest image that
 * cannot be used and a missing or unreadable file are user mistakes. Anything else is a bug in the
 * toolkit: one line naming the exception, the stack trace only with --verbose, exit 1.
 * The stack trace always goes to the --log-file log.
 */
package dev.rehype.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.rehype.guests.GuestImageException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Maps exceptions escaping a command to a message and an exit code. */
public final class ExecutionErrorHandler implements IExecutionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionErrorHandler.class);

    private final BooleanSupplier verbose;

    /** Creates a handler that prints stack traces of internal errors when {@code verbose} says so. */
    public ExecutionErrorHandler(BooleanSupplier verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int exitCode = switch (ex) {
            case UserError e -> report(err, e.getMessage(), ExitCodes.USAGE, e);
            case GuestImageException e -> report(err, e.getMessage(), ExitCodes.USAGE, e);
            case CheckFailure e -> report(err, e.getMessage(), ExitCodes.CHECK_FAILED, e);
            case UncheckedIOException e when isMissingOrDenied(e.getCause()) ->
                    report(err, describeFileProblem(e.getCause()), ExitCodes.USAGE, e);
            case NoSuchFileException e -> report(err, describeFileProblem(e), ExitCodes.USAGE, e);
            case AccessDeniedException e -> report(err, describeFileProblem(e), ExitCodes.USAGE, e);
            default -> {
                LOG.debug("internal error in '{}'", cmd.getCommandSpec().qualifiedName(), ex);
                err.println("rehype: internal error: " + ex);
                if (verbose.getAsBoolean()) {
                    ex.printStackTrace(err);
                } else {
                    err.println("rehype: (run again with --verbose for the stack trace)");
                }
                yield ExitCodes.INTERNAL_ERROR;
            }
        };
        err.flush();
        return exitCode;
    }

    private static int report(PrintWriter err, String message, int exitCode, Exception ex) {
        LOG.debug("command failed (exit code {})", exitCode, ex);
        err.println("rehype: " + message);
        return exitCode;
    }

    private static boolean isMissingOrDenied(Throwable t) {
        return t instanceof NoSuchFileException || t instanceof AccessDeniedException;
    }

    private static String describeFileProblem(Throwable t) {
        String file = t.getMessage();
        return t instanceof NoSuchFileException ? file + ": no such file" : file + ": permission denied";
    }
}
