package dev.rehype.hypervisor.image;

import dev.rehype.guests.GuestImage;

import java.util.List;

/**
 * One domain to build: its name (also the workload name the guest reads from start_info), the
 * kernel image, initial and maximum memory in 4 KiB pages, vCPUs, whether it is privileged, the
 * domid of its workload peer (0xFFFF for none), its role, and up to six workload parameters.
 */
public record DomainSpec(String name, GuestImage image, int memPages, int maxPages, int vcpus, boolean privileged,
                         int peerDomid, int role, int[] params, List<Module> modules) {

    /** A boot module: an image the domain receives in its RAM (Dom0's toolstack builds domains from them). */
    public record Module(String name, byte[] bytes) {
        public Module {
            if (name == null || name.isEmpty() || name.length() > 23) {
                throw new IllegalArgumentException("module name must have 1..23 characters: " + name);
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /** A domain without boot modules. */
    public DomainSpec(String name, GuestImage image, int memPages, int maxPages, int vcpus, boolean privileged,
                      int peerDomid, int role, int[] params) {
        this(name, image, memPages, maxPages, vcpus, privileged, peerDomid, role, params, List.of());
    }

    public static final int NO_PEER = 0xFFFF;
    public static final int MAX_PARAMS = 6;

    public DomainSpec {
        if (name == null || name.isEmpty() || name.length() > 31) {
            throw new IllegalArgumentException("domain name must have 1..31 characters: " + name);
        }
        if (memPages < 8 || maxPages < memPages) {
            throw new IllegalArgumentException("domain " + name + ": need 8 <= memPages <= maxPages, got "
                    + memPages + "/" + maxPages);
        }
        if (vcpus < 1) {
            throw new IllegalArgumentException("domain " + name + ": needs at least one vCPU");
        }
        params = params == null ? new int[0] : params.clone();
        modules = List.copyOf(modules);
        if (params.length > MAX_PARAMS) {
            throw new IllegalArgumentException("domain " + name + ": at most " + MAX_PARAMS + " parameters");
        }
    }

    /**
     * The workload name the guest finds in start_info.cmdline: the image's file name without
     * directory and ".elf" (one image per workload).
     */
    public String workload() {
        String n = image.name();
        n = n.substring(n.lastIndexOf('/') + 1);
        return n.endsWith(".elf") ? n.substring(0, n.length() - 4) : n;
    }

    @Override
    public int[] params() {
        return params.clone();
    }
}
