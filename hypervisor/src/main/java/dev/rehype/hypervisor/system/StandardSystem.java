package dev.rehype.hypervisor.system;

import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.machine.peer.NetPeer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standard system of the toolkit, the I/O system of guests/riscv/dom0/README.md: the host
 * builds only Dom0 (the {@code dom0io} toolstack and store) and hands it the other images as boot
 * modules; Dom0 builds the driver domain ({@code netdrv}, NIC 0 and the network back ends) and the
 * AppVMs (compute, the hypercall pair, mem, net, service), serves them the store, relays their
 * consoles, stops the driver domain once the AppVMs are done and shuts down. The NIC's wire leads
 * to a {@link NetPeer} (see {@link HostSystem}) that answers net's echoes and plays service's
 * clients, checking every response.
 *
 * <p>Each AppVM checks its own results and prints a digest that depends on its work only, never
 * on timing; the expected digests below are those of correct runs, so any seed must reproduce
 * them. Dom0's digest covers its management operations (and the images it loaded). The driver
 * domain prints counters, never a digest (they depend on timing): it is correct when it powers off
 * with code 0.
 *
 * <p>By default each AppVM has the memory its boot module gives it (Dom0's table: 64 to 256
 * pages). {@link #bootSpec(int)} asks Dom0, through its start_info, to give every AppVM N MiB
 * instead, each keeping the headroom its module gives it above that (the driver domain keeps its
 * own size); {@link #config(long, int)} is a machine large enough for it. Two digests depend on
 * the size: Dom0's (it covers the sizes it built) and mem's (a function of its nr_pages and
 * max_pages); {@link #vms(int)} expects those of correct runs at the sizes they are known for
 * ({@link Digests}) and judges the two by their exit code alone at other sizes.
 */
public final class StandardSystem {
    /** Default limit of a run in virtual cycles (10 virtual seconds at 1 GHz). */
    public static final long DEFAULT_MAX_CYCLES = 10_000_000_000L;
    /** Dom0's initial and maximum pages: its image, the seven modules and their table, then a page per ring. */
    static final int DOM0_PAGES = 192;
    static final int DOM0_MAX_PAGES = 224;
    /** Dom0's start_info.param index of the pages per AppVM (guests/riscv/dom0/toolstack.h). */
    static final int DOM0_PARAM_APPVM_PAGES = 2;
    /** Pages in one MiB. */
    public static final int PAGES_PER_MIB = 256;
    /** The AppVMs of the standard system: every VM but Dom0 and the driver domain. */
    public static final int APPVMS = 6;
    /** Most pages any AppVM's module gives it above its initial RAM (Dom0's table: net and service). */
    static final int MAX_APPVM_HEADROOM_PAGES = 64;

    /**
     * One VM of the standard system: the name the toolstack gives it, the boot module Dom0 builds
     * it from (null for Dom0), its image, and its expected digest (null: it prints none).
     * Modules are in domid order: Dom0 creates the domains in module order, from domid 1 on.
     */
    public record Vm(String name, String module, String image, String expectedDigest) {
    }

    private StandardSystem() {
    }

    /** Dom0, then the domains it builds, in domid order (the AppVMs as their modules size them). */
    public static List<Vm> vms() {
        return vms(0);
    }

    /**
     * Dom0, then the domains it builds, in domid order, with every AppVM given {@code appVmMib}
     * MiB (0: as its module sizes it). Dom0's and mem's expected digests are those of that size,
     * or null (not checked) for a size none is known for.
     */
    public static List<Vm> vms(int appVmMib) {
        String dom0 = switch (appVmMib) {
            case 0 -> Digests.DOM0IO;
            case 64 -> Digests.DOM0IO_64MIB;
            default -> null;
        };
        String mem = switch (appVmMib) {
            case 0 -> Digests.MEM;
            case 64 -> Digests.MEM_64MIB;
            default -> null;
        };
        return List.of(
                new Vm("dom0", null, "workloads/dom0io.elf", dom0),
                new Vm("netdrv", "netdrv", "workloads/netdrv.elf", null),
                new Vm("hypercall", "hypercall:role=0,peer=2", "workloads/hypercall.elf", Digests.HYPERCALL),
                new Vm("hypercall-2", "hypercall:role=1,peer=1", "workloads/hypercall.elf", Digests.HYPERCALL),
                new Vm("compute", "compute", "workloads/compute.elf", Digests.COMPUTE),
                new Vm("mem", "mem", "workloads/mem.elf", mem),
                new Vm("net", "net", "workloads/net.elf", Digests.NET),
                new Vm("service", "service", "workloads/service.elf", Digests.SERVICE));
    }

    /** The boot spec of the standard system: Dom0 alone, with every other image as a module. */
    public static BootSpec bootSpec() throws GuestImageException {
        return bootSpec(0);
    }

    /**
     * The boot spec of the standard system with every AppVM given {@code appVmMib} MiB by Dom0
     * (0: as its module sizes it, the spec of {@link #bootSpec()}). Run it on a machine of
     * {@link #config(long, int)} at least.
     */
    public static BootSpec bootSpec(int appVmMib) throws GuestImageException {
        if (appVmMib < 0 || appVmMib > MAX_APPVM_MIB) {
            throw new IllegalArgumentException("MiB per AppVM must be 0.." + MAX_APPVM_MIB + ", got " + appVmMib);
        }
        int[] params = new int[0];
        if (appVmMib != 0) {
            params = new int[DOM0_PARAM_APPVM_PAGES + 1];
            params[DOM0_PARAM_APPVM_PAGES] = appVmMib * PAGES_PER_MIB;
        }
        List<DomainSpec.Module> modules = new ArrayList<>();
        List<Vm> vms = vms();
        for (Vm vm : vms.subList(1, vms.size())) {
            modules.add(new DomainSpec.Module(vm.module(), moduleBytes(vm.image())));
        }
        Vm dom0 = vms.getFirst();
        return new BootSpec(List.of(new DomainSpec(dom0.name(), GuestImage.load(dom0.image()), DOM0_PAGES,
                DOM0_MAX_PAGES, 1, true, DomainSpec.NO_PEER, 0, params, modules)));
    }

    /** Largest MiB per AppVM {@link #bootSpec(int)} accepts (the machine stays below the MMIO window). */
    public static final int MAX_APPVM_MIB = 2048;

    /**
     * The default machine for {@code seed}, grown for AppVMs of {@code appVmMib} MiB when the
     * default memory is too small: the six AppVMs' RAM and headroom, their P2M tables (a 4-byte
     * entry per page, rounded up to a MiB) and the default memory for everything else (Dom0, the
     * driver domain, the core's tables). appVmMib 0: {@link SystemConfig#defaults}.
     */
    public static SystemConfig config(long seed, int appVmMib) {
        SystemConfig defaults = SystemConfig.defaults(seed);
        long appBytes = (long) APPVMS * ((long) appVmMib * PAGES_PER_MIB + MAX_APPVM_HEADROOM_PAGES) * 4096;
        if (appVmMib == 0) {
            return defaults;
        }
        long tables = (appBytes / 1024 + (1 << 20) - 1) & -(1L << 20);
        long bytes = Math.max(defaults.machineMemoryBytes(), appBytes + tables + defaults.machineMemoryBytes());
        return new SystemConfig(defaults.cpus(), seed, bytes, defaults.maxDomains(), defaults.maxVcpus());
    }

    /**
     * The bytes of the image at class-path resource {@code guests/<path>}, checked to be an image
     * the kernel can run (Dom0 checks it again, as the toolstack must).
     */
    static byte[] moduleBytes(String path) throws GuestImageException {
        byte[] bytes;
        try (InputStream in = StandardSystem.class.getClassLoader()
                .getResourceAsStream(GuestImage.RESOURCE_ROOT + path)) {
            if (in == null) {
                throw new GuestImageException(path, "not found on the class path (looked for "
                        + GuestImage.RESOURCE_ROOT + path + ")");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new GuestImageException(path, "cannot be read from " + GuestImage.RESOURCE_ROOT + path, e);
        }
        GuestImage.parse(path, bytes);
        return bytes;
    }

    /** Boots the standard system with {@code seed}, runs it to the end (or the limit), reports. */
    public static RunReport run(long seed, long maxCycles) throws GuestImageException {
        return run(SystemConfig.defaults(seed), maxCycles);
    }

    /** Boots the standard system on a machine shaped by {@code config}, runs it, reports. */
    public static RunReport run(SystemConfig config, long maxCycles) throws GuestImageException {
        long seed = config.seed();
        try (HostSystem system = new HostSystem(config)) {
            system.boot(bootSpec());
            boolean finished = system.runUntilShutdown(maxCycles, d -> true);
            return report(seed, system, finished);
        }
    }

    /**
     * Judges every domain of a system that ran the standard spec. A domain is judged against the
     * VM of its domid whose name it has; a domain the standard system does not have (or Dom0 built
     * under another name) is judged without an expected digest, and a VM Dom0 never built is
     * reported "never built".
     */
    public static RunReport report(long seed, HostSystem system, boolean finished) {
        return report(seed, system, finished, 0);
    }

    /** {@link #report(long, HostSystem, boolean)} for a system booted from {@link #bootSpec(int)}. */
    public static RunReport report(long seed, HostSystem system, boolean finished, int appVmMib) {
        List<VmResult> results = judge(system.domains(), appVmMib);
        NetPeer peer = system.peer();
        return new RunReport(seed, results, peer == null ? null : peer.report(), system.stateHash(),
                system.machine().nowCycles(), finished);
    }

    /**
     * Every domain judged against the VM of its domid whose name it has (see {@link #report}),
     * plus a "never built" result for each standard VM that is absent; in domid order.
     */
    public static List<VmResult> judge(List<DomainStatus> domains) {
        return judge(domains, 0);
    }

    /** {@link #judge(List)} for a system booted from {@link #bootSpec(int)}: against {@link #vms(int)}. */
    public static List<VmResult> judge(List<DomainStatus> domains, int appVmMib) {
        List<Vm> vms = vms(appVmMib);
        List<VmResult> results = new ArrayList<>();
        for (DomainStatus d : domains) {
            Vm vm = d.domid() < vms.size() && vms.get(d.domid()).name().equals(d.name()) ? vms.get(d.domid()) : null;
            String expected = vm == null ? null : vm.expectedDigest();
            boolean digestExpected = vm == null || expected != null;
            results.add(new VmResult(d.domid(), d.name(), verdict(d, expected, digestExpected), d.digest(), expected,
                    d.instructions(), d.state(), d.shutdownCode(), packets(d.console())));
        }
        for (int domid = 0; domid < vms.size(); domid++) {
            int id = domid;
            if (domains.stream().noneMatch(d -> d.domid() == id)) {
                Vm vm = vms.get(domid);
                results.add(new VmResult(domid, vm.name(), "never built", null, vm.expectedDigest(), 0, "absent", 0,
                        null));
            }
        }
        results.sort(java.util.Comparator.comparingInt(VmResult::domid));
        return results;
    }

    private static final Pattern PACKETS = Pattern.compile("(?m)^packets=(\\d+)$");

    /** The last {@code packets=N} line a domain printed, or null if it printed none. */
    static Long packets(String console) {
        Matcher m = PACKETS.matcher(console);
        Long last = null;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    static String verdict(DomainStatus d, String expected, boolean digestExpected) {
        if (!d.isShutdown()) {
            return "unfinished";
        }
        if (d.shutdownReason() == DomainStatus.REASON_CRASH) {
            return "crashed";
        }
        if (d.shutdownCode() != 0) {
            return "failed (code " + d.shutdownCode() + ")";
        }
        if (digestExpected && d.digest() == null) {
            return "no digest";
        }
        if (expected != null && !expected.equals(d.digest())) {
            return "wrong digest";
        }
        return VmResult.CORRECT;
    }
}
