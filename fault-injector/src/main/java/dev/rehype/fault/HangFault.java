package dev.rehype.fault;

/**
 * A spin. In the hypervisor: a spin at a probe point (as for {@link FailstopFault}) that charges
 * virtual cycles until the watchdog breaks it. In a guest: an infinite loop ({@code jal x0, 0})
 * written over the domain's next instruction; the site is then {@code pc}.
 */
public record HangFault(Target target, Trigger trigger, String site, Mode mode) implements Fault {
    public HangFault {
        site = site == null ? "" : site;
        mode = mode == null ? Mode.ANY : mode;
    }

    @Override
    public String type() {
        return "hang";
    }

    @Override
    public boolean resolved() {
        return !site.isEmpty() && !trigger.needsChoice();
    }

    @Override
    public Fault with(String site, int bit, Trigger trigger) {
        return new HangFault(target, trigger, site, mode);
    }
}
