package dev.rehype.region.layout;

/**
 * Per physical CPU: the hypercall in progress (so that recovery can retry or resume it) and the
 * vCPU it was running.
 *
 * <pre>
 *  0x00  u32 active (1 while a hypercall runs)   0x04  u32 hypercall number
 *  0x08  u32 args[6]
 *  0x20  u32 progress (multicall: entries done)   0x24  u32 vCPU (domid << 16 | vcpuid)
 *  0x28  u32 trap cause being handled             0x2C  u32 pc of the ecall
 *  0x30  u32 sub-operation + 1, read from the hypercall's argument struct (domctl; 0 = not read yet)
 *  0x34  u32 reserved (0)
 *  0x38  (end: 56 bytes)
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
    public static final long SIZE_BYTES = 0x38;
}
