package dev.rehype.hypervisor.probe;

/**
 * A place in the hypervisor's code where something may be made to happen (a failstop now; the
 * fault injector's other faults later): a method of a core class, and where in it — at its entry,
 * or just before or just after the {@code occurrence}-th call (1-based) to a named method.
 * {@code className} is a binary name ("dev.rehype.hypervisor.core.MemoryOps"); {@code target} is
 * "Owner.method" with a simple class name of the core ("SpinLocks.acquire").
 */
public record FaultPoint(String className, String methodName, Anchor anchor, String target, int occurrence) {
    /** Where in the method the probe goes. */
    public enum Anchor { ENTRY, BEFORE_CALL, AFTER_CALL }

    public FaultPoint {
        if (className == null || methodName == null || anchor == null) {
            throw new IllegalArgumentException("a fault point needs a class, a method and an anchor");
        }
        if (anchor != Anchor.ENTRY && (target == null || !target.contains(".") || occurrence < 1)) {
            throw new IllegalArgumentException("fault point " + className + "." + methodName
                    + ": a call anchor needs a target \"Owner.method\" and an occurrence >= 1");
        }
    }

    /** At the entry of {@code core class}.{@code method}. */
    public static FaultPoint entry(String coreClass, String method) {
        return new FaultPoint(core(coreClass), method, Anchor.ENTRY, null, 0);
    }

    /** Just after the {@code occurrence}-th call to {@code target} in {@code core class}.{@code method}. */
    public static FaultPoint after(String coreClass, String method, String target, int occurrence) {
        return new FaultPoint(core(coreClass), method, Anchor.AFTER_CALL, target, occurrence);
    }

    /** Just before the {@code occurrence}-th call to {@code target} in {@code core class}.{@code method}. */
    public static FaultPoint before(String coreClass, String method, String target, int occurrence) {
        return new FaultPoint(core(coreClass), method, Anchor.BEFORE_CALL, target, occurrence);
    }

    private static String core(String simpleName) {
        return simpleName.contains(".") ? simpleName : "dev.rehype.hypervisor.core." + simpleName;
    }

    @Override
    public String toString() {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return switch (anchor) {
            case ENTRY -> simple + "." + methodName + "@entry";
            case BEFORE_CALL -> simple + "." + methodName + "@before:" + target + "#" + occurrence;
            case AFTER_CALL -> simple + "." + methodName + "@after:" + target + "#" + occurrence;
        };
    }
}
