package dev.rehype.fault;

/**
 * Whether one fault of a plan fired, and where and when: in the hypervisor, the class, method,
 * bytecode index and source line of the instruction or probe point (or the data structure for a
 * memory fault); in a guest, the domain, the pc and the symbol of the guest image's symbol table
 * that holds it. {@code valueBefore}/{@code valueAfter} are hex (empty where no value changed);
 * {@code atCycles} is the virtual time of firing (-1 when not activated); {@code note} says what
 * was changed, or why the fault never fired. A fault that never fired is never a success.
 *
 * <p>{@link #site()} is the form campaign records store: {@code Class.method@bci:line} in the
 * hypervisor, {@code d<domid>:pc=0x...:<symbol>} in a guest, empty when not activated.
 */
public record Activation(int fault, String type, String target, boolean activated, String site, String className,
                         String methodName, int bci, int line, int domid, long pc, String symbol, String valueBefore,
                         String valueAfter, long atCycles, String note) {

    /** Not activated, with the reason. */
    public static Activation notActivated(int fault, Fault f, String why) {
        return new Activation(fault, f.type(), f.target().toString(), false, "", "", "", -1, -1, -1, -1, "", "", "", -1,
                why);
    }

    /** Fired in the hypervisor at an instruction or probe point. */
    public static Activation inHypervisor(int fault, Fault f, String className, String method, int bci, int line,
                                          String before, String after, long atCycles, String note) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return new Activation(fault, f.type(), f.target().toString(), true, simple + "." + method + "@" + bci + ":" + line,
                className, method, bci, line, -1, -1, "", before, after, atCycles, note);
    }

    /** Fired in the hypervisor's data (a preserved table or a heap field named by {@code where}). */
    public static Activation inHypervisorData(int fault, Fault f, String where, String before, String after,
                                              long atCycles, String note) {
        return new Activation(fault, f.type(), f.target().toString(), true, where, "", "", -1, -1, -1, -1, "", before,
                after, atCycles, note);
    }

    /** Fired in domain {@code domid} with its vCPU at {@code pc} ({@code symbol} may be empty). */
    public static Activation inGuest(int fault, Fault f, int domid, long pc, String symbol, String before,
                                     String after, long atCycles, String note) {
        String site = "d" + domid + ":pc=0x" + Long.toHexString(pc) + ":" + symbol;
        return new Activation(fault, f.type(), f.target().toString(), true, site, "", "", -1, -1, domid, pc, symbol,
                before, after, atCycles, note);
    }
}
