package dev.rehype.machine.peer;

import static dev.rehype.machine.NicRegisters.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rehype.machine.EchoPeer;
import dev.rehype.machine.EventQueue;
import dev.rehype.machine.InterruptController;
import dev.rehype.machine.Nic;
import dev.rehype.machine.NicDescriptor;
import dev.rehype.machine.PhysicalMemory;
import dev.rehype.machine.Seeds;
import dev.rehype.machine.StateHasher;
import dev.rehype.machine.peer.ServiceMessages.Bye;
import dev.rehype.machine.peer.ServiceMessages.Hello;
import dev.rehype.machine.peer.ServiceMessages.Request;
import dev.rehype.machine.peer.ServiceMessages.Response;
import dev.rehype.machine.snapshot.EchoPeerState;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The peer driven through a real {@link Nic}: a guest written in Java programs the rings the way
 * the driver domain does, sends RHNET frames and answers what arrives, with no time passing on its
 * side. Echo traffic, whole service sessions (with a reference key-value server, a lying one and
 * one that loses requests until it nudges), determinism across seeds and snapshots mid-session.
 */
class NetPeerTest {
    private static final int IRQ = 1;
    private static final int RING = 32;
    private static final long TX_RING = 0x1000;
    private static final long RX_RING = 0x2000;
    private static final long TX_BUFFERS = 0x1_0000;
    private static final long RX_BUFFERS = 0x3_0000;
    private static final int BUFFER_BYTES = NicDescriptor.MAX_FRAME_BYTES;
    private static final int APP = 5;
    private static final int APP_ECHO_PORT = 7000;

    /** A NIC, its memory and event queue, and a guest that reacts to every received frame at once. */
    static final class Rig implements AutoCloseable {
        final Arena arena = Arena.ofConfined();
        final PhysicalMemory memory = new PhysicalMemory(arena.allocate(1 << 20, 4096));
        final EventQueue events = new EventQueue();
        final InterruptController ic = new InterruptController(2, 1);
        final NetPeer peer;
        final Nic nic;
        long clockCycles;
        int rxNext;
        int txTail;
        final List<NetFrame> received = new ArrayList<>();

        Rig(long seed) {
            peer = new NetPeer(Seeds.derive(seed, "netpeer"));
            nic = new Nic("nic0", memory, events, ic, IRQ, peer, seed, () -> clockCycles);
            nic.write32(TX_RING_BASE, (int) TX_RING);
            nic.write32(TX_RING_SIZE, RING);
            nic.write32(RX_RING_BASE, (int) RX_RING);
            nic.write32(RX_RING_SIZE, RING);
            for (int i = 0; i < RING; i++) {
                long d = NicDescriptor.address(RX_RING, i);
                memory.write32(d + NicDescriptor.BUF_ADDR, (int) (RX_BUFFERS + (long) i * BUFFER_BYTES));
                memory.write16(d + NicDescriptor.LENGTH, BUFFER_BYTES);
                memory.write16(d + NicDescriptor.FLAGS, 0);
            }
            nic.write32(RX_TAIL, RING - 1);
            nic.write32(IRQ_MASK, IRQ_ALL);
            nic.write32(CTRL, CTRL_TX_ENABLE | CTRL_RX_ENABLE);
        }

        void transmit(NetFrame frame) {
            byte[] b = frame.encode();
            assertThat((txTail + 1) % RING).as("TX ring full").isNotEqualTo(nic.read32(TX_HEAD));
            long buffer = TX_BUFFERS + (long) txTail * BUFFER_BYTES;
            memory.writeBytes(buffer, b, 0, b.length);
            long d = NicDescriptor.address(TX_RING, txTail);
            memory.write32(d + NicDescriptor.BUF_ADDR, (int) buffer);
            memory.write16(d + NicDescriptor.LENGTH, b.length);
            memory.write16(d + NicDescriptor.FLAGS, NicDescriptor.EOP);
            txTail = (txTail + 1) % RING;
            nic.write32(TX_TAIL, txTail);
        }

        /** Runs the machine's events until none is left, the guest answering each received frame. */
        void run(Function<NetFrame, List<NetFrame>> guest) {
            while (events.size() > 0) {
                step(guest);
            }
            assertThat(nic.rxDropped()).isZero();
        }

        /** Runs the next event, then lets the guest answer what it received. */
        void step(Function<NetFrame, List<NetFrame>> guest) {
            clockCycles = Math.max(clockCycles, events.nextEventCycles());
            events.runDue(clockCycles);
            while (rxNext != nic.read32(RX_HEAD)) {
                long d = NicDescriptor.address(RX_RING, rxNext);
                byte[] b = new byte[memory.read16(d + NicDescriptor.LENGTH)];
                memory.readBytes(Integer.toUnsignedLong(memory.read32(d + NicDescriptor.BUF_ADDR)), b, 0,
                        b.length);
                memory.write16(d + NicDescriptor.LENGTH, BUFFER_BYTES);
                memory.write16(d + NicDescriptor.FLAGS, 0);
                nic.write32(RX_TAIL, rxNext);
                rxNext = (rxNext + 1) % RING;
                NetFrame f = NetFrame.decode(b);
                received.add(f);
                guest.apply(f).forEach(this::transmit);
            }
        }

        String hash() {
            StateHasher hasher = new StateHasher();
            memory.hashInto(hasher);
            events.hashInto(hasher);
            nic.hashInto(hasher);
            return hasher.hex();
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    /**
     * The AppVM's service as the guest implements it: a store of at most 64 keys, a reply cache per
     * client (a repeated request gets the same response), a digest per client folded as
     * {@link ServiceMessages#foldExchange} says. {@code lieAt} > 0 makes the GET of that exchange
     * answer a wrong value; {@code loseUntilNudge} ignores the first request of client 0 until
     * the guest sends its hello again.
     */
    static final class ReferenceService implements Function<NetFrame, List<NetFrame>> {
        final Hello hello;
        final TreeMap<String, String> store = new TreeMap<>();
        final int[] lastSeq;
        final NetFrame[] lastResponse;
        final int[] digest;
        final Bye[] byes;
        int served;
        int lieAt;
        boolean loseUntilNudge;

        ReferenceService(Hello hello) {
            this.hello = hello;
            lastSeq = new int[hello.clients()];
            lastResponse = new NetFrame[hello.clients()];
            digest = new int[hello.clients()];
            java.util.Arrays.fill(digest, NetFrame.FNV_INIT);
            byes = new Bye[hello.clients()];
        }

        NetFrame helloFrame() {
            return new NetFrame(NetFrame.TYPE_SVC_HELLO, NetFrame.SERVICE_PEER, NetFrame.SERVICE_PORT, APP,
                    NetFrame.SERVICE_PORT, 0, hello.encode());
        }

        boolean finished() {
            for (Bye b : byes) {
                if (b == null) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public List<NetFrame> apply(NetFrame f) {
            assertThat(f.dst()).isEqualTo(APP);
            int k = f.src() - NetFrame.SERVICE_CLIENT_BASE;
            if (f.type() == NetFrame.TYPE_SVC_BYE) {
                byes[k] = Bye.decode(f.payload());
                return List.of();
            }
            assertThat(f.type()).isEqualTo(NetFrame.TYPE_SVC_REQUEST);
            if (loseUntilNudge && k == 0) {
                loseUntilNudge = false;
                return List.of(helloFrame());
            }
            if (f.seq() == lastSeq[k]) {
                return List.of(lastResponse[k]);
            }
            assertThat(f.seq()).isEqualTo(lastSeq[k] + 1);
            Request r = Request.decode(f.payload());
            served++;
            String present = store.get(r.key());
            Response answer = switch (r.op()) {
                case ServiceMessages.OP_GET -> present == null
                        ? new Response(r.op(), ServiceMessages.STATUS_NOT_FOUND, "")
                        : new Response(r.op(), ServiceMessages.STATUS_OK, served == lieAt ? present + "?" : present);
                case ServiceMessages.OP_PUT -> {
                    store.put(r.key(), r.value());
                    yield new Response(r.op(), ServiceMessages.STATUS_OK, "");
                }
                default -> new Response(r.op(),
                        store.remove(r.key()) == null ? ServiceMessages.STATUS_NOT_FOUND : ServiceMessages.STATUS_OK,
                        "");
            };
            NetFrame response = f.replyWith(NetFrame.TYPE_SVC_RESPONSE, answer.encode());
            digest[k] = ServiceMessages.foldExchange(digest[k], f.seq(), f.checksum(), response.checksum());
            lastSeq[k] = f.seq();
            lastResponse[k] = response;
            return List.of(response);
        }
    }

    private final List<Rig> rigs = new ArrayList<>();

    private Rig rig(long seed) {
        Rig rig = new Rig(seed);
        rigs.add(rig);
        return rig;
    }

    @AfterEach
    void close() {
        rigs.forEach(Rig::close);
    }

    private static NetFrame echoRequest(int seq, int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (seq * 7 + i);
        }
        return new NetFrame(NetFrame.TYPE_ECHO_REQUEST, NetFrame.ECHO_SERVER, NetFrame.ECHO_PORT, APP, APP_ECHO_PORT,
                seq, payload);
    }

    @Test
    void echo_requests_come_back_to_their_sender_in_order_with_the_same_payload() {
        Rig rig = rig(11);
        for (int seq = 1; seq <= 20; seq++) {
            rig.transmit(echoRequest(seq, 16 * seq));
        }
        rig.run(f -> List.of());

        assertThat(rig.received).hasSize(20);
        for (int i = 0; i < 20; i++) {
            NetFrame echo = rig.received.get(i);
            NetFrame sent = echoRequest(i + 1, 16 * (i + 1));
            assertThat(echo.type()).isEqualTo(NetFrame.TYPE_ECHO_REPLY);
            assertThat(echo.dst()).isEqualTo(APP);
            assertThat(echo.dstPort()).isEqualTo(APP_ECHO_PORT);
            assertThat(echo.src()).isEqualTo(NetFrame.ECHO_SERVER);
            assertThat(echo.seq()).isEqualTo(i + 1);
            assertThat(echo.payload()).isEqualTo(sent.payload());
            assertThat(echo.checksum()).isEqualTo(sent.checksum());
        }
        assertThat(rig.peer.report()).isEqualTo(new NetPeerReport(20, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void garbage_and_frames_for_nobody_are_counted_not_answered() {
        Rig rig = rig(12);
        byte[] bad = echoRequest(1, 40).encode();
        bad[30] ^= 1;
        long buffer = TX_BUFFERS;
        rig.memory.writeBytes(buffer, bad, 0, bad.length);
        long d = NicDescriptor.address(TX_RING, 0);
        rig.memory.write32(d + NicDescriptor.BUF_ADDR, (int) buffer);
        rig.memory.write16(d + NicDescriptor.LENGTH, bad.length);
        rig.memory.write16(d + NicDescriptor.FLAGS, NicDescriptor.EOP);
        rig.txTail = 1;
        rig.nic.write32(TX_TAIL, 1);
        rig.transmit(new NetFrame(NetFrame.TYPE_ECHO_REQUEST, 0xFF77, 7, APP, 1, 1, new byte[4]));
        rig.transmit(new NetFrame(NetFrame.TYPE_SVC_RESPONSE, NetFrame.SERVICE_CLIENT_BASE, 80, APP, 80, 1,
                new byte[4]));
        rig.transmit(new NetFrame(NetFrame.TYPE_SVC_HELLO, NetFrame.SERVICE_PEER, 80, APP, 80, 0,
                new Hello(1, 9, 1, 1).encode()));
        rig.transmit(new NetFrame(99, NetFrame.ECHO_SERVER, 7, APP, 1, 1, new byte[0]));
        rig.run(f -> List.of());

        assertThat(rig.received).isEmpty();
        NetPeerReport report = rig.peer.report();
        assertThat(report.malformed()).isEqualTo(1);
        assertThat(report.unexpected()).isEqualTo(3);
        assertThat(report.refusedHellos()).isEqualTo(1);
        assertThat(report.sessions()).isZero();
    }

    private static final Hello SESSION = new Hello(0x5e55, 3, 40, 8);

    private ReferenceService runSession(Rig rig, ReferenceService service) {
        rig.transmit(service.helloFrame());
        rig.run(service);
        return service;
    }

    @Test
    void a_service_session_is_played_to_the_end_and_both_ends_agree_on_every_client_digest() {
        Rig rig = rig(21);
        ReferenceService service = runSession(rig, new ReferenceService(SESSION));

        assertThat(service.finished()).isTrue();
        assertThat(service.served).isEqualTo(120);
        List<NetPeerReport.ClientReport> clients = rig.peer.session(APP);
        assertThat(clients).hasSize(3);
        for (int k = 0; k < 3; k++) {
            assertThat(clients.get(k)).isEqualTo(new NetPeerReport.ClientReport(k, 40, 0, 0, service.digest[k], true));
            assertThat(service.byes[k]).isEqualTo(new Bye(40, 0, service.digest[k], 0));
        }
        assertThat(rig.peer.report()).isEqualTo(new NetPeerReport(0, 120, 0, 0, 1, 3, 3, 0, 0, 0));
        assertThat(service.store).isNotEmpty().allSatisfy((k, v) -> assertThat(k).matches("c[0-2]k[0-7]"));
    }

    @Test
    void the_reference_service_digest_is_the_one_the_guest_service_prints() {
        // guests/riscv/workloads/service.c with default parameters: seed 0x73657276, 3 clients,
        // 40 requests and 8 keys each; its digest folds the client count, then each client's
        // digest and exchange count. NetworkPathTest sees the guest print the same value.
        ReferenceService service = runSession(rig(51), new ReferenceService(new Hello(0x73657276, 3, 40, 8)));
        int d = NetFrame.fnvWord(NetFrame.FNV_INIT, 3);
        for (int k = 0; k < 3; k++) {
            d = NetFrame.fnvWord(NetFrame.fnvWord(d, service.digest[k]), 40);
        }
        assertThat(String.format("%08x", d)).isEqualTo("2a3c68cd");
        assertThat(String.format("%08x", service.digest[0])).isEqualTo("249e3f94");
    }

    @Test
    void a_wrong_response_is_a_mismatch_and_changes_the_digest() {
        ReferenceService honest = runSession(rig(22), new ReferenceService(SESSION));
        int firstGetHit = 0;
        // Find the first exchange whose GET finds its key: the liar lies there.
        for (int lieAt = 1; lieAt <= 120 && firstGetHit == 0; lieAt++) {
            ReferenceService liar = new ReferenceService(SESSION);
            liar.lieAt = lieAt;
            Rig rig = rig(22);
            runSession(rig, liar);
            if (rig.peer.report().mismatches() > 0) {
                firstGetHit = lieAt;
                assertThat(rig.peer.report().mismatches()).isEqualTo(1);
                assertThat(liar.finished()).isTrue();
                int liedTo = 0;
                for (int k = 0; k < 3; k++) {
                    liedTo += liar.byes[k].mismatches();
                    assertThat(liar.byes[k].digest()).isEqualTo(liar.digest[k]);
                }
                assertThat(liedTo).isEqualTo(1);
                assertThat(liar.digest).isNotEqualTo(honest.digest);
            }
        }
        assertThat(firstGetHit).as("some GET of the script finds its key").isPositive();
    }

    @Test
    void a_lost_request_is_sent_again_after_the_service_nudges_with_its_hello() {
        Rig rig = rig(23);
        ReferenceService lossy = new ReferenceService(SESSION);
        lossy.loseUntilNudge = true;
        runSession(rig, lossy);

        ReferenceService clean = runSession(rig(23), new ReferenceService(SESSION));
        assertThat(lossy.finished()).isTrue();
        assertThat(lossy.digest).isEqualTo(clean.digest);
        NetPeerReport report = rig.peer.report();
        assertThat(report.exchanges()).isEqualTo(120);
        assertThat(report.mismatches()).isZero();
        // The nudge also re-sent clients 1 and 2's requests in flight: answered from the reply cache.
        assertThat(report.duplicates()).isEqualTo(2);
        assertThat(report.sessions()).isEqualTo(1);
    }

    @Test
    void a_hello_after_the_end_resends_the_byes_and_a_new_hello_restarts_the_session() {
        Rig rig = rig(24);
        ReferenceService service = runSession(rig, new ReferenceService(SESSION));
        Bye[] first = service.byes.clone();
        java.util.Arrays.fill(service.byes, null);
        runSession(rig, service);
        assertThat(service.byes).containsExactly(first);

        ReferenceService second = runSession(rig, new ReferenceService(new Hello(0x5e56, 2, 10, 4)));
        assertThat(second.finished()).isTrue();
        assertThat(rig.peer.report().exchanges()).isEqualTo(20);
        assertThat(rig.peer.session(APP)).hasSize(2);
    }

    @Test
    void the_same_seed_gives_the_same_machine_and_another_seed_the_same_digests() {
        Rig a = rig(31);
        Rig b = rig(31);
        Rig c = rig(32);
        ReferenceService sa = runSession(a, new ReferenceService(SESSION));
        ReferenceService sb = runSession(b, new ReferenceService(SESSION));
        ReferenceService sc = runSession(c, new ReferenceService(SESSION));

        assertThat(a.hash()).isEqualTo(b.hash());
        assertThat(a.clockCycles).isEqualTo(b.clockCycles);
        assertThat(c.hash()).isNotEqualTo(a.hash());
        assertThat(sa.digest).isEqualTo(sb.digest).isEqualTo(sc.digest);
    }

    @Test
    void a_snapshot_in_the_middle_of_a_session_continues_identically() {
        Rig whole = rig(41);
        ReferenceService wholeService = runSession(whole, new ReferenceService(SESSION));

        Rig half = rig(41);
        ReferenceService halfService = new ReferenceService(SESSION);
        half.transmit(halfService.helloFrame());
        NetPeerState saved = null;
        while (half.events.size() > 0 && saved == null) {
            half.step(halfService);
            if (half.peer.report().exchanges() >= 50) {
                saved = half.peer.exportState();
            }
        }
        assertThat(saved).isNotNull();
        NetPeer restored = (NetPeer) saved.newPeer();
        StateHasher h1 = new StateHasher();
        half.peer.hashInto(h1);
        StateHasher h2 = new StateHasher();
        restored.hashInto(h2);
        assertThat(h2.hex()).isEqualTo(h1.hex());
        assertThat(restored.report()).isEqualTo(half.peer.report());
        assertThat(restored.exportState().sessions()[0].clients()[0].modelKeys())
                .isEqualTo(saved.sessions()[0].clients()[0].modelKeys());
        half.peer.importState(restored.exportState());
        half.run(halfService);

        assertThat(halfService.digest).isEqualTo(wholeService.digest);
        assertThat(half.hash()).isEqualTo(whole.hash());
    }

    @Test
    void a_snapshot_of_another_peer_is_refused() {
        NetPeer peer = new NetPeer(1);
        assertThatThrownBy(() -> peer.importState(new EchoPeerState(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NetPeer");
        assertThatThrownBy(() -> peer.importState(new NetPeer(2).exportState()))
                .hasMessageContaining("seed 2");
        NetPeerState impossible = new NetPeerState(1, NetPeer.DEFAULT_TURNAROUND_CYCLES, 0, 0, 0, 0,
                new NetPeerState.Session[] {new NetPeerState.Session(5, 80, 1, 1, 10, 4,
                        new NetPeerState.Client[] {new NetPeerState.Client(12, 0, 0, 0, new String[0],
                                new String[0])})});
        assertThatThrownBy(() -> peer.importState(impossible)).hasMessageContaining("request 12 of 10");
        assertThat(new EchoPeer(1)).isNotNull();
    }
}
