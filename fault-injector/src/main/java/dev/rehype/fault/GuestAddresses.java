package dev.rehype.fault;

import dev.rehype.guests.GuestImage;

import java.util.Map;
import java.util.OptionalInt;

/**
 * Guest addresses as plans write them — {@code 0xADDR}, {@code symbol} or {@code symbol+offset}
 * (offset decimal or 0x hex) — and the image a target's domain runs.
 */
public final class GuestAddresses {
    private GuestAddresses() {
    }

    /** The guest virtual address of {@code expr} in {@code image} (null only for 0x forms). */
    public static int resolve(String expr, GuestImage image) {
        String e = expr.trim();
        try {
            if (e.startsWith("0x")) {
                return (int) Long.parseLong(e.substring(2), 16);
            }
            int plus = e.indexOf('+');
            String name = plus < 0 ? e : e.substring(0, plus);
            long off = 0;
            if (plus >= 0) {
                String o = e.substring(plus + 1);
                off = o.startsWith("0x") ? Long.parseLong(o.substring(2), 16) : Long.parseLong(o);
            }
            if (image == null) {
                throw new FaultPlanException("address '" + expr + "': no guest image to look symbol '" + name + "' up in");
            }
            OptionalInt a = image.symbol(name);
            if (a.isEmpty()) {
                throw new FaultPlanException("address '" + expr + "': no symbol '" + name + "' in " + image.name());
            }
            return (int) (a.getAsInt() + off);
        } catch (NumberFormatException ex) {
            throw new FaultPlanException("address '" + expr + "': not 0xADDR, symbol or symbol+offset");
        }
    }

    /** The image of the domain {@code target} names, from images by domain name; null when unknown. */
    public static GuestImage imageOf(Target target, Map<String, GuestImage> images) {
        return switch (target.kind()) {
            case HYPERVISOR -> null;
            case DOM0 -> images.get("dom0");
            case APPVM -> images.get(target.name());
            case DRIVER -> {
                if (!target.name().isEmpty()) {
                    yield images.get(target.name());
                }
                yield images.entrySet().stream().filter(e -> isDriverName(e.getKey())).map(Map.Entry::getValue)
                        .findFirst().orElse(null);
            }
        };
    }

    /** A driver domain's name contains "drv" or "driver". */
    public static boolean isDriverName(String name) {
        return name.contains("drv") || name.contains("driver");
    }
}
