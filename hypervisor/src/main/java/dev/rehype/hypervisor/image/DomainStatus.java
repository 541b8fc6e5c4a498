package dev.rehype.hypervisor.image;

/**
 * A domain as the host reports it: identity, lifecycle state, why and how it stopped, what it
 * wrote on its console, and how much it ran.
 */
public record DomainStatus(int domid, String name, String state, boolean privileged, int shutdownReason,
                           int shutdownCode, String console, long instructions, long cpuCycles, int totPages) {
    public static final int REASON_POWEROFF = 0;
    public static final int REASON_CRASH = 3;

    public boolean isShutdown() {
        return state.equals("shutdown");
    }

    /** The digest the workload printed last ("digest=XXXXXXXX"), or null. */
    public String digest() {
        int at = console.lastIndexOf("digest=");
        if (at < 0 || at + 15 > console.length()) {
            return null;
        }
        return console.substring(at + 7, at + 15);
    }
}
