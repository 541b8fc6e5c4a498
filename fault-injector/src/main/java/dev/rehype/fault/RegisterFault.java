package dev.rehype.fault;

/**
 * One bit of one value flipped. In the hypervisor: the value an instruction of the core produced
 * (a load of a local or an array element, arithmetic, a field read, a call's result) at site
 * {@code Class.method@bci}, or at {@code *}: the nth value produced anywhere in the core. In a
 * guest: one register of the domain's vCPU ({@code x1}..{@code x31}, ABI names such as
 * {@code a0}, or {@code pc}) between two of its instructions, in the chosen mode.
 */
public record RegisterFault(Target target, Trigger trigger, String site, int bit, Mode mode) implements Fault {
    public RegisterFault {
        site = site == null ? "" : site;
        mode = mode == null ? Mode.ANY : mode;
        if (bit < -1 || bit > 63) {
            throw new FaultPlanException("register fault bit=" + bit + ": must be 0..63");
        }
    }

    @Override
    public String type() {
        return "register";
    }

    @Override
    public boolean resolved() {
        return !site.isEmpty() && bit >= 0 && !trigger.needsChoice();
    }

    @Override
    public Fault with(String site, int bit, Trigger trigger) {
        return new RegisterFault(target, trigger, site, bit, mode);
    }
}
