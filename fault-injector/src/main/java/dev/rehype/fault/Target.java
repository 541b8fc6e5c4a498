package dev.rehype.fault;

/**
 * Where a fault goes: the hypervisor (its Java code, its preserved tables and its heap), Dom0, a
 * driver domain, or a named AppVM. Text form as the campaign records store it: {@code hypervisor},
 * {@code dom0}, {@code driver} (or {@code driver:<name>}), {@code appvm:<name>}.
 */
public record Target(Kind kind, String name) {
    /** The four kinds of target. */
    public enum Kind { HYPERVISOR, DOM0, DRIVER, APPVM }

    public static final Target HYPERVISOR = new Target(Kind.HYPERVISOR, "");
    public static final Target DOM0 = new Target(Kind.DOM0, "");

    public Target {
        if (kind == null) {
            throw new IllegalArgumentException("a target needs a kind");
        }
        name = name == null ? "" : name;
        if (kind == Kind.APPVM && name.isEmpty()) {
            throw new IllegalArgumentException("target appvm needs a name: appvm:<name>");
        }
        if ((kind == Kind.HYPERVISOR || kind == Kind.DOM0) && !name.isEmpty()) {
            throw new IllegalArgumentException("target " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " takes no name, got '" + name + "'");
        }
    }

    /** The AppVM named {@code name}. */
    public static Target appVm(String name) {
        return new Target(Kind.APPVM, name);
    }

    /** The driver domain (the first whose name contains "drv" or "driver" when {@code name} is empty). */
    public static Target driver(String name) {
        return new Target(Kind.DRIVER, name);
    }

    public boolean isHypervisor() {
        return kind == Kind.HYPERVISOR;
    }

    /** Parses the text form; throws {@link FaultPlanException} naming what is wrong. */
    public static Target parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        String head = colon < 0 ? t : t.substring(0, colon);
        String name = colon < 0 ? "" : t.substring(colon + 1);
        try {
            return switch (head) {
                case "hypervisor" -> new Target(Kind.HYPERVISOR, name);
                case "dom0" -> new Target(Kind.DOM0, name);
                case "driver" -> new Target(Kind.DRIVER, name);
                case "appvm" -> new Target(Kind.APPVM, name);
                default -> throw new FaultPlanException("unknown target '" + text
                        + "' (expected hypervisor, dom0, driver, driver:<name> or appvm:<name>)");
            };
        } catch (IllegalArgumentException e) {
            throw new FaultPlanException(e.getMessage());
        }
    }

    @Override
    public String toString() {
        String k = kind.name().toLowerCase(java.util.Locale.ROOT);
        return name.isEmpty() ? k : k + ":" + name;
    }
}
