package dev.rehype.campaign.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress as plain lines, one every interval (and one at the end): runs stored out of the
 * total, rate, ETA, outcome counts. For logs and CI, where a bar would be noise.
 */
final class PlainProgress implements Progress {
    static final long DEFAULT_INTERVAL_NANOS = 10_000_000_000L;

    private final PrintStream out;
    private final long intervalNanos;
    private String campaign;
    private long total;
    private long startDone;
    private long startNanos;
    private long lastNanos;
    private long lastDone;
    private OutcomeCounts lastCounts = new OutcomeCounts();

    PlainProgress(PrintStream out, long intervalNanos) {
        this.out = out;
        this.intervalNanos = intervalNanos;
    }

    @Override
    public synchronized void start(String campaign, long total, long alreadyDone) {
        this.campaign = campaign;
        this.total = total;
        this.startDone = alreadyDone;
        this.lastDone = alreadyDone;
        this.startNanos = System.nanoTime();
        this.lastNanos = startNanos;
        out.printf(Locale.ROOT, "%s: %d runs, %d already stored%n", campaign, total, alreadyDone);
    }

    @Override
    public synchronized void update(long done, OutcomeCounts counts) {
        lastDone = done;
        lastCounts = counts;
        long now = System.nanoTime();
        if (now - lastNanos >= intervalNanos) {
            lastNanos = now;
            line(now);
        }
    }

    private void line(long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? (lastDone - startDone) / seconds : 0;
        String eta = rate > 0 ? String.format(Locale.ROOT, "%.0f s", (total - lastDone) / rate) : "?";
        out.printf(Locale.ROOT, "%s: %d/%d runs (%.0f%%), %.2f runs/s, ETA %s; %s%n", campaign, lastDone, total,
                total == 0 ? 100.0 : 100.0 * lastDone / total, rate, eta, lastCounts.summary());
        out.flush();
    }

    @Override
    public synchronized void note(String line) {
        out.println(line);
    }

    @Override
    public synchronized void close() {
        if (campaign != null) {
            line(System.nanoTime());
            campaign = null;
        }
    }
}
