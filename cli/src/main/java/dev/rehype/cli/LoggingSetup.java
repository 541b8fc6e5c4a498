/*
 * Configures Logback for one `rehype` invocation, after the options are parsed: concise lines on
 * stderr (`HH:mm:ss.SSS LEVEL message`, INFO and above, DEBUG with --verbose) so that stdout stays
 * free for results, and with --log-file a full DEBUG log (with logger names, threads and stack
 * traces) appended to a file. src/main/resources/logback.xml gives the same console format until
 * this runs.
 */
package dev.rehype.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.joran.spi.ConsoleTarget;

/** Sets up the console and file logs from the global options. */
public final class LoggingSetup {

    /** Console line format: time, level, message; no stack traces (--verbose prints those of internal errors). */
    public static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %-5level %msg%n%nopex";
    /** Log file line format: date and time, level, thread, logger, message, stack trace. */
    public static final String FILE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n%ex";

    private LoggingSetup() {
    }

    /**
     * Replaces the Logback configuration: console on stderr at INFO (DEBUG when {@code verbose}),
     * and, when {@code logFile} is not null, a DEBUG log appended to it.
     *
     * @throws UserError if the log file cannot be opened for appending
     */
    public static void configure(boolean verbose, Path logFile) {
        if (logFile != null) {
            checkWritable(logFile);
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding is in charge (for example in an embedding application)
        }
        context.reset();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose || logFile != null ? Level.DEBUG : Level.INFO);

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget(ConsoleTarget.SystemErr.getName());
        console.setEncoder(encoder(context, CONSOLE_PATTERN));
        ThresholdFilter threshold = new ThresholdFilter();
        threshold.setLevel((verbose ? Level.DEBUG : Level.INFO).toString());
        threshold.setContext(context);
        threshold.start();
        console.addFilter(threshold);
        console.start();
        root.addAppender(console);

        if (logFile != null) {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(context);
            file.setName("file");
            file.setFile(logFile.toString());
            file.setAppend(true);
            file.setEncoder(encoder(context, FILE_PATTERN));
            file.start();
            root.addAppender(file);
        }
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }

    private static void checkWritable(Path logFile) {
        if (Files.isDirectory(logFile)) {
            throw new UserError("--log-file " + logFile + ": is a directory");
        }
        try (var out = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.flush();
        } catch (IOException e) {
            throw new UserError("--log-file " + logFile + ": cannot write to it (" + describe(e) + ")", e);
        }
    }

    private static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException _ -> "its directory does not exist";
            case AccessDeniedException _ -> "permission denied";
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }
}
