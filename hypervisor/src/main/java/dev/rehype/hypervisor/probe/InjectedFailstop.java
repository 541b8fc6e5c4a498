package dev.rehype.hypervisor.probe;

/**
 * A failstop placed at a fault point has fired: the hypervisor stops at once, mid-operation, as a
 * crashed CPU would. Escapes the hypervisor image like any panic, and is detected as one.
 */
public final class InjectedFailstop extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String point;

    public InjectedFailstop(String point) {
        super("injected failstop at " + point);
        this.point = point;
    }

    public String point() {
        return point;
    }
}
