package dev.rehype.campaign.exec;

import java.util.List;

/**
 * The campaign's system run once without any fault, from the same booted snapshot as every
 * injection run: how each VM ended (digests are the golden outputs), the final state hash and
 * the virtual time. Computed once per campaign; every run is judged against it.
 */
public record GoldenRun(List<VmEnd> vms, String finalStateHash, long virtualCycles) {
    public GoldenRun {
        vms = List.copyOf(vms);
    }

    /** The golden end of VM {@code name}, or null. */
    public VmEnd vm(String name) {
        for (VmEnd v : vms) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        return null;
    }
}
