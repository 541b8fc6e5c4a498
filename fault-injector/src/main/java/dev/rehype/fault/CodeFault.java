package dev.rehype.fault;

/**
 * One instruction changed, persisting until the code is replaced. In the hypervisor: the
 * instruction at {@code Class.method@bci} mutated as mutation testing does (arithmetic operator
 * swapped, branch negated, constant changed, store or call removed) from its nth execution on,
 * in this image only: a microreboot's pristine image has no such mutation. In a guest: one bit of
 * the code word at {@code pc} (the next instruction) or {@code symbol+offset} / {@code 0xADDR}.
 */
public record CodeFault(Target target, Trigger trigger, String site, int bit, Mode mode) implements Fault {
    public CodeFault {
        site = site == null ? "" : site;
        mode = mode == null ? Mode.ANY : mode;
        if (bit < -1 || bit > 31) {
            throw new FaultPlanException("code fault bit=" + bit + ": must be 0..31");
        }
    }

    @Override
    public String type() {
        return "code";
    }

    @Override
    public boolean resolved() {
        return !site.isEmpty() && (target.isHypervisor() || bit >= 0) && !trigger.needsChoice();
    }

    @Override
    public Fault with(String site, int bit, Trigger trigger) {
        return new CodeFault(target, trigger, site, bit, mode);
    }
}
