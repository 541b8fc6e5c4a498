package dev.rehype.hypervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.guests.GuestImage;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.machine.Hart;
import dev.rehype.machine.PhysicalMemory;
import dev.rehype.machine.Sv32;
import dev.rehype.machine.TrapCause;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.EvtchnLayout;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.VcpuLayout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Drives the real hypervisor with "probe" guests: each domain runs {@code lw s0, 4(a0); ecall; j
 * back-to-ecall}, and the harness fills in the hypercall number and arguments at each ecall from a
 * per-domain script, then checks the result the hypervisor wrote back. Every argument goes through
 * the real hart, its translation and the real dispatcher, so hostile pointers are tested for real.
 * After every scripted call the full audit must come back empty.
 */
final class CoreHarness {
    static final int RAM = 0x8000_0000;
    /** A page of the probe's RAM the scripts use for structs. */
    static final int SCRATCH = RAM + 0x1000;

    /** One scripted hypercall: setup writes structs, then nr/args go in, then check sees a0. */
    record Call(String label, Consumer<CoreHarness> setup, int nr, int[] args, IntConsumer check) {
    }

    final HostSystem system;
    final List<ArrayDeque<Call>> scripts = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    /** Virtual time of the trap being scripted (the calling hart's clock). */
    long trapCycles;
    private final HypervisorEntry hv;

    CoreHarness(int domains, int privilegedMask) {
        this(domains, privilegedMask, d -> probeImage());
    }

    CoreHarness(int domains, int privilegedMask, java.util.function.IntFunction<GuestImage> images) {
        system = new HostSystem(new SystemConfig(2, 1, 8L << 20, 8, 2));
        List<DomainSpec> specs = new ArrayList<>();
        for (int d = 0; d < domains; d++) {
            specs.add(new DomainSpec("probe" + d, images.apply(d), 32, 64, 2, ((privilegedMask >> d) & 1) != 0,
                    DomainSpec.NO_PEER, 0, new int[0]));
        }
        for (int d = 0; d < 8; d++) {
            scripts.add(new ArrayDeque<>());
        }
        hv = system.hypervisor();
        system.machine().setHypervisor(this::onTrap);
        system.boot(new BootSpec(specs));
    }

    static GuestImage probeImage() {
        return image("probe", 0x00452403, // lw s0, 4(a0)
                0x00000073, // ecall
                0xffdff06f); // j -4
    }

    /** A one-page guest image at RAM made of {@code code}. */
    static GuestImage image(String name, int... code) {
        ByteBuffer b = ByteBuffer.allocate(code.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : code) {
            b.putInt(w);
        }
        return new GuestImage(name, RAM, List.of(new GuestImage.Segment(RAM, 0x2000, b.array(), true, true, true)),
                List.of());
    }

    void script(int domid, String label, int nr, int[] args, IntConsumer check) {
        scripts.get(domid).add(new Call(label, h -> { }, nr, args, check));
    }

    void script(int domid, String label, Consumer<CoreHarness> setup, int nr, int[] args, IntConsumer check) {
        scripts.get(domid).add(new Call(label, setup, nr, args, check));
    }

    private long onTrap(Hart hart) {
        if (hart.trapCause() != TrapCause.ECALL_FROM_S) {
            return hv.onTrap(hart);
        }
        int domid = hart.reg(8);
        Call call = scripts.get(domid).poll();
        if (call == null) {
            // Nothing left to do: block (events and timers still wake it).
            hart.setReg(17, Hypercall.SCHED_OP);
            hart.setReg(10, 1);
            return hv.onTrap(hart);
        }
        trapCycles = hart.timeCycles();
        call.setup().accept(this);
        hart.setReg(17, call.nr());
        for (int i = 0; i < 6; i++) {
            hart.setReg(10 + i, i < call.args().length ? call.args()[i] : 0);
        }
        long cycles = hv.onTrap(hart);
        int result = a0(domid);
        log.add("d" + domid + " " + call.label() + " -> " + result);
        call.check().accept(result);
        assertThat(system.audit()).as("audit after d%d %s", domid, call.label()).isEmpty();
        return cycles;
    }

    /** The a0 the hypervisor left for {@code domid}'s vCPU 0 (written to its record before resuming). */
    int a0(int domid) {
        return Fields.u32(system.coreState(), system.layout().vcpu(domid, 0) + VcpuLayout.reg(10));
    }

    /** Runs until every script is empty (or the budget ends). */
    void run(long maxCycles) {
        long start = system.machine().nowCycles();
        while (system.machine().nowCycles() - start < maxCycles && !allDone()) {
            system.machine().run(100_000);
        }
        assertThat(allDone()).as("scripts finished; log: %s", log).isTrue();
    }

    private boolean allDone() {
        for (int d = 0; d < scripts.size(); d++) {
            if (!scripts.get(d).isEmpty() && exists(d) && domain(d).state().equals("running")) {
                return false;
            }
        }
        return true;
    }

    boolean exists(int domid) {
        return system.domains().stream().anyMatch(s -> s.domid() == domid);
    }

    DomainStatus domain(int domid) {
        return system.domains().stream().filter(s -> s.domid() == domid).findFirst().orElseThrow();
    }

    /** Machine address of guest-physical {@code gpa} in {@code domid}, through its P2M. */
    long ma(int domid, int gpa) {
        PhysicalMemory m = system.machine().memory();
        long root = (Fields.u32(system.coreState(), system.layout().domain(domid) + DomainLayout.P2M_ROOT) & 0xffffffffL)
                << 12;
        int pte = m.read32(root + 4L * (gpa >>> 22));
        int leaf = m.read32((Sv32.ppn(pte) << 12) + 4L * ((gpa >>> 12) & 0x3ff));
        return (Sv32.ppn(leaf) << 12) + (gpa & 0xfff);
    }

    void poke(int domid, int gpa, int value) {
        system.machine().memory().write32(ma(domid, gpa), value);
    }

    int peek(int domid, int gpa) {
        return system.machine().memory().read32(ma(domid, gpa));
    }

    void pokeBytes(int domid, int gpa, byte[] bytes) {
        system.machine().memory().writeBytes(ma(domid, gpa), bytes, 0, bytes.length);
    }

    int sharedInfoGpa(int domid) {
        return (Fields.u32(system.coreState(), system.layout().domain(domid) + DomainLayout.SHARED_INFO_GFN)) << 12;
    }

    int freeFrames() {
        return Fields.u32(system.coreState(), dev.rehype.region.layout.CoreHeaderLayout.FREE_COUNT);
    }

    int portState(int domid, int port) {
        return Fields.u8(system.coreState(), system.layout().port(domid, port) + EvtchnLayout.STATE);
    }

    int portRemoteDom(int domid, int port) {
        return Fields.u16(system.coreState(), system.layout().port(domid, port) + EvtchnLayout.REMOTE_DOM);
    }
}
