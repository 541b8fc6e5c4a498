package dev.rehype.campaign.exec;

/**
 * One VM as a run left it: its name, whether it is the management domain, how it ended, its exit
 * code and the digest it printed last (empty when none). Raw facts; the outcome classifier judges
 * them against the golden run.
 */
public record VmEnd(String name, boolean privileged, State state, int exitCode, String digest) {
    /** How a VM ended. */
    public enum State {
        /** Powered off by itself. */
        FINISHED,
        /** Shut down because it crashed. */
        CRASHED,
        /** Still running when the run ended (cycle limit, or the system was stopped). */
        UNFINISHED,
        /** No longer exists. */
        MISSING
    }

    public VmEnd {
        digest = digest == null ? "" : digest;
    }
}
