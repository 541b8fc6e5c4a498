package dev.rehype.machine;

import static dev.rehype.machine.NicRegisters.*;

import dev.rehype.machine.snapshot.NicCountersState;
import dev.rehype.machine.snapshot.NicRingState;
import dev.rehype.machine.snapshot.NicState;
import dev.rehype.machine.snapshot.PendingEventKind;
import dev.rehype.machine.snapshot.PendingEventState;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The machine's network card: a simple e1000-like NIC with one TX and one RX descriptor ring in
 * machine memory, registers in a 4 KiB MMIO window ({@link NicRegisters}), descriptors as laid out
 * in {@link NicDescriptor}, one interrupt source on the {@link InterruptController}, and a wire to
 * a {@link WirePeer}. DMA addresses are machine-physical and unchecked by any IOMMU: a driver that
 * programs a wrong address makes the device read or write the wrong frame, exactly as on real
 * hardware. An address outside RAM makes the device stop that ring and report a DMA error; the
 * device never throws at the machine.
 *
 * <p>Transmit: the driver fills descriptors, then writes TX_TAIL. The device starts
 * {@link #TX_START_CYCLES} later and sends one descriptor every {@link #TX_FRAME_CYCLES}: it
 * DMA-reads the frame, sets DONE in the descriptor, advances TX_HEAD, sets IRQ_CAUSE.TX_DONE (and
 * raises its interrupt source if that cause is unmasked), and puts the frame on the wire. A frame
 * reaches the peer one wire latency plus a seeded jitter later; the wire never reorders frames.
 *
 * <p>Receive: frames from the peer arrive at their time. The device DMA-writes each into the buffer
 * of the RX descriptor at RX_HEAD (if the driver has posted one, i.e. RX_HEAD != RX_TAIL), writes
 * the frame length and DONE|EOP, advances RX_HEAD and sets IRQ_CAUSE.RX_DONE. With no descriptor
 * posted the frame is dropped, counted, and IRQ_CAUSE.RX_OVERRUN is set.
 *
 * <p>Everything here (registers, ring positions, counters, the jitter generator's position, frames on
 * the wire as events in the {@link EventQueue}) is hardware state and survives a hypervisor crash.
 * TX work scheduled before a reset carries the old reset epoch and does nothing when it fires;
 * frames already on the wire keep travelling and meet whatever state the device is in then.
 */
public final class Nic implements MmioDevice, StateHashable, dev.rehype.machine.port.NicPort {
    /** Cycles from a TX_TAIL write (or TX enable) to the first descriptor being processed. */
    public static final long DMA_IDENTITY = -1;
    public static final long DMA_BLOCKED = -2;
    public static final long TX_START_CYCLES = 16;
    /** Cycles between two descriptors processed back to back. */
    public static final long TX_FRAME_CYCLES = 64;
    /** Smallest one-way wire latency; the NIC's own latency is drawn once from its seed. */
    public static final long WIRE_LATENCY_MIN_CYCLES = 200;
    /** The one-way latency is WIRE_LATENCY_MIN_CYCLES + [0, WIRE_LATENCY_SPREAD_CYCLES). */
    public static final int WIRE_LATENCY_SPREAD_CYCLES = 200;
    /** Per-frame jitter is drawn from [0, WIRE_JITTER_CYCLES); a power of two, so one draw each. */
    public static final int WIRE_JITTER_CYCLES = 32;

    private final String name;
    private final PhysicalMemory memory;
    private final EventQueue events;
    private final InterruptController interrupts;
    private final int irq;
    private final WirePeer peer;
    private final long seed;
    private final LongSupplier clockCycles;
    private final byte[] mac;
    private final long wireLatencyCycles;
    private final long jitterSeed;
    /** Replaced (re-seeded and advanced) only by {@link #importState}. */
    private SplittableRandom jitter;
    private final Wire wire = this::sendToNic;

    /** Number of jitter values drawn so far: with the seed, the generator's whole state. */
    private long jitterDraws;
    /** Arrival time of the last frame put on each direction of the wire (keeps them in order). */
    private long lastToPeerCycles;
    private long lastToNicCycles;

    private int ctrl;
    private int status;
    private int irqCause;
    private int irqMask;
    private int txBase;
    private int txSize;
    private int txHead;
    private int txTail;
    private int rxBase;
    private int rxSize;
    private int rxHead;
    private int rxTail;
    private long txPackets;
    private long rxPackets;
    private long rxDropped;
    private long txErrors;
    /** Bumped by every reset; events of an older epoch are ignored. */
    private long epoch;
    /**
     * The IOMMU context of the NIC's DMA: {@link #DMA_IDENTITY} (DMA addresses are machine
     * addresses), {@link #DMA_BLOCKED} (every DMA faults), or the machine frame of an Sv32-format
     * table (a domain's P2M) through which DMA addresses are translated, with its W bit enforced
     * on device writes. Set by the hypervisor when it assigns the device; survives resets.
     */
    private long dmaRoot = DMA_IDENTITY;
    /** A {@link TxStep} of the current epoch is pending in the event queue. */
    private boolean txScheduled;

    /**
     * A NIC named {@code name} (for example "nic0") raising source {@code irq} of {@code ic}.
     * The MAC address, the wire latency and the jitter stream are derived from {@code seed} and the
     * name, so two NICs of one machine given the machine's seed differ. {@code clockCycles} gives
     * the machine's virtual time when a register is written.
     */
    public Nic(String name, PhysicalMemory memory, EventQueue events, InterruptController ic, int irq,
               WirePeer peer, long seed, LongSupplier clockCycles) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a NIC needs a name");
        }
        if (memory == null || events == null || ic == null || peer == null || clockCycles == null) {
            throw new IllegalArgumentException("NIC " + name
                    + ": memory, events, interrupt controller, peer and clock are all required");
        }
        if (irq < 1 || irq > ic.sources()) {
            throw new IllegalArgumentException("NIC " + name + ": interrupt source " + irq
                    + " out of range 1.." + ic.sources());
        }
        this.name = name;
        this.memory = memory;
        this.events = events;
        this.interrupts = ic;
        this.irq = irq;
        this.peer = peer;
        this.seed = seed;
        this.clockCycles = clockCycles;
        SplittableRandom link = new SplittableRandom(Seeds.derive(seed, name + "/link"));
        long macBits = link.nextLong();
        this.mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) (macBits >>> (8 * i));
        }
        mac[0] = (byte) ((mac[0] & 0xFC) | 0x02); // locally administered, unicast
        this.wireLatencyCycles = WIRE_LATENCY_MIN_CYCLES + link.nextInt(WIRE_LATENCY_SPREAD_CYCLES);
        this.jitterSeed = Seeds.derive(seed, name + "/jitter");
        this.jitter = new SplittableRandom(jitterSeed);
        resetRegisters();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int windowBytes() {
        return WINDOW_BYTES;
    }

    /** The interrupt source this NIC raises. */
    public int irq() {
        return irq;
    }

    public WirePeer peer() {
        return peer;
    }

    /** The six bytes of the MAC address (a copy). */
    public byte[] macAddress() {
        return mac.clone();
    }

    /** One-way wire latency before jitter. */
    public long wireLatencyCycles() {
        return wireLatencyCycles;
    }

    public long txPackets() {
        return txPackets;
    }

    public long rxPackets() {
        return rxPackets;
    }

    public long rxDropped() {
        return rxDropped;
    }

    public long txErrors() {
        return txErrors;
    }

    /**
     * Returns the device to its power-on state: both engines off, rings unset, errors, causes,
     * mask and counters cleared. Frames already on the wire keep travelling; device work that was
     * scheduled before the reset is abandoned.
     */
    public void reset() {
        epoch++;
        resetRegisters();
    }

    private void resetRegisters() {
        ctrl = 0;
        status = STATUS_LINK_UP;
        irqCause = 0;
        irqMask = 0;
        txBase = 0;
        txSize = 0;
        txHead = 0;
        txTail = 0;
        rxBase = 0;
        rxSize = 0;
        rxHead = 0;
        rxTail = 0;
        txPackets = 0;
        rxPackets = 0;
        rxDropped = 0;
        txErrors = 0;
        txScheduled = false;
    }

    // ---------------------------------------------------------------- registers

    /** Reads a register; offsets outside the register set (or not aligned to 4) read 0. */
    @Override
    public int read32(int offset) {
        return switch (offset) {
            case CTRL -> ctrl;
            case STATUS -> status;
            case IRQ_CAUSE -> irqCause;
            case IRQ_MASK -> irqMask;
            case TX_RING_BASE -> txBase;
            case TX_RING_SIZE -> txSize;
            case TX_HEAD -> txHead;
            case TX_TAIL -> txTail;
            case RX_RING_BASE -> rxBase;
            case RX_RING_SIZE -> rxSize;
            case RX_HEAD -> rxHead;
            case RX_TAIL -> rxTail;
            case MAC_LOW -> (mac[0] & 0xFF) | (mac[1] & 0xFF) << 8 | (mac[2] & 0xFF) << 16 | (mac[3] & 0xFF) << 24;
            case MAC_HIGH -> (mac[4] & 0xFF) | (mac[5] & 0xFF) << 8;
            case TX_PACKETS -> (int) txPackets;
            case RX_PACKETS -> (int) rxPackets;
            case RX_DROPPED -> (int) rxDropped;
            case TX_ERRORS -> (int) txErrors;
            default -> 0;
        };
    }

    /** Writes a register; read-only registers and unknown offsets ignore writes. */
    @Override
    public void write32(int offset, int value) {
        switch (offset) {
            case CTRL -> writeCtrl(value);
            case IRQ_CAUSE -> irqCause &= ~value;
            case IRQ_MASK -> writeIrqMask(value);
            case TX_RING_BASE -> {
                txBase = value & ~(RING_ALIGN_BYTES - 1);
                txHead = 0;
                txTail = 0;
            }
            case TX_RING_SIZE -> {
                if (validRingSize(value)) {
                    txSize = value;
                    txHead = 0;
                    txTail = 0;
                } else {
                    configError();
                }
            }
            case TX_TAIL -> {
                if (txSize != 0 && Integer.compareUnsigned(value, txSize) < 0) {
                    txTail = value;
                    kickTx();
                } else {
                    configError();
                }
            }
            case RX_RING_BASE -> {
                rxBase = value & ~(RING_ALIGN_BYTES - 1);
                rxHead = 0;
                rxTail = 0;
            }
            case RX_RING_SIZE -> {
                if (validRingSize(value)) {
                    rxSize = value;
                    rxHead = 0;
                    rxTail = 0;
                } else {
                    configError();
                }
            }
            case RX_TAIL -> {
                if (rxSize != 0 && Integer.compareUnsigned(value, rxSize) < 0) {
                    rxTail = value;
                } else {
                    configError();
                }
            }
            default -> {
                // read-only or reserved: ignored, as the hardware would
            }
        }
    }

    private void writeCtrl(int value) {
        if ((value & CTRL_RESET) != 0) {
            reset();
            return;
        }
        ctrl = value & (CTRL_TX_ENABLE | CTRL_RX_ENABLE);
        kickTx();
    }

    private void writeIrqMask(int value) {
        int unmasked = value & IRQ_ALL & ~irqMask;
        irqMask = value & IRQ_ALL;
        if ((irqCause & unmasked) != 0) {
            interrupts.raise(irq);
        }
    }

    private static boolean validRingSize(int entries) {
        return entries == 0 || (entries >= 2 && entries <= MAX_RING_ENTRIES && Integer.bitCount(entries) == 1);
    }

    private void configError() {
        status |= STATUS_CONFIG_ERROR;
        cause(IRQ_ERROR);
    }

    private void dmaError(int haltedBit) {
        status |= STATUS_DMA_ERROR | haltedBit;
        cause(IRQ_ERROR);
    }

    /** Sets {@code bits} in IRQ_CAUSE and raises the interrupt source if any of them is unmasked. */
    private void cause(int bits) {
        irqCause |= bits;
        if ((bits & irqMask) != 0) {
            interrupts.raise(irq);
        }
    }

    /** The present for scheduling: the machine's clock, never behind the event queue. */
    private long now() {
        return Math.max(clockCycles.getAsLong(), events.timeCycles());
    }

    // ---------------------------------------------------------------- transmit

    private boolean txRunnable() {
        return (ctrl & CTRL_TX_ENABLE) != 0 && (status & STATUS_TX_HALTED) == 0 && txSize != 0 && txHead != txTail;
    }

    private void kickTx() {
        if (!txScheduled && txRunnable()) {
            scheduleTx(now() + TX_START_CYCLES);
        }
    }

    private void scheduleTx(long atCycles) {
        txScheduled = true;
        events.schedule(atCycles, new TxStep(this, epoch));
    }

    /** Processes the TX descriptor at TX_HEAD, then schedules the next one if any. */
    private void txStep(long stepEpoch, long nowCycles) {
        if (stepEpoch != epoch) {
            return;
        }
        txScheduled = false;
        if (!txRunnable()) {
            return;
        }
        long descriptor = dma(NicDescriptor.address(Integer.toUnsignedLong(txBase), txHead), NicDescriptor.SIZE_BYTES,
                true);
        if (descriptor < 0) {
            dmaError(STATUS_TX_HALTED);
            return;
        }
        long buffer = Integer.toUnsignedLong(memory.read32(descriptor + NicDescriptor.BUF_ADDR));
        int length = memory.read16(descriptor + NicDescriptor.LENGTH);
        int flags = memory.read16(descriptor + NicDescriptor.FLAGS);
        boolean malformed = length == 0 || length > NicDescriptor.MAX_FRAME_BYTES
                || (flags & NicDescriptor.EOP) == 0;
        if (malformed) {
            memory.write16(descriptor + NicDescriptor.FLAGS, flags | NicDescriptor.DONE | NicDescriptor.ERR);
            txHead = (txHead + 1) & (txSize - 1);
            txErrors++;
            cause(IRQ_TX_DONE | IRQ_ERROR);
        } else {
            buffer = dma(buffer, length, false);
            if (buffer < 0) {
                dmaError(STATUS_TX_HALTED);
                return;
            }
            byte[] frame = new byte[length];
            memory.readBytes(buffer, frame, 0, length);
            memory.write16(descriptor + NicDescriptor.FLAGS, (flags | NicDescriptor.DONE) & ~NicDescriptor.ERR);
            txHead = (txHead + 1) & (txSize - 1);
            txPackets++;
            cause(IRQ_TX_DONE);
            long arrival = Math.max(nowCycles + wireLatencyCycles + drawJitter(), lastToPeerCycles);
            lastToPeerCycles = arrival;
            events.schedule(arrival, new PeerDelivery(this, frame));
        }
        if (txRunnable()) {
            scheduleTx(nowCycles + TX_FRAME_CYCLES);
        }
    }

    private long drawJitter() {
        jitterDraws++;
        return jitter.nextInt(WIRE_JITTER_CYCLES);
    }

    // ---------------------------------------------------------------- the wire and receive

    /** The peer's side of the wire: see {@link Wire#sendToNic}. */
    private void sendToNic(byte[] frame, long atCycles) {
        if (frame == null || frame.length == 0 || frame.length > NicDescriptor.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("peer of " + name + " sent a frame of "
                    + (frame == null ? "null" : frame.length + " bytes")
                    + "; frames are 1.." + NicDescriptor.MAX_FRAME_BYTES + " bytes");
        }
        if (atCycles < events.timeCycles()) {
            throw new IllegalArgumentException("peer of " + name + " sent a frame at cycle " + atCycles
                    + ", before the present (cycle " + events.timeCycles() + ")");
        }
        long arrival = Math.max(atCycles + wireLatencyCycles + drawJitter(), lastToNicCycles);
        lastToNicCycles = arrival;
        events.schedule(arrival, new RxArrival(this, frame.clone()));
    }

    /** A frame reaches the device from the wire. */
    private void receive(byte[] frame) {
        if ((ctrl & CTRL_RX_ENABLE) == 0 || (status & STATUS_RX_HALTED) != 0 || rxSize == 0) {
            rxDropped++;
            return;
        }
        if (rxHead == rxTail) {
            rxDropped++;
            cause(IRQ_RX_OVERRUN);
            return;
        }
        long descriptor = dma(NicDescriptor.address(Integer.toUnsignedLong(rxBase), rxHead), NicDescriptor.SIZE_BYTES,
                true);
        if (descriptor < 0) {
            rxDropped++;
            dmaError(STATUS_RX_HALTED);
            return;
        }
        long buffer = Integer.toUnsignedLong(memory.read32(descriptor + NicDescriptor.BUF_ADDR));
        int capacity = memory.read16(descriptor + NicDescriptor.LENGTH);
        int flags = memory.read16(descriptor + NicDescriptor.FLAGS);
        if (frame.length > capacity) {
            memory.write16(descriptor + NicDescriptor.LENGTH, 0);
            memory.write16(descriptor + NicDescriptor.FLAGS,
                    flags | NicDescriptor.DONE | NicDescriptor.EOP | NicDescriptor.ERR);
            rxHead = (rxHead + 1) & (rxSize - 1);
            rxDropped++;
            cause(IRQ_RX_DONE | IRQ_ERROR);
            return;
        }
        buffer = dma(buffer, frame.length, true);
        if (buffer < 0) {
            rxDropped++;
            dmaError(STATUS_RX_HALTED);
            return;
        }
        memory.writeBytes(buffer, frame, 0, frame.length);
        memory.write16(descriptor + NicDescriptor.LENGTH, frame.length);
        memory.write16(descriptor + NicDescriptor.FLAGS,
                (flags | NicDescriptor.DONE | NicDescriptor.EOP) & ~NicDescriptor.ERR);
        rxHead = (rxHead + 1) & (rxSize - 1);
        rxPackets++;
        cause(IRQ_RX_DONE);
    }

    // ---------------------------------------------------------------- snapshots

    /** Sets the IOMMU context of this NIC's DMA (see {@link #dmaRoot()}). */
    public void setDmaRoot(long root) {
        if (root < DMA_BLOCKED) {
            throw new IllegalArgumentException("DMA root must be a frame, DMA_IDENTITY or DMA_BLOCKED, got " + root);
        }
        dmaRoot = root;
    }

    /** The IOMMU context: DMA_IDENTITY, DMA_BLOCKED, or the root frame of the translation table. */
    public long dmaRoot() {
        return dmaRoot;
    }

    /**
     * The machine address of DMA range [address, address+length), which must lie in one page when
     * translated, or -1 where the device may not access it.
     */
    private long dma(long address, int length, boolean write) {
        if (dmaRoot == DMA_IDENTITY) {
            return memory.contains(address, length) ? address : -1;
        }
        if (dmaRoot == DMA_BLOCKED || address < 0 || address > 0xffffffffL
                || (address & 0xfff) + length > PhysicalMemory.FRAME_SIZE) {
            return -1;
        }
        long rootEntry = (dmaRoot << PhysicalMemory.FRAME_SHIFT) + 4 * (address >>> 22);
        if (!memory.contains(rootEntry, 4)) {
            return -1;
        }
        int pte = memory.read32(rootEntry);
        if ((pte & Sv32.V) == 0 || Sv32.isLeaf(pte)) {
            return -1;
        }
        long leafEntry = (Sv32.ppn(pte) << PhysicalMemory.FRAME_SHIFT) + 4 * ((address >>> 12) & 0x3ff);
        if (!memory.contains(leafEntry, 4)) {
            return -1;
        }
        int leaf = memory.read32(leafEntry);
        if ((leaf & Sv32.V) == 0 || (leaf & Sv32.R) == 0 || (write && (leaf & Sv32.W) == 0)) {
            return -1;
        }
        long ma = (Sv32.ppn(leaf) << PhysicalMemory.FRAME_SHIFT) | (address & 0xfff);
        return memory.contains(ma, length) ? ma : -1;
    }

    /**
     * Everything this NIC holds, and the state of its peer, for a snapshot. Frames on the wire and
     * pending TX work are in the event queue and are saved with it.
     *
     * @throws UnsupportedOperationException if the peer cannot be saved
     */
    public NicState exportState() {
        return new NicState(name, irq, seed, jitterSeed, jitterDraws, lastToPeerCycles, lastToNicCycles,
                ctrl, status, irqCause, irqMask, new NicRingState(txBase, txSize, txHead, txTail),
                new NicRingState(rxBase, rxSize, rxHead, rxTail),
                new NicCountersState(txPackets, rxPackets, rxDropped, txErrors), epoch, txScheduled, dmaRoot,
                peer.exportState());
    }

    /**
     * Takes the state of a snapshot of the same NIC (same name, interrupt source and seed, so the
     * same MAC address and wire latency) and hands the peer its state. The jitter generator is
     * re-seeded and advanced by the number of values drawn before the snapshot. Pending events are
     * imported with the event queue ({@link #recreateEvent}).
     */
    public void importState(NicState s) {
        if (!s.name().equals(name) || s.irq() != irq || s.seed() != seed || s.jitterSeed() != jitterSeed) {
            throw new IllegalArgumentException("snapshot of NIC " + s.name() + " (irq " + s.irq() + ", seed " + s.seed()
                    + ", jitter seed " + s.jitterSeed() + ") imported into NIC " + name + " (irq " + irq + ", seed "
                    + seed + ", jitter seed " + jitterSeed + ")");
        }
        checkRing("TX", s.tx());
        checkRing("RX", s.rx());
        peer.importState(s.peer());
        SplittableRandom generator = new SplittableRandom(jitterSeed);
        for (long i = 0; i < s.jitterDraws(); i++) {
            generator.nextInt(WIRE_JITTER_CYCLES);
        }
        jitter = generator;
        jitterDraws = s.jitterDraws();
        lastToPeerCycles = s.lastToPeerCycles();
        lastToNicCycles = s.lastToNicCycles();
        ctrl = s.ctrl();
        status = s.status();
        irqCause = s.irqCause();
        irqMask = s.irqMask();
        txBase = s.tx().base();
        txSize = s.tx().size();
        txHead = s.tx().head();
        txTail = s.tx().tail();
        rxBase = s.rx().base();
        rxSize = s.rx().size();
        rxHead = s.rx().head();
        rxTail = s.rx().tail();
        txPackets = s.counters().txPackets();
        rxPackets = s.counters().rxPackets();
        rxDropped = s.counters().rxDropped();
        txErrors = s.counters().txErrors();
        epoch = s.epoch();
        txScheduled = s.txScheduled();
        dmaRoot = s.dmaRoot();
    }

    private void checkRing(String which, NicRingState ring) {
        boolean inRange = Integer.compareUnsigned(ring.head(), Math.max(ring.size(), 1)) < 0
                && Integer.compareUnsigned(ring.tail(), Math.max(ring.size(), 1)) < 0;
        if (!validRingSize(ring.size()) || !inRange) {
            throw new IllegalArgumentException("snapshot of NIC " + name + ": " + which + " ring of size "
                    + ring.size() + " with head " + ring.head() + " and tail " + ring.tail() + " is impossible");
        }
    }

    /**
     * Re-creates a pending event of this NIC from a snapshot.
     *
     * @throws IllegalArgumentException if the event is not this NIC's or its payload is impossible
     */
    public DeviceEvent recreateEvent(PendingEventState e) {
        if (!e.device().equals(name)) {
            throw new IllegalArgumentException("NIC " + name + " cannot re-create an event of device " + e.device());
        }
        if (e.kind() != PendingEventKind.NIC_TX_STEP
                && (e.frame().length == 0 || e.frame().length > NicDescriptor.MAX_FRAME_BYTES)) {
            throw new IllegalArgumentException("NIC " + name + ": pending " + e.kind() + " carries a frame of "
                    + e.frame().length + " bytes; frames are 1.." + NicDescriptor.MAX_FRAME_BYTES + " bytes");
        }
        return switch (e.kind()) {
            case NIC_TX_STEP -> new TxStep(this, e.epoch());
            case NIC_TO_PEER -> new PeerDelivery(this, e.frame().clone());
            case NIC_FROM_PEER -> new RxArrival(this, e.frame().clone());
        };
    }

    // ---------------------------------------------------------------- events

    /** The TX engine processes the descriptor at TX_HEAD (ignored if a reset came in between). */
    record TxStep(Nic nic, long epoch) implements DeviceEvent {
        @Override
        public void fire(long nowCycles) {
            nic.txStep(epoch, nowCycles);
        }

        @Override
        public PendingEventState exportState(long atCycles, long sequence) {
            return new PendingEventState(atCycles, sequence, nic.name, PendingEventKind.NIC_TX_STEP, epoch, null);
        }

        @Override
        public void hashInto(StateHasher hasher) {
            hasher.putTag("nic-tx-step").putTag(nic.name).putLong(epoch);
        }
    }

    /** A frame sent by the NIC reaches the peer. */
    record PeerDelivery(Nic nic, byte[] frame) implements DeviceEvent {
        @Override
        public void fire(long nowCycles) {
            nic.peer.receive(frame.clone(), nowCycles, nic.wire);
        }

        @Override
        public PendingEventState exportState(long atCycles, long sequence) {
            return new PendingEventState(atCycles, sequence, nic.name, PendingEventKind.NIC_TO_PEER, 0, frame.clone());
        }

        @Override
        public void hashInto(StateHasher hasher) {
            hasher.putTag("nic-to-peer").putTag(nic.name).putBytes(frame);
        }
    }

    /** A frame sent by the peer reaches the NIC. */
    record RxArrival(Nic nic, byte[] frame) implements DeviceEvent {
        @Override
        public void fire(long nowCycles) {
            nic.receive(frame);
        }

        @Override
        public PendingEventState exportState(long atCycles, long sequence) {
            return new PendingEventState(atCycles, sequence, nic.name, PendingEventKind.NIC_FROM_PEER, 0,
                    frame.clone());
        }

        @Override
        public void hashInto(StateHasher hasher) {
            hasher.putTag("nic-from-peer").putTag(nic.name).putBytes(frame);
        }
    }

    @Override
    public void hashInto(StateHasher hasher) {
        hasher.putTag("nic").putTag(name).putInt(irq).putLong(seed).putBytes(mac).putLong(wireLatencyCycles)
                .putLong(jitterDraws).putLong(lastToPeerCycles).putLong(lastToNicCycles)
                .putInt(ctrl).putInt(status).putInt(irqCause).putInt(irqMask)
                .putInt(txBase).putInt(txSize).putInt(txHead).putInt(txTail)
                .putInt(rxBase).putInt(rxSize).putInt(rxHead).putInt(rxTail)
                .putLong(txPackets).putLong(rxPackets).putLong(rxDropped).putLong(txErrors)
                .putLong(epoch).putBoolean(txScheduled).putLong(dmaRoot);
        if (peer instanceof StateHashable hashablePeer) {
            hashablePeer.hashInto(hasher);
        }
    }

    @Override
    public String toString() {
        return "Nic[" + name + " ctrl=0x" + Integer.toHexString(ctrl) + " status=0x" + Integer.toHexString(status)
                + " cause=0x" + Integer.toHexString(irqCause) + " tx=" + txHead + "/" + txTail + " of " + txSize
                + " rx=" + rxHead + "/" + rxTail + " of " + rxSize + "]";
    }
}
