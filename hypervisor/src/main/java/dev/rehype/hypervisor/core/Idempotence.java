package dev.rehype.hypervisor.core;

/**
 * Which hypercalls may simply be run again after a failure cut them short: those whose effect
 * does not change when repeated (queries, yield/block/poll/shutdown, set_timer, event sends,
 * grant copies, vCPU state changes), and console writes, whose ring count is written last so that
 * a write cut short left nothing visible. Reservation changes are continued from their progress
 * instead ({@link #continuation}); allocations and bindings are not retried.
 */
final class Idempotence {
    private Idempotence() {
    }

    /**
     * As {@link #idempotent(int, int)}, and also for the query domctls (getdomaininfo,
     * getvcpuinfo, console_read), whose sub-command is read from the caller's domctl structure
     * (vCPU {@code v} of domain {@code d}); a structure the guest cannot read is idempotent too,
     * since the call then faults before any effect.
     */
    static boolean idempotent(Hypervisor hv, int d, int v, int number, int cmd) {
        if (number == Hypercall.DOMCTL) {
            Integer sub = GuestWalk.readU32(hv, d, v, cmd);
            return sub == null || sub == Domctl.GETDOMAININFO || sub == Domctl.GETVCPUINFO
                    || sub == Domctl.CONSOLE_READ;
        }
        return idempotent(number, cmd);
    }

    static boolean idempotent(int number, int cmd) {
        return switch (number) {
            case Hypercall.SCHED_OP, Hypercall.SET_TIMER_OP, Hypercall.VCPU_OP, Hypercall.CONSOLE_IO -> true;
            case Hypercall.EVENT_CHANNEL_OP -> cmd == EventChannels.SEND || cmd == EventChannels.STATUS
                    || cmd == EventChannels.UNMASK || cmd == EventChannels.BIND_VCPU;
            case Hypercall.MEMORY_OP -> cmd == MemoryOps.CURRENT_RESERVATION || cmd == MemoryOps.MAXIMUM_RESERVATION;
            case Hypercall.GRANT_TABLE_OP -> cmd == GrantTables.COPY || cmd == GrantTables.QUERY_SIZE;
            default -> false;
        };
    }

    /**
     * The a0 that continues hypercall {@code number} from {@code progress} when it is a
     * continuable one (memory reservation changes, as Xen's memory_op continuations), or null.
     */
    static Integer continuation(int number, int cmd, int progress) {
        int op = cmd & MemoryOps.CMD_MASK;
        if (number == Hypercall.MEMORY_OP && (op == MemoryOps.POPULATE_PHYSMAP
                || op == MemoryOps.INCREASE_RESERVATION || op == MemoryOps.DECREASE_RESERVATION)) {
            int start = Math.max((cmd >>> MemoryOps.EXTENT_SHIFT) - 1, progress);
            return op | ((start + 1) << MemoryOps.EXTENT_SHIFT);
        }
        return null;
    }
}
