package dev.rehype.fault;

/**
 * When a fault fires. All parts combine: counting starts {@code afterCycles} of virtual time into
 * the run; the fault fires at the {@code nth} (1-based) execution of its point counted from then
 * — for the hypervisor, executions of the instrumented instruction or point, or hypervisor entries
 * for memory faults; for a guest, retired instructions of the domain — and, when {@code inside}
 * is set, only executions inside that handler count: {@code hypercall:<name>} (memory_op,
 * multicall, set_timer_op, console_io, grant_table_op, vcpu_op, sched_op, event_channel_op,
 * domctl) or {@code irq:<timer|external|ipi>}.
 *
 * <p>{@link #CHOOSE} ({@code afterCycles} -1 and {@code nth} 0) leaves the trigger to the seed.
 */
public record Trigger(long afterCycles, long nth, String inside) {
    public static final Trigger CHOOSE = new Trigger(-1, 0, "");
    public static final java.util.List<String> HYPERCALLS = java.util.List.of("memory_op", "multicall",
            "set_timer_op", "console_io", "grant_table_op", "vcpu_op", "sched_op", "event_channel_op", "domctl");
    public static final java.util.List<String> IRQS = java.util.List.of("timer", "external", "ipi");

    public Trigger {
        inside = inside == null ? "" : inside;
        if (afterCycles < -1) {
            throw new FaultPlanException("trigger after=" + afterCycles + ": must be >= 0");
        }
        if (nth < 0) {
            throw new FaultPlanException("trigger nth=" + nth + ": must be >= 1");
        }
        if (!inside.isEmpty()) {
            int c = inside.indexOf(':');
            String kind = c < 0 ? "" : inside.substring(0, c);
            String what = c < 0 ? "" : inside.substring(c + 1);
            boolean ok = kind.equals("hypercall") && HYPERCALLS.contains(what) || kind.equals("irq") && IRQS.contains(what);
            if (!ok) {
                throw new FaultPlanException("trigger inside='" + inside + "': expected hypercall:<" + String.join("|",
                        HYPERCALLS) + "> or irq:<" + String.join("|", IRQS) + ">");
            }
        }
    }

    /** At the {@code nth} execution, from the start. */
    public static Trigger nth(long nth) {
        return new Trigger(0, nth, "");
    }

    public Trigger after(long cycles) {
        return new Trigger(cycles, nth, inside);
    }

    public Trigger inside(String handler) {
        return new Trigger(afterCycles, nth, handler);
    }

    /** True when the seed still has to choose the time or the count. */
    public boolean needsChoice() {
        return afterCycles < 0 || nth < 1;
    }
}
