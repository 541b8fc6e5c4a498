package dev.rehype.hypervisor.system;

/**
 * One VM's result in a run of the standard system: its verdict ("correct" when it powered off
 * with code 0 and printed the expected digest, or, for a VM that has none, no digest was
 * expected; otherwise what went wrong), the digest it printed, the one expected, how much it ran,
 * and the frames it moved (its {@code packets=N} line; null for a VM that has no network).
 */
public record VmResult(int domid, String name, String verdict, String digest, String expectedDigest,
                       long instructions, String state, int shutdownCode, Long packets) {
    public static final String CORRECT = "correct";

    public boolean correct() {
        return verdict.equals(CORRECT);
    }
}
