package dev.rehype.fault;

/**
 * A crash. In the hypervisor: a failstop at a probe point ({@code Class.method@entry},
 * {@code @before:Owner.method#n}, {@code @after:Owner.method#n}), thrown at its nth execution —
 * detected as a panic. In a guest: the domain's kernel is made to take an unexpected trap
 * (an illegal instruction) in kernel mode, which its trap handler answers with a crash shutdown;
 * the site is then {@code kernel}.
 */
public record FailstopFault(Target target, Trigger trigger, String site, Mode mode) implements Fault {
    public FailstopFault {
        site = site == null ? "" : site;
        mode = mode == null ? Mode.KERNEL : mode;
    }

    @Override
    public String type() {
        return "failstop";
    }

    @Override
    public boolean resolved() {
        return !site.isEmpty() && !trigger.needsChoice();
    }

    @Override
    public Fault with(String site, int bit, Trigger trigger) {
        return new FailstopFault(target, trigger, site, mode);
    }
}
