package dev.rehype.campaign.run;

import dev.rehype.campaign.Outcome;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/** Running counts of outcomes, safe to update from worker threads; shown by the progress display. */
public final class OutcomeCounts {
    private final AtomicLongArray counts = new AtomicLongArray(Outcome.values().length);

    public void add(Outcome o) {
        counts.incrementAndGet(o.ordinal());
    }

    public long get(Outcome o) {
        return counts.get(o.ordinal());
    }

    public long total() {
        long t = 0;
        for (Outcome o : Outcome.values()) {
            t += get(o);
        }
        return t;
    }

    /** "recovered 12, not-recovered 1, undetected 0, not-manifested 3, not-activated 4". */
    public String summary() {
        StringBuilder b = new StringBuilder();
        for (Outcome o : new Outcome[] {Outcome.RECOVERED, Outcome.NOT_RECOVERED, Outcome.UNDETECTED,
                Outcome.NOT_MANIFESTED, Outcome.NOT_ACTIVATED}) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(o.name().toLowerCase(Locale.ROOT).replace('_', '-')).append(' ').append(get(o));
        }
        return b.toString();
    }

    /** The same, short enough for a progress bar: "rec 12 notrec 1 undet 0 noeffect 3 notact 4". */
    public String compact() {
        return "rec " + get(Outcome.RECOVERED) + " notrec " + get(Outcome.NOT_RECOVERED) + " undet "
                + get(Outcome.UNDETECTED) + " noeffect " + get(Outcome.NOT_MANIFESTED) + " notact "
                + get(Outcome.NOT_ACTIVATED);
    }
}
