package dev.rehype.hypervisor.system;

/**
 * One VM's result in a run of the standard system: its verdict ("correct" when it powered off
 * with code 0 and printed the expected digest; otherwise what went wrong), the digest it printed,
 * the one expected, and how much it ran.
 */
public record VmResult(int domid, String name, String verdict, String digest, String expectedDigest,
                       long instructions, String state, int shutdownCode) {
    public static final String CORRECT = "correct";

    public boolean correct() {
        return verdict.equals(CORRECT);
    }
}
