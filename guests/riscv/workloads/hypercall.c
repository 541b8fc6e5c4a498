/*
 * hypercall.c — the `hypercall` workload: hypercall-intensive, run by a PAIR of domains that
 * ping-pong over one interdomain event channel. start_info.role: 0 = initiator, 1 = responder;
 * start_info.peer_domid = the other one. param[0] = seed (0 = default), param[1] = rounds
 * (0 = 200).
 *
 * Connection: the initiator allocates an unbound port for the peer (EVTCHNOP_alloc_unbound;
 * ports go lowest-free first, so it is port 1 in a fresh domain). The responder binds to
 * (peer, port 1), retrying with SCHEDOP_yield while it gets -EINVAL/-ENOENT (the initiator has
 * not allocated yet) or -ESRCH (the peer does not exist yet), then sends a first event,
 * "hello", which tells the initiator that the channel is connected.
 *
 * Round r = 1..N: the initiator sends ("ping r") and waits for the reply; the responder waits
 * for the ping, then replies. No data travels: each side counts the events it receives and
 * both know what round r stands for (value(r), a hash of seed and r). Waiting mixes every way
 * the ABI offers: SCHEDOP_poll without and with a timeout, SCHEDOP_block, and every 6th round a
 * masked port polled and its pending bit cleared by hand (then EVTCHNOP_unmask). Around the
 * sends both sides do the same side operations: yields, short sleeps (set_timer_op +
 * SCHEDOP_block), vcpu_op is_up / get_runstate_info, a page populated and released with
 * memory_op, EVTCHNOP_status, and every 8th round the send itself inside a multicall with a
 * console write, a yield and a vcpu_op (every 16th also a nested multicall and an unknown
 * hypercall, which must fail with -EINVAL and -ENOSYS). Every result is checked.
 *
 * Both sides check every count (exactly one event per round) and fold the round numbers,
 * value(r), the counts and every side operation's result into two digests (events, operations)
 * whose combination is printed: the same for both roles and independent of timing.
 */
#include "kernel.h"

#define DEFAULT_SEED           0x68797063u
#define DEFAULT_ROUNDS         200
#define INITIATOR_PORT         1
#define POLL_TIMEOUT_CYCLES    20000u
#define SHORT_SLEEP_CYCLES     3000u
#define MAX_WAITS              200000u
#define MAX_BIND_TRIES         100000u
#define MAX_REPORTED_FAILURES  10
#define UNKNOWN_HYPERCALL      99

enum role { INITIATOR = 0, RESPONDER = 1 };

struct pingpong {
    enum role role;
    domid_t peer;
    uint32_t seed;
    uint32_t rounds;
    uint32_t spare_gfn;   /* a gfn above the initial RAM for memory_op, 0 = none */
    evtchn_port_t port;
    uint32_t events_digest;   /* waits and counts, in round order */
    uint32_t ops_digest;      /* side operations and sends, in round order */
    uint32_t failures;
};

static volatile uint32_t events_received;

static void on_event(evtchn_port_t port, void *data)
{
    (void) port;
    (void) data;
    events_received++;
}

/* What round r stands for; both sides compute it. */
static uint32_t round_value(uint32_t seed, uint32_t r)
{
    uint32_t x = seed ^ (r * 0x9e3779b9u);
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    return x;
}

/* Checks cond; a failure is counted and (the first few) printed. Records the value either way
   in *digest, one of the two of s: the roles interleave waits and operations differently, but
   each of the two sequences is the same for both roles. */
static void check(struct pingpong *s, uint32_t *digest, int cond, uint32_t r, const char *what, int value)
{
    *digest = digest_word(*digest, (uint32_t) value);
    if (!cond) {
        s->failures++;
        if (s->failures <= MAX_REPORTED_FAILURES) {
            printk("hypercall: round %u: %s: unexpected %d\n", r, what, value);
        }
    }
}

/* check() into the operations digest. */
static void expect(struct pingpong *s, int cond, uint32_t r, const char *what, int value)
{
    check(s, &s->ops_digest, cond, r, what, value);
}

/* Waits until `target` events have been received in all. */
static int wait_events(struct pingpong *s, uint32_t r, uint32_t target)
{
    int masked = r % 6 == 5;
    if (masked) {
        evtchn_mask(s->port);
    }
    for (uint32_t waits = 0; events_received < target; waits++) {
        if (waits == MAX_WAITS) {
            printk("hypercall: round %u: no event after %u waits\n", r, waits);
            return -1;
        }
        if (masked && evtchn_test_and_clear_pending(s->port)) {
            events_received++;
            continue;
        }
        if (r % 4 == 3 && !masked) {
            hv_sched_block();
        } else {
            uint64_t timeout = r % 4 == 1 ? time_now() + POLL_TIMEOUT_CYCLES : 0;
            int rc = hv_sched_poll(&s->port, 1, timeout);
            if (rc != 0) {
                printk("hypercall: round %u: SCHEDOP_poll: %d\n", r, rc);
                return -1;
            }
        }
        local_irq_window();
    }
    if (masked) {
        int rc = hv_evtchn_unmask(s->port);
        check(s, &s->events_digest, rc == 0, r, "EVTCHNOP_unmask", rc);
    }
    return 0;
}

static void check_status(struct pingpong *s, uint32_t r)
{
    struct evtchn_status st;
    int rc = hv_evtchn_status(DOMID_SELF, s->port, &st);
    expect(s, rc == 0, r, "EVTCHNOP_status", rc);
    expect(s, st.status == EVTCHNSTAT_interdomain, r, "EVTCHNOP_status status", (int) st.status);
    if (st.remote_dom != s->peer) {
        printk("hypercall: round %u: EVTCHNOP_status: remote_dom %u, expected %u\n", r, st.remote_dom, s->peer);
    }
    expect(s, st.remote_dom == s->peer, r, "EVTCHNOP_status remote_dom is the peer", st.remote_dom == s->peer);
}

static void memory_round(struct pingpong *s, uint32_t r)
{
    uint32_t gfn = s->spare_gfn;
    int before = memory_current_pages();
    int rc = memory_populate(&gfn, 1);
    expect(s, rc == 1, r, "populate_physmap", rc);
    if (rc != 1) {
        return;
    }
    expect(s, memory_current_pages() == before + 1, r, "current_reservation after populate",
           memory_current_pages() - before);
    volatile uint32_t *page = gfn_to_virt(gfn);
    uint32_t v = round_value(s->seed, r);
    int fresh = page[0] == 0 && page[1023] == 0;
    page[0] = v;
    page[1023] = ~v;
    expect(s, fresh && page[0] == v && page[1023] == ~v, r, "page contents", fresh);
    rc = memory_decrease(&gfn, 1);
    expect(s, rc == 1, r, "decrease_reservation", rc);
    expect(s, memory_current_pages() == before, r, "current_reservation after decrease",
           memory_current_pages() - before);
}

static void side_operations(struct pingpong *s, uint32_t r)
{
    if (r % 5 == 0) {
        int rc = hv_sched_yield();
        expect(s, rc == 0, r, "SCHEDOP_yield", rc);
        local_irq_window();
    }
    if (r % 7 == 3) {
        int rc = timer_sleep_until(time_now() + SHORT_SLEEP_CYCLES);
        expect(s, rc == 0, r, "set_timer_op", rc);
    }
    if (r % 10 == 4) {
        int up = hv_vcpu_is_up(0);
        expect(s, up == 1, r, "VCPUOP_is_up(0)", up);
        int bad = hv_vcpu_is_up(start_info->nr_vcpus);
        expect(s, bad == -XEN_EINVAL, r, "VCPUOP_is_up(nr_vcpus)", bad);
        struct vcpu_runstate_info info;
        int rc = hv_vcpu_get_runstate_info(0, &info);
        expect(s, rc == 0, r, "VCPUOP_get_runstate_info", rc);
        expect(s, info.state == RUNSTATE_running, r, "runstate of the running vcpu", (int) info.state);
    }
    if (r % 16 == 6 && s->spare_gfn != 0) {
        memory_round(s, r);
    }
    if (r % 25 == 12) {
        check_status(s, r);
    }
}

/* Sends this round's event, every 8th round inside a multicall. */
static void send_event(struct pingpong *s, uint32_t r)
{
    if (r % 8 != 1) {
        int rc = hv_evtchn_send(s->port);
        expect(s, rc == 0, r, "EVTCHNOP_send", rc);
        return;
    }
    static char line[64];
    static struct evtchn_send send;
    static struct multicall_entry calls[6];
    static struct multicall_entry nested[1];
    uint32_t len = (uint32_t) snprintk(line, sizeof line, "hypercall: multicall in round %u\n", r);
    send.port = s->port;
    multicall_set(&calls[0], __HYPERVISOR_console_io, CONSOLEIO_write, len, guest_ptr(line));
    multicall_set(&calls[1], __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
    multicall_set(&calls[2], __HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0);
    multicall_set(&calls[3], __HYPERVISOR_event_channel_op, EVTCHNOP_send, guest_ptr(&send), 0);
    uint32_t n = 4;
    if (r % 16 == 1) {
        multicall_set(&nested[0], __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
        multicall_set(&calls[4], __HYPERVISOR_multicall, guest_ptr(nested), 1, 0);
        multicall_set(&calls[5], UNKNOWN_HYPERCALL, 0, 0, 0);
        n = 6;
    }
    int rc = hv_multicall(calls, n);
    expect(s, rc == 0, r, "multicall", rc);
    expect(s, calls[0].result == (int32_t) len, r, "multicall console_io", calls[0].result);
    expect(s, calls[1].result == 0, r, "multicall SCHEDOP_yield", calls[1].result);
    expect(s, calls[2].result == 1, r, "multicall VCPUOP_is_up", calls[2].result);
    expect(s, calls[3].result == 0, r, "multicall EVTCHNOP_send", calls[3].result);
    if (n == 6) {
        expect(s, calls[4].result == -XEN_EINVAL, r, "nested multicall", calls[4].result);
        expect(s, calls[5].result == -XEN_ENOSYS, r, "unknown hypercall in a multicall", calls[5].result);
    }
}

static int connect_initiator(struct pingpong *s)
{
    int rc = hv_evtchn_alloc_unbound(s->peer, &s->port);
    if (rc != 0 || s->port != INITIATOR_PORT) {
        printk("hypercall: EVTCHNOP_alloc_unbound: rc=%d port=%u (expected port %u)\n", rc, s->port,
               INITIATOR_PORT);
        return -1;
    }
    evtchn_set_handler(s->port, on_event, 0);
    rc = hv_evtchn_unmask(s->port);
    if (rc != 0) {
        printk("hypercall: EVTCHNOP_unmask: %d\n", rc);
        return -1;
    }
    printk("hypercall: initiator: port %u allocated for dom%u\n", s->port, s->peer);
    if (wait_events(s, 0, 1) != 0) {
        return -1;
    }
    printk("hypercall: initiator: dom%u connected\n", s->peer);
    return 0;
}

static int connect_responder(struct pingpong *s)
{
    int rc = -XEN_ENOENT;
    for (uint32_t tries = 0; tries < MAX_BIND_TRIES; tries++) {
        rc = hv_evtchn_bind_interdomain(s->peer, INITIATOR_PORT, &s->port);
        if (rc != -XEN_EINVAL && rc != -XEN_ENOENT && rc != -XEN_ESRCH) {
            break;
        }
        hv_sched_yield();
        local_irq_window();
    }
    if (rc != 0) {
        printk("hypercall: EVTCHNOP_bind_interdomain(dom%u, port %u): %d\n", s->peer, INITIATOR_PORT, rc);
        return -1;
    }
    evtchn_set_handler(s->port, on_event, 0);
    rc = hv_evtchn_unmask(s->port);
    if (rc != 0) {
        printk("hypercall: EVTCHNOP_unmask: %d\n", rc);
        return -1;
    }
    printk("hypercall: responder: port %u bound to dom%u port %u\n", s->port, s->peer, INITIATOR_PORT);
    rc = hv_evtchn_send(s->port);
    if (rc != 0) {
        printk("hypercall: EVTCHNOP_send (hello): %d\n", rc);
        return -1;
    }
    return 0;
}

static int hypercall_main(void)
{
    struct pingpong s = {
        .role = start_info->role == 0 ? INITIATOR : RESPONDER,
        .peer = (domid_t) start_info->peer_domid,
        .seed = start_info->param[0] != 0 ? start_info->param[0] : DEFAULT_SEED,
        .rounds = start_info->param[1] != 0 ? start_info->param[1] : DEFAULT_ROUNDS,
        .spare_gfn = start_info->max_pages > start_info->nr_pages ? memory_first_free_gfn() : 0,
        .events_digest = DIGEST_INIT,
        .ops_digest = DIGEST_INIT,
    };
    if (start_info->role > 1 || start_info->peer_domid == START_INFO_NO_PEER
        || start_info->peer_domid == start_info->domid) {
        printk("hypercall: needs role 0 or 1 and a peer domain (role=%u peer=%u)\n", start_info->role,
               start_info->peer_domid);
        return 1;
    }
    printk("hypercall: %s, peer dom%u, seed=%08x rounds=%u\n", s.role == INITIATOR ? "initiator" : "responder",
           s.peer, s.seed, s.rounds);
    int rc = s.role == INITIATOR ? connect_initiator(&s) : connect_responder(&s);
    if (rc != 0) {
        return 1;
    }
    check_status(&s, 0);

    /* The initiator has counted the hello: its count after round r is r + 1. The count is
       checked right after the wait, before the responder replies: the next event can come
       only after that reply. */
    uint32_t offset = s.role == INITIATOR ? 1 : 0;
    for (uint32_t r = 1; r <= s.rounds; r++) {
        if (s.role == INITIATOR) {
            side_operations(&s, r);
            send_event(&s, r);
        }
        if (wait_events(&s, r, r + offset) != 0) {
            return 1;
        }
        uint32_t count = events_received - offset;
        s.events_digest = digest_word(digest_word(s.events_digest, r), round_value(s.seed, r));
        check(&s, &s.events_digest, count == r, r, "events received", (int) count);
        if (s.role == RESPONDER) {
            side_operations(&s, r);
            send_event(&s, r);
        }
        if (r % 50 == 0 || r == s.rounds) {
            printk("hypercall: round %u/%u, %u failures\n", r, s.rounds, s.failures);
        }
    }

    rc = hv_evtchn_close(s.port);
    expect(&s, rc == 0, s.rounds, "EVTCHNOP_close", rc);
    rc = hv_evtchn_send(s.port);
    expect(&s, rc < 0, s.rounds, "EVTCHNOP_send on a closed port", rc < 0);
    evtchn_set_handler(s.port, 0, 0);

    printk("hypercall: %s: %u rounds, %u failures\n", s.failures == 0 ? "ok" : "FAIL", s.rounds, s.failures);
    printk("digest=%08x\n", digest_word(s.events_digest, s.ops_digest));
    return s.failures == 0 ? 0 : 1;
}

const struct workload workload = { .name = "hypercall", .main = hypercall_main };
