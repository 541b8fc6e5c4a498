package dev.rehype.campaign.spec;

import dev.rehype.hypervisor.system.HostBuiltSystem;
import dev.rehype.hypervisor.system.StandardSystem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which system a campaign injects into. {@link Kind#HOST_BUILT}: the host builds Dom0 (its
 * management loop) and the chosen AppVMs of the host-built system, by name, in its order.
 * {@link Kind#IO}: the Dom0-built I/O system ({@link StandardSystem}): the host builds Dom0's
 * toolstack alone, which builds the driver domain and every AppVM; its AppVMs are fixed.
 */
public record SystemSpec(Kind kind, List<String> appvms) {
    /** The I/O system's driver domain (the campaign target {@code driver}). */
    public static final String IO_DRIVER = "netdrv";

    /** The two campaign systems, by their spec label. */
    public enum Kind {
        HOST_BUILT, IO;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The kind labelled {@code label}, or null. */
        public static Kind byLabel(String label) {
            for (Kind k : values()) {
                if (k.label().equals(label)) {
                    return k;
                }
            }
            return null;
        }
    }

    public SystemSpec {
        if (kind == null) {
            throw new IllegalArgumentException("a system spec needs its kind");
        }
        appvms = List.copyOf(appvms);
    }

    /** The host-built system with {@code appvms}. */
    public SystemSpec(List<String> appvms) {
        this(Kind.HOST_BUILT, appvms);
    }

    /** The host-built system: Dom0 and every AppVM. */
    public static SystemSpec standard() {
        return new SystemSpec(standardAppvms());
    }

    /** The Dom0-built I/O system with its AppVMs. */
    public static SystemSpec io() {
        return new SystemSpec(Kind.IO, ioAppvms());
    }

    /** The AppVMs of the host-built system, in domid order. */
    public static List<String> standardAppvms() {
        List<String> names = new ArrayList<>();
        for (HostBuiltSystem.Vm vm : HostBuiltSystem.vms()) {
            if (!vm.privileged()) {
                names.add(vm.name());
            }
        }
        return names;
    }

    /** The AppVMs Dom0 builds in the I/O system (every domain but Dom0 and the driver domain), in domid order. */
    public static List<String> ioAppvms() {
        List<String> names = new ArrayList<>();
        for (StandardSystem.Vm vm : StandardSystem.vms()) {
            if (vm.module() != null && !vm.name().equals(IO_DRIVER)) {
                names.add(vm.name());
            }
        }
        return names;
    }

    public boolean isIo() {
        return kind == Kind.IO;
    }

    /** The default: the host-built system with every AppVM. */
    public boolean isStandard() {
        return kind == Kind.HOST_BUILT && appvms.equals(standardAppvms());
    }
}
