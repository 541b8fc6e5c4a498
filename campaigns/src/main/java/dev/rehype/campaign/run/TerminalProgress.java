package dev.rehype.campaign.run;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/** A progress bar with ETA and the running outcome counts, for a terminal (me.tongfei:progressbar). */
final class TerminalProgress implements Progress {
    private final PrintStream out;
    private final int widthChars;
    private ProgressBar bar;

    /** A bar on {@code out} as wide as the terminal ({@code widthChars} -1), or {@code widthChars} wide. */
    TerminalProgress(PrintStream out, int widthChars) {
        this.out = out;
        this.widthChars = widthChars;
    }

    @Override
    public synchronized void start(String campaign, long total, long alreadyDone) {
        bar = new ProgressBarBuilder().setTaskName(campaign).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out, widthChars)).showSpeed().setUnit(" runs", 1)
                .startsFrom(alreadyDone, java.time.Duration.ZERO).setUpdateIntervalMillis(500).build();
    }

    @Override
    public synchronized void update(long done, OutcomeCounts counts) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(" " + counts.compact());
        }
    }

    @Override
    public synchronized void note(String line) {
        out.println();
        out.println(line);
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
