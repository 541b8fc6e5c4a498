/*
 * One default of the emulated machine as `rehype machine info` shows it: a stable key (also the
 * JSON member name), its value as people read it (addresses in hex) and, for numbers, as scripts
 * read it, and what it means.
 */
package dev.rehype.cli.machine;

import java.util.Locale;

/**
 * A machine default.
 *
 * @param key     stable snake_case name, units last
 * @param text    the value as shown in the text table
 * @param number  the value as a JSON number, or null for a textual fact
 * @param meaning what it is
 */
public record MachineFact(String key, String text, Long number, String meaning) {

    /** A numeric fact, shown in decimal. */
    public static MachineFact number(String key, long value, String meaning) {
        return new MachineFact(key, Long.toString(value), value, meaning);
    }

    /** An address, shown in hex and written to JSON as a number. */
    public static MachineFact address(String key, long value, String meaning) {
        return new MachineFact(key, String.format(Locale.ROOT, "0x%08x", value), value, meaning);
    }

    /** A textual fact. */
    public static MachineFact text(String key, String value, String meaning) {
        return new MachineFact(key, value, null, meaning);
    }
}
