package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.PerCpuLayout;

/**
 * The per-CPU intent record of a multi-step domctl or event-channel operation
 * ({@code PerCpuLayout.INTENT_*}, preserved with the rest of the per-CPU record): what the
 * operation is, which domain it changes, its arguments and how far it got. An operation writes
 * its intent after its checks and before it changes anything; the hypercall marks it delivered
 * once the result is in the guest's a0 (or its multicall entry), and clears it after that.
 * {@link RepairSettleIntents} reads it to undo a half-done operation so that it can run again,
 * or to finish one that cannot be undone.
 *
 * <p>The operation is written last in {@link #begin}: a record cut short while being written
 * names no operation, and nothing had been changed yet.
 */
final class Intents {
    static final int NONE = 0;
    // Undone, then run again from the ecall.
    static final int CREATEDOMAIN = 1;
    static final int POPULATE = 2;
    static final int PAUSE = 3;
    static final int UNPAUSE = 4;
    static final int SETUP = 5;
    static final int ASSIGN_DEVICE = 6;
    static final int MAP_FOREIGN = 7;
    static final int EVTCHN_ALLOC_UNBOUND = 8;
    static final int EVTCHN_BIND_INTERDOMAIN = 9;
    static final int EVTCHN_BIND_VIRQ = 10;
    static final int EVTCHN_BIND_PIRQ = 11;
    // Finished: they only take things away, and what is half taken away cannot be put back.
    static final int DESTROY = 12;
    static final int UNMAP_FOREIGN = 13;
    static final int DEASSIGN_DEVICE = 14;
    static final int EVTCHN_CLOSE = 15;

    private final CoreState st;

    Intents(CoreState st) {
        this.st = st;
    }

    /**
     * Records that {@code op} is about to change {@code domain}, with up to four arguments; in a
     * multicall, the entry it is (the multicall's progress record).
     */
    void begin(int cpu, int op, int domain, int... args) {
        long rec = st.layout.perCpu(cpu);
        Fields.u32(st.s, rec + PerCpuLayout.INTENT_PHASE, PerCpuLayout.PHASE_WORKING);
        Fields.u32(st.s, rec + PerCpuLayout.INTENT_DOMAIN, domain);
        Fields.u32(st.s, rec + PerCpuLayout.INTENT_PROGRESS, 0);
        for (int i = 0; i < PerCpuLayout.INTENT_ARG_COUNT; i++) {
            Fields.u32(st.s, rec + PerCpuLayout.INTENT_ARGS + 4L * i, i < args.length ? args[i] : 0);
        }
        Fields.u32(st.s, rec + PerCpuLayout.INTENT_PENDING_MFN, -1);
        boolean inMulticall = Fields.u32(st.s, rec + PerCpuLayout.NR) == Hypercall.MULTICALL;
        Fields.u32(st.s, rec + PerCpuLayout.INTENT_ENTRY,
                inMulticall ? Fields.u32(st.s, rec + PerCpuLayout.PROGRESS) : -1);
        Fields.u32(st.s, rec + PerCpuLayout.INTENT_OP, op);
    }

    /** How far the operation got (steps or frames done). */
    void progress(int cpu, int done) {
        Fields.u32(st.s, st.layout.perCpu(cpu) + PerCpuLayout.INTENT_PROGRESS, done);
    }

    /** A frame the operation has allocated and not yet mapped (-1: none). */
    void pendingMfn(int cpu, long mfn) {
        Fields.u32(st.s, st.layout.perCpu(cpu) + PerCpuLayout.INTENT_PENDING_MFN, (int) mfn);
    }

    /** The result has reached the guest: nothing of the operation is left to undo or finish. */
    void delivered(int cpu) {
        long rec = st.layout.perCpu(cpu);
        if (Fields.u32(st.s, rec + PerCpuLayout.INTENT_OP) != NONE) {
            Fields.u32(st.s, rec + PerCpuLayout.INTENT_PHASE, PerCpuLayout.PHASE_DELIVERED);
        }
    }

    /** No intent any more. */
    void clear(int cpu) {
        long rec = st.layout.perCpu(cpu);
        Fields.u32(st.s, rec + PerCpuLayout.INTENT_OP, NONE);
        Fields.u32(st.s, rec + PerCpuLayout.INTENT_PHASE, PerCpuLayout.PHASE_WORKING);
    }

    int op(int cpu) {
        return Fields.u32(st.s, st.layout.perCpu(cpu) + PerCpuLayout.INTENT_OP);
    }

    int phase(int cpu) {
        return Fields.u32(st.s, st.layout.perCpu(cpu) + PerCpuLayout.INTENT_PHASE);
    }

    int domain(int cpu) {
        return Fields.u32(st.s, st.layout.perCpu(cpu) + PerCpuLayout.INTENT_DOMAIN);
    }

    int progress(int cpu) {
        return Fields.u32(st.s, st.layout.perCpu(cpu) + PerCpuLayout.INTENT_PROGRESS);
    }

    int arg(int cpu, int i) {
        return Fields.u32(st.s, st.layout.perCpu(cpu) + PerCpuLayout.INTENT_ARGS + 4L * i);
    }

    long pendingMfn(int cpu) {
        return Fields.u32(st.s, st.layout.perCpu(cpu) + PerCpuLayout.INTENT_PENDING_MFN);
    }

    int entry(int cpu) {
        return Fields.u32(st.s, st.layout.perCpu(cpu) + PerCpuLayout.INTENT_ENTRY);
    }

    /** True for the operations recovery undoes (and runs again); false for those it finishes. */
    static boolean undone(int op) {
        return op >= CREATEDOMAIN && op <= EVTCHN_BIND_PIRQ;
    }

    /**
     * Whether hypercall {@code nr} with {@code cmd} (its first argument) and domctl sub-operation
     * + 1 {@code subopPlusOne} is one of the operations that write an intent before changing
     * anything: cut short with no intent recorded, it has changed nothing and may run again.
     */
    static boolean covered(int nr, int cmd, int subopPlusOne) {
        return switch (nr) {
            case Hypercall.DOMCTL -> switch (subopPlusOne - 1) {
                case Domctl.CREATEDOMAIN, Domctl.POPULATE, Domctl.PAUSEDOMAIN, Domctl.UNPAUSEDOMAIN, Domctl.SETUP,
                     Domctl.ASSIGN_DEVICE, Domctl.MAP_FOREIGN, Domctl.DESTROYDOMAIN, Domctl.UNMAP_FOREIGN,
                     Domctl.DEASSIGN_DEVICE -> true;
                default -> false;
            };
            case Hypercall.EVENT_CHANNEL_OP -> cmd == EventChannels.ALLOC_UNBOUND || cmd == EventChannels.BIND_INTERDOMAIN
                    || cmd == EventChannels.BIND_VIRQ || cmd == EventChannels.BIND_PIRQ || cmd == EventChannels.CLOSE;
            default -> false;
        };
    }

    static String name(int op) {
        return switch (op) {
            case CREATEDOMAIN -> "createdomain";
            case POPULATE -> "populate";
            case PAUSE -> "pausedomain";
            case UNPAUSE -> "unpausedomain";
            case SETUP -> "setup";
            case ASSIGN_DEVICE -> "assign_device";
            case MAP_FOREIGN -> "map_foreign";
            case EVTCHN_ALLOC_UNBOUND -> "evtchn alloc_unbound";
            case EVTCHN_BIND_INTERDOMAIN -> "evtchn bind_interdomain";
            case EVTCHN_BIND_VIRQ -> "evtchn bind_virq";
            case EVTCHN_BIND_PIRQ -> "evtchn bind_pirq";
            case DESTROY -> "destroydomain";
            case UNMAP_FOREIGN -> "unmap_foreign";
            case DEASSIGN_DEVICE -> "deassign_device";
            case EVTCHN_CLOSE -> "evtchn close";
            default -> "op " + op;
        };
    }
}
