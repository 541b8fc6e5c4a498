/*
 * How the CLI reports a command line it cannot accept (unknown option, bad value, missing
 * subcommand): one line on stderr naming the problem and the help to read, exit code 2, never a
 * stack trace and never the whole usage text.
 */
package dev.rehype.cli;

import java.io.PrintWriter;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Prints {@code rehype: <problem> (see '<command> --help')} and returns {@link ExitCodes#USAGE}. */
public final class ParameterErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("rehype: " + message(ex) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static String message(ParameterException ex) {
        String message = ex.getMessage() == null ? "invalid command line" : ex.getMessage().strip();
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += "; did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        return message.replace(System.lineSeparator(), " ").replace('\n', ' ');
    }
}
