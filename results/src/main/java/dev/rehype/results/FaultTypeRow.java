/*
 * One row of a campaign report's main table: the runs of one fault type into one target and how
 * they turned out.
 */
package dev.rehype.results;

import java.util.Objects;

/**
 * Outcomes of one fault type × target.
 *
 * @param faultType the fault type ({@code failstop}, {@code register}, ...); {@code all} for the total row
 * @param target    the target ({@code hypervisor}, ...); empty for the total row
 * @param counts    the outcome counts
 */
public record FaultTypeRow(String faultType, String target, OutcomeCounts counts) {

    public FaultTypeRow {
        Objects.requireNonNull(faultType, "faultType");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(counts, "counts");
    }

    /** recovered / detected with its 95% Wilson interval. */
    public Proportion recoveryRate() {
        return counts.recoveryRate();
    }

    /** {@code faultType/target}, the row's label in charts. */
    public String label() {
        return target.isEmpty() ? faultType : faultType + "/" + target;
    }
}
