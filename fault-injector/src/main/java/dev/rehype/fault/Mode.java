package dev.rehype.fault;

/** The privilege mode a guest fault waits for: any, the guest kernel (S-mode), or its processes (U-mode). */
public enum Mode {
    ANY, KERNEL, USER;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Mode parse(String text) {
        return switch (text) {
            case "any" -> ANY;
            case "kernel" -> KERNEL;
            case "user" -> USER;
            default -> throw new FaultPlanException("unknown mode '" + text + "' (expected any, kernel or user)");
        };
    }
}
