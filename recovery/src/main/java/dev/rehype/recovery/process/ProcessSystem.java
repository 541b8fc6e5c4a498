package dev.rehype.recovery.process;

import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.system.HostBuiltSystem;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.VmResult;

import java.util.List;
import java.util.Locale;

/**
 * Which system a supervised run boots in the hypervisor process and judges at its end: the
 * host-built system (the host builds Dom0's management loop and the AppVMs) or the Dom0-built I/O
 * system (the host builds Dom0 only; Dom0's toolstack builds the driver domain and the AppVMs
 * from its boot modules, so kills also land in the middle of domctls, event-channel binds and
 * device assignments; the peer on the wire checks every service response).
 */
public enum ProcessSystem {
    HOST_BUILT("host-built"),
    IO("io");

    private final String label;

    ProcessSystem(String label) {
        this.label = label;
    }

    /** The name users give it ({@code host-built}, {@code io}). */
    public String label() {
        return label;
    }

    /** The system named {@code label}; an {@link IllegalArgumentException} naming the choices otherwise. */
    public static ProcessSystem parse(String label) {
        for (ProcessSystem s : values()) {
            if (s.label.equals(label.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown system '" + label + "' (expected host-built or io)");
    }

    /** What the host builds at boot. */
    BootSpec bootSpec() throws GuestImageException {
        return this == IO ? StandardSystem.bootSpec() : HostBuiltSystem.bootSpec();
    }

    /** Every domain judged against the expected digests of this system (a VM never built is reported so). */
    List<VmResult> judge(List<DomainStatus> domains) {
        return this == IO ? StandardSystem.judge(domains) : HostBuiltSystem.judge(domains);
    }

    /** True when the peer on the wire takes part (and is judged): the I/O system's net and service AppVMs. */
    boolean usesPeer() {
        return this == IO;
    }
}
