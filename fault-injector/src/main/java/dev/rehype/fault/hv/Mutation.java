package dev.rehype.fault.hv;

/** How a code fault changes one instruction of the hypervisor, the way mutation testing does. */
public enum Mutation {
    /** Not mutable (no code fault here). */
    NONE,
    /** An arithmetic or logic operator replaced by its counterpart (add ↔ sub, and ↔ or, shl ↔ shr, ...). */
    SWAP_OPERATOR,
    /** A conditional branch negated (ifeq ↔ ifne, if_icmplt ↔ if_icmpge, ifnull ↔ ifnonnull, ...). */
    NEGATE_BRANCH,
    /** A numeric constant changed (its lowest bit flipped). */
    CHANGE_CONSTANT,
    /** A field or array store removed (its operands popped). */
    REMOVE_STORE,
    /** A call removed (its arguments popped, a zero or null result pushed). */
    REMOVE_CALL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
