package dev.rehype.campaign.run;

import java.io.PrintStream;

/**
 * What the runner tells about its progress: a bar with ETA on a terminal, plain periodic lines
 * elsewhere ({@link #forEnvironment}). Called from worker threads; implementations synchronise.
 */
public interface Progress extends AutoCloseable {
    /** The campaign (or shard) starts: {@code total} runs of which {@code alreadyDone} were stored before. */
    void start(String campaign, long total, long alreadyDone);

    /** {@code done} of the total runs are now stored; {@code counts} are this invocation's outcomes. */
    void update(long done, OutcomeCounts counts);

    /** Says one line outside the bar (a warning, an abandoned run). */
    void note(String line);

    @Override
    void close();

    /** Shows nothing (tests, replay). */
    Progress NONE = new Progress() {
        @Override
        public void start(String campaign, long total, long alreadyDone) {
        }

        @Override
        public void update(long done, OutcomeCounts counts) {
        }

        @Override
        public void note(String line) {
        }

        @Override
        public void close() {
        }
    };

    /** A bar on {@code out} when it is a terminal, plain lines every few seconds otherwise (or with CI=true). */
    static Progress forEnvironment(PrintStream out) {
        boolean terminal = System.console() != null && !"true".equalsIgnoreCase(System.getenv("CI"));
        return terminal ? new TerminalProgress(out, -1) : new PlainProgress(out, PlainProgress.DEFAULT_INTERVAL_NANOS);
    }
}
