package dev.rehype.campaign.run;

import dev.rehype.campaign.Outcome;

/**
 * One run of the determinism self-check: the run executed twice, on two independent systems from
 * the same snapshot; both final state hashes and outcomes must be equal.
 */
public record DeterminismSample(long runIndex, String firstHash, String secondHash, Outcome firstOutcome,
                                Outcome secondOutcome) {
    public boolean matches() {
        return firstHash.equals(secondHash) && firstOutcome == secondOutcome;
    }

    /** One JSON object on one line. */
    public String toJson() {
        return "{\"run_index\":" + runIndex + ",\"first_hash\":\"" + firstHash + "\",\"second_hash\":\"" + secondHash
                + "\",\"first_outcome\":\"" + firstOutcome + "\",\"second_outcome\":\"" + secondOutcome
                + "\",\"match\":" + matches() + "}";
    }
}
