package dev.rehype.machine.peer;

import dev.rehype.machine.Seeds;
import dev.rehype.machine.StateHashable;
import dev.rehype.machine.StateHasher;
import dev.rehype.machine.Wire;
import dev.rehype.machine.WirePeer;
import dev.rehype.machine.peer.ServiceMessages.Bye;
import dev.rehype.machine.peer.ServiceMessages.Hello;
import dev.rehype.machine.peer.ServiceMessages.Request;
import dev.rehype.machine.peer.ServiceMessages.Response;
import dev.rehype.machine.snapshot.PeerState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The simulated network on the other end of the NIC's wire, speaking {@link NetFrame}s: an echo
 * server for the {@code net} workload and the clients of the {@code service} workload.
 *
 * <p>Echo: a {@code TYPE_ECHO_REQUEST} to {@link NetFrame#ECHO_SERVER} comes back as a
 * {@code TYPE_ECHO_REPLY} to its sender with the same SEQ and payload.
 *
 * <p>Service: an AppVM announces its service with a {@code TYPE_SVC_HELLO} to
 * {@link NetFrame#SERVICE_PEER}; the peer then plays the session's clients, each a strict
 * request/response loop over the {@link ServiceScript}, checking every response against its own
 * model of the store and folding the exchange into its digest. A client that has sent its last
 * request and checked the response sends a {@code TYPE_SVC_BYE} with its counts and digest. A
 * hello for a session that is already running (same parameters) is a nudge from an AppVM that
 * heard nothing for a while: each client sends its request in flight again, or its bye if it is
 * done. A hello with other parameters starts the session afresh (the AppVM was restarted).
 * Since the peer has no clock of its own, those nudges are what recovers frames lost on the way
 * (for example while a driver domain is down).
 *
 * <p>Deterministic: what the peer sends depends only on the frames it receives; when it sends
 * them depends on the time they arrived, a fixed turnaround and a think time that is a pure
 * function of the peer's seed and the frame's identity (no generator position to save). Every
 * map is ordered. Everything it counts is exposed for the host's report ({@link #report()}).
 */
public final class NetPeer implements WirePeer, StateHashable {
    /** Default time the peer takes to answer a frame. */
    public static final long DEFAULT_TURNAROUND_CYCLES = 500;
    /** Think time before a client's next request is drawn from [0, THINK_SPREAD_CYCLES). */
    public static final int THINK_SPREAD_CYCLES = 1024;

    private final long seed;
    private final long turnaroundCycles;
    private long echoes;
    private long malformed;
    private long unexpected;
    private long refusedHellos;
    /** Sessions by AppVM domid; ordered so that hashing and export are deterministic. */
    private final TreeMap<Integer, Session> sessions = new TreeMap<>();

    /** A peer with its own {@code seed} (derive it from the machine's with {@link Seeds}) and the default turnaround. */
    public NetPeer(long seed) {
        this(seed, DEFAULT_TURNAROUND_CYCLES);
    }

    public NetPeer(long seed, long turnaroundCycles) {
        if (turnaroundCycles < 0) {
            throw new IllegalArgumentException("peer turnaround must not be negative, got " + turnaroundCycles);
        }
        this.seed = seed;
        this.turnaroundCycles = turnaroundCycles;
    }

    public long seed() {
        return seed;
    }

    public long turnaroundCycles() {
        return turnaroundCycles;
    }

    // ---------------------------------------------------------------- the wire

    @Override
    public void receive(byte[] bytes, long nowCycles, Wire wire) {
        if (NetFrame.problem(bytes) != null) {
            malformed++;
            return;
        }
        NetFrame f = NetFrame.decode(bytes);
        switch (f.type()) {
            case NetFrame.TYPE_ECHO_REQUEST -> {
                if (f.dst() != NetFrame.ECHO_SERVER || f.dstPort() != NetFrame.ECHO_PORT) {
                    unexpected++;
                    return;
                }
                echoes++;
                send(wire, f.replyWith(NetFrame.TYPE_ECHO_REPLY, f.payload()), nowCycles,
                        jitter("echo", f.src(), f.seq()));
            }
            case NetFrame.TYPE_SVC_HELLO -> hello(f, nowCycles, wire);
            case NetFrame.TYPE_SVC_RESPONSE -> response(f, nowCycles, wire);
            default -> unexpected++;
        }
    }

    private void send(Wire wire, NetFrame frame, long nowCycles, long thinkCycles) {
        wire.sendToNic(frame.encode(), nowCycles + turnaroundCycles + thinkCycles);
    }

    /** A think time that depends only on the seed and what it is for. */
    private long jitter(String what, int id, int seq) {
        return new SplittableRandom(Seeds.derive(seed, what + "/" + id + "/" + Integer.toUnsignedString(seq)))
                .nextInt(THINK_SPREAD_CYCLES);
    }

    private void hello(NetFrame f, long nowCycles, Wire wire) {
        Hello hello = Hello.decode(f.payload());
        if (f.dst() != NetFrame.SERVICE_PEER || f.dstPort() != NetFrame.SERVICE_PORT || hello == null
                || hello.problem() != null) {
            refusedHellos++;
            return;
        }
        Session s = sessions.get(f.src());
        if (s == null || !s.hello.equals(hello) || s.appPort != f.srcPort()) {
            s = new Session(f.src(), f.srcPort(), hello);
            sessions.put(f.src(), s);
        }
        for (int k = 0; k < s.clients.length; k++) {
            sendNext(s, k, nowCycles, wire);
        }
    }

    /** Client k's request in flight, or its bye when it is done. */
    private void sendNext(Session s, int k, long nowCycles, Wire wire) {
        Client c = s.clients[k];
        int id = NetFrame.SERVICE_CLIENT_BASE + k;
        long think = jitter("think/" + s.domid + "/" + k, s.hello.seed(), c.seq);
        if (c.done(s.hello)) {
            Bye bye = new Bye(c.seq - 1, c.mismatches, c.digest, c.duplicates);
            send(wire, new NetFrame(NetFrame.TYPE_SVC_BYE, s.domid, s.appPort, id, NetFrame.SERVICE_PORT, c.seq,
                    bye.encode()), nowCycles, think);
        } else {
            Request r = ServiceScript.request(s.hello, k, c.seq);
            send(wire, new NetFrame(NetFrame.TYPE_SVC_REQUEST, s.domid, s.appPort, id, NetFrame.SERVICE_PORT, c.seq,
                    r.encode()), nowCycles, think);
        }
    }

    private void response(NetFrame f, long nowCycles, Wire wire) {
        Session s = sessions.get(f.src());
        int k = f.dst() - NetFrame.SERVICE_CLIENT_BASE;
        if (s == null || k < 0 || k >= s.clients.length || f.dstPort() != NetFrame.SERVICE_PORT) {
            unexpected++;
            return;
        }
        Client c = s.clients[k];
        if (c.done(s.hello) || f.seq() != c.seq) {
            c.duplicates++;
            return;
        }
        Request request = ServiceScript.request(s.hello, k, c.seq);
        Response expected = c.apply(request);
        Response actual = Response.decode(f.payload());
        if (!expected.equals(actual)) {
            c.mismatches++;
        }
        int requestCheck = NetFrame.checksum(c.seq, request.encode(), 0, request.encode().length);
        c.digest = ServiceMessages.foldExchange(c.digest, c.seq, requestCheck, f.checksum());
        c.seq++;
        sendNext(s, k, nowCycles, wire);
    }

    // ---------------------------------------------------------------- what the host reports

    /** Totals over every session, for the host's report. */
    public NetPeerReport report() {
        long exchanges = 0;
        long mismatches = 0;
        long duplicates = 0;
        int clientsDone = 0;
        int clients = 0;
        for (Session s : sessions.values()) {
            for (Client c : s.clients) {
                exchanges += c.seq - 1;
                mismatches += c.mismatches;
                duplicates += c.duplicates;
                clients++;
                clientsDone += c.done(s.hello) ? 1 : 0;
            }
        }
        return new NetPeerReport(echoes, exchanges, mismatches, duplicates, sessions.size(), clients, clientsDone,
                malformed, unexpected, refusedHellos);
    }

    /** One session's per-client view, in client order; empty if {@code domid} never said hello. */
    public List<NetPeerReport.ClientReport> session(int domid) {
        Session s = sessions.get(domid);
        List<NetPeerReport.ClientReport> out = new ArrayList<>();
        if (s != null) {
            for (int k = 0; k < s.clients.length; k++) {
                Client c = s.clients[k];
                out.add(new NetPeerReport.ClientReport(k, c.seq - 1, c.mismatches, c.duplicates, c.digest,
                        c.done(s.hello)));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- state

    private static final class Session {
        final int domid;
        final int appPort;
        final Hello hello;
        final Client[] clients;

        Session(int domid, int appPort, Hello hello) {
            this.domid = domid;
            this.appPort = appPort;
            this.hello = hello;
            this.clients = new Client[hello.clients()];
            for (int k = 0; k < clients.length; k++) {
                clients[k] = new Client();
            }
        }
    }

    private static final class Client {
        int seq = 1;
        int digest = NetFrame.FNV_INIT;
        int mismatches;
        int duplicates;
        final TreeMap<String, String> model = new TreeMap<>();

        boolean done(Hello hello) {
            return seq > hello.requestsPerClient();
        }

        /** What the store must answer to {@code r}; updates the model as the store must. */
        Response apply(Request r) {
            String present = model.get(r.key());
            return switch (r.op()) {
                case ServiceMessages.OP_GET -> present == null
                        ? new Response(r.op(), ServiceMessages.STATUS_NOT_FOUND, "")
                        : new Response(r.op(), ServiceMessages.STATUS_OK, present);
                case ServiceMessages.OP_PUT -> {
                    model.put(r.key(), r.value());
                    yield new Response(r.op(), ServiceMessages.STATUS_OK, "");
                }
                case ServiceMessages.OP_DEL -> {
                    if (model.remove(r.key()) == null) {
                        yield new Response(r.op(), ServiceMessages.STATUS_NOT_FOUND, "");
                    }
                    yield new Response(r.op(), ServiceMessages.STATUS_OK, "");
                }
                default -> throw new IllegalStateException("the script made op " + r.op());
            };
        }
    }

    @Override
    public NetPeerState exportState() {
        List<NetPeerState.Session> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            NetPeerState.Client[] cs = new NetPeerState.Client[s.clients.length];
            for (int k = 0; k < cs.length; k++) {
                Client c = s.clients[k];
                cs[k] = new NetPeerState.Client(c.seq, c.digest, c.mismatches, c.duplicates,
                        c.model.keySet().toArray(new String[0]), c.model.values().toArray(new String[0]));
            }
            out.add(new NetPeerState.Session(s.domid, s.appPort, s.hello.seed(), s.hello.clients(),
                    s.hello.requestsPerClient(), s.hello.keysPerClient(), cs));
        }
        return new NetPeerState(seed, turnaroundCycles, echoes, malformed, unexpected, refusedHellos,
                out.toArray(new NetPeerState.Session[0]));
    }

    /**
     * Takes the state of a snapshot of a peer with the same seed and turnaround.
     *
     * @throws IllegalArgumentException if {@code state} is another kind of peer, has another seed or
     *                                  turnaround, or describes an impossible session
     */
    @Override
    public void importState(PeerState state) {
        if (!(state instanceof NetPeerState s)) {
            throw new IllegalArgumentException("snapshot of a peer in state " + state + " imported into a NetPeer");
        }
        if (s.seed() != seed || s.turnaroundCycles() != turnaroundCycles) {
            throw new IllegalArgumentException("snapshot of a NetPeer with seed " + s.seed() + " and turnaround "
                    + s.turnaroundCycles() + " imported into one with seed " + seed + " and turnaround "
                    + turnaroundCycles);
        }
        TreeMap<Integer, Session> restored = new TreeMap<>();
        for (NetPeerState.Session ss : s.sessions()) {
            Hello hello = new Hello(ss.helloSeed(), ss.clientCount(), ss.requestsPerClient(), ss.keysPerClient());
            if (hello.problem() != null || ss.clients().length != ss.clientCount()
                    || restored.containsKey(ss.domid())) {
                throw new IllegalArgumentException("snapshot of a NetPeer: session of domain " + ss.domid()
                        + " is impossible: " + (hello.problem() != null ? hello.problem() : "clients or domid"));
            }
            Session session = new Session(ss.domid(), ss.appPort(), hello);
            for (int k = 0; k < ss.clientCount(); k++) {
                NetPeerState.Client sc = ss.clients()[k];
                if (sc.seq() < 1 || sc.seq() > hello.requestsPerClient() + 1
                        || sc.modelKeys().length != sc.modelValues().length) {
                    throw new IllegalArgumentException("snapshot of a NetPeer: client " + k + " of domain "
                            + ss.domid() + " is at request " + sc.seq() + " of " + hello.requestsPerClient()
                            + " with a model of " + sc.modelKeys().length + " keys and "
                            + sc.modelValues().length + " values");
                }
                Client c = session.clients[k];
                c.seq = sc.seq();
                c.digest = sc.digest();
                c.mismatches = sc.mismatches();
                c.duplicates = sc.duplicates();
                for (int i = 0; i < sc.modelKeys().length; i++) {
                    c.model.put(sc.modelKeys()[i], sc.modelValues()[i]);
                }
            }
            restored.put(ss.domid(), session);
        }
        echoes = s.echoes();
        malformed = s.malformed();
        unexpected = s.unexpected();
        refusedHellos = s.refusedHellos();
        sessions.clear();
        sessions.putAll(restored);
    }

    @Override
    public void hashInto(StateHasher hasher) {
        hasher.putTag("net-peer").putLong(seed).putLong(turnaroundCycles).putLong(echoes).putLong(malformed)
                .putLong(unexpected).putLong(refusedHellos).putInt(sessions.size());
        for (Session s : sessions.values()) {
            hasher.putInt(s.domid).putInt(s.appPort).putInt(s.hello.seed()).putInt(s.hello.clients())
                    .putInt(s.hello.requestsPerClient()).putInt(s.hello.keysPerClient());
            for (Client c : s.clients) {
                hasher.putInt(c.seq).putInt(c.digest).putInt(c.mismatches).putInt(c.duplicates)
                        .putInt(c.model.size());
                for (Map.Entry<String, String> e : c.model.entrySet()) {
                    hasher.putTag(e.getKey()).putTag(e.getValue());
                }
            }
        }
    }

    @Override
    public String toString() {
        return "NetPeer[" + report() + "]";
    }
}
