/*
 * The campaign's golden run as stored: the fault-free run every injection run is judged against.
 * Its final state hash and each AppVM's output digest are kept so that a report can say what
 * "golden output" meant for the runs it counts.
 */
package dev.rehype.results;

import java.util.List;
import java.util.Objects;

/**
 * The golden (fault-free) run's results.
 *
 * @param finalStateHash the machine's state hash at the end of the golden run
 * @param digests        each VM's output digest, in the system's VM order
 */
public record GoldenRun(String finalStateHash, List<VmDigest> digests) {

    public GoldenRun {
        Objects.requireNonNull(finalStateHash, "finalStateHash");
        digests = List.copyOf(digests);
    }

    /** One VM's golden output digest (hex). */
    public record VmDigest(String vm, String digest) {
        public VmDigest {
            Objects.requireNonNull(vm, "vm");
            Objects.requireNonNull(digest, "digest");
        }
    }
}
