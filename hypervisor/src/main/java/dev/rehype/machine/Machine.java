package dev.rehype.machine;

import dev.rehype.machine.snapshot.HartState;
import dev.rehype.machine.snapshot.MachineState;
import dev.rehype.machine.snapshot.PendingEventState;
import dev.rehype.machine.snapshot.TimerState;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine: the "hardware" the hypervisor runs on. Harts, machine memory, a timer per hart,
 * an interrupt controller, a console and a NIC wired to a peer on the wire. Its state outlives
 * any hypervisor failure, as real hardware does.
 *
 * <p>Deterministic by construction: one thread; virtual time in cycles; the harts take turns
 * for windows of at most one quantum, each window also ending at the next device event so that
 * events fire at their exact time; device randomness from seeds derived from the root seed.
 * Same seed and same inputs give the same {@link #stateHash()}.
 *
 * <p>Machine-physical address space: 34 bits (16 GiB, what the second stage's 22-bit frame
 * numbers reach); RAM from 0 (the memory segment handed in, of which the machine keeps no copy),
 * device registers from {@link #MMIO_BASE}, the top 256 MiB. Guests see devices where the
 * hypervisor maps them in their guest-physical space, not at these addresses.
 *
 * <p>Snapshots: between runs, {@link #exportState()} gives everything but memory as plain records
 * and {@link #importState} (or {@link #restore}, which also builds the peer on the wire) puts a
 * machine back into that state; with the same memory bytes, the {@link #stateHash()} is the same.
 */
public final class Machine implements StateHashable, dev.rehype.machine.port.MachinePort {
    public static final long MMIO_BASE = 0x3_F000_0000L;
    /** NIC 0's register window (4 KiB). */
    public static final long NIC0_BASE = MMIO_BASE;
    /** NIC 0's source on the interrupt controller. */
    public static final int NIC0_IRQ = 1;
    /** Default one-way latency of the wire to the peer: 20 µs at 1 cycle per ns. */
    public static final long DEFAULT_WIRE_LATENCY_CYCLES = 20_000;

    private final MachineConfig config;
    private final PhysicalMemory memory;
    private final Hart[] harts;
    private final Timer[] timers;
    private final long[] carryCycles;
    private final boolean[] ipiPending;
    private final EventQueue events = new EventQueue();
    private final InterruptController interrupts;
    private final Console console = new Console();
    private final Nic nic;
    private final List<MmioWindow> mmio = new ArrayList<>();

    private TrapHandler handler;
    private long nowCycles;
    private boolean stopRequested;
    /** Greater than 0 inside {@link #run}: the state is then in the middle of a window, not whole. */
    private int runDepth;

    private record MmioWindow(long base, long sizeBytes, MmioDevice device) {
    }

    /** A machine over {@code ram} with an {@link EchoPeer} on the wire. */
    public Machine(MachineConfig config, MemorySegment ram) {
        this(config, ram, new EchoPeer(DEFAULT_WIRE_LATENCY_CYCLES));
    }

    public Machine(MachineConfig config, MemorySegment ram, WirePeer peer) {
        this.config = config;
        this.memory = new PhysicalMemory(ram);
        this.harts = new Hart[config.harts()];
        this.timers = new Timer[config.harts()];
        this.carryCycles = new long[config.harts()];
        this.ipiPending = new boolean[config.harts()];
        for (int i = 0; i < harts.length; i++) {
            harts[i] = new Hart(i, this, memory);
            timers[i] = new Timer();
        }
        this.interrupts = new InterruptController(config.irqSources(), config.harts());
        this.nic = new Nic("nic0", memory, events, interrupts, NIC0_IRQ, peer,
                Seeds.derive(config.seed(), "nic0"), this::nowCycles);
        mapMmio(NIC0_BASE, nic);
    }

    /** Places {@code device}'s register window at machine address {@code base}. */
    public void mapMmio(long base, MmioDevice device) {
        if (base < MMIO_BASE || (base & (PhysicalMemory.FRAME_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("MMIO window of " + device.name() + " at 0x" + Long.toHexString(base)
                    + " must be frame-aligned and at or above 0x" + Long.toHexString(MMIO_BASE));
        }
        for (MmioWindow w : mmio) {
            if (base < w.base() + w.sizeBytes() && w.base() < base + device.windowBytes()) {
                throw new IllegalArgumentException("MMIO window of " + device.name() + " overlaps "
                        + w.device().name());
            }
        }
        mmio.add(new MmioWindow(base, device.windowBytes(), device));
    }

    public MachineConfig config() {
        return config;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public int hartCount() {
        return harts.length;
    }

    public Hart hart(int i) {
        return harts[i];
    }

    public Timer timer(int hart) {
        return timers[hart];
    }

    public EventQueue events() {
        return events;
    }

    public InterruptController interrupts() {
        return interrupts;
    }

    public Console console() {
        return console;
    }

    public Nic nic() {
        return nic;
    }

    /** Virtual time in cycles at the start of the current window (between runs: now). */
    public long nowCycles() {
        return nowCycles;
    }

    public void setHypervisor(TrapHandler handler) {
        this.handler = handler;
    }

    TrapHandler handler() {
        if (handler == null) {
            throw new IllegalStateException("a hart left the guest but no hypervisor is installed");
        }
        return handler;
    }

    /** Asks the machine to stop at the end of the current window. */
    public void stop() {
        stopRequested = true;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Runs until {@link #stop()} is called or {@code maxCycles} of virtual time have passed;
     * returns the virtual cycles that passed.
     */
    public long run(long maxCycles) {
        return run(maxCycles, Long.MAX_VALUE);
    }

    /**
     * As {@link #run(long)}, but returns at the end of the first window that ends at or after
     * virtual time {@code pauseAtCycles}: the windows are those {@code run(maxCycles)} makes, so
     * pausing there and then running on to the same end is the same as never pausing (the harts
     * take their turns in the same windows). A window cut at an arbitrary moment would not be:
     * each hart runs its whole window before the next, so a cut reorders what they do.
     */
    public long run(long maxCycles, long pauseAtCycles) {
        if (maxCycles < 0) {
            throw new IllegalArgumentException("maxCycles must be >= 0, got " + maxCycles);
        }
        stopRequested = false;
        runDepth++;
        try {
            long start = nowCycles;
            runUntil(maxCycles > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + maxCycles, pauseAtCycles);
            return nowCycles - start;
        } finally {
            runDepth--;
        }
    }

    private void runUntil(long end, long pauseAt) {
        while (!stopRequested && nowCycles < end && nowCycles < pauseAt) {
            events.runDue(nowCycles);
            long windowEnd = Math.min(end, events.nextEventCycles());
            if (anyRunnable()) {
                windowEnd = Math.min(windowEnd, nowCycles + config.quantumCycles());
            } else {
                windowEnd = Math.min(windowEnd, earliestTimerAfter(nowCycles));
            }
            if (windowEnd <= nowCycles) {
                windowEnd = nowCycles + 1;
            }
            for (int i = 0; i < harts.length; i++) {
                runWindow(i, nowCycles, windowEnd);
                harts[i].dropReservation();
            }
            nowCycles = windowEnd;
        }
    }

    private boolean anyRunnable() {
        for (int i = 0; i < harts.length; i++) {
            if (!harts[i].halted() || hostInterruptPending(harts[i], nowCycles)) {
                return true;
            }
        }
        return false;
    }

    private long earliestTimerAfter(long now) {
        long earliest = Long.MAX_VALUE;
        for (Timer t : timers) {
            if (t.deadlineCycles() > now) {
                earliest = Math.min(earliest, t.deadlineCycles());
            }
        }
        return earliest;
    }

    private void runWindow(int i, long start, long end) {
        Hart hart = harts[i];
        Timer timer = timers[i];
        long t = start + carryCycles[i];
        while (t < end) {
            if (ipiPending[i]) {
                ipiPending[i] = false;
                t += Math.max(1, hart.deliverHostInterrupt(TrapCause.HOST_SOFTWARE, t));
            } else if (timer.pending(t)) {
                t += Math.max(1, hart.deliverHostInterrupt(TrapCause.HOST_TIMER, t));
            } else if (interrupts.hasDeliverable(i)) {
                t += Math.max(1, hart.deliverHostInterrupt(TrapCause.HOST_EXTERNAL, t));
            } else if (hart.halted()) {
                t = Math.min(end, Math.max(t + 1, timer.deadlineCycles()));
            } else {
                long limit = Math.min(end, timer.deadlineCycles()) - t;
                t += hart.runGuest(t, limit);
            }
        }
        carryCycles[i] = t - end;
    }

    boolean hostInterruptPending(Hart hart) {
        return hostInterruptPending(hart, hart.timeCycles());
    }

    private boolean hostInterruptPending(Hart hart, long now) {
        return ipiPending[hart.id()] || timers[hart.id()].pending(now) || interrupts.hasDeliverable(hart.id());
    }

    /**
     * Sends an inter-processor interrupt to {@code hart}: it reaches the hypervisor on that hart as
     * {@link TrapCause#HOST_SOFTWARE} when the hart next takes its turn (at once if it is the
     * sender, once its current instruction finishes), waking it if halted.
     */
    public void sendIpi(int hart) {
        ipiPending[hart] = true;
    }

    public boolean ipiPending(int hart) {
        return ipiPending[hart];
    }

    boolean isMmio(long ma) {
        return window(ma) != null;
    }

    int mmioRead(long ma) {
        MmioWindow w = window(ma);
        return w.device().read32((int) (ma - w.base()));
    }

    void mmioWrite(long ma, int value) {
        MmioWindow w = window(ma);
        w.device().write32((int) (ma - w.base()), value);
    }

    private MmioWindow window(long ma) {
        if (ma < MMIO_BASE) {
            return null;
        }
        for (MmioWindow w : mmio) {
            if (ma >= w.base() && ma < w.base() + w.sizeBytes()) {
                return w;
            }
        }
        return null;
    }

    /** A frame now holds decoded code: no hart may keep a fast write path to it. */
    void dropWriteMappings(long frameBase) {
        for (Hart h : harts) {
            h.dropWriteMapping(frameBase);
        }
    }

    /** Flushes every hart's TLB (after the hypervisor changes a second-stage table). */
    public void flushAllTlbs() {
        for (Hart h : harts) {
            h.flushTlb();
        }
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * Everything but machine memory, as plain records: harts, timers, carry cycles, pending IPIs,
     * virtual time, the event queue with its pending events, and every device with the peer on the
     * wire. Only between runs: inside {@link #run} (a trap handler, say) the state is not whole.
     *
     * @throws IllegalStateException if the machine is running, or has a device or event that
     *         cannot be saved (an extra MMIO device, a peer or event with no snapshot support)
     */
    public MachineState exportState() {
        if (runDepth > 0) {
            throw new IllegalStateException("cannot snapshot a running machine: export its state between runs");
        }
        for (MmioWindow w : mmio) {
            if (w.device() != nic) {
                throw new IllegalStateException("cannot snapshot the machine: device " + w.device().name()
                        + " at 0x" + Long.toHexString(w.base()) + " has no snapshot support");
            }
        }
        HartState[] hartStates = new HartState[harts.length];
        TimerState[] timerStates = new TimerState[harts.length];
        for (int i = 0; i < harts.length; i++) {
            hartStates[i] = harts[i].exportState();
            timerStates[i] = timers[i].exportState();
        }
        try {
            return new MachineState(config, memory.sizeBytes(), nowCycles, hartStates, timerStates,
                    carryCycles.clone(), ipiPending.clone(), events.exportState(), interrupts.exportState(),
                    console.exportState(), nic.exportState());
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("cannot snapshot the machine: " + e.getMessage(), e);
        }
    }

    /**
     * Puts this machine into {@code state}, taken from a machine of the same shape over memory of
     * the same size. Machine memory is not part of the state: the caller restores its bytes first.
     * Every cached decoded instruction and translation is dropped, since memory may have changed
     * under them. The trap handler and the console's tee stay as they are.
     *
     * @throws IllegalArgumentException if the state does not fit this machine (another shape, memory
     *         size or peer, or impossible values); the machine may then be partly imported, and is
     *         whole again only after a successful import
     * @throws IllegalStateException if the machine is running
     */
    public void importState(MachineState state) {
        importDevicesAndHarts(state);
        memory.invalidateAllCode();
    }

    /**
     * Starts tracking writes to memory afresh (a reset point): no frame is dirty, and every hart's
     * fast write mappings are dropped so that its next store to any frame is seen. Returns the new
     * tracking period ({@link PhysicalMemory#dirtyEpoch()}).
     */
    public long clearDirtyMemory() {
        flushAllTlbs();
        return memory.clearDirty();
    }

    /**
     * Puts this machine back into {@code state} with the memory of {@code baseRam}, the state and
     * a copy of memory taken when {@link #clearDirtyMemory()} was last called: only the frames
     * written since are copied back; decoded instructions of the others are kept. Costs in
     * proportion to what was written, not to the memory size. Starts a new tracking period and
     * returns the number of frames put back.
     *
     * @throws IllegalArgumentException as {@link #importState}, or if {@code baseRam} is not of
     *         this machine's memory size
     * @throws IllegalStateException if the machine is running
     */
    public int resetState(MachineState state, MemorySegment baseRam) {
        if (runDepth > 0) {
            throw new IllegalStateException("cannot reset a running machine");
        }
        int reverted = memory.revertDirtyFrames(baseRam);
        importDevicesAndHarts(state);
        return reverted;
    }

    private void importDevicesAndHarts(MachineState state) {
        if (runDepth > 0) {
            throw new IllegalStateException("cannot import a snapshot into a running machine");
        }
        if (!state.config().equals(config) || state.ramBytes() != memory.sizeBytes()) {
            throw new IllegalArgumentException("snapshot of a machine " + state.config() + " with "
                    + state.ramBytes() + " bytes of memory imported into a machine " + config + " with "
                    + memory.sizeBytes());
        }
        // What can refuse a state of the right shape (the peer, the events) goes first.
        nic.importState(state.nic());
        events.importState(state.events(), this::recreateEvent);
        interrupts.importState(state.interrupts());
        console.importState(state.console());
        for (int i = 0; i < harts.length; i++) {
            harts[i].importState(state.harts()[i]);
            timers[i].importState(state.timers()[i]);
        }
        System.arraycopy(state.carryCycles(), 0, carryCycles, 0, harts.length);
        System.arraycopy(state.ipiPending(), 0, ipiPending, 0, harts.length);
        nowCycles = state.nowCycles();
        stopRequested = false;
    }

    private DeviceEvent recreateEvent(PendingEventState e) {
        if (e.device().equals(nic.name())) {
            return nic.recreateEvent(e);
        }
        throw new IllegalArgumentException("snapshot has a pending " + e.kind() + " of device " + e.device()
                + ", which this machine does not have");
    }

    /**
     * A new machine over {@code ram} (whose bytes the caller has already restored) in {@code state},
     * with a peer on the wire built from the state's.
     */
    public static Machine restore(MemorySegment ram, MachineState state) {
        Machine machine = new Machine(state.config(), ram, state.nic().peer().newPeer());
        machine.importState(state);
        return machine;
    }

    /**
     * Feeds the whole machine state into {@code h}. Memory's digest is brought up to date from
     * the frames written since the last hash ({@link PhysicalMemory#hashInto}): those written
     * through {@link PhysicalMemory}, plus every frame a hart holds a write mapping of, since
     * its fast-path stores tell nobody. Such a mapping was filled by a store through
     * {@link PhysicalMemory} (which marked the frame) and may outlive this hash, so its frame
     * is reported again after the hash, for the next one: a store through it after this hash is
     * then seen even if the mapping is gone by the next (a TLB flush, a reset).
     */
    @Override
    public void hashInto(StateHasher h) {
        hashInto(h, false);
    }

    /** As {@link #hashInto}, with no cached digest of memory: every frame is digested again. */
    public void hashFromScratchInto(StateHasher h) {
        hashInto(h, true);
    }

    private void hashInto(StateHasher h, boolean fromScratch) {
        h.putTag("machine").putLong(nowCycles).putInt(harts.length);
        for (int i = 0; i < harts.length; i++) {
            harts[i].hashInto(h);
            timers[i].hashInto(h);
            h.putLong(carryCycles[i]).putBoolean(ipiPending[i]);
        }
        if (fromScratch) {
            memory.hashFromScratchInto(h);
        } else {
            for (Hart hart : harts) {
                hart.reportWritableFrames(memory);
            }
            memory.hashInto(h);
            for (Hart hart : harts) {
                hart.reportWritableFrames(memory);
            }
        }
        events.hashInto(h);
        interrupts.hashInto(h);
        console.hashInto(h);
        nic.hashInto(h);
    }

    /** SHA-256 of the whole machine state, hex (the format: {@link StateHasher}). */
    public String stateHash() {
        StateHasher h = new StateHasher();
        hashInto(h);
        return h.hex();
    }

    /** The same value as {@link #stateHash()}, with no cached digest (tests, benches). */
    public String stateHashFromScratch() {
        StateHasher h = new StateHasher();
        hashFromScratchInto(h);
        return h.hex();
    }
}
