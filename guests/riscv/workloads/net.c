/*
 * net.c — the `net` workload (in the spirit of ReHype's NetBench): echo traffic through the
 * whole I/O path, front end -> back end in the driver domain -> NIC -> the peer on the wire and
 * back. It sends N RHNET echo requests (netframe.h) with sequence numbers 1..N and seeded
 * payloads of 16..512 bytes (net_echo.c) to the wire's echo server, at most W in flight; each
 * echo must come back in order with the same seq, payload and check. The digest folds every
 * echo's seq and check in seq order, then N (net_echo_expected computes it on the host).
 *
 * Losses (a driver domain that fails, restarts or fails over) are repaired go-back-N: when no
 * echo has come for RTO cycles the oldest unanswered request and everything after it are sent
 * again; an echo that is not the next one expected (a duplicate, or one after a gap) is
 * dropped. So the digest does not depend on timing or on losses, only on seed and N. Waiting
 * blocks the vCPU (netfront_wait); nothing spins.
 *
 * start_info: param[0] seed (0 = default), param[1] N (0 = 200), param[2] W (0 = 4, at most
 * NETFRONT_TX_BUFS), param[3] RTO cycles (0 = 2,000,000), param[4] timeouts in a row without an
 * echo after which the workload gives up and fails (0 = never).
 *
 * Console: `net: dom<d> ...` lines, `packets=2N` (requests and echoes accepted), `digest=...`.
 * Retransmissions and duplicates are printed only when there were any.
 */
#include "kernel.h"
#include "netfront.h"
#include "netframe.h"
#include "net_echo.h"

#define DEFAULT_WINDOW        4u
#define DEFAULT_RTO_CYCLES    2000000u
#define MAX_REPORTED          10u
#define ECHO_PORT_LOCAL       7000u

struct echo {
    uint32_t seed;
    uint32_t frames;
    uint32_t window;
    uint32_t rto;
    uint32_t give_up;
    uint32_t domid;
    uint32_t next_send;      /* next seq to (re)send */
    uint32_t next_expect;    /* oldest seq not yet echoed */
    uint32_t digest;
    uint32_t failures;
    uint32_t retransmits;
    uint32_t duplicates;
    uint32_t out_of_order;
    uint32_t strangers;      /* frames that are no echo of ours */
};

static uint8_t frame_buf[NETFRAME_MAX_BYTES];
static uint8_t rx_buf[NETFRAME_MAX_BYTES];
static uint8_t expected[NET_MAX_PAYLOAD];

static void fail(struct echo *e, const char *what, uint32_t seq, uint32_t value)
{
    e->failures++;
    if (e->failures <= MAX_REPORTED) {
        printk("net: seq %u: %s (%x)\n", seq, what, value);
    }
}

/* Sends request seq; 0, or -XEN_EAGAIN when every TX slot is busy. */
static int send_request(struct echo *e, uint32_t seq)
{
    uint8_t *payload = frame_buf + NETFRAME_HEADER_BYTES;
    struct netframe_hdr h = {
        .type = NETFRAME_ECHO_REQUEST, .dst = NETFRAME_ECHO_SERVER, .dst_port = NETFRAME_ECHO_PORT,
        .src = e->domid, .src_port = ECHO_PORT_LOCAL, .seq = seq,
        .len = net_echo_payload(e->seed, seq, payload),
    };
    uint32_t n = netframe_build(frame_buf, &h, payload);
    return netfront_send(frame_buf, n);
}

/* Takes one received frame; returns 1 if it was the echo expected next. */
static int take(struct echo *e, uint32_t n)
{
    struct netframe_hdr h;
    int problem = netframe_parse(rx_buf, n, &h);
    if (problem != NETFRAME_OK) {
        fail(e, "malformed frame", 0, (uint32_t) problem);
        return 0;
    }
    if (h.type != NETFRAME_ECHO_REPLY || h.dst != e->domid || h.dst_port != ECHO_PORT_LOCAL
        || h.src != NETFRAME_ECHO_SERVER) {
        e->strangers++;
        return 0;
    }
    if (h.seq < e->next_expect) {
        e->duplicates++;
        return 0;
    }
    if (h.seq != e->next_expect) {
        e->out_of_order++;
        return 0;
    }
    uint32_t len = net_echo_payload(e->seed, h.seq, expected);
    if (h.len != len || memcmp(rx_buf + NETFRAME_HEADER_BYTES, expected, len) != 0) {
        fail(e, "echo payload differs from the request", h.seq, h.len);
    }
    e->digest = net_echo_fold(e->digest, h.seq, netframe_check_of(rx_buf, n));
    e->next_expect++;
    return 1;
}

static int net_main(void)
{
    struct echo e = {
        .seed = start_info->param[0] != 0 ? start_info->param[0] : NET_DEFAULT_SEED,
        .frames = start_info->param[1] != 0 ? start_info->param[1] : NET_DEFAULT_FRAMES,
        .window = start_info->param[2] != 0 ? start_info->param[2] : DEFAULT_WINDOW,
        .rto = start_info->param[3] != 0 ? start_info->param[3] : DEFAULT_RTO_CYCLES,
        .give_up = start_info->param[4],
        .next_send = 1,
        .next_expect = 1,
        .digest = NETFRAME_FNV_INIT,
    };
    if (e.window > NETFRONT_TX_BUFS) {
        e.window = NETFRONT_TX_BUFS;
    }
    if (netfront_init() != 0) {
        printk("net: no network\n");
        return 1;
    }
    e.domid = netfront_domid();
    printk("net: dom%u echo of %u frames, window %u\n", e.domid, e.frames, e.window);
    uint32_t silent = 0;
    uint64_t deadline = time_now() + e.rto;
    while (e.next_expect <= e.frames) {
        while (e.next_send <= e.frames && e.next_send < e.next_expect + e.window) {
            if (send_request(&e, e.next_send) != 0) {
                break;
            }
            e.next_send++;
        }
        if (netfront_wait(deadline) == NETFRONT_TIMEOUT) {
            silent++;
            if (e.give_up != 0 && silent >= e.give_up) {
                printk("net: no echo for %u timeouts; giving up at seq %u\n", silent, e.next_expect);
                e.failures++;
                break;
            }
            e.retransmits += e.next_send - e.next_expect;
            e.next_send = e.next_expect;
            deadline = time_now() + e.rto;
            continue;
        }
        int n;
        while ((n = netfront_recv(rx_buf, sizeof rx_buf)) > 0) {
            if (take(&e, (uint32_t) n)) {
                silent = 0;
                deadline = time_now() + e.rto;
            }
        }
    }
    netfront_close();
    uint32_t done = e.next_expect - 1;
    if (e.retransmits != 0 || e.duplicates != 0 || e.out_of_order != 0 || e.strangers != 0) {
        printk("net: retransmits=%u duplicates=%u out_of_order=%u strangers=%u\n", e.retransmits,
               e.duplicates, e.out_of_order, e.strangers);
    }
    printk("net: %u of %u echoes checked, %u failures\n", done, e.frames, e.failures);
    printk("packets=%u\n", 2 * done);
    printk("digest=%08x\n", digest_word(e.digest, done));
    return e.failures == 0 && done == e.frames ? 0 : 1;
}

const struct workload workload = { "net", net_main };
