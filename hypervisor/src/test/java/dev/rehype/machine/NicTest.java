package dev.rehype.machine;

import static dev.rehype.machine.NicRegisters.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NicTest {
    private static final int IRQ = 3;
    private static final long TX_RING = 0x1000;
    private static final long RX_RING = 0x2000;
    private static final long TX_BUFFERS = 0x1_0000;
    private static final long RX_BUFFERS = 0x4_0000;
    private static final int BUFFER_BYTES = NicDescriptor.MAX_FRAME_BYTES;
    private static final long ECHO_LATENCY_CYCLES = 50;

    /** A peer that records what reaches it and answers nothing. */
    static final class RecordingPeer implements WirePeer {
        final List<byte[]> frames = new ArrayList<>();
        final List<Long> times = new ArrayList<>();

        @Override
        public void receive(byte[] frame, long nowCycles, Wire wire) {
            frames.add(frame);
            times.add(nowCycles);
        }
    }

    /** One NIC on its own memory, event queue, interrupt controller and fake clock. */
    static final class Rig implements AutoCloseable {
        final Arena arena = Arena.ofConfined();
        final PhysicalMemory memory = new PhysicalMemory(arena.allocate(1 << 20, 4096));
        final EventQueue events = new EventQueue();
        final InterruptController ic = new InterruptController(4, 1);
        final Nic nic;
        long clockCycles;

        Rig(long seed, WirePeer peer) {
            ic.setPriority(IRQ, 1);
            nic = new Nic("nic0", memory, events, ic, IRQ, peer, seed, () -> clockCycles);
        }

        /** Programs both rings and enables both engines; all interrupt causes unmasked. */
        Rig up(int txEntries, int rxEntries) {
            nic.write32(TX_RING_BASE, (int) TX_RING);
            nic.write32(TX_RING_SIZE, txEntries);
            nic.write32(RX_RING_BASE, (int) RX_RING);
            nic.write32(RX_RING_SIZE, rxEntries);
            nic.write32(IRQ_MASK, IRQ_ALL);
            nic.write32(CTRL, CTRL_TX_ENABLE | CTRL_RX_ENABLE);
            return this;
        }

        /** Fills TX descriptor {@code index} with {@code frame} (copied to that slot's buffer). */
        void fillTx(int index, byte[] frame, int flags) {
            long buffer = TX_BUFFERS + (long) index * BUFFER_BYTES;
            memory.writeBytes(buffer, frame, 0, frame.length);
            describe(TX_RING, index, buffer, frame.length, flags);
        }

        /** Queues {@code frame} at TX_TAIL and writes the doorbell. */
        void transmit(byte[] frame) {
            int tail = nic.read32(TX_TAIL);
            fillTx(tail, frame, NicDescriptor.EOP);
            nic.write32(TX_TAIL, (tail + 1) % nic.read32(TX_RING_SIZE));
        }

        /** Posts RX descriptor {@code index} with a full-size buffer and advances RX_TAIL past it. */
        void postRx(int index) {
            describe(RX_RING, index, rxBuffer(index), BUFFER_BYTES, 0);
            nic.write32(RX_TAIL, (index + 1) % nic.read32(RX_RING_SIZE));
        }

        long rxBuffer(int index) {
            return RX_BUFFERS + (long) index * BUFFER_BYTES;
        }

        void describe(long ring, int index, long buffer, int length, int flags) {
            long d = NicDescriptor.address(ring, index);
            memory.write32(d + NicDescriptor.BUF_ADDR, (int) buffer);
            memory.write16(d + NicDescriptor.LENGTH, length);
            memory.write16(d + NicDescriptor.FLAGS, flags);
        }

        int flags(long ring, int index) {
            return memory.read16(NicDescriptor.address(ring, index) + NicDescriptor.FLAGS);
        }

        int length(long ring, int index) {
            return memory.read16(NicDescriptor.address(ring, index) + NicDescriptor.LENGTH);
        }

        byte[] received(int index) {
            byte[] frame = new byte[length(RX_RING, index)];
            memory.readBytes(rxBuffer(index), frame, 0, frame.length);
            return frame;
        }

        /** Advances the fake clock event by event until nothing is pending. */
        void runUntilIdle() {
            while (events.size() > 0) {
                clockCycles = Math.max(clockCycles, events.nextEventCycles());
                events.runDue(clockCycles);
            }
        }

        String hash() {
            StateHasher hasher = new StateHasher();
            memory.hashInto(hasher);
            events.hashInto(hasher);
            ic.hashInto(hasher);
            nic.hashInto(hasher);
            return hasher.hex();
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    private final List<Rig> rigs = new ArrayList<>();

    private Rig rig(long seed, WirePeer peer) {
        Rig rig = new Rig(seed, peer);
        rigs.add(rig);
        return rig;
    }

    private Rig echoRig() {
        return rig(42, new EchoPeer(ECHO_LATENCY_CYCLES));
    }

    @AfterEach
    void closeRigs() {
        rigs.forEach(Rig::close);
    }

    private static byte[] frame(int number, int length) {
        byte[] frame = new byte[length];
        for (int i = 0; i < length; i++) {
            frame[i] = (byte) (number * 31 + i);
        }
        return frame;
    }

    @Test
    void the_register_window_is_one_frame_and_resets_to_link_up() {
        Rig rig = echoRig();
        assertThat(rig.nic.name()).isEqualTo("nic0");
        assertThat(rig.nic.windowBytes()).isEqualTo(4096);
        assertThat(rig.nic.irq()).isEqualTo(IRQ);
        assertThat(rig.nic.read32(STATUS)).isEqualTo(STATUS_LINK_UP);
        assertThat(rig.nic.read32(CTRL)).isZero();
        assertThat(rig.nic.read32(0x800)).isZero();
        rig.nic.write32(0x800, -1);
        rig.nic.write32(TX_HEAD, 5);
        assertThat(rig.nic.read32(TX_HEAD)).isZero();
    }

    @Test
    void echoed_frames_land_in_rx_buffers_with_the_same_bytes() {
        Rig rig = echoRig().up(8, 8);
        for (int i = 0; i < 3; i++) {
            rig.postRx(i);
        }
        byte[] first = frame(1, 60);
        byte[] second = frame(2, NicDescriptor.MAX_FRAME_BYTES);

        rig.transmit(first);
        rig.transmit(second);
        rig.runUntilIdle();

        assertThat(rig.nic.read32(TX_HEAD)).isEqualTo(2);
        assertThat(rig.flags(TX_RING, 0) & NicDescriptor.DONE).isNotZero();
        assertThat(rig.flags(TX_RING, 1) & NicDescriptor.DONE).isNotZero();
        assertThat(rig.nic.read32(RX_HEAD)).isEqualTo(2);
        assertThat(rig.flags(RX_RING, 0)).isEqualTo(NicDescriptor.DONE | NicDescriptor.EOP);
        assertThat(rig.flags(RX_RING, 1)).isEqualTo(NicDescriptor.DONE | NicDescriptor.EOP);
        assertThat(rig.flags(RX_RING, 2)).isZero();
        assertThat(rig.received(0)).isEqualTo(first);
        assertThat(rig.received(1)).isEqualTo(second);

        assertThat(rig.nic.txPackets()).isEqualTo(2);
        assertThat(rig.nic.rxPackets()).isEqualTo(2);
        assertThat(rig.nic.rxDropped()).isZero();
        assertThat(rig.nic.read32(TX_PACKETS)).isEqualTo(2);
        assertThat(rig.nic.read32(RX_PACKETS)).isEqualTo(2);
        assertThat(rig.nic.read32(IRQ_CAUSE)).isEqualTo(IRQ_TX_DONE | IRQ_RX_DONE);
        assertThat(rig.ic.pending(IRQ)).isTrue();
        assertThat(rig.ic.claim(0)).isEqualTo(IRQ);
    }

    @Test
    void frames_cross_the_wire_in_order_after_the_wire_latency() {
        RecordingPeer peer = new RecordingPeer();
        Rig rig = rig(7, peer).up(8, 8);
        rig.clockCycles = 1_000;

        for (int i = 0; i < 5; i++) {
            rig.transmit(frame(i, 100 + i));
        }
        rig.runUntilIdle();

        assertThat(peer.frames).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(peer.frames.get(i)).isEqualTo(frame(i, 100 + i));
        }
        long earliest = 1_000 + Nic.TX_START_CYCLES + rig.nic.wireLatencyCycles();
        assertThat(peer.times.getFirst()).isBetween(earliest, earliest + Nic.WIRE_JITTER_CYCLES);
        assertThat(peer.times).isSorted();
        assertThat(rig.nic.wireLatencyCycles()).isBetween(Nic.WIRE_LATENCY_MIN_CYCLES,
                Nic.WIRE_LATENCY_MIN_CYCLES + Nic.WIRE_LATENCY_SPREAD_CYCLES - 1);
    }

    @Test
    void nothing_moves_until_the_event_queue_runs() {
        RecordingPeer peer = new RecordingPeer();
        Rig rig = rig(7, peer).up(8, 8);
        rig.transmit(frame(0, 64));

        assertThat(rig.nic.read32(TX_HEAD)).isZero();
        assertThat(rig.events.size()).isEqualTo(1);
        assertThat(rig.events.nextEventCycles()).isEqualTo(Nic.TX_START_CYCLES);

        rig.clockCycles = Nic.TX_START_CYCLES;
        rig.events.runDue(rig.clockCycles);
        assertThat(rig.nic.read32(TX_HEAD)).isEqualTo(1);
        assertThat(peer.frames).isEmpty();
    }

    @Test
    void masked_causes_are_recorded_but_raise_nothing_until_unmasked() {
        Rig rig = echoRig().up(8, 8);
        rig.nic.write32(IRQ_MASK, 0);
        rig.postRx(0);

        rig.transmit(frame(0, 64));
        rig.runUntilIdle();

        assertThat(rig.nic.read32(IRQ_CAUSE)).isEqualTo(IRQ_TX_DONE | IRQ_RX_DONE);
        assertThat(rig.ic.pending(IRQ)).isFalse();

        rig.nic.write32(IRQ_MASK, IRQ_RX_DONE);
        assertThat(rig.nic.read32(IRQ_MASK)).isEqualTo(IRQ_RX_DONE);
        assertThat(rig.ic.pending(IRQ)).isTrue();
    }

    @Test
    void only_unmasked_causes_raise_the_interrupt() {
        Rig rig = echoRig().up(8, 8);
        rig.nic.write32(IRQ_MASK, IRQ_RX_DONE);
        rig.postRx(0);

        rig.transmit(frame(0, 64));
        rig.clockCycles = Nic.TX_START_CYCLES;
        rig.events.runDue(rig.clockCycles);
        assertThat(rig.nic.read32(IRQ_CAUSE)).isEqualTo(IRQ_TX_DONE);
        assertThat(rig.ic.pending(IRQ)).isFalse();

        rig.runUntilIdle();
        assertThat(rig.nic.read32(IRQ_CAUSE)).isEqualTo(IRQ_TX_DONE | IRQ_RX_DONE);
        assertThat(rig.ic.pending(IRQ)).isTrue();
    }

    @Test
    void cause_bits_are_write_one_to_clear() {
        Rig rig = echoRig().up(8, 8);
        rig.postRx(0);
        rig.transmit(frame(0, 64));
        rig.runUntilIdle();

        rig.nic.write32(IRQ_CAUSE, IRQ_TX_DONE);
        assertThat(rig.nic.read32(IRQ_CAUSE)).isEqualTo(IRQ_RX_DONE);
        rig.nic.write32(IRQ_CAUSE, 0);
        assertThat(rig.nic.read32(IRQ_CAUSE)).isEqualTo(IRQ_RX_DONE);
        rig.nic.write32(IRQ_CAUSE, -1);
        assertThat(rig.nic.read32(IRQ_CAUSE)).isZero();
    }

    @Test
    void a_frame_with_no_rx_descriptor_posted_is_dropped_and_counted() {
        Rig rig = echoRig().up(8, 8);

        rig.transmit(frame(0, 64));
        rig.runUntilIdle();

        assertThat(rig.nic.rxDropped()).isEqualTo(1);
        assertThat(rig.nic.read32(RX_DROPPED)).isEqualTo(1);
        assertThat(rig.nic.rxPackets()).isZero();
        assertThat(rig.nic.read32(RX_HEAD)).isZero();
        assertThat(rig.nic.read32(IRQ_CAUSE) & IRQ_RX_OVERRUN).isNotZero();
        assertThat(rig.nic.read32(IRQ_CAUSE) & IRQ_RX_DONE).isZero();
        assertThat(rig.ic.pending(IRQ)).isTrue();
    }

    @Test
    void frames_arriving_with_rx_disabled_are_dropped_silently() {
        Rig rig = echoRig().up(8, 8);
        rig.postRx(0);
        rig.nic.write32(CTRL, CTRL_TX_ENABLE);

        rig.transmit(frame(0, 64));
        rig.runUntilIdle();

        assertThat(rig.nic.rxDropped()).isEqualTo(1);
        assertThat(rig.nic.read32(IRQ_CAUSE)).isEqualTo(IRQ_TX_DONE);
        assertThat(rig.flags(RX_RING, 0)).isZero();
    }

    @Test
    void a_frame_larger_than_the_posted_buffer_is_dropped_with_the_descriptor_marked_in_error() {
        Rig rig = echoRig().up(8, 8);
        rig.describe(RX_RING, 0, rig.rxBuffer(0), 32, 0);
        rig.nic.write32(RX_TAIL, 1);

        rig.transmit(frame(0, 64));
        rig.runUntilIdle();

        assertThat(rig.flags(RX_RING, 0))
                .isEqualTo(NicDescriptor.DONE | NicDescriptor.EOP | NicDescriptor.ERR);
        assertThat(rig.length(RX_RING, 0)).isZero();
        assertThat(rig.nic.read32(RX_HEAD)).isEqualTo(1);
        assertThat(rig.nic.rxDropped()).isEqualTo(1);
        assertThat(rig.nic.rxPackets()).isZero();
        assertThat(rig.nic.read32(IRQ_CAUSE) & IRQ_ERROR).isNotZero();
    }

    @Test
    void tx_from_a_buffer_outside_ram_is_a_dma_error_that_halts_the_ring() {
        RecordingPeer peer = new RecordingPeer();
        Rig rig = rig(1, peer).up(8, 8);
        rig.describe(TX_RING, 0, 0x8000_0000L, 64, NicDescriptor.EOP);
        rig.fillTx(1, frame(1, 64), NicDescriptor.EOP);
        rig.nic.write32(TX_TAIL, 2);

        rig.runUntilIdle();

        assertThat(rig.nic.read32(STATUS))
                .isEqualTo(STATUS_LINK_UP | STATUS_DMA_ERROR | STATUS_TX_HALTED);
        assertThat(rig.nic.read32(IRQ_CAUSE)).isEqualTo(IRQ_ERROR);
        assertThat(rig.ic.pending(IRQ)).isTrue();
        assertThat(rig.nic.read32(TX_HEAD)).isZero();
        assertThat(rig.flags(TX_RING, 0) & NicDescriptor.DONE).isZero();
        assertThat(rig.nic.txPackets()).isZero();
        assertThat(peer.frames).isEmpty();

        rig.nic.write32(TX_TAIL, 3);
        rig.runUntilIdle();
        assertThat(rig.nic.read32(TX_HEAD)).isZero();
    }

    @Test
    void a_buffer_straddling_the_end_of_ram_is_a_dma_error() {
        Rig rig = rig(1, new RecordingPeer()).up(8, 8);
        rig.describe(TX_RING, 0, (1 << 20) - 10, 64, NicDescriptor.EOP);
        rig.nic.write32(TX_TAIL, 1);
        rig.runUntilIdle();
        assertThat(rig.nic.read32(STATUS) & STATUS_DMA_ERROR).isNotZero();
    }

    @Test
    void a_ring_outside_ram_is_a_dma_error() {
        Rig rig = echoRig().up(8, 8);
        rig.nic.write32(TX_RING_BASE, 0xE000_0000);
        rig.nic.write32(TX_RING_SIZE, 8);
        rig.nic.write32(TX_TAIL, 1);
        rig.runUntilIdle();
        assertThat(rig.nic.read32(STATUS) & (STATUS_DMA_ERROR | STATUS_TX_HALTED))
                .isEqualTo(STATUS_DMA_ERROR | STATUS_TX_HALTED);
    }

    @Test
    void rx_into_a_buffer_outside_ram_is_a_dma_error_that_halts_the_ring() {
        Rig rig = echoRig().up(8, 8);
        rig.describe(RX_RING, 0, 0xFFF0_0000L, BUFFER_BYTES, 0);
        rig.postRx(1);

        rig.transmit(frame(0, 64));
        rig.transmit(frame(1, 64));
        rig.runUntilIdle();

        assertThat(rig.nic.read32(STATUS))
                .isEqualTo(STATUS_LINK_UP | STATUS_DMA_ERROR | STATUS_RX_HALTED);
        assertThat(rig.nic.read32(IRQ_CAUSE) & IRQ_ERROR).isNotZero();
        assertThat(rig.nic.read32(RX_HEAD)).isZero();
        assertThat(rig.nic.rxPackets()).isZero();
        assertThat(rig.nic.rxDropped()).isEqualTo(2);
        assertThat(rig.nic.txPackets()).isEqualTo(2);
        assertThat(rig.flags(RX_RING, 1)).isZero();
    }

    @Test
    void a_malformed_tx_descriptor_is_completed_in_error_and_the_ring_goes_on() {
        RecordingPeer peer = new RecordingPeer();
        Rig rig = rig(1, peer).up(8, 8);
        rig.fillTx(0, frame(0, 64), 0);                // no EOP
        rig.describe(TX_RING, 1, TX_BUFFERS, 0, NicDescriptor.EOP); // empty
        rig.describe(TX_RING, 2, TX_BUFFERS, NicDescriptor.MAX_FRAME_BYTES + 1, NicDescriptor.EOP);
        rig.fillTx(3, frame(3, 64), NicDescriptor.EOP);
        rig.nic.write32(TX_TAIL, 4);

        rig.runUntilIdle();

        for (int i = 0; i < 3; i++) {
            assertThat(rig.flags(TX_RING, i) & (NicDescriptor.DONE | NicDescriptor.ERR))
                    .isEqualTo(NicDescriptor.DONE | NicDescriptor.ERR);
        }
        assertThat(rig.flags(TX_RING, 3)).isEqualTo(NicDescriptor.DONE | NicDescriptor.EOP);
        assertThat(rig.nic.txErrors()).isEqualTo(3);
        assertThat(rig.nic.read32(TX_ERRORS)).isEqualTo(3);
        assertThat(rig.nic.txPackets()).isEqualTo(1);
        assertThat(rig.nic.read32(TX_HEAD)).isEqualTo(4);
        assertThat(peer.frames).hasSize(1);
        assertThat(peer.frames.getFirst()).isEqualTo(frame(3, 64));
        assertThat(rig.nic.read32(STATUS)).isEqualTo(STATUS_LINK_UP);
    }

    @Test
    void both_rings_wrap_around_over_more_frames_than_entries() {
        Rig rig = echoRig().up(4, 4);
        for (int i = 0; i < 3; i++) {
            rig.postRx(i);
        }
        int rxNext = 0;
        int frames = 11;
        for (int sent = 0; sent < frames; ) {
            int batch = Math.min(3, frames - sent);   // a ring of 4 holds at most 3 outstanding
            for (int k = 0; k < batch; k++) {
                rig.transmit(frame(sent + k, 64 + sent + k));
            }
            rig.runUntilIdle();
            assertThat(rig.nic.read32(TX_HEAD)).isEqualTo(rig.nic.read32(TX_TAIL));
            for (int k = 0; k < batch; k++) {
                assertThat(rig.flags(RX_RING, rxNext)).isEqualTo(NicDescriptor.DONE | NicDescriptor.EOP);
                assertThat(rig.received(rxNext)).isEqualTo(frame(sent + k, 64 + sent + k));
                int repost = (rxNext + 3) % 4;         // hand the free slot behind the tail back
                rig.postRx(repost);
                rxNext = (rxNext + 1) % 4;
            }
            sent += batch;
        }

        assertThat(rig.nic.read32(TX_HEAD)).isEqualTo(frames % 4);
        assertThat(rig.nic.read32(RX_HEAD)).isEqualTo(frames % 4);
        assertThat(rig.nic.txPackets()).isEqualTo(frames);
        assertThat(rig.nic.rxPackets()).isEqualTo(frames);
        assertThat(rig.nic.rxDropped()).isZero();
    }

    @Test
    void disabling_tx_pauses_the_ring_and_enabling_it_resumes() {
        RecordingPeer peer = new RecordingPeer();
        Rig rig = rig(1, peer).up(8, 8);
        rig.nic.write32(CTRL, CTRL_RX_ENABLE);
        rig.transmit(frame(0, 64));
        rig.runUntilIdle();
        assertThat(peer.frames).isEmpty();
        assertThat(rig.nic.read32(TX_HEAD)).isZero();

        rig.nic.write32(CTRL, CTRL_TX_ENABLE | CTRL_RX_ENABLE);
        rig.runUntilIdle();
        assertThat(peer.frames).hasSize(1);
    }

    @Test
    void reset_returns_to_power_on_and_abandons_scheduled_work() {
        RecordingPeer peer = new RecordingPeer();
        Rig rig = rig(1, peer).up(8, 8);
        rig.transmit(frame(0, 64));
        rig.nic.write32(TX_RING_SIZE, 3); // a config error, to see it cleared
        assertThat(rig.nic.read32(STATUS) & STATUS_CONFIG_ERROR).isNotZero();

        rig.nic.write32(CTRL, CTRL_RESET | CTRL_TX_ENABLE);
        rig.runUntilIdle();

        assertThat(peer.frames).isEmpty();
        assertThat(rig.nic.read32(CTRL)).isZero();
        assertThat(rig.nic.read32(STATUS)).isEqualTo(STATUS_LINK_UP);
        assertThat(rig.nic.read32(IRQ_CAUSE)).isZero();
        assertThat(rig.nic.read32(IRQ_MASK)).isZero();
        assertThat(rig.nic.read32(TX_RING_SIZE)).isZero();
        assertThat(rig.nic.read32(TX_TAIL)).isZero();
        assertThat(rig.flags(TX_RING, 0) & NicDescriptor.DONE).isZero();

        rig.up(8, 8);
        rig.transmit(frame(5, 64));
        rig.runUntilIdle();
        assertThat(peer.frames).hasSize(1);
        assertThat(peer.frames.getFirst()).isEqualTo(frame(5, 64));
    }

    @Test
    void reset_from_java_clears_a_halted_ring_and_the_counters() {
        Rig rig = echoRig().up(8, 8);
        rig.describe(TX_RING, 0, 0x8000_0000L, 64, NicDescriptor.EOP);
        rig.nic.write32(TX_TAIL, 1);
        rig.runUntilIdle();
        assertThat(rig.nic.read32(STATUS) & STATUS_TX_HALTED).isNotZero();

        rig.nic.reset();
        assertThat(rig.nic.read32(STATUS)).isEqualTo(STATUS_LINK_UP);
        assertThat(rig.nic.txPackets()).isZero();
        assertThat(rig.nic.rxDropped()).isZero();
    }

    @Test
    void invalid_ring_sizes_and_tails_are_ignored_and_reported() {
        Rig rig = echoRig();
        for (int size : new int[] {1, 3, 512, -8}) {
            rig.nic.write32(TX_RING_SIZE, size);
            assertThat(rig.nic.read32(TX_RING_SIZE)).as("size %d", size).isZero();
        }
        assertThat(rig.nic.read32(STATUS) & STATUS_CONFIG_ERROR).isNotZero();
        assertThat(rig.nic.read32(IRQ_CAUSE) & IRQ_ERROR).isNotZero();

        rig.nic.reset();
        rig.nic.write32(RX_RING_SIZE, 256);
        assertThat(rig.nic.read32(RX_RING_SIZE)).isEqualTo(256);
        rig.nic.write32(RX_TAIL, 256);
        assertThat(rig.nic.read32(RX_TAIL)).isZero();
        assertThat(rig.nic.read32(STATUS) & STATUS_CONFIG_ERROR).isNotZero();
    }

    @Test
    void ring_bases_are_aligned_and_reprogramming_a_ring_empties_it() {
        Rig rig = echoRig().up(8, 8);
        rig.postRx(0);
        rig.postRx(1);
        assertThat(rig.nic.read32(RX_TAIL)).isEqualTo(2);

        rig.nic.write32(RX_RING_BASE, 0x3007);
        assertThat(rig.nic.read32(RX_RING_BASE)).isEqualTo(0x3000);
        assertThat(rig.nic.read32(RX_TAIL)).isZero();
        assertThat(rig.nic.read32(RX_HEAD)).isZero();
    }

    @Test
    void the_mac_address_is_locally_administered_unicast_and_follows_the_seed() {
        Rig a = rig(99, new EchoPeer(1));
        Rig b = rig(99, new EchoPeer(1));
        Rig c = rig(100, new EchoPeer(1));

        byte[] mac = a.nic.macAddress();
        assertThat(mac).hasSize(6);
        assertThat(mac[0] & 0x03).isEqualTo(0x02);
        assertThat(a.nic.read32(MAC_LOW)).isEqualTo(
                (mac[0] & 0xFF) | (mac[1] & 0xFF) << 8 | (mac[2] & 0xFF) << 16 | (mac[3] & 0xFF) << 24);
        assertThat(a.nic.read32(MAC_HIGH)).isEqualTo((mac[4] & 0xFF) | (mac[5] & 0xFF) << 8);
        assertThat(b.nic.macAddress()).isEqualTo(mac);
        assertThat(c.nic.macAddress()).isNotEqualTo(mac);
    }

    @Test
    void two_identical_setups_end_in_the_same_state() {
        String[] hashes = new String[2];
        long[] lastArrival = new long[2];
        for (int run = 0; run < 2; run++) {
            Rig rig = rig(2024, new EchoPeer(ECHO_LATENCY_CYCLES)).up(4, 8);
            for (int i = 0; i < 5; i++) {
                rig.postRx(i);
            }
            for (int i = 0; i < 3; i++) {
                rig.transmit(frame(i, 200 + 10 * i));
            }
            rig.clockCycles += 100;
            rig.events.runDue(rig.clockCycles);
            rig.runUntilIdle();
            hashes[run] = rig.hash();
            lastArrival[run] = rig.clockCycles;
        }
        assertThat(hashes[0]).isEqualTo(hashes[1]);
        assertThat(lastArrival[0]).isEqualTo(lastArrival[1]);
    }

    @Test
    void a_different_seed_gives_a_different_state() {
        Rig a = rig(1, new EchoPeer(ECHO_LATENCY_CYCLES));
        Rig b = rig(2, new EchoPeer(ECHO_LATENCY_CYCLES));
        assertThat(a.hash()).isNotEqualTo(b.hash());
    }

    @Test
    void the_hash_sees_frames_on_the_wire() {
        Rig a = rig(5, new RecordingPeer()).up(8, 8);
        Rig b = rig(5, new RecordingPeer()).up(8, 8);
        a.transmit(frame(0, 64));
        b.transmit(frame(1, 64));
        a.clockCycles = b.clockCycles = Nic.TX_START_CYCLES;
        a.events.runDue(a.clockCycles);
        b.events.runDue(b.clockCycles);
        // same registers, different bytes in flight (and in TX buffers)
        assertThat(a.nic.read32(TX_HEAD)).isEqualTo(b.nic.read32(TX_HEAD));
        assertThat(a.hash()).isNotEqualTo(b.hash());
    }

    @Test
    void a_peer_sending_a_bad_frame_is_refused() {
        Rig rig = rig(1, (frame, now, wire) -> wire.sendToNic(new byte[0], now));
        rig.up(8, 8);
        rig.transmit(frame(0, 64));
        assertThatThrownBy(rig::runUntilIdle).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 bytes");
    }

    @Test
    void a_peer_answering_in_the_past_is_refused() {
        Rig rig = rig(1, (frame, now, wire) -> wire.sendToNic(frame, now - 1));
        rig.up(8, 8);
        rig.transmit(frame(0, 64));
        assertThatThrownBy(rig::runUntilIdle).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before the present");
    }

    @Test
    void bad_construction_is_refused() {
        Rig rig = echoRig();
        assertThatThrownBy(() -> new Nic("nic1", rig.memory, rig.events, rig.ic, 0, new EchoPeer(1), 1, () -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interrupt source 0");
        assertThatThrownBy(() -> new Nic("nic1", rig.memory, rig.events, rig.ic, 5, new EchoPeer(1), 1, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Nic("nic1", rig.memory, rig.events, rig.ic, 1, null, 1, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EchoPeer(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
