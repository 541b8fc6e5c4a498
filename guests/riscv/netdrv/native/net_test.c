/*
 * net_test.c — the pure parts of the network path, compiled for the host and checked alone
 * (make -C guests net-test): the RHNET frame (the same test vector as the Java side's
 * NetFrameTest), the `net` workload's payloads and digest (printed: the digest a default run
 * must print), the `service` workload's store, and the shared rings of public/io/ring.h driven
 * from both ends (requests, responses, and the event-suppression rules a sleeping side relies
 * on). Exit 0 when every check passed; each failure is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netframe.h"
#include "net_echo.h"
#include "service_kv.h"
#include "public/io/netif.h"
#include "public/io/xenbus.h"

static int failures;

#define CHECK(cond) do { if (!(cond)) { failures++; printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)

static void test_frame(void)
{
    uint8_t f[NETFRAME_MAX_BYTES];
    const char *text = "hello, wire";
    struct netframe_hdr h = {
        .type = NETFRAME_ECHO_REQUEST, .dst = NETFRAME_ECHO_SERVER, .dst_port = NETFRAME_ECHO_PORT,
        .src = 3, .src_port = 7000, .seq = 42, .len = 11,
    };
    uint32_t n = netframe_build(f, &h, (const uint8_t *) text);
    CHECK(n == 35);
    CHECK(f[0] == 'R' && f[1] == 'N');
    CHECK(netframe_check_of(f, n) == 0x24d89a4du);   /* NetFrameTest.VECTOR_CHECK */
    struct netframe_hdr p;
    CHECK(netframe_parse(f, n, &p) == NETFRAME_OK);
    CHECK(p.type == h.type && p.dst == h.dst && p.dst_port == h.dst_port && p.src == h.src
          && p.src_port == h.src_port && p.seq == h.seq && p.len == h.len);
    CHECK(netframe_parse(f, 23, &p) == NETFRAME_SHORT);
    CHECK(netframe_parse(f, n - 1, &p) == NETFRAME_BAD_LENGTH);
    f[NETFRAME_HEADER_BYTES + 2] ^= 4;
    CHECK(netframe_parse(f, n, &p) == NETFRAME_BAD_CHECK);
    CHECK(netframe_check_header(f, n) == NETFRAME_OK);
    f[0] = 0;
    CHECK(netframe_parse(f, n, &p) == NETFRAME_BAD_MAGIC);
    /* payload already in place */
    memset(f, 0, sizeof f);
    memcpy(f + NETFRAME_HEADER_BYTES, text, 11);
    CHECK(netframe_build(f, &h, f + NETFRAME_HEADER_BYTES) == 35 && netframe_check_of(f, 35) == 0x24d89a4du);
    h.len = NETFRAME_MAX_PAYLOAD + 1;
    CHECK(netframe_build(f, &h, f + NETFRAME_HEADER_BYTES) == 0);
}

static void test_echo(void)
{
    uint8_t a[NET_MAX_PAYLOAD];
    uint8_t b[NET_MAX_PAYLOAD];
    uint32_t min = NET_MAX_PAYLOAD;
    uint32_t max = 0;
    for (uint32_t seq = 1; seq <= 1000; seq++) {
        uint32_t la = net_echo_payload(NET_DEFAULT_SEED, seq, a);
        uint32_t lb = net_echo_payload(NET_DEFAULT_SEED, seq, b);
        CHECK(la == lb && memcmp(a, b, la) == 0);
        CHECK(la >= NET_MIN_PAYLOAD && la <= NET_MAX_PAYLOAD);
        min = la < min ? la : min;
        max = la > max ? la : max;
    }
    CHECK(min < 40 && max > 480);
    CHECK(net_echo_expected(NET_DEFAULT_SEED, 200) != net_echo_expected(NET_DEFAULT_SEED + 1, 200));
    CHECK(net_echo_expected(NET_DEFAULT_SEED, 200) != net_echo_expected(NET_DEFAULT_SEED, 199));
    printf("net digest (default seed, %u frames): %08x\n", NET_DEFAULT_FRAMES,
           net_echo_expected(NET_DEFAULT_SEED, NET_DEFAULT_FRAMES));
}

static uint32_t request(uint8_t *req, uint32_t op, const char *key, const char *value)
{
    uint32_t k = (uint32_t) strlen(key);
    uint32_t v = (uint32_t) strlen(value);
    req[0] = (uint8_t) op;
    req[1] = (uint8_t) k;
    req[2] = (uint8_t) v;
    req[3] = 0;
    memcpy(req + 4, key, k);
    memcpy(req + 4 + k, value, v);
    return 4 + k + v;
}

static void test_kv(void)
{
    static struct kv_store kv;
    uint8_t req[128];
    uint8_t rsp[KV_MAX_RESPONSE];
    kv_init(&kv);
    uint32_t n = kv_handle(&kv, req, request(req, KV_OP_GET, "c0k1", ""), rsp);
    CHECK(n == 4 && rsp[0] == KV_OP_GET && rsp[1] == KV_NOT_FOUND && rsp[2] == 0);
    n = kv_handle(&kv, req, request(req, KV_OP_PUT, "c0k1", "value-one"), rsp);
    CHECK(n == 4 && rsp[1] == KV_OK && kv.keys == 1);
    n = kv_handle(&kv, req, request(req, KV_OP_GET, "c0k1", ""), rsp);
    CHECK(n == 13 && rsp[1] == KV_OK && rsp[2] == 9 && memcmp(rsp + 4, "value-one", 9) == 0);
    n = kv_handle(&kv, req, request(req, KV_OP_PUT, "c0k1", "2"), rsp);
    CHECK(rsp[1] == KV_OK && kv.keys == 1);
    n = kv_handle(&kv, req, request(req, KV_OP_GET, "c0k1", ""), rsp);
    CHECK(n == 5 && rsp[4] == '2');
    n = kv_handle(&kv, req, request(req, KV_OP_GET, "c0k", ""), rsp);
    CHECK(rsp[1] == KV_NOT_FOUND);
    n = kv_handle(&kv, req, request(req, KV_OP_DEL, "c0k1", ""), rsp);
    CHECK(n == 4 && rsp[0] == KV_OP_DEL && rsp[1] == KV_OK && kv.keys == 0);
    n = kv_handle(&kv, req, request(req, KV_OP_DEL, "c0k1", ""), rsp);
    CHECK(rsp[1] == KV_NOT_FOUND);
    /* bad requests change nothing */
    CHECK(kv_handle(&kv, req, request(req, KV_OP_PUT, "k", ""), rsp) == 4 && rsp[1] == KV_BAD_REQUEST);
    CHECK(kv_handle(&kv, req, request(req, KV_OP_GET, "k", "v"), rsp) == 4 && rsp[1] == KV_BAD_REQUEST);
    CHECK(kv_handle(&kv, req, request(req, 9, "k", ""), rsp) == 4 && rsp[0] == 9 && rsp[1] == KV_BAD_REQUEST);
    CHECK(kv_handle(&kv, req, request(req, KV_OP_GET, "", ""), rsp) == 4 && rsp[1] == KV_BAD_REQUEST);
    CHECK(kv_handle(&kv, req, request(req, KV_OP_GET, "01234567890123456", ""), rsp) == 4
          && rsp[1] == KV_BAD_REQUEST);
    uint32_t len = request(req, KV_OP_PUT, "k", "v");
    CHECK(kv_handle(&kv, req, len + 1, rsp) == 4 && rsp[1] == KV_BAD_REQUEST);
    CHECK(kv_handle(&kv, req, 3, rsp) == 4 && rsp[1] == KV_BAD_REQUEST);
    CHECK(kv.keys == 0);
    /* full */
    char key[16];
    for (int i = 0; i < KV_CAPACITY; i++) {
        snprintf(key, sizeof key, "k%d", i);
        kv_handle(&kv, req, request(req, KV_OP_PUT, key, "x"), rsp);
        CHECK(rsp[1] == KV_OK);
    }
    kv_handle(&kv, req, request(req, KV_OP_PUT, "one-more", "x"), rsp);
    CHECK(rsp[1] == KV_FULL && kv.keys == KV_CAPACITY);
    kv_handle(&kv, req, request(req, KV_OP_PUT, "k7", "overwrite"), rsp);
    CHECK(rsp[1] == KV_OK);
    kv_handle(&kv, req, request(req, KV_OP_DEL, "k3", ""), rsp);
    kv_handle(&kv, req, request(req, KV_OP_PUT, "one-more", "x"), rsp);
    CHECK(rsp[1] == KV_OK && kv.keys == KV_CAPACITY);
    /* the fold is the peer's (ServiceMessages.foldExchange): FNV-1a over three words */
    uint32_t d = kv_fold_exchange(NETFRAME_FNV_INIT, 1, 2, 3);
    uint32_t e = NETFRAME_FNV_INIT;
    uint32_t words[3] = { 1, 2, 3 };
    for (int w = 0; w < 3; w++) {
        for (int i = 0; i < 4; i++) {
            e = netframe_fnv_byte(e, words[w] >> (8 * i));
        }
    }
    CHECK(d == e);
}

/* A front end and a back end over one shared TX ring page, in one process. */
static void test_rings(void)
{
    static union { netif_tx_sring_t s; uint8_t page[4096]; } shared __attribute__((aligned(4096)));
    netif_tx_front_ring_t front;
    netif_tx_back_ring_t back;
    SHARED_RING_INIT(&shared.s);
    FRONT_RING_INIT(&front, &shared.s, NET_TX_RING_SIZE);
    BACK_RING_ATTACH(&back, &shared.s, NET_TX_RING_SIZE);
    CHECK(RING_SIZE(&front) == 256 && RING_FREE_REQUESTS(&front) == 256);
    CHECK((uint8_t *) RING_GET_REQUEST(&front, 255) + sizeof(struct netif_tx_request) <= shared.page + 4096);

    /* the back end asked for an event at the first request (req_event = 1) */
    int notify;
    for (uint16_t i = 0; i < 3; i++) {
        struct netif_tx_request *r = RING_GET_REQUEST(&front, front.req_prod_pvt++);
        r->id = i;
        r->size = (uint16_t) (100 + i);
    }
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    CHECK(notify == 1);
    /* more requests before the back end looked: no second event */
    struct netif_tx_request *r = RING_GET_REQUEST(&front, front.req_prod_pvt++);
    r->id = 3;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    CHECK(notify == 0);

    CHECK(RING_HAS_UNCONSUMED_REQUESTS(&back) == 4);
    for (uint16_t i = 0; i < 4; i++) {
        struct netif_tx_request q = *RING_GET_REQUEST(&back, back.req_cons);
        back.req_cons++;
        CHECK(q.id == i);
        struct netif_tx_response *p = RING_GET_RESPONSE(&back, back.rsp_prod_pvt++);
        p->id = q.id;
        p->status = NETIF_RSP_OKAY;
    }
    /* the front end asked for an event at the first response (rsp_event = 1) */
    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&back, notify);
    CHECK(notify == 1);
    int work;
    RING_FINAL_CHECK_FOR_REQUESTS(&back, work);
    CHECK(work == 0 && shared.s.req_event == 5);

    /* the front end consumes, re-arms, and the next request wakes the sleeping back end */
    CHECK(RING_HAS_UNCONSUMED_RESPONSES(&front) == 4);
    front.rsp_cons = shared.s.rsp_prod;
    RING_FINAL_CHECK_FOR_RESPONSES(&front, work);
    CHECK(work == 0 && shared.s.rsp_event == 5);
    r = RING_GET_REQUEST(&front, front.req_prod_pvt++);
    r->id = 4;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    CHECK(notify == 1);

    /* the ring fills: 256 outstanding at most, and the back end never sees more than that */
    while (!RING_FULL(&front)) {
        RING_GET_REQUEST(&front, front.req_prod_pvt)->id = 9;
        front.req_prod_pvt++;
    }
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    CHECK(front.req_prod_pvt - front.rsp_cons == 256);
    CHECK(RING_HAS_UNCONSUMED_REQUESTS(&back) == 256);
    /* a hostile front end's req_prod far ahead is bounded by the room for responses */
    shared.s.req_prod += 1000;
    CHECK(RING_HAS_UNCONSUMED_REQUESTS(&back) == 256);
    CHECK(!RING_REQUEST_CONS_OVERFLOW(&back, back.req_cons));
    CHECK(RING_REQUEST_CONS_OVERFLOW(&back, back.req_cons + 256));

    /* wrap-around of the free-running indexes */
    SHARED_RING_INIT(&shared.s);
    shared.s.req_prod = shared.s.rsp_prod = 0xfffffffeu;
    FRONT_RING_INIT(&front, &shared.s, NET_TX_RING_SIZE);
    front.req_prod_pvt = front.rsp_cons = 0xfffffffeu;
    BACK_RING_ATTACH(&back, &shared.s, NET_TX_RING_SIZE);
    for (int i = 0; i < 4; i++) {
        RING_GET_REQUEST(&front, front.req_prod_pvt)->id = (uint16_t) i;
        front.req_prod_pvt++;
    }
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    CHECK(RING_HAS_UNCONSUMED_REQUESTS(&back) == 4);
    CHECK(RING_GET_REQUEST(&back, back.req_cons + 3)->id == 3);
    CHECK(XenbusStateConnected == 4 && XenbusStateClosed == 6);
}

int main(void)
{
    test_frame();
    test_echo();
    test_kv();
    test_rings();
    if (failures != 0) {
        printf("net_test: %d failures\n", failures);
        return 1;
    }
    printf("net_test: all checks passed\n");
    return 0;
}
