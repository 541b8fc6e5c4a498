package dev.rehype.campaign.spec;

import java.util.Locale;

/** The fault types of DESIGN §2.6, by the names specs and records use. */
public enum FaultType {
    /** One bit of one value flipped at a random moment. */
    REGISTER,
    /** One instruction changed, persisting until the code is replaced. */
    CODE,
    /** A crash at a random point. */
    FAILSTOP,
    /** A spin at a random point. */
    HANG,
    /** One bit flipped in a data structure or a guest page. */
    MEMORY;

    /** The name in specs and records, e.g. "failstop". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code label}, or null. */
    public static FaultType byLabel(String label) {
        for (FaultType t : values()) {
            if (t.label().equals(label)) {
                return t;
            }
        }
        return null;
    }
}
