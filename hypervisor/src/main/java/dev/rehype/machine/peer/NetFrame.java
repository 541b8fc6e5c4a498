package dev.rehype.machine.peer;

import dev.rehype.machine.NicDescriptor;

import java.util.Arrays;

/**
 * One frame of the ReHype network protocol (RHNET), the format every frame on the NIC's wire
 * has: what the AppVMs' workloads send through their front ends, what the driver domain's back
 * end demultiplexes by destination id, and what {@link NetPeer} answers. The same layout is
 * defined for the guests in {@code guests/riscv/workloads/netframe.h}; both must stay in step
 * (the C README beside the driver domain documents it too). Little endian.
 *
 * <pre>
 *   0       2   3   4       6       8       10      12              16      18      20
 *   +-------+---+---+-------+-------+-------+-------+---------------+-------+-------+----------+--------+
 *   | MAGIC |TYP|FLG|  DST  |DSTPORT|  SRC  |SRCPORT|      SEQ      |  LEN  | (res) | payload  | CHECK  |
 *   |  u16  |u8 |u8 |  u16  |  u16  |  u16  |  u16  |      u32      |  u16  |  u16  | LEN bytes|  u32   |
 *   +-------+---+---+-------+-------+-------+-------+---------------+-------+-------+----------+--------+
 * </pre>
 *
 * <ul>
 *   <li>MAGIC {@value #MAGIC} (the bytes 'R' 'N'); TYPE one of the {@code TYPE_*} constants; FLAGS 0.
 *   <li>DST/SRC: a domain id (an AppVM, below {@code 0x7FF0}) or a wire endpoint
 *       ({@link #ECHO_SERVER}, {@link #SERVICE_PEER}, {@link #SERVICE_CLIENT_BASE} + client). The
 *       driver domain delivers a frame from the wire to the AppVM whose domid is DST, and sends a
 *       frame of an AppVM to the wire only if SRC is that AppVM's domid.
 *   <li>SEQ: the sender's sequence number; LEN: payload bytes, 0..{@value #MAX_PAYLOAD_BYTES}; the
 *       frame is exactly {@code 24 + LEN} bytes.
 *   <li>CHECK: FNV-1a-32 over SEQ (4 bytes), LEN (2 bytes) and the payload, in frame order. The
 *       routing fields and TYPE are left out on purpose: an echo or a response keeps the checksum
 *       of what it carries, and a digest over checksums does not depend on domain ids.
 * </ul>
 *
 * @param type    {@code TYPE_*}
 * @param dst     destination id
 * @param dstPort destination port
 * @param src     source id
 * @param srcPort source port
 * @param seq     sequence number (unsigned 32 bits)
 * @param payload the payload (owned by the record; {@link #payload()} returns it as is)
 */
public record NetFrame(int type, int dst, int dstPort, int src, int srcPort, int seq, byte[] payload) {
    public static final int MAGIC = 0x4E52;
    public static final int OFF_MAGIC = 0;
    public static final int OFF_TYPE = 2;
    public static final int OFF_FLAGS = 3;
    public static final int OFF_DST = 4;
    public static final int OFF_DST_PORT = 6;
    public static final int OFF_SRC = 8;
    public static final int OFF_SRC_PORT = 10;
    public static final int OFF_SEQ = 12;
    public static final int OFF_LEN = 16;
    public static final int OFF_RESERVED = 18;
    public static final int HEADER_BYTES = 20;
    public static final int CHECK_BYTES = 4;
    /** Smallest frame: a header and a checksum, no payload. */
    public static final int MIN_FRAME_BYTES = HEADER_BYTES + CHECK_BYTES;
    /** Largest payload: the NIC's largest frame less header and checksum. */
    public static final int MAX_PAYLOAD_BYTES = NicDescriptor.MAX_FRAME_BYTES - MIN_FRAME_BYTES;

    /** An AppVM asks the echo server to send the frame back. */
    public static final int TYPE_ECHO_REQUEST = 1;
    /** The echo server's answer: the request's SEQ and payload, addresses swapped. */
    public static final int TYPE_ECHO_REPLY = 2;
    /** An AppVM's service announces itself (or nudges the peer after a silence): {@link ServiceMessages#hello}. */
    public static final int TYPE_SVC_HELLO = 3;
    /** A client's request to an AppVM's service. */
    public static final int TYPE_SVC_REQUEST = 4;
    /** The service's response to a request (same SEQ). */
    public static final int TYPE_SVC_RESPONSE = 5;
    /** A client has finished its script; carries its own digest and counts. */
    public static final int TYPE_SVC_BYE = 6;

    /** The wire's echo server. */
    public static final int ECHO_SERVER = 0xFF01;
    /** Port of the echo service. */
    public static final int ECHO_PORT = 7;
    /** Where an AppVM's service sends its hello. */
    public static final int SERVICE_PEER = 0xFF02;
    /** The service port, on the AppVM and on the peer. */
    public static final int SERVICE_PORT = 80;
    /** Client k of a service session is wire id SERVICE_CLIENT_BASE + k. */
    public static final int SERVICE_CLIENT_BASE = 0xFF10;
    /** Most clients a session can have. */
    public static final int MAX_SERVICE_CLIENTS = 8;

    /** FNV-1a-32 offset basis: the start of every checksum and digest. */
    public static final int FNV_INIT = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    static {
        if (OFF_RESERVED + 2 != HEADER_BYTES || MAX_PAYLOAD_BYTES > 0xFFFF) {
            throw new AssertionError("NetFrame fields do not add up");
        }
    }

    public NetFrame {
        if (payload == null || payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a frame's payload holds 0.." + MAX_PAYLOAD_BYTES + " bytes, got "
                    + (payload == null ? "none" : payload.length));
        }
        checkU16("dst", dst);
        checkU16("dst port", dstPort);
        checkU16("src", src);
        checkU16("src port", srcPort);
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("frame type must fit a byte, got " + type);
        }
    }

    private static void checkU16(String what, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("frame " + what + " must fit 16 bits, got " + value);
        }
    }

    /** Length of the encoded frame. */
    public int frameBytes() {
        return MIN_FRAME_BYTES + payload.length;
    }

    /** The frame's checksum (CHECK). */
    public int checksum() {
        return checksum(seq, payload, 0, payload.length);
    }

    /** A reply to this frame: {@code type}, the addresses swapped, the same SEQ. */
    public NetFrame replyWith(int replyType, byte[] replyPayload) {
        return new NetFrame(replyType, src, srcPort, dst, dstPort, seq, replyPayload);
    }

    /** The frame as bytes on the wire. */
    public byte[] encode() {
        byte[] b = new byte[frameBytes()];
        put16(b, OFF_MAGIC, MAGIC);
        b[OFF_TYPE] = (byte) type;
        b[OFF_FLAGS] = 0;
        put16(b, OFF_DST, dst);
        put16(b, OFF_DST_PORT, dstPort);
        put16(b, OFF_SRC, src);
        put16(b, OFF_SRC_PORT, srcPort);
        put32(b, OFF_SEQ, seq);
        put16(b, OFF_LEN, payload.length);
        put16(b, OFF_RESERVED, 0);
        System.arraycopy(payload, 0, b, HEADER_BYTES, payload.length);
        put32(b, HEADER_BYTES + payload.length, checksum());
        return b;
    }

    /** Why {@code b} is not a well-formed frame, or null if it is one. */
    public static String problem(byte[] b) {
        if (b.length < MIN_FRAME_BYTES) {
            return "frame of " + b.length + " bytes is shorter than " + MIN_FRAME_BYTES;
        }
        if (get16(b, OFF_MAGIC) != MAGIC) {
            return "bad magic 0x" + Integer.toHexString(get16(b, OFF_MAGIC));
        }
        int len = get16(b, OFF_LEN);
        if (len + MIN_FRAME_BYTES != b.length) {
            return "LEN " + len + " does not match a frame of " + b.length + " bytes";
        }
        int expected = checksum(get32(b, OFF_SEQ), b, HEADER_BYTES, len);
        int actual = get32(b, HEADER_BYTES + len);
        if (expected != actual) {
            return "checksum 0x" + Integer.toHexString(actual) + ", expected 0x" + Integer.toHexString(expected);
        }
        return null;
    }

    /**
     * Decodes a frame.
     *
     * @throws IllegalArgumentException naming what is wrong if {@code b} is not a well-formed frame
     */
    public static NetFrame decode(byte[] b) {
        String problem = problem(b);
        if (problem != null) {
            throw new IllegalArgumentException("malformed frame: " + problem);
        }
        int len = get16(b, OFF_LEN);
        return new NetFrame(b[OFF_TYPE] & 0xFF, get16(b, OFF_DST), get16(b, OFF_DST_PORT), get16(b, OFF_SRC),
                get16(b, OFF_SRC_PORT), get32(b, OFF_SEQ), Arrays.copyOfRange(b, HEADER_BYTES, HEADER_BYTES + len));
    }

    /** CHECK of a frame with {@code seq} and the payload {@code b[off, off + len)}. */
    public static int checksum(int seq, byte[] b, int off, int len) {
        int h = fnvWord(FNV_INIT, seq);
        h = fnvByte(h, len);
        h = fnvByte(h, len >>> 8);
        for (int i = 0; i < len; i++) {
            h = fnvByte(h, b[off + i]);
        }
        return h;
    }

    /** One FNV-1a step over the low byte of {@code v}. */
    public static int fnvByte(int h, int v) {
        return (h ^ (v & 0xFF)) * FNV_PRIME;
    }

    /** FNV-1a over the four little-endian bytes of {@code w}: the guests' {@code digest_word}. */
    public static int fnvWord(int h, int w) {
        for (int i = 0; i < 4; i++) {
            h = fnvByte(h, w >>> (8 * i));
        }
        return h;
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] b, int off, int v) {
        put16(b, off, v);
        put16(b, off + 2, v >>> 16);
    }

    static int get16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static int get32(byte[] b, int off) {
        return get16(b, off) | get16(b, off + 2) << 16;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetFrame f && type == f.type && dst == f.dst && dstPort == f.dstPort && src == f.src
                && srcPort == f.srcPort && seq == f.seq && Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return ((((type * 31 + dst) * 31 + dstPort) * 31 + src) * 31 + srcPort) * 31 + seq
                + 961 * Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "NetFrame[type=" + type + " " + Integer.toHexString(src) + ":" + srcPort + " -> "
                + Integer.toHexString(dst) + ":" + dstPort + " seq=" + Integer.toUnsignedString(seq) + " len="
                + payload.length + "]";
    }
}
