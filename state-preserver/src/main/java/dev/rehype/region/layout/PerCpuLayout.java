package dev.rehype.region.layout;

/**
 * Per physical CPU: the hypercall in progress (so that recovery can retry or resume it), the
 * vCPU it was running, and the intent of a multi-step domctl or event-channel operation (written
 * before the operation changes anything, cleared once its result has reached the guest), so that
 * recovery can undo a half-done operation and run it again, or finish it.
 *
 * <pre>
 *  0x00  u32 active (1 while a hypercall runs)   0x04  u32 hypercall number
 *  0x08  u32 args[6]
 *  0x20  u32 progress (multicall: entries done)   0x24  u32 vCPU (domid << 16 | vcpuid)
 *  0x28  u32 trap cause being handled             0x2C  u32 pc of the ecall
 *  0x30  u32 sub-operation + 1, read from the hypercall's argument struct (domctl; 0 = not read yet)
 *  0x34  u32 reserved (0)
 *  0x38  u32 intent: operation (0 = none)         0x3C  u32 intent phase (see PHASE_*)
 *  0x40  u32 intent: domain it works on           0x44  u32 intent progress (steps or frames done)
 *  0x48  u32 intent args[4] (per operation)       0x58  u32 intent: frame taken, not yet placed (-1 none)
 *  0x5C  u32 intent: multicall entry (-1 = not in a multicall)
 *  0x60  (end: 96 bytes)
 * </pre>
 */
public final class PerCpuLayout {
    private PerCpuLayout() {
    }

    public static final long ACTIVE = 0x00;
    public static final long NR = 0x04;
    public static final long ARGS = 0x08;
    public static final long PROGRESS = 0x20;
    public static final long VCPU = 0x24;
    public static final long CAUSE = 0x28;
    public static final long PC = 0x2C;
    /**
     * The sub-operation + 1 of a hypercall whose command lives in guest memory (domctl), written
     * when the core has read it and before it changes anything; 0 while not read yet.
     */
    public static final long SUBOP = 0x30;
    /** The operation of the intent ({@code Intent.*} in the core), 0 when none is recorded. */
    public static final long INTENT_OP = 0x38;
    public static final long INTENT_PHASE = 0x3C;
    public static final long INTENT_DOMAIN = 0x40;
    public static final long INTENT_PROGRESS = 0x44;
    public static final long INTENT_ARGS = 0x48;
    public static final int INTENT_ARG_COUNT = 4;
    /** A frame the operation allocated and has not yet mapped (-1 = none), so that undo can free it. */
    public static final long INTENT_PENDING_MFN = 0x58;
    /** The multicall entry the operation is (-1 = a hypercall of its own). */
    public static final long INTENT_ENTRY = 0x5C;
    public static final long SIZE_BYTES = 0x60;

    /** The operation is changing state (or has not begun to). */
    public static final int PHASE_WORKING = 0;
    /** Its result is in the guest's a0 (or its multicall entry): nothing is left to do. */
    public static final int PHASE_DELIVERED = 1;
    /** Recovery has undone what it did: the hypercall is to be run again from its ecall. */
    public static final int PHASE_UNDONE = 2;
}
