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
     * Whether a domctl cut short may run again, from its sub-operation + 1 as the core recorded
     * it ({@code PerCpuLayout.SUBOP}): 0 means the core had not even read the command, so nothing
     * was done yet; queries (domain and vCPU info), setting the memory limit and copying bytes
     * into a domain being built give the same result when repeated, and so does a console read
     * (it reads from an offset the caller gives and changes nothing). Pause counts, creation,
     * destruction, device assignment, population, setup and foreign mappings are not retried
     * here: {@link RepairSettleIntents} undoes them first (and marks them to run again) or
     * finishes them, from their intent record.
     */
    static boolean domctlRetryable(int subopPlusOne) {
        return switch (subopPlusOne - 1) {
            case -1, Domctl.GETDOMAININFO, Domctl.GETVCPUINFO, Domctl.MAX_MEM, Domctl.COPY_TO_GUEST,
                 Domctl.CONSOLE_READ -> true;
            default -> false;
        };
    }

    /**
     * Whether a hypercall that is not idempotent may still be run again once the grant repair
     * has rolled back what it half did: a single GNTTABOP_map_grant_ref ({@code count} 1) cut
     * short between its P2M mapping and its map-track and pin records leaves only a mapping with
     * no map-track entry, which {@link RepairGrants} removes, so the map can start again from
     * nothing. (A map cut short after its records were complete but before its status reached
     * the guest is retried too, and then reports GNTST_bad_virt_addr for the gfn it already holds.)
     */
    static boolean retryableAfterGrantRepair(int number, int cmd, int count) {
        return number == Hypercall.GRANT_TABLE_OP && cmd == GrantTables.MAP_GRANT_REF && count == 1;
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
