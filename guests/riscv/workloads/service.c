/*
 * service.c — the `service` workload: a key-value request/response server (service_kv.c) whose
 * clients are on the wire. The AppVM announces itself to the wire's service peer with an RHNET
 * hello carrying the session's script seed and shape (clients C, requests per client R, keys
 * per client); the peer (dev.rehype.machine.peer.NetPeer) then plays C clients, each sending R
 * GET/PUT/DEL requests one at a time and checking every response against its own model of the
 * store, and finally a bye with its counts and its digest of the exchange.
 *
 * Each client's exchange is strictly sequential and clients never share a key, so whatever the
 * interleaving the service sees, client k's requests and responses are fixed by the seed: the
 * service folds them per client (seq, request check, response check: kv_fold_exchange, the
 * same fold as the peer's) and its digest combines the C client digests in client order — a
 * function of the parameters only. The bye lets the AppVM check that the peer saw exactly the
 * same exchange and no mismatch.
 *
 * Losses are repaired without the peer needing a clock: a client that resends a request (seq
 * equal to the last one answered) gets the cached response again; when nothing has arrived for
 * NUDGE cycles the service sends its hello again, and the peer resends every request in flight
 * (and the byes of finished clients). Waiting blocks the vCPU (netfront_wait).
 *
 * start_info: param[0] seed (0 = default), param[1] clients (0 = 3, at most 8), param[2]
 * requests per client (0 = 40), param[3] keys per client (0 = 8; clients x keys <= 64),
 * param[4] nudge cycles (0 = 4,000,000), param[5] nudges in a row without news after which it
 * gives up and fails (0 = never).
 *
 * Console: `service: ...` lines, one per client with its digest, `packets=2CR` (requests taken
 * and responses given, first copies only), `digest=...`.
 */
#include "kernel.h"
#include "netfront.h"
#include "netframe.h"
#include "service_kv.h"

#define DEFAULT_SEED          0x73657276u
#define DEFAULT_CLIENTS       3u
#define DEFAULT_REQUESTS      40u
#define DEFAULT_KEYS          8u
#define DEFAULT_NUDGE_CYCLES  4000000u
#define MAX_REPORTED          10u

struct client {
    uint32_t last_seq;        /* last request answered (0 = none) */
    uint32_t digest;
    uint32_t response_len;    /* the cached response frame (for a resent request) */
    uint8_t response[NETFRAME_MIN_BYTES + KV_MAX_RESPONSE];
    int unsent;               /* the cached response still has to go out */
    int bye;                  /* the peer's bye has come */
    uint32_t bye_exchanges;
    uint32_t bye_mismatches;
    uint32_t bye_digest;
};

struct service {
    uint32_t seed;
    uint32_t clients;
    uint32_t requests;
    uint32_t keys;
    uint32_t nudge;
    uint32_t give_up;
    uint32_t domid;
    uint32_t byes;
    uint32_t served;
    uint32_t resent;
    uint32_t stale;
    uint32_t strangers;
    uint32_t failures;
    struct client c[NETFRAME_MAX_CLIENTS];
    struct kv_store kv;
};

static struct service svc;
static uint8_t rx_buf[NETFRAME_MAX_BYTES];
static uint8_t tx_buf[NETFRAME_MIN_BYTES + KV_HELLO_BYTES];

static void fail(const char *what, uint32_t a, uint32_t b)
{
    svc.failures++;
    if (svc.failures <= MAX_REPORTED) {
        printk("service: %s (%u, %x)\n", what, a, b);
    }
}

static void send_hello(void)
{
    uint8_t *p = tx_buf + NETFRAME_HEADER_BYTES;
    netframe_put32(p, svc.seed);
    netframe_put16(p + 4, svc.clients);
    netframe_put16(p + 6, svc.requests);
    netframe_put16(p + 8, svc.keys);
    netframe_put16(p + 10, 0);
    struct netframe_hdr h = {
        .type = NETFRAME_SVC_HELLO, .dst = NETFRAME_SERVICE_PEER, .dst_port = NETFRAME_SERVICE_PORT,
        .src = svc.domid, .src_port = NETFRAME_SERVICE_PORT, .seq = 0, .len = KV_HELLO_BYTES,
    };
    uint32_t n = netframe_build(tx_buf, &h, p);
    netfront_send(tx_buf, n);   /* a hello lost for want of a TX slot is sent again on the next nudge */
}

/* Sends the cached responses still waiting for a TX slot. */
static void flush_responses(void)
{
    for (uint32_t k = 0; k < svc.clients; k++) {
        struct client *c = &svc.c[k];
        if (c->unsent && netfront_send(c->response, c->response_len) == 0) {
            c->unsent = 0;
        }
    }
}

static void take_request(uint32_t k, const struct netframe_hdr *h, const uint8_t *frame, uint32_t n)
{
    struct client *c = &svc.c[k];
    if (h->seq == c->last_seq && c->last_seq != 0) {
        svc.resent++;
        c->unsent = 1;
        return;
    }
    if (h->seq != c->last_seq + 1 || c->last_seq == svc.requests) {
        svc.stale++;
        return;
    }
    uint8_t *payload = c->response + NETFRAME_HEADER_BYTES;
    uint32_t len = kv_handle(&svc.kv, frame + NETFRAME_HEADER_BYTES, h->len, payload);
    struct netframe_hdr r = {
        .type = NETFRAME_SVC_RESPONSE, .dst = h->src, .dst_port = h->src_port, .src = svc.domid,
        .src_port = NETFRAME_SERVICE_PORT, .seq = h->seq, .len = len,
    };
    c->response_len = netframe_build(c->response, &r, payload);
    c->digest = kv_fold_exchange(c->digest, h->seq, netframe_check_of(frame, n),
                                 netframe_check_of(c->response, c->response_len));
    c->last_seq = h->seq;
    c->unsent = 1;
    svc.served++;
}

static void take_bye(uint32_t k, const struct netframe_hdr *h, const uint8_t *frame)
{
    struct client *c = &svc.c[k];
    if (c->bye || h->len != KV_BYE_BYTES) {
        return;
    }
    const uint8_t *p = frame + NETFRAME_HEADER_BYTES;
    c->bye = 1;
    c->bye_exchanges = netframe_get32(p);
    c->bye_mismatches = netframe_get32(p + 4);
    c->bye_digest = netframe_get32(p + 8);
    svc.byes++;
}

/* One received frame. Returns 1 if it was news (a new request or a bye). */
static int take(uint32_t n)
{
    struct netframe_hdr h;
    int problem = netframe_parse(rx_buf, n, &h);
    if (problem != NETFRAME_OK) {
        fail("malformed frame", n, (uint32_t) problem);
        return 0;
    }
    uint32_t k = h.src - NETFRAME_CLIENT_BASE;
    if (h.dst != svc.domid || h.dst_port != NETFRAME_SERVICE_PORT || h.src < NETFRAME_CLIENT_BASE
        || k >= svc.clients) {
        svc.strangers++;
        return 0;
    }
    uint32_t before = svc.served + svc.byes;
    if (h.type == NETFRAME_SVC_REQUEST) {
        take_request(k, &h, rx_buf, n);
    } else if (h.type == NETFRAME_SVC_BYE) {
        take_bye(k, &h, rx_buf);
    } else {
        svc.strangers++;
    }
    return svc.served + svc.byes != before;
}

static int service_main(void)
{
    svc.seed = start_info->param[0] != 0 ? start_info->param[0] : DEFAULT_SEED;
    svc.clients = start_info->param[1] != 0 ? start_info->param[1] : DEFAULT_CLIENTS;
    svc.requests = start_info->param[2] != 0 ? start_info->param[2] : DEFAULT_REQUESTS;
    svc.keys = start_info->param[3] != 0 ? start_info->param[3] : DEFAULT_KEYS;
    svc.nudge = start_info->param[4] != 0 ? start_info->param[4] : DEFAULT_NUDGE_CYCLES;
    svc.give_up = start_info->param[5];
    if (svc.clients > NETFRAME_MAX_CLIENTS || svc.requests > 0xFFFF || svc.keys == 0
        || svc.clients * svc.keys > KV_CAPACITY) {
        printk("service: %u clients x %u keys (%u requests each) do not fit\n", svc.clients, svc.keys,
               svc.requests);
        return 1;
    }
    kv_init(&svc.kv);
    for (uint32_t k = 0; k < svc.clients; k++) {
        svc.c[k].digest = NETFRAME_FNV_INIT;
    }
    if (netfront_init() != 0) {
        printk("service: no network\n");
        return 1;
    }
    svc.domid = netfront_domid();
    printk("service: dom%u serving %u clients x %u requests, %u keys each\n", svc.domid, svc.clients,
           svc.requests, svc.keys);
    send_hello();
    uint32_t nudges = 0;
    uint32_t silent = 0;
    uint64_t deadline = time_now() + svc.nudge;
    while (svc.byes < svc.clients) {
        flush_responses();
        if (netfront_wait(deadline) == NETFRONT_TIMEOUT) {
            silent++;
            if (svc.give_up != 0 && silent >= svc.give_up) {
                printk("service: nothing heard for %u nudges; giving up\n", silent);
                svc.failures++;
                break;
            }
            nudges++;
            send_hello();
            deadline = time_now() + svc.nudge;
            continue;
        }
        int n;
        while ((n = netfront_recv(rx_buf, sizeof rx_buf)) > 0) {
            if (take((uint32_t) n)) {
                silent = 0;
                deadline = time_now() + svc.nudge;
            }
        }
    }
    flush_responses();
    netfront_close();
    uint32_t digest = digest_word(DIGEST_INIT, svc.clients);
    for (uint32_t k = 0; k < svc.clients; k++) {
        struct client *c = &svc.c[k];
        printk("service: client %u exchanges=%u digest=%08x\n", k, c->last_seq, c->digest);
        if (c->bye && (c->bye_exchanges != svc.requests || c->bye_mismatches != 0
                       || c->bye_digest != c->digest || c->last_seq != svc.requests)) {
            fail("the peer's client saw another exchange", k, c->bye_digest);
            printk("service: client %u: peer says exchanges=%u mismatches=%u digest=%08x\n", k,
                   c->bye_exchanges, c->bye_mismatches, c->bye_digest);
        }
        digest = digest_word(digest_word(digest, c->digest), c->last_seq);
    }
    if (nudges != 0 || svc.resent != 0 || svc.stale != 0 || svc.strangers != 0) {
        printk("service: nudges=%u resent=%u stale=%u strangers=%u\n", nudges, svc.resent, svc.stale,
               svc.strangers);
    }
    printk("service: %u requests served, %u keys stored, %u failures\n", svc.served, svc.kv.keys, svc.failures);
    printk("packets=%u\n", 2 * svc.served);
    printk("digest=%08x\n", digest);
    return svc.failures == 0 && svc.byes == svc.clients ? 0 : 1;
}

const struct workload workload = { "service", service_main };
