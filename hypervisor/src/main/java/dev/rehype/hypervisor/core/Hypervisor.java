package dev.rehype.hypervisor.core;

import dev.rehype.guests.GuestImage;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.machine.Csr;
import dev.rehype.machine.Hart;
import dev.rehype.machine.Machine;
import dev.rehype.machine.PhysicalMemory;
import dev.rehype.machine.TrapCause;
import dev.rehype.region.layout.ConsoleRingLayout;
import dev.rehype.region.layout.CoreHeaderLayout;
import dev.rehype.region.layout.CoreTablesLayout;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.FrameTableLayout;
import dev.rehype.region.layout.PerCpuLayout;
import dev.rehype.region.layout.VcpuLayout;
import dev.rehype.machine.port.HartPort;
import dev.rehype.machine.port.MachinePort;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hypervisor proper: what runs on a physical CPU when a hart leaves the guest. On every trap
 * it saves the running vCPU's whole context into the preserved region, handles the cause (a
 * hypercall through the one dispatcher, a timer, an IPI, a guest fault), runs the scheduler and
 * loads the context of the vCPU to run next. Everything a guest depends on is in the region
 * ({@link CoreState}); the run queues, current pointers and tick times are on this image's heap.
 * Always-on invariant checks run at every trap exit; a violation is a {@link HypervisorPanic}.
 */
public final class Hypervisor implements HypervisorEntry {
    static final int DOMID_SELF = 0x7FF0;
    /** Exceptions the guest kernel handles itself. */
    static final int DELEGATED = 1 << TrapCause.FETCH_MISALIGNED | 1 << TrapCause.ILLEGAL_INSTRUCTION
            | 1 << TrapCause.BREAKPOINT | 1 << TrapCause.LOAD_MISALIGNED | 1 << TrapCause.STORE_MISALIGNED
            | 1 << TrapCause.ECALL_FROM_U | 1 << TrapCause.FETCH_PAGE_FAULT | 1 << TrapCause.LOAD_PAGE_FAULT
            | 1 << TrapCause.STORE_PAGE_FAULT;
    /** Virtual cycles of one entry into and exit from the hypervisor. */
    static final long TRAP_CYCLES = 300;
    /** Extra virtual cycles of a hypercall (each multicall entry counts as one). */
    static final long HYPERCALL_CYCLES = 200;
    static final int MAX_MULTICALL = 64;
    static final int MAX_CONSOLE_WRITE = 4096;
    private static final int WFI = 0x10500073;

    final MachinePort machine;
    final PhysicalMemory memory;
    final CoreState st;
    final SpinLocks locks;
    final PageAllocator pages;
    final P2m p2m;
    final Scheduler sched;
    final GuestMemory guest;
    final EventChannels evtchn;
    final GrantTables grants;
    final Devices devices;
    final Intents intents;
    final int cpus;
    private final boolean[] consoleLineStart;

    public Hypervisor(MachinePort machine, MemorySegment state, CoreTablesLayout layout) {
        if (layout.cpus() != machine.hartCount() || layout.frames() != machine.memory().frames()) {
            throw new IllegalArgumentException("core tables laid out for " + layout.cpus() + " cpus and "
                    + layout.frames() + " frames, machine has " + machine.hartCount() + " and "
                    + machine.memory().frames());
        }
        if (layout.maxVcpus() > SharedInfo.MAX_VCPUS) {
            throw new IllegalArgumentException("at most " + SharedInfo.MAX_VCPUS + " vCPUs per domain");
        }
        this.machine = machine;
        this.memory = machine.memory();
        this.st = new CoreState(state, layout);
        this.locks = new SpinLocks(st);
        this.pages = new PageAllocator(st, memory, locks);
        this.p2m = new P2m(st, machine, pages);
        this.cpus = machine.hartCount();
        this.sched = new Scheduler(st, cpus);
        this.guest = new GuestMemory(memory);
        this.evtchn = new EventChannels(this);
        this.grants = new GrantTables(this);
        this.devices = new Devices(this);
        this.intents = new Intents(st);
        this.consoleLineStart = new boolean[layout.maxDomains()];
        java.util.Arrays.fill(consoleLineStart, true);
    }

    // ------------------------------------------------------------------------------ boot

    @Override
    public void boot(BootSpec spec) {
        if (spec.domains().size() > st.maxDomains()) {
            throw new IllegalArgumentException("boot spec has " + spec.domains().size()
                    + " domains; the core tables hold " + st.maxDomains());
        }
        st.initHeader(memory.frames(), cpus);
        pages.initAllFree();
        devices.reset();
        long now = machine.nowCycles();
        for (int domid = 0; domid < spec.domains().size(); domid++) {
            buildDomain(domid, spec.domains().get(domid), now);
        }
        st.header(CoreHeaderLayout.NEXT_DOMID, spec.domains().size());
        st.header(CoreHeaderLayout.BOOT_DONE, 1);
        sched.rebuild();
        for (int c = 0; c < cpus; c++) {
            HartPort hart = machine.hart(c);
            hart.setDelegation(DELEGATED);
            sched.nextTickCycles[c] = now + Scheduler.TICK_CYCLES;
            schedule(c, hart, now);
            checkInvariants(c);
        }
    }

    private void buildDomain(int domid, DomainSpec spec, long now) {
        int cpu = 0;
        if (spec.vcpus() > st.maxVcpus()) {
            throw new IllegalArgumentException("domain " + spec.name() + " wants " + spec.vcpus()
                    + " vCPUs; at most " + st.maxVcpus());
        }
        st.dom(domid, DomainLayout.STATE, DomainLayout.STATE_ACTIVE);
        st.dom(domid, DomainLayout.DOMID, domid);
        st.dom(domid, DomainLayout.FLAGS, spec.privileged() ? DomainLayout.FLAG_PRIVILEGED : 0);
        st.dom(domid, DomainLayout.NR_VCPUS, spec.vcpus());
        st.dom(domid, DomainLayout.MAX_PAGES, spec.maxPages());
        st.dom(domid, DomainLayout.PEER_DOMID, spec.peerDomid());
        st.dom(domid, DomainLayout.ROLE, spec.role());
        st.domName(domid, spec.name());
        if (!p2m.create(domid, cpu)) {
            throw new IllegalStateException("out of machine memory building " + spec.name());
        }
        for (int i = 0; i < spec.memPages(); i++) {
            long mfn = pages.alloc(domid, FrameTableLayout.TYPE_RAM, cpu);
            if (mfn < 0 || !p2m.map(domid, P2m.RAM_BASE_GFN + i, mfn, cpu)) {
                throw new IllegalStateException("out of machine memory building " + spec.name() + " (page " + i
                        + " of " + spec.memPages() + ")");
            }
        }
        st.dom(domid, DomainLayout.TOT_PAGES, spec.memPages());
        long startGfn = P2m.RAM_BASE_GFN + spec.memPages() - 2;
        long sharedGfn = P2m.RAM_BASE_GFN + spec.memPages() - 1;
        st.dom(domid, DomainLayout.START_INFO_GFN, (int) startGfn);
        st.dom(domid, DomainLayout.SHARED_INFO_GFN, (int) sharedGfn);
        loadImage(domid, spec, startGfn);
        writeStartInfo(domid, spec, startGfn, sharedGfn);
        loadModules(domid, spec, startGfn);
        initVcpus(domid, spec.vcpus(), now);
        st.vcpu(domid, 0, VcpuLayout.PC, spec.image().entry());
        st.vcpu(domid, 0, VcpuLayout.REGS + 4 * 10, (int) (startGfn << PhysicalMemory.FRAME_SHIFT));
        st.vcpu(domid, 0, VcpuLayout.REGS + 4 * 11, 0);
        sched.setVstate(sched.vid(domid, 0), VcpuLayout.STATE_RUNNABLE, now);
    }

    /** Fresh vCPU records for a new domain: all offline, spread over the pCPUs. */
    void initVcpus(int domid, int nr, long now) {
        for (int v = 0; v < st.maxVcpus(); v++) {
            st.s.asSlice(st.layout.vcpu(domid, v), VcpuLayout.SIZE_BYTES).fill((byte) 0);
        }
        for (int v = 0; v < nr; v++) {
            st.vcpu(domid, v, VcpuLayout.STATE, VcpuLayout.STATE_OFFLINE);
            Fields.u16(st.s, st.layout.vcpu(domid, v) + VcpuLayout.DOMID, domid);
            Fields.u16(st.s, st.layout.vcpu(domid, v) + VcpuLayout.VCPUID, v);
            st.vcpu(domid, v, VcpuLayout.PROCESSOR, (domid + v) % cpus);
            st.vcpu(domid, v, VcpuLayout.MODE, Hart.MODE_S);
            st.vcpu(domid, v, VcpuLayout.SCOUNTEREN, 7);
            st.vcpu(domid, v, VcpuLayout.CREDIT, Scheduler.CREDIT_REFILL);
            st.vcpu64(domid, v, VcpuLayout.RUNSTATE_ENTRY, now);
        }
        long ring = st.layout.console(domid);
        st.s.asSlice(ring, ConsoleRingLayout.SIZE_BYTES).fill((byte) 0);
        consoleLineStart[domid] = true;
    }

    private void loadImage(int domid, DomainSpec spec, long startGfn) {
        long ramStart = (long) P2m.RAM_BASE_GFN << PhysicalMemory.FRAME_SHIFT;
        long usableEnd = startGfn << PhysicalMemory.FRAME_SHIFT;
        for (GuestImage.Segment seg : spec.image().segments()) {
            long start = seg.vaddr() & 0xffffffffL;
            if (start < ramStart || start + seg.memSizeBytes() > usableEnd) {
                throw new IllegalArgumentException("guest image " + spec.image().name() + " for domain "
                        + spec.name() + ": segment at 0x" + Long.toHexString(start) + " (" + seg.memSizeBytes()
                        + " bytes) does not fit in its " + spec.memPages() + " pages of RAM");
            }
            byte[] data = seg.data();
            for (int off = 0; off < data.length; ) {
                long gpa = start + off;
                int chunk = Math.min(data.length - off, PhysicalMemory.FRAME_SIZE - (int) (gpa & 0xfff));
                long mfn = p2m.lookup(domid, gpa >>> PhysicalMemory.FRAME_SHIFT);
                memory.writeBytes((mfn << PhysicalMemory.FRAME_SHIFT) + (gpa & 0xfff), data, off, chunk);
                off += chunk;
            }
        }
    }

    /**
     * Places the boot modules (images Dom0's toolstack will build domains from) in the domain's
     * RAM, page-aligned after its image, and the module table in the page after the last one;
     * start_info 0x80 = count, 0x84 = table address.
     */
    private void loadModules(int domid, DomainSpec spec, long startGfn) {
        if (spec.modules().isEmpty()) {
            return;
        }
        long end = 0;
        for (GuestImage.Segment seg : spec.image().segments()) {
            end = Math.max(end, (seg.vaddr() & 0xffffffffL) + seg.memSizeBytes());
        }
        long at = (end + PhysicalMemory.FRAME_SIZE - 1) & ~(PhysicalMemory.FRAME_SIZE - 1L);
        long[] gpas = new long[spec.modules().size()];
        for (int i = 0; i < gpas.length; i++) {
            byte[] bytes = spec.modules().get(i).bytes();
            gpas[i] = at;
            writeGuest(domid, at, bytes, startGfn, spec);
            at = (at + bytes.length + PhysicalMemory.FRAME_SIZE - 1) & ~(PhysicalMemory.FRAME_SIZE - 1L);
        }
        byte[] table = new byte[32 * gpas.length];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(table).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < gpas.length; i++) {
            DomainSpec.Module m = spec.modules().get(i);
            b.putInt(32 * i, (int) gpas[i]);
            b.putInt(32 * i + 4, m.bytes().length);
            byte[] name = m.name().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, table, 32 * i + 8, Math.min(name.length, 23));
        }
        writeGuest(domid, at, table, startGfn, spec);
        long si = p2m.lookup(domid, startGfn) << PhysicalMemory.FRAME_SHIFT;
        memory.write32(si + StartInfo.NR_MODULES, gpas.length);
        memory.write32(si + StartInfo.MODULE_TABLE, (int) at);
    }

    private void writeGuest(int domid, long gpa, byte[] bytes, long startGfn, DomainSpec spec) {
        if (gpa + bytes.length > startGfn << PhysicalMemory.FRAME_SHIFT) {
            throw new IllegalArgumentException("domain " + spec.name() + ": boot modules do not fit in its "
                    + spec.memPages() + " pages of RAM");
        }
        for (int off = 0; off < bytes.length; ) {
            long at = gpa + off;
            int chunk = Math.min(bytes.length - off, PhysicalMemory.FRAME_SIZE - (int) (at & 0xfff));
            long mfn = p2m.lookup(domid, at >>> PhysicalMemory.FRAME_SHIFT);
            memory.writeBytes((mfn << PhysicalMemory.FRAME_SHIFT) + (at & 0xfff), bytes, off, chunk);
            off += chunk;
        }
    }

    private void writeStartInfo(int domid, DomainSpec spec, long startGfn, long sharedGfn) {
        long si = p2m.lookup(domid, startGfn) << PhysicalMemory.FRAME_SHIFT;
        memory.write32(si + StartInfo.MAGIC, StartInfo.MAGIC_VALUE);
        memory.write32(si + StartInfo.DOMID, domid);
        memory.write32(si + StartInfo.FLAGS, spec.privileged() ? 1 : 0);
        memory.write32(si + StartInfo.NR_PAGES, spec.memPages());
        memory.write32(si + StartInfo.MAX_PAGES, spec.maxPages());
        memory.write32(si + StartInfo.RAM_BASE, P2m.RAM_BASE_GFN << PhysicalMemory.FRAME_SHIFT);
        memory.write32(si + StartInfo.SHARED_INFO, (int) (sharedGfn << PhysicalMemory.FRAME_SHIFT));
        memory.write32(si + StartInfo.NR_VCPUS, spec.vcpus());
        memory.write32(si + StartInfo.PEER_DOMID, spec.peerDomid());
        memory.write32(si + StartInfo.ROLE, spec.role());
        int[] params = spec.params();
        for (int i = 0; i < params.length; i++) {
            memory.write32(si + StartInfo.PARAMS + 4L * i, params[i]);
        }
        byte[] name = spec.workload().getBytes(StandardCharsets.US_ASCII);
        memory.writeBytes(si + StartInfo.CMDLINE, name, 0, Math.min(name.length, StartInfo.CMDLINE_BYTES - 1));
    }

    // ------------------------------------------------------------------------------ traps

    @Override
    public long onTrap(HartPort hart) {
        int cpu = hart.id();
        long now = hart.timeCycles();
        st.header64(CoreHeaderLayout.TRAPS, st.header64(CoreHeaderLayout.TRAPS) + 1);
        int cur = sched.current[cpu];
        if (cur >= 0) {
            saveContext(cur, hart);
        }
        hart.contextSaved();
        int cause = hart.trapCause();
        long cycles = TRAP_CYCLES;
        long pcpu = st.layout.perCpu(cpu);
        Fields.u32(st.s, pcpu + PerCpuLayout.CAUSE, cause);
        switch (cause) {
            case TrapCause.ECALL_FROM_S -> {
                requireCurrent(cpu, cur, "a hypercall");
                cycles += hypercall(cpu, cur, hart, now);
            }
            case TrapCause.VIRTUAL_INSTRUCTION -> {
                requireCurrent(cpu, cur, "a virtual instruction");
                if (hart.trapValue() == WFI) {
                    setPc(cur, hart.pc() + 4);
                    block(cur, now);
                } else {
                    crashDomain(sched.domid(cur), "unemulated instruction 0x" + Integer.toHexString(hart.trapValue())
                            + " at pc 0x" + Integer.toHexString(hart.pc()), now);
                }
            }
            case TrapCause.HOST_TIMER, TrapCause.HOST_SOFTWARE -> {
                // Timers and rescheduling are handled below, for every trap.
            }
            case TrapCause.HOST_EXTERNAL -> devices.onInterrupt(cpu, now);
            default -> {
                requireCurrent(cpu, cur, TrapCause.name(cause));
                crashDomain(sched.domid(cur), TrapCause.name(cause) + " at pc 0x" + Integer.toHexString(hart.pc())
                        + " (tval 0x" + Integer.toHexString(hart.trapValue()) + ", gpa 0x"
                        + Long.toHexString(hart.trapGuestPhysical()) + ")", now);
            }
        }
        processTimers(cpu, now);
        schedule(cpu, hart, now);
        checkInvariants(cpu);
        return cycles;
    }

    private void requireCurrent(int cpu, int cur, String what) {
        if (cur < 0) {
            throw new HypervisorPanic("cpu " + cpu + " got " + what + " while idle");
        }
    }

    void setPc(int vid, int pc) {
        st.vcpu(sched.domid(vid), sched.vcpuid(vid), VcpuLayout.PC, pc);
    }

    void saveContext(int vid, HartPort h) {
        int d = sched.domid(vid);
        int v = sched.vcpuid(vid);
        long base = st.layout.vcpu(d, v);
        MemorySegment s = st.s;
        for (int i = 1; i < 32; i++) {
            Fields.u32(s, base + VcpuLayout.reg(i), h.reg(i));
        }
        Fields.u32(s, base + VcpuLayout.PC, h.pc());
        Fields.u32(s, base + VcpuLayout.MODE, h.mode());
        Fields.u32(s, base + VcpuLayout.SSTATUS, h.sstatus());
        Fields.u32(s, base + VcpuLayout.SIE, h.sie());
        Fields.u32(s, base + VcpuLayout.SIP, h.sip() & Csr.SSIP & ~h.virtualInterrupts());
        Fields.u32(s, base + VcpuLayout.STVEC, h.stvec());
        Fields.u32(s, base + VcpuLayout.SEPC, h.sepc());
        Fields.u32(s, base + VcpuLayout.SCAUSE, h.scause());
        Fields.u32(s, base + VcpuLayout.STVAL, h.stval());
        Fields.u32(s, base + VcpuLayout.SATP, h.satp());
        Fields.u32(s, base + VcpuLayout.SSCRATCH, h.sscratch());
        Fields.u32(s, base + VcpuLayout.SCOUNTEREN, h.scounteren());
        Fields.u64(s, base + VcpuLayout.INSTRET, h.instret());
    }

    private void restoreContext(int vid, HartPort h) {
        int d = sched.domid(vid);
        int v = sched.vcpuid(vid);
        long base = st.layout.vcpu(d, v);
        MemorySegment s = st.s;
        for (int i = 1; i < 32; i++) {
            h.setReg(i, Fields.u32(s, base + VcpuLayout.reg(i)));
        }
        h.setPc(Fields.u32(s, base + VcpuLayout.PC));
        h.setMode(Fields.u32(s, base + VcpuLayout.MODE) == Hart.MODE_U ? Hart.MODE_U : Hart.MODE_S);
        h.setSstatus(Fields.u32(s, base + VcpuLayout.SSTATUS));
        h.setSie(Fields.u32(s, base + VcpuLayout.SIE));
        int sip = Fields.u32(s, base + VcpuLayout.SIP);
        if (upcallDeliverable(d, v)) {
            sip |= Csr.SSIP;
        }
        h.setGuestSip(sip);
        h.setStvec(Fields.u32(s, base + VcpuLayout.STVEC));
        h.setSepc(Fields.u32(s, base + VcpuLayout.SEPC));
        h.setScause(Fields.u32(s, base + VcpuLayout.SCAUSE));
        h.setStval(Fields.u32(s, base + VcpuLayout.STVAL));
        int satp = Fields.u32(s, base + VcpuLayout.SATP);
        if (h.satp() != satp) {
            h.setSatp(satp);
        }
        h.setSscratch(Fields.u32(s, base + VcpuLayout.SSCRATCH));
        h.setScounteren(Fields.u32(s, base + VcpuLayout.SCOUNTEREN));
        h.setInstret(Fields.u64(s, base + VcpuLayout.INSTRET));
        h.clearVirtualInterrupts(Csr.INTERRUPT_BITS);
        h.assertVirtualInterrupts(Fields.u32(s, base + VcpuLayout.VIRQ));
        long root = p2m.root(d);
        if (h.secondStageRoot() != root) {
            h.setSecondStageRoot(root);
        }
        if (h.delegation() != DELEGATED) {
            h.setDelegation(DELEGATED);
        }
    }

    // ------------------------------------------------------------------------------ scheduling

    private void schedule(int cpu, HartPort hart, long now) {
        schedule(cpu, hart, now, true);
    }

    void schedule(int cpu, HartPort hart, long now, boolean programTimer) {
        int cur = sched.current[cpu];
        boolean keep = cur >= 0 && sched.vstate(cur) == VcpuLayout.STATE_RUNNING && !sched.needResched[cpu]
                && st.domainActive(sched.domid(cur)) && st.dom(sched.domid(cur), DomainLayout.PAUSE_COUNT) == 0;
        if (!keep) {
            if (cur >= 0 && sched.vstate(cur) == VcpuLayout.STATE_RUNNING) {
                sched.setVstate(cur, VcpuLayout.STATE_RUNNABLE, now);
                sched.enqueue(cur);
            }
            int next = sched.pick(cpu);
            if (next >= 0) {
                sched.setVstate(next, VcpuLayout.STATE_RUNNING, now);
            }
            sched.current[cpu] = next;
            cur = next;
        }
        sched.needResched[cpu] = false;
        if (cur >= 0) {
            restoreContext(cur, hart);
            hart.resume();
        } else {
            hart.halt();
        }
        if (programTimer) {
            programTimer(cpu, now);
        }
    }

    void programTimer(int cpu, long now) {
        long deadline = sched.nextTickCycles[cpu];
        int domains = st.maxDomains();
        int vcpus = st.maxVcpus();
        for (int d = 0; d < domains; d++) {
            if (!st.domainActive(d)) {
                continue;
            }
            for (int v = 0; v < vcpus; v++) {
                if (st.vcpu(d, v, VcpuLayout.PROCESSOR) != cpu || st.vcpu(d, v, VcpuLayout.STATE) == VcpuLayout.STATE_OFFLINE) {
                    continue;
                }
                long t = st.vcpu64(d, v, VcpuLayout.TIMER_DEADLINE);
                if (t != 0) {
                    deadline = Math.min(deadline, t);
                }
                long p = st.vcpu64(d, v, VcpuLayout.POLL_TIMEOUT);
                if (p != 0 && (st.vcpu(d, v, VcpuLayout.FLAGS) & VcpuLayout.FLAG_POLLING) != 0) {
                    deadline = Math.min(deadline, p);
                }
            }
        }
        machine.timer(cpu).program(Math.max(deadline, now + 1));
    }

    /**
     * Raises the timer interrupt of every vCPU of {@code cpu} whose deadline has passed and wakes
     * it (or wakes it when its poll timed out), in vCPU order (domains, then their vCPUs); then the
     * scheduler's tick when due.
     */
    private void processTimers(int cpu, long now) {
        int domains = st.maxDomains();
        int vcpus = st.maxVcpus();
        for (int d = 0; d < domains; d++) {
            if (!st.domainActive(d)) {
                continue;
            }
            for (int v = 0; v < vcpus; v++) {
                if (st.vcpu(d, v, VcpuLayout.PROCESSOR) != cpu || st.vcpu(d, v, VcpuLayout.STATE) == VcpuLayout.STATE_OFFLINE) {
                    continue;
                }
                processTimer(cpu, d, v, now);
            }
        }
        long next = sched.nextTickCycles[cpu];
        if (now >= next) {
            // The first tick boundary after now, computed, not stepped to: the work stays bounded
            // whatever the deadline holds (a flipped bit in it once sent this loop on for ever,
            // with no virtual time passing for the watchdog to see).
            sched.nextTickCycles[cpu] = next + ((now - next) / Scheduler.TICK_CYCLES + 1) * Scheduler.TICK_CYCLES;
            if (sched.tick(cpu)) {
                sched.needResched[cpu] = true;
            }
        }
    }

    /** The timer and poll timeout of vCPU {@code d.v} on {@code cpu} at {@code now}. */
    private void processTimer(int cpu, int d, int v, long now) {
        long t = st.vcpu64(d, v, VcpuLayout.TIMER_DEADLINE);
        boolean polling = (st.vcpu(d, v, VcpuLayout.FLAGS) & VcpuLayout.FLAG_POLLING) != 0;
        int vid = sched.vid(d, v);
        if (t != 0 && t <= now) {
            st.vcpu64(d, v, VcpuLayout.TIMER_DEADLINE, 0);
            st.vcpu(d, v, VcpuLayout.VIRQ, st.vcpu(d, v, VcpuLayout.VIRQ) | Csr.STIP);
            if (!polling) {
                wake(vid, now, cpu);
            }
        }
        long p = st.vcpu64(d, v, VcpuLayout.POLL_TIMEOUT);
        if (polling && p != 0 && p <= now) {
            wake(vid, now, cpu);
        }
    }

    /** Blocks {@code vid} unless an upcall or its timer is already pending (SCHEDOP_block). */
    void block(int vid, long now) {
        int d = sched.domid(vid);
        int v = sched.vcpuid(vid);
        if (upcallDeliverable(d, v) || (st.vcpu(d, v, VcpuLayout.VIRQ) & Csr.STIP) != 0) {
            return;
        }
        sched.setVstate(vid, VcpuLayout.STATE_BLOCKED, now);
        sched.needResched[sched.processor(vid)] = true;
    }

    /** Makes a blocked vCPU runnable and makes sure its pCPU notices. */
    void wake(int vid, long now, int fromCpu) {
        int d = sched.domid(vid);
        int v = sched.vcpuid(vid);
        st.vcpu(d, v, VcpuLayout.FLAGS, st.vcpu(d, v, VcpuLayout.FLAGS) & ~VcpuLayout.FLAG_POLLING);
        st.vcpu64(d, v, VcpuLayout.POLL_TIMEOUT, 0);
        if (sched.vstate(vid) != VcpuLayout.STATE_BLOCKED) {
            return;
        }
        sched.setVstate(vid, VcpuLayout.STATE_RUNNABLE, now);
        sched.enqueue(vid);
        int target = sched.processor(vid);
        if (sched.current[target] < 0 && target != fromCpu) {
            machine.sendIpi(target);
        }
        for (int c = 0; c < cpus; c++) {
            if (c != fromCpu && c != target && sched.current[c] < 0) {
                machine.sendIpi(c);
                break;
            }
        }
    }

    /** An event is pending for {@code vid}: wake it, or make the pCPU running it re-enter. */
    void kick(int vid, long now, int fromCpu) {
        int state = sched.vstate(vid);
        if (state == VcpuLayout.STATE_BLOCKED) {
            wake(vid, now, fromCpu);
        } else if (state == VcpuLayout.STATE_RUNNING) {
            int target = sched.processor(vid);
            if (target != fromCpu) {
                machine.sendIpi(target);
            }
        }
    }

    /**
     * Machine address of the domain's shared_info page, or -1 while a domain under construction
     * has none yet (events sent to it then are dropped, as they would be before it bound them).
     */
    long sharedInfo(int domid) {
        long gfn = st.dom(domid, DomainLayout.SHARED_INFO_GFN) & 0xffffffffL;
        long mfn = gfn == 0 ? -1 : p2m.lookup(domid, gfn);
        if (mfn < 0 || mfn >= memory.frames()) {
            return -1;
        }
        return mfn << PhysicalMemory.FRAME_SHIFT;
    }

    boolean upcallDeliverable(int domid, int vcpuid) {
        long si = sharedInfo(domid);
        if (si < 0) {
            return false;
        }
        long vi = si + SharedInfo.vcpuInfo(vcpuid);
        return memory.read8(vi + SharedInfo.UPCALL_PENDING) != 0 && memory.read8(vi + SharedInfo.UPCALL_MASK) == 0;
    }

    // ------------------------------------------------------------------------------ hypercalls

    private long hypercall(int cpu, int vid, HartPort hart, long now) {
        int number = hart.reg(17);
        int[] args = new int[6];
        for (int i = 0; i < 6; i++) {
            args[i] = hart.reg(10 + i);
        }
        long pcpu = st.layout.perCpu(cpu);
        Fields.u32(st.s, pcpu + PerCpuLayout.NR, number);
        for (int i = 0; i < 6; i++) {
            Fields.u32(st.s, pcpu + PerCpuLayout.ARGS + 4L * i, args[i]);
        }
        Fields.u32(st.s, pcpu + PerCpuLayout.PROGRESS, 0);
        Fields.u32(st.s, pcpu + PerCpuLayout.SUBOP, 0);
        Fields.u32(st.s, pcpu + PerCpuLayout.VCPU, sched.domid(vid) << 16 | sched.vcpuid(vid));
        Fields.u32(st.s, pcpu + PerCpuLayout.PC, hart.pc());
        Fields.u32(st.s, pcpu + PerCpuLayout.ACTIVE, 1);
        int d = sched.domid(vid);
        int v = sched.vcpuid(vid);
        setPc(vid, hart.pc() + 4);
        int result = dispatch(cpu, vid, hart, Hypercall.decode(number, args), false, now);
        if (st.domainActive(d)) {
            st.vcpu(d, v, VcpuLayout.reg(10), result);
        }
        // The result is the guest's: an operation's intent has nothing left to undo or finish.
        intents.delivered(cpu);
        Fields.u32(st.s, pcpu + PerCpuLayout.ACTIVE, 0);
        intents.clear(cpu);
        return HYPERCALL_CYCLES;
    }

    /** The one dispatcher: runs {@code call} for vCPU {@code vid}; returns the guest's a0. */
    int dispatch(int cpu, int vid, HartPort hart, Hypercall call, boolean inMulticall, long now) {
        try {
            return switch (call) {
                case Hypercall.ConsoleIo c -> consoleIo(vid, hart, c);
                case Hypercall.SchedOp c -> schedOp(cpu, vid, hart, c, now);
                case Hypercall.SetTimerOp c -> setTimer(vid, c.deadlineCycles());
                case Hypercall.VcpuOp c -> new VcpuOps(this).op(cpu, vid, hart, c, now);
                case Hypercall.EventChannelOp c -> evtchn.op(cpu, vid, hart, c, now);
                case Hypercall.GrantTableOp c -> grants.op(cpu, vid, hart, c.cmd(), c.arg(), c.count());
                case Hypercall.MemoryOp c -> new MemoryOps(this).op(cpu, vid, hart, c);
                case Hypercall.Multicall c -> inMulticall ? -Errno.EINVAL : multicall(cpu, vid, hart, c, now);
                case Hypercall.Domctl c -> new Domctl(this).op(cpu, vid, hart, c, now);
                case Hypercall.Unknown u -> -Errno.ENOSYS;
            };
        } catch (GuestFault f) {
            return -Errno.EFAULT;
        }
    }

    private int consoleIo(int vid, HartPort hart, Hypercall.ConsoleIo c) {
        if (c.cmd() != 0) {
            return -Errno.ENOSYS;
        }
        if (c.count() < 0 || c.count() > MAX_CONSOLE_WRITE) {
            return -Errno.EINVAL;
        }
        byte[] bytes = guest.readBytes(hart, c.buffer(), c.count());
        consoleWrite(sched.domid(vid), bytes);
        return c.count();
    }

    /**
     * Appends to the domain's console ring and, unless the toolstack relays its console (a domain
     * built with createdomain: Dom0 reads the ring with console_read and prints it), to the
     * machine's console with a {@code dN: } prefix at each line start.
     */
    void consoleWrite(int domid, byte[] bytes) {
        long ring = st.layout.console(domid);
        long written = Fields.u64(st.s, ring + ConsoleRingLayout.WRITTEN);
        boolean relayed = (st.dom(domid, DomainLayout.FLAGS) & DomainLayout.FLAG_CONSOLE_RELAYED) != 0;
        for (byte b : bytes) {
            Fields.u8(st.s, ring + ConsoleRingLayout.RING + written % ConsoleRingLayout.RING_BYTES, b);
            written++;
            if (relayed) {
                continue;
            }
            if (consoleLineStart[domid]) {
                byte[] prefix = ("d" + domid + ": ").getBytes(StandardCharsets.US_ASCII);
                machine.console().write(prefix, 0, prefix.length);
            }
            machine.console().write(b);
            consoleLineStart[domid] = b == '\n';
        }
        Fields.u64(st.s, ring + ConsoleRingLayout.WRITTEN, written);
    }

    private int setTimer(int vid, long deadline) {
        int d = sched.domid(vid);
        int v = sched.vcpuid(vid);
        st.vcpu(d, v, VcpuLayout.VIRQ, st.vcpu(d, v, VcpuLayout.VIRQ) & ~Csr.STIP);
        st.vcpu64(d, v, VcpuLayout.TIMER_DEADLINE, deadline < 0 ? Long.MAX_VALUE : deadline);
        return 0;
    }

    private int schedOp(int cpu, int vid, HartPort hart, Hypercall.SchedOp c, long now) {
        int d = sched.domid(vid);
        int v = sched.vcpuid(vid);
        switch (c.cmd()) {
            case 0 -> {
                sched.needResched[cpu] = true;
                return 0;
            }
            case 1 -> {
                block(vid, now);
                return 0;
            }
            case 2 -> {
                int reason = guest.readU32(hart, c.arg());
                int code = guest.readU32(hart, c.arg() + 4);
                if (reason < 0 || reason > 3) {
                    return -Errno.EINVAL;
                }
                shutdownDomain(d, reason, code, now);
                return 0;
            }
            case 3 -> {
                int portsPtr = guest.readU32(hart, c.arg());
                int nr = guest.readU32(hart, c.arg() + 4);
                long timeout = (guest.readU32(hart, c.arg() + 8) & 0xffffffffL)
                        | ((long) guest.readU32(hart, c.arg() + 12) << 32);
                if (nr < 1 || nr > VcpuLayout.MAX_POLL_PORTS) {
                    return -Errno.EINVAL;
                }
                int[] ports = new int[nr];
                for (int i = 0; i < nr; i++) {
                    ports[i] = guest.readU32(hart, portsPtr + 4 * i);
                    if (ports[i] <= 0 || ports[i] >= dev.rehype.region.layout.EvtchnLayout.PORTS_PER_DOMAIN) {
                        return -Errno.EINVAL;
                    }
                }
                for (int port : ports) {
                    if (evtchn.isPending(d, port)) {
                        return 0;
                    }
                }
                if (timeout != 0 && timeout <= now) {
                    return 0;
                }
                for (int i = 0; i < nr; i++) {
                    st.vcpu(d, v, VcpuLayout.POLL_PORTS + 4L * i, ports[i]);
                }
                st.vcpu(d, v, VcpuLayout.POLL_COUNT, nr);
                st.vcpu64(d, v, VcpuLayout.POLL_TIMEOUT, timeout);
                st.vcpu(d, v, VcpuLayout.FLAGS, st.vcpu(d, v, VcpuLayout.FLAGS) | VcpuLayout.FLAG_POLLING);
                sched.setVstate(vid, VcpuLayout.STATE_BLOCKED, now);
                sched.needResched[cpu] = true;
                return 0;
            }
            default -> {
                return -Errno.ENOSYS;
            }
        }
    }

    private int multicall(int cpu, int vid, HartPort hart, Hypercall.Multicall c, long now) {
        if (c.count() < 0 || c.count() > MAX_MULTICALL) {
            return -Errno.EINVAL;
        }
        int d = sched.domid(vid);
        long pcpu = st.layout.perCpu(cpu);
        for (int i = 0; i < c.count(); i++) {
            int entry = c.entries() + 32 * i;
            int op = guest.readU32(hart, entry);
            int[] args = new int[6];
            for (int k = 0; k < 6; k++) {
                args[k] = guest.readU32(hart, entry + 4 + 4 * k);
            }
            int result = dispatch(cpu, vid, hart, Hypercall.decode(op, args), true, now);
            if (!st.domainActive(d)) {
                intents.clear(cpu);
                return 0;
            }
            guest.writeU32(hart, entry + 28, result);
            intents.delivered(cpu);
            Fields.u32(st.s, pcpu + PerCpuLayout.PROGRESS, i + 1);
            intents.clear(cpu);
        }
        return 0;
    }

    // ------------------------------------------------------------------------------ domains

    void shutdownDomain(int domid, int reason, int code, long now) {
        locks.acquire(st.layout.domainLock(domid), 0);
        try {
            if (!st.domainActive(domid)) {
                return;
            }
            st.dom(domid, DomainLayout.STATE, DomainLayout.STATE_SHUTDOWN);
            st.dom(domid, DomainLayout.SHUTDOWN_REASON, reason);
            st.dom(domid, DomainLayout.SHUTDOWN_CODE, code);
            int nr = st.dom(domid, DomainLayout.NR_VCPUS);
            for (int v = 0; v < nr; v++) {
                int vid = sched.vid(domid, v);
                int state = sched.vstate(vid);
                if (state == VcpuLayout.STATE_RUNNING) {
                    int c = sched.processor(vid);
                    sched.needResched[c] = true;
                    machine.sendIpi(c);
                }
                sched.setVstate(vid, VcpuLayout.STATE_OFFLINE, now);
            }
        } finally {
            locks.release(st.layout.domainLock(domid), 0);
        }
    }

    void crashDomain(int domid, String why, long now) {
        consoleWrite(domid, ("(XEN) domain " + domid + " crashed: " + why + "\n").getBytes(StandardCharsets.US_ASCII));
        shutdownDomain(domid, DomainStatus.REASON_CRASH, -1, now);
    }

    /**
     * Tears a domain down: closes its event channels, drops its mappings of others' frames, frees
     * its memory and its slot. Its frames that other domains still map (grant or foreign
     * mappings) stay allocated, owned by nobody, until the last of those mappings goes.
     *
     * <p>Restartable (Xen's domain_kill): run again after being cut short anywhere, it goes on
     * from where it was — each leaf table is unlinked before it is freed, the root is freed only
     * while it is still this domain's table, and the slot is released last. What a cut can still
     * leave (a frame unmapped but not yet freed) is for {@link RepairSettleIntents} to collect.
     */
    void destroyDomain(int domid, int cpu, long now) {
        if (st.domainExists(domid)) {
            if (st.domainActive(domid)) {
                shutdownDomain(domid, 1, 0, now);
            }
            st.dom(domid, DomainLayout.STATE, DomainLayout.STATE_DYING);
            evtchn.closeAll(domid);
            grants.releaseAllOf(domid, cpu);
            devices.releaseAllOf(domid);
            if (p2m.rootIsOwn(domid)) {
                List<long[]> mappings = new ArrayList<>();
                p2m.forEachMapping(domid, (gfn, mfn) -> mappings.add(new long[] {gfn, mfn}));
                for (long[] m : mappings) {
                    p2m.unmap(domid, m[0]);
                    if (m[1] < memory.frames() && pages.owner(m[1]) == domid && !grants.keepsFrame(m[1])) {
                        pages.free(m[1], cpu);
                    }
                }
                p2m.unlinkTables(domid, t -> pages.free(t, cpu));
                pages.free(p2m.root(domid), cpu);
            }
        }
        for (int v = 0; v < st.maxVcpus(); v++) {
            st.s.asSlice(st.layout.vcpu(domid, v), VcpuLayout.SIZE_BYTES).fill((byte) 0);
        }
        long base = st.layout.domain(domid);
        st.s.asSlice(base, DomainLayout.SIZE_BYTES).fill((byte) 0);
    }

    void resetConsoleLines() {
        java.util.Arrays.fill(consoleLineStart, true);
    }

    boolean isPrivileged(int domid) {
        return st.domainExists(domid) && (st.dom(domid, DomainLayout.FLAGS) & DomainLayout.FLAG_PRIVILEGED) != 0;
    }

    /** Cycles the domain's vCPUs have spent running, up to {@code now}. */
    long cpuTime(int domid, long now) {
        long total = 0;
        int nr = st.dom(domid, DomainLayout.NR_VCPUS);
        for (int v = 0; v < nr; v++) {
            total += st.vcpu64(domid, v, VcpuLayout.RUNSTATE_TIME);
            if (st.vcpu(domid, v, VcpuLayout.STATE) == VcpuLayout.STATE_RUNNING) {
                total += Math.max(0, now - st.vcpu64(domid, v, VcpuLayout.RUNSTATE_ENTRY));
            }
        }
        return total;
    }

    /** After a pause or unpause: make every pCPU that runs or could run {@code domid} reschedule. */
    void reschedule(int domid, int cpu) {
        for (int c = 0; c < cpus; c++) {
            int cur = sched.current[c];
            if (cur < 0 || sched.domid(cur) == domid) {
                sched.needResched[c] = true;
                if (c != cpu) {
                    machine.sendIpi(c);
                }
            }
        }
        if (st.dom(domid, DomainLayout.PAUSE_COUNT) == 0) {
            int nr = st.dom(domid, DomainLayout.NR_VCPUS);
            for (int v = 0; v < nr; v++) {
                int vid = sched.vid(domid, v);
                if (sched.vstate(vid) == VcpuLayout.STATE_RUNNABLE) {
                    sched.enqueue(vid);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------ host view

    @Override
    public List<DomainStatus> domains() {
        List<DomainStatus> out = new ArrayList<>();
        for (int d = 0; d < st.maxDomains(); d++) {
            if (!st.domainExists(d)) {
                continue;
            }
            String state = switch (st.dom(d, DomainLayout.STATE)) {
                case DomainLayout.STATE_ACTIVE -> "running";
                case DomainLayout.STATE_SHUTDOWN -> "shutdown";
                default -> "dying";
            };
            long instructions = 0;
            int nr = st.dom(d, DomainLayout.NR_VCPUS);
            for (int v = 0; v < nr; v++) {
                int vid = sched.vid(d, v);
                boolean running = sched.vstate(vid) == VcpuLayout.STATE_RUNNING;
                instructions += running ? machine.hart(sched.processor(vid)).instret()
                        : st.vcpu64(d, v, VcpuLayout.INSTRET);
            }
            out.add(new DomainStatus(d, st.domName(d), state,
                    (st.dom(d, DomainLayout.FLAGS) & DomainLayout.FLAG_PRIVILEGED) != 0,
                    st.dom(d, DomainLayout.SHUTDOWN_REASON), st.dom(d, DomainLayout.SHUTDOWN_CODE),
                    consoleText(d), instructions, cpuTime(d, machine.nowCycles()),
                    st.dom(d, DomainLayout.TOT_PAGES)));
        }
        return out;
    }

    /** Up to {@code max} console bytes of {@code domid} from byte {@code offset} on (what the ring still holds). */
    byte[] consoleBytes(int domid, long offset, int max) {
        long ring = st.layout.console(domid);
        long written = Fields.u64(st.s, ring + ConsoleRingLayout.WRITTEN);
        long first = Math.max(offset, written - ConsoleRingLayout.RING_BYTES);
        int n = (int) Math.max(0, Math.min(max, written - first));
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) Fields.u8(st.s, ring + ConsoleRingLayout.RING + (first + i) % ConsoleRingLayout.RING_BYTES);
        }
        return out;
    }

    private String consoleText(int domid) {
        long ring = st.layout.console(domid);
        long written = Fields.u64(st.s, ring + ConsoleRingLayout.WRITTEN);
        long kept = Math.min(written, ConsoleRingLayout.RING_BYTES);
        byte[] out = new byte[(int) kept];
        for (long i = 0; i < kept; i++) {
            long at = (written - kept + i) % ConsoleRingLayout.RING_BYTES;
            out[(int) i] = (byte) Fields.u8(st.s, ring + ConsoleRingLayout.RING + at);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------ invariants

    /** Cheap checks after every trap: locks, the running vCPU, the per-CPU hypercall record. */
    private void checkInvariants(int cpu) {
        locks.assertNoneHeld(cpu);
        if (Fields.u32(st.s, st.layout.perCpu(cpu) + PerCpuLayout.ACTIVE) != 0) {
            throw new HypervisorPanic("cpu " + cpu + " leaves the hypervisor with a hypercall still recorded");
        }
        if (intents.op(cpu) != Intents.NONE) {
            throw new HypervisorPanic("cpu " + cpu + " leaves the hypervisor with a " + Intents.name(intents.op(cpu))
                    + " intent still recorded");
        }
        int cur = sched.current[cpu];
        if (cur >= 0) {
            int d = sched.domid(cur);
            if (sched.vstate(cur) != VcpuLayout.STATE_RUNNING || sched.processor(cur) != cpu || !st.domainActive(d)) {
                throw new HypervisorPanic("cpu " + cpu + " resumes vcpu " + cur + " in state " + sched.vstate(cur)
                        + " on processor " + sched.processor(cur));
            }
        }
        sched.check();
    }

    @Override
    public dev.rehype.hypervisor.image.CoreHeapState saveHeap() {
        return sched.save(consoleLineStart);
    }

    @Override
    public void restoreHeap(dev.rehype.hypervisor.image.CoreHeapState state) {
        sched.restore(state);
        System.arraycopy(state.consoleLineStart(), 0, consoleLineStart, 0, consoleLineStart.length);
    }

    @Override
    public List<dev.rehype.hypervisor.image.RepairResult> recover(dev.rehype.hypervisor.image.RecoveryPolicy policy,
                                                                  int failedCpu) {
        return new Recovery(this).run(policy, failedCpu);
    }

    @Override
    public int pauseDomain(int domid, boolean pause) {
        return new Domctl(this).host(pause ? Domctl.PAUSEDOMAIN : Domctl.UNPAUSEDOMAIN, domid, machine.nowCycles());
    }

    @Override
    public int destroyDomain(int domid) {
        return new Domctl(this).host(Domctl.DESTROYDOMAIN, domid, machine.nowCycles());
    }

    @Override
    public List<String> audit() {
        return new Audit(this).run();
    }
}
