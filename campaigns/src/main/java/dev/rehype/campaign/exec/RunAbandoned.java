package dev.rehype.campaign.exec;

/**
 * A run given up before its end for a reason outside the simulation — the campaign is stopping
 * (Ctrl-C), or the run overran its wall-clock guard. It has no outcome and is not stored; the
 * next start of the campaign runs it again.
 */
public final class RunAbandoned extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunAbandoned(String message) {
        super(message);
    }
}
