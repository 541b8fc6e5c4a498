package dev.rehype.machine.peer;

import java.nio.charset.StandardCharsets;

/**
 * The payloads of the key-value service's frames ({@link NetFrame}'s {@code TYPE_SVC_*}), as the
 * AppVM's {@code service} workload ({@code guests/riscv/workloads/service.c}) and {@link NetPeer}'s
 * clients exchange them. Little endian; keys and values are printable ASCII.
 *
 * <pre>
 *  HELLO    (AppVM -> SERVICE_PEER)  0 u32 seed  4 u16 clients  6 u16 requests per client
 *                                    8 u16 keys per client  10 u16 0                       (12 bytes)
 *  REQUEST  (client -> AppVM)        0 u8 op  1 u8 klen  2 u8 vlen  3 u8 0  4 key  4+klen value
 *  RESPONSE (AppVM -> client)        0 u8 op  1 u8 status  2 u8 vlen  3 u8 0  4 value
 *  BYE      (client -> AppVM)        0 u32 exchanges  4 u32 mismatches  8 u32 digest  12 u32 duplicates
 * </pre>
 *
 * <p>op: {@link #OP_GET} (vlen 0), {@link #OP_PUT} (vlen 1..{@value #MAX_VALUE_BYTES}), {@link #OP_DEL}
 * (vlen 0); key 1..{@value #MAX_KEY_BYTES} bytes. status: {@link #STATUS_OK} (a GET's value follows),
 * {@link #STATUS_NOT_FOUND} (GET or DEL of an absent key), {@link #STATUS_FULL} (a PUT of a new key
 * into a full store), {@link #STATUS_BAD_REQUEST}. The response repeats the request's op and SEQ.
 *
 * <p>The digest of one client's exchange, computed by the client and by the service alike, starts
 * at FNV-1a's basis and folds, for each request in SEQ order, its SEQ, the request frame's CHECK
 * and the response frame's CHECK ({@link #foldExchange}).
 */
public final class ServiceMessages {
    private ServiceMessages() {
    }

    public static final int OP_GET = 1;
    public static final int OP_PUT = 2;
    public static final int OP_DEL = 3;

    public static final int STATUS_OK = 0;
    public static final int STATUS_NOT_FOUND = 1;
    public static final int STATUS_FULL = 2;
    public static final int STATUS_BAD_REQUEST = 3;

    public static final int MAX_KEY_BYTES = 16;
    public static final int MAX_VALUE_BYTES = 48;
    /** Keys the AppVM's store holds: a session's clients x keys per client must not exceed it. */
    public static final int STORE_CAPACITY_KEYS = 64;

    public static final int HELLO_BYTES = 12;
    public static final int BYE_BYTES = 16;
    private static final int OP_HEADER_BYTES = 4;

    /** An AppVM's announcement: the session's script seed and shape. */
    public record Hello(int seed, int clients, int requestsPerClient, int keysPerClient) {
        /** Why the peer cannot play this session, or null. */
        public String problem() {
            if (clients < 1 || clients > NetFrame.MAX_SERVICE_CLIENTS) {
                return "clients " + clients + " not in 1.." + NetFrame.MAX_SERVICE_CLIENTS;
            }
            if (requestsPerClient < 1) {
                return "no requests per client";
            }
            if (keysPerClient < 1 || clients * keysPerClient > STORE_CAPACITY_KEYS) {
                return clients + " clients x " + keysPerClient + " keys do not fit a store of "
                        + STORE_CAPACITY_KEYS + " keys";
            }
            return null;
        }

        public byte[] encode() {
            byte[] b = new byte[HELLO_BYTES];
            NetFrame.put32(b, 0, seed);
            NetFrame.put16(b, 4, clients);
            NetFrame.put16(b, 6, requestsPerClient);
            NetFrame.put16(b, 8, keysPerClient);
            return b;
        }

        /** The hello in {@code p}, or null if {@code p} is not one. */
        public static Hello decode(byte[] p) {
            if (p.length != HELLO_BYTES || NetFrame.get16(p, 10) != 0) {
                return null;
            }
            return new Hello(NetFrame.get32(p, 0), NetFrame.get16(p, 4), NetFrame.get16(p, 6), NetFrame.get16(p, 8));
        }
    }

    /** A client's request; {@code value} is empty except for PUT. */
    public record Request(int op, String key, String value) {
        public byte[] encode() {
            byte[] k = key.getBytes(StandardCharsets.US_ASCII);
            byte[] v = value.getBytes(StandardCharsets.US_ASCII);
            byte[] b = new byte[OP_HEADER_BYTES + k.length + v.length];
            b[0] = (byte) op;
            b[1] = (byte) k.length;
            b[2] = (byte) v.length;
            System.arraycopy(k, 0, b, OP_HEADER_BYTES, k.length);
            System.arraycopy(v, 0, b, OP_HEADER_BYTES + k.length, v.length);
            return b;
        }

        /** The request in {@code p}, or null if {@code p} is not a well-formed one. */
        public static Request decode(byte[] p) {
            if (p.length < OP_HEADER_BYTES || p[3] != 0) {
                return null;
            }
            int op = p[0] & 0xFF;
            int k = p[1] & 0xFF;
            int v = p[2] & 0xFF;
            boolean shape = k >= 1 && k <= MAX_KEY_BYTES && OP_HEADER_BYTES + k + v == p.length
                    && (op == OP_PUT ? v >= 1 && v <= MAX_VALUE_BYTES : v == 0 && (op == OP_GET || op == OP_DEL));
            if (!shape) {
                return null;
            }
            return new Request(op, new String(p, OP_HEADER_BYTES, k, StandardCharsets.US_ASCII),
                    new String(p, OP_HEADER_BYTES + k, v, StandardCharsets.US_ASCII));
        }
    }

    /** The service's response; {@code value} is empty except for a GET that found its key. */
    public record Response(int op, int status, String value) {
        public byte[] encode() {
            byte[] v = value.getBytes(StandardCharsets.US_ASCII);
            byte[] b = new byte[OP_HEADER_BYTES + v.length];
            b[0] = (byte) op;
            b[1] = (byte) status;
            b[2] = (byte) v.length;
            System.arraycopy(v, 0, b, OP_HEADER_BYTES, v.length);
            return b;
        }

        /** The response in {@code p}, or null if {@code p} is not one. */
        public static Response decode(byte[] p) {
            if (p.length < OP_HEADER_BYTES || p[3] != 0 || (p[2] & 0xFF) != p.length - OP_HEADER_BYTES) {
                return null;
            }
            return new Response(p[0] & 0xFF, p[1] & 0xFF,
                    new String(p, OP_HEADER_BYTES, p.length - OP_HEADER_BYTES, StandardCharsets.US_ASCII));
        }
    }

    /** A client's farewell: what it counted and its digest of the exchange. */
    public record Bye(int exchanges, int mismatches, int digest, int duplicates) {
        public byte[] encode() {
            byte[] b = new byte[BYE_BYTES];
            NetFrame.put32(b, 0, exchanges);
            NetFrame.put32(b, 4, mismatches);
            NetFrame.put32(b, 8, digest);
            NetFrame.put32(b, 12, duplicates);
            return b;
        }

        public static Bye decode(byte[] p) {
            if (p.length != BYE_BYTES) {
                return null;
            }
            return new Bye(NetFrame.get32(p, 0), NetFrame.get32(p, 4), NetFrame.get32(p, 8), NetFrame.get32(p, 12));
        }
    }

    /** The digest {@code d} after one more exchange: SEQ, the request's CHECK, the response's CHECK. */
    public static int foldExchange(int d, int seq, int requestCheck, int responseCheck) {
        return NetFrame.fnvWord(NetFrame.fnvWord(NetFrame.fnvWord(d, seq), requestCheck), responseCheck);
    }
}
