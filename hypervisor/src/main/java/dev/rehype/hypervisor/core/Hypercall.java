package dev.rehype.hypervisor.core;

/**
 * The hypercall ABI as one sealed type: a record per hypercall with its IN fields, decoded from
 * the guest's a7 and a0..a5 (see guests/riscv/include/public/xen.h). The dispatcher switches
 * over it exhaustively; pointers are guest virtual addresses.
 */
sealed interface Hypercall {
    int MEMORY_OP = 12;
    int MULTICALL = 13;
    int SET_TIMER_OP = 15;
    int CONSOLE_IO = 18;
    int GRANT_TABLE_OP = 20;
    int VCPU_OP = 24;
    int SCHED_OP = 29;
    int EVENT_CHANNEL_OP = 32;
    int DOMCTL = 36;

    /** memory_op(cmd, arg ptr). */
    record MemoryOp(int cmd, int arg) implements Hypercall {
    }

    /** multicall(entries ptr, count). */
    record Multicall(int entries, int count) implements Hypercall {
    }

    /** set_timer_op(absolute deadline in cycles; 0 cancels). */
    record SetTimerOp(long deadlineCycles) implements Hypercall {
    }

    /** console_io(cmd, count, buffer ptr). */
    record ConsoleIo(int cmd, int count, int buffer) implements Hypercall {
    }

    /** grant_table_op(cmd, arg ptr, count). */
    record GrantTableOp(int cmd, int arg, int count) implements Hypercall {
    }

    /** vcpu_op(cmd, vcpuid, arg ptr). */
    record VcpuOp(int cmd, int vcpuid, int arg) implements Hypercall {
    }

    /** sched_op(cmd, arg ptr or value). */
    record SchedOp(int cmd, int arg) implements Hypercall {
    }

    /** event_channel_op(cmd, arg ptr). */
    record EventChannelOp(int cmd, int arg) implements Hypercall {
    }

    /** domctl(struct ptr), privileged domains only. */
    record Domctl(int arg) implements Hypercall {
    }

    /** A number the hypervisor does not implement: -ENOSYS. */
    record Unknown(int number) implements Hypercall {
    }

    static Hypercall decode(int number, int[] a) {
        return switch (number) {
            case MEMORY_OP -> new MemoryOp(a[0], a[1]);
            case MULTICALL -> new Multicall(a[0], a[1]);
            case SET_TIMER_OP -> new SetTimerOp((a[0] & 0xffffffffL) | ((long) a[1] << 32));
            case CONSOLE_IO -> new ConsoleIo(a[0], a[1], a[2]);
            case GRANT_TABLE_OP -> new GrantTableOp(a[0], a[1], a[2]);
            case VCPU_OP -> new VcpuOp(a[0], a[1], a[2]);
            case SCHED_OP -> new SchedOp(a[0], a[1]);
            case EVENT_CHANNEL_OP -> new EventChannelOp(a[0], a[1]);
            case DOMCTL -> new Domctl(a[0]);
            default -> new Unknown(number);
        };
    }
}
