/*
 * netframe.h — the RHNET frame: the format of every frame on the NIC's wire, shared by the
 * network workloads (net.c, service.c), the driver domain's back end (riscv/netdrv/), which
 * demultiplexes received frames by their destination id, and the simulated peer on the wire
 * (Java: dev.rehype.machine.peer.NetFrame, which must stay in step). Little endian.
 *
 *   0 u16 magic 0x4E52 ("RN")   4 u16 dst    8 u16 src      12 u32 seq   16 u16 len
 *   2 u8  type                  6 u16 dst_port 10 u16 src_port            18 u16 0
 *   3 u8  flags (0)            20 payload[len]  20+len u32 check
 *
 * A frame is exactly NETFRAME_MIN_BYTES + len bytes (24..2048). dst/src are domain ids (an
 * AppVM) or wire endpoints (>= 0xFF00: the echo server, the service peer, its clients). check
 * is FNV-1a-32 over seq (4 bytes), len (2 bytes) and the payload: routing fields and type are
 * left out, so an echo or a response keeps the checksum of what it carries and digests over
 * checksums do not depend on domain ids. Header-only: every function is static inline and pure
 * (U-mode threads, the kernel and native tests may all call them).
 */
#ifndef REHYPE_WORKLOADS_NETFRAME_H
#define REHYPE_WORKLOADS_NETFRAME_H

#include <stdint.h>

#define NETFRAME_MAGIC            0x4E52u
#define NETFRAME_OFF_MAGIC        0
#define NETFRAME_OFF_TYPE         2
#define NETFRAME_OFF_FLAGS        3
#define NETFRAME_OFF_DST          4
#define NETFRAME_OFF_DST_PORT     6
#define NETFRAME_OFF_SRC          8
#define NETFRAME_OFF_SRC_PORT     10
#define NETFRAME_OFF_SEQ          12
#define NETFRAME_OFF_LEN          16
#define NETFRAME_OFF_RESERVED     18
#define NETFRAME_HEADER_BYTES     20
#define NETFRAME_CHECK_BYTES      4
#define NETFRAME_MIN_BYTES        (NETFRAME_HEADER_BYTES + NETFRAME_CHECK_BYTES)
#define NETFRAME_MAX_BYTES        2048   /* the NIC's largest frame */
#define NETFRAME_MAX_PAYLOAD      (NETFRAME_MAX_BYTES - NETFRAME_MIN_BYTES)

/* type */
#define NETFRAME_ECHO_REQUEST     1   /* to NETFRAME_ECHO_SERVER: send it back */
#define NETFRAME_ECHO_REPLY       2   /* the echo: same seq and payload, addresses swapped */
#define NETFRAME_SVC_HELLO        3   /* a service announces itself / nudges the peer */
#define NETFRAME_SVC_REQUEST      4   /* a client's request */
#define NETFRAME_SVC_RESPONSE     5   /* the service's response (same seq) */
#define NETFRAME_SVC_BYE          6   /* a client is done: its counts and digest */

/* Wire endpoints (ids no domain has). */
#define NETFRAME_WIRE_FIRST       0xFF00u
#define NETFRAME_ECHO_SERVER      0xFF01u
#define NETFRAME_ECHO_PORT        7u
#define NETFRAME_SERVICE_PEER     0xFF02u
#define NETFRAME_SERVICE_PORT     80u
#define NETFRAME_CLIENT_BASE      0xFF10u   /* client k of a service session */
#define NETFRAME_MAX_CLIENTS      8u

/* netframe_check results */
#define NETFRAME_OK               0
#define NETFRAME_SHORT            1   /* fewer than NETFRAME_MIN_BYTES */
#define NETFRAME_BAD_MAGIC        2
#define NETFRAME_BAD_LENGTH       3   /* len does not match the frame's length */
#define NETFRAME_BAD_CHECK        4

#define NETFRAME_FNV_INIT         0x811c9dc5u
#define NETFRAME_FNV_PRIME        0x01000193u

struct netframe_hdr {
    uint32_t type;
    uint32_t dst;
    uint32_t dst_port;
    uint32_t src;
    uint32_t src_port;
    uint32_t seq;
    uint32_t len;
};

static inline uint32_t netframe_get16(const uint8_t *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8;
}

static inline uint32_t netframe_get32(const uint8_t *p)
{
    return netframe_get16(p) | netframe_get16(p + 2) << 16;
}

static inline void netframe_put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t) v;
    p[1] = (uint8_t) (v >> 8);
}

static inline void netframe_put32(uint8_t *p, uint32_t v)
{
    netframe_put16(p, v);
    netframe_put16(p + 2, v >> 16);
}

static inline uint32_t netframe_fnv_byte(uint32_t h, uint32_t b)
{
    return (h ^ (b & 0xffu)) * NETFRAME_FNV_PRIME;
}

/* The check of a frame with seq and payload[0..len). */
static inline uint32_t netframe_checksum(uint32_t seq, const uint8_t *payload, uint32_t len)
{
    uint32_t h = NETFRAME_FNV_INIT;
    for (int i = 0; i < 4; i++) {
        h = netframe_fnv_byte(h, seq >> (8 * i));
    }
    h = netframe_fnv_byte(h, len);
    h = netframe_fnv_byte(h, len >> 8);
    for (uint32_t i = 0; i < len; i++) {
        h = netframe_fnv_byte(h, payload[i]);
    }
    return h;
}

/* Writes the frame h describes around payload[0..h->len) (which may already be in place at
   frame + NETFRAME_HEADER_BYTES) into frame; returns its length (0 if len is too big). */
static inline uint32_t netframe_build(uint8_t *frame, const struct netframe_hdr *h, const uint8_t *payload)
{
    if (h->len > NETFRAME_MAX_PAYLOAD) {
        return 0;
    }
    uint8_t *p = frame + NETFRAME_HEADER_BYTES;
    if (payload != p) {
        for (uint32_t i = 0; i < h->len; i++) {
            p[i] = payload[i];
        }
    }
    netframe_put16(frame + NETFRAME_OFF_MAGIC, NETFRAME_MAGIC);
    frame[NETFRAME_OFF_TYPE] = (uint8_t) h->type;
    frame[NETFRAME_OFF_FLAGS] = 0;
    netframe_put16(frame + NETFRAME_OFF_DST, h->dst);
    netframe_put16(frame + NETFRAME_OFF_DST_PORT, h->dst_port);
    netframe_put16(frame + NETFRAME_OFF_SRC, h->src);
    netframe_put16(frame + NETFRAME_OFF_SRC_PORT, h->src_port);
    netframe_put32(frame + NETFRAME_OFF_SEQ, h->seq);
    netframe_put16(frame + NETFRAME_OFF_LEN, h->len);
    netframe_put16(frame + NETFRAME_OFF_RESERVED, 0);
    netframe_put32(p + h->len, netframe_checksum(h->seq, p, h->len));
    return NETFRAME_MIN_BYTES + h->len;
}

/* Checks the header's magic and length only (what the back end needs to route a frame). */
static inline int netframe_check_header(const uint8_t *frame, uint32_t n)
{
    if (n < NETFRAME_MIN_BYTES) {
        return NETFRAME_SHORT;
    }
    if (netframe_get16(frame + NETFRAME_OFF_MAGIC) != NETFRAME_MAGIC) {
        return NETFRAME_BAD_MAGIC;
    }
    if (netframe_get16(frame + NETFRAME_OFF_LEN) + NETFRAME_MIN_BYTES != n) {
        return NETFRAME_BAD_LENGTH;
    }
    return NETFRAME_OK;
}

/* Checks a whole frame of n bytes (header and check); fills *h when it is well formed. */
static inline int netframe_parse(const uint8_t *frame, uint32_t n, struct netframe_hdr *h)
{
    int problem = netframe_check_header(frame, n);
    if (problem != NETFRAME_OK) {
        return problem;
    }
    uint32_t len = netframe_get16(frame + NETFRAME_OFF_LEN);
    uint32_t seq = netframe_get32(frame + NETFRAME_OFF_SEQ);
    if (netframe_checksum(seq, frame + NETFRAME_HEADER_BYTES, len)
        != netframe_get32(frame + NETFRAME_HEADER_BYTES + len)) {
        return NETFRAME_BAD_CHECK;
    }
    h->type = frame[NETFRAME_OFF_TYPE];
    h->dst = netframe_get16(frame + NETFRAME_OFF_DST);
    h->dst_port = netframe_get16(frame + NETFRAME_OFF_DST_PORT);
    h->src = netframe_get16(frame + NETFRAME_OFF_SRC);
    h->src_port = netframe_get16(frame + NETFRAME_OFF_SRC_PORT);
    h->seq = seq;
    h->len = len;
    return NETFRAME_OK;
}

/* The check a well-formed frame of n bytes carries. */
static inline uint32_t netframe_check_of(const uint8_t *frame, uint32_t n)
{
    return netframe_get32(frame + n - NETFRAME_CHECK_BYTES);
}

#endif /* REHYPE_WORKLOADS_NETFRAME_H */
