/*
 * netfront.c — the AppVM's network front end (netfront.h says what it offers; the protocol is
 * in riscv/netdrv/README.md). In short:
 *
 *   connect:  read device/vif/0/{backend, backend-id}; wait for the back end's state InitWait;
 *             grant the two ring pages and the RX pages writable, the TX pages read-only, to
 *             the back end; initialise the rings and post every RX page; allocate an unbound
 *             port for the back end (kept masked: we poll it); write tx-ring-ref, rx-ring-ref,
 *             event-channel, then state Initialised; wait for the back end's Connected; write
 *             Connected.
 *   send:     copy the frame into a free TX slot (2 KiB, half a granted page), one TX request
 *             {gref, offset, id = slot, size}; push, event if the back end asked for one.
 *   receive:  each RX response {id = page, status = length} is copied out and the page posted
 *             again at once.
 *   wait:     the Xen "final check" (re-arm rsp_event, look again), then SCHEDOP_poll on the
 *             port with the caller's deadline.
 *   failover: on a deadline, the back end's state and id are read from the store; if it is no
 *             longer our Connected back end we disconnect (end every grant; a grant that is
 *             still mapped keeps its page, which we abandon and replace) and connect again.
 *
 * Every value the back end writes into the shared rings is checked before it is used (ids in
 * range and outstanding, lengths within the page), so a broken back end can lose our frames
 * but not make us write outside our buffers.
 */
#include "kernel.h"
#include "gnttab.h"
#include "netfront.h"
#include "xenstore.h"
#include "public/io/netif.h"
#include "public/io/xenbus.h"

#define TX_SLOT_BYTES        2048u
#define TX_PAGES             (NETFRONT_TX_BUFS / 2)
#define WAIT_SLICE_CYCLES    500000u    /* re-read the store at least this often while waiting */
#define CLOSE_WAIT_CYCLES    2000000u   /* how long netfront_close waits for the back end */
#define PATH_BYTES           XENSTORE_PATH_MAX

/* One page we lend to the back end. */
struct lent_page {
    uint32_t gfn;
    int ref;            /* < 0: not granted */
};

static struct {
    int connected;
    uint32_t domid;
    domid_t be_id;
    char path[PATH_BYTES];          /* /local/domain/<us>/device/vif/0 */
    char be_path[PATH_BYTES];       /* the back end's directory */
    char watched[PATH_BYTES];       /* the back end state path we watch ("" = none) */
    evtchn_port_t port;
    netif_tx_front_ring_t tx;
    netif_rx_front_ring_t rx;
    struct lent_page tx_ring;
    struct lent_page rx_ring;
    struct lent_page rx_page[NETFRONT_RX_BUFS];
    struct lent_page tx_page[TX_PAGES];
    uint8_t rx_posted[NETFRONT_RX_BUFS];
    uint8_t tx_busy[NETFRONT_TX_BUFS];
    uint32_t tx_in_flight;
    struct netfront_stats st;
} nf;

static int connect(void);
static void disconnect(void);

uint32_t netfront_domid(void)
{
    return start_info->domid;
}

void netfront_get_stats(struct netfront_stats *stats)
{
    *stats = nf.st;
}

uint32_t netfront_tx_in_flight(void)
{
    return nf.tx_in_flight;
}

/* "<dir>/<name>" into buf. */
static const char *node(char *buf, const char *dir, const char *name)
{
    snprintk(buf, PATH_BYTES, "%s/%s", dir, name);
    return buf;
}

static int read_uint(const char *dir, const char *name, uint32_t *value)
{
    char p[PATH_BYTES];
    return xs_read_uint(node(p, dir, name), value);
}

static int write_uint(const char *dir, const char *name, uint32_t value)
{
    char p[PATH_BYTES];
    return xs_write_uint(node(p, dir, name), value);
}

/* A fresh page for `page` (its old one, if any, is abandoned). */
static int new_page(struct lent_page *page)
{
    int gfn = extmem_populate(1);
    if (gfn < 0) {
        printk("netfront: no page above the initial RAM: %d (max_pages too small?)\n", gfn);
        return gfn;
    }
    page->gfn = (uint32_t) gfn;
    page->ref = -1;
    return 0;
}

static int grant(struct lent_page *page, int readonly)
{
    int ref = gnttab_grant_access(nf.be_id, page->gfn, readonly);
    if (ref < 0) {
        printk("netfront: granting gfn %x to dom%u: %d\n", page->gfn, nf.be_id, ref);
        return ref;
    }
    page->ref = ref;
    return 0;
}

/* Ends page's grant; a page the back end still has mapped is replaced by a fresh one. */
static int end_grant(struct lent_page *page)
{
    if (page->ref < 0) {
        return 0;
    }
    int rc = gnttab_end_access((grant_ref_t) page->ref);
    page->ref = -1;
    if (rc == -XEN_EBUSY) {
        nf.st.leaked_pages++;
        return new_page(page);
    }
    return 0;
}

/* Reads the back end's path and id from our vif directory. */
static int find_backend(void)
{
    char p[PATH_BYTES];
    int rc = xs_read(node(p, nf.path, "backend"), nf.be_path, sizeof nf.be_path);
    if (rc < 0) {
        return rc;
    }
    uint32_t id;
    rc = read_uint(nf.path, "backend-id", &id);
    if (rc < 0) {
        return rc;
    }
    if (id >= DOMID_SELF || id == nf.domid) {
        return -XEN_EINVAL;
    }
    nf.be_id = (domid_t) id;
    char state_path[PATH_BYTES];
    node(state_path, nf.be_path, "state");
    if (strncmp_bounded(state_path, nf.watched, PATH_BYTES) != 0) {
        if (nf.watched[0] != 0) {
            xs_unwatch(nf.watched, "netfront");
        }
        rc = xs_watch(state_path, "netfront");
        if (rc < 0 && rc != -XEN_EEXIST) {
            return rc;
        }
        memcpy(nf.watched, state_path, sizeof nf.watched);
    }
    return 0;
}

/* Blocks until the back end's state is `want`. Returns 0, or 1 if the back end changed (died,
   closed or was replaced) meanwhile: the caller starts over. */
static int wait_backend(uint32_t want)
{
    for (;;) {
        uint32_t state = XenbusStateUnknown;
        int rc = read_uint(nf.be_path, "state", &state);
        if (rc == 0 && state == want) {
            return 0;
        }
        if (rc == 0 && want == XenbusStateConnected
            && (state == XenbusStateClosing || state == XenbusStateClosed)) {
            return 1;
        }
        uint32_t id;
        if (read_uint(nf.path, "backend-id", &id) == 0 && id != nf.be_id) {
            return 1;
        }
        char changed[PATH_BYTES];
        xs_read_watch(changed, sizeof changed, 0, 0, time_now() + WAIT_SLICE_CYCLES);
    }
}

static void post_rx(uint32_t slot)
{
    struct netif_rx_request *req = RING_GET_REQUEST(&nf.rx, nf.rx.req_prod_pvt);
    req->id = (uint16_t) slot;
    req->pad = 0;
    req->gref = (grant_ref_t) nf.rx_page[slot].ref;
    nf.rx.req_prod_pvt++;
    nf.rx_posted[slot] = 1;
}

static void push_rx(void)
{
    int notify;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nf.rx, notify);
    if (notify) {
        hv_evtchn_send(nf.port);
    }
}

/* One attempt at the handshake; 0 when Connected, 1 to start over, < 0 on an error. */
static int connect_once(void)
{
    int rc = find_backend();
    if (rc < 0) {
        return rc;
    }
    /* Tells a back end still connected to an earlier incarnation of us to start over. */
    rc = write_uint(nf.path, "state", XenbusStateInitialising);
    if (rc < 0) {
        return rc;
    }
    if (wait_backend(XenbusStateInitWait) != 0) {
        return 1;
    }
    if ((rc = grant(&nf.tx_ring, 0)) < 0 || (rc = grant(&nf.rx_ring, 0)) < 0) {
        return rc;
    }
    for (uint32_t i = 0; i < NETFRONT_RX_BUFS; i++) {
        if ((rc = grant(&nf.rx_page[i], 0)) < 0) {
            return rc;
        }
    }
    for (uint32_t i = 0; i < TX_PAGES; i++) {
        if ((rc = grant(&nf.tx_page[i], 1)) < 0) {
            return rc;
        }
    }
    netif_tx_sring_t *txs = gfn_to_virt(nf.tx_ring.gfn);
    netif_rx_sring_t *rxs = gfn_to_virt(nf.rx_ring.gfn);
    memset(txs, 0, XEN_PAGE_SIZE);
    memset(rxs, 0, XEN_PAGE_SIZE);
    SHARED_RING_INIT(txs);
    SHARED_RING_INIT(rxs);
    FRONT_RING_INIT(&nf.tx, txs, NET_TX_RING_SIZE);
    FRONT_RING_INIT(&nf.rx, rxs, NET_RX_RING_SIZE);
    memset(nf.tx_busy, 0, sizeof nf.tx_busy);
    nf.tx_in_flight = 0;
    for (uint32_t i = 0; i < NETFRONT_RX_BUFS; i++) {
        post_rx(i);
    }
    nf.rx.sring->req_prod = nf.rx.req_prod_pvt;   /* nobody is listening yet: no event */
    rc = hv_evtchn_alloc_unbound(nf.be_id, &nf.port);
    if (rc < 0) {
        printk("netfront: alloc_unbound for dom%u: %d\n", nf.be_id, rc);
        return rc;
    }
    evtchn_mask(nf.port);
    if ((rc = write_uint(nf.path, "tx-ring-ref", (uint32_t) nf.tx_ring.ref)) < 0
        || (rc = write_uint(nf.path, "rx-ring-ref", (uint32_t) nf.rx_ring.ref)) < 0
        || (rc = write_uint(nf.path, "event-channel", nf.port)) < 0
        || (rc = write_uint(nf.path, "state", XenbusStateInitialised)) < 0) {
        return rc;
    }
    if (wait_backend(XenbusStateConnected) != 0) {
        return 1;
    }
    rc = write_uint(nf.path, "state", XenbusStateConnected);
    if (rc < 0) {
        return rc;
    }
    nf.connected = 1;
    nf.st.connects++;
    return 0;
}

/* Connects, starting over (after a disconnect) as often as the back end changes meanwhile. */
static int connect(void)
{
    for (;;) {
        int rc = connect_once();
        if (rc <= 0) {
            if (rc < 0) {
                disconnect();
            }
            return rc;
        }
        disconnect();
    }
}

/* Forgets the back end: closes the channel, ends every grant (replacing pages still mapped). */
static void disconnect(void)
{
    if (nf.port != 0) {
        hv_evtchn_close(nf.port);
        nf.port = 0;
    }
    nf.connected = 0;
    end_grant(&nf.tx_ring);
    end_grant(&nf.rx_ring);
    for (uint32_t i = 0; i < NETFRONT_RX_BUFS; i++) {
        end_grant(&nf.rx_page[i]);
        nf.rx_posted[i] = 0;
    }
    for (uint32_t i = 0; i < TX_PAGES; i++) {
        end_grant(&nf.tx_page[i]);
    }
    memset(nf.tx_busy, 0, sizeof nf.tx_busy);
    nf.tx_in_flight = 0;
}

int netfront_init(void)
{
    if (!xs_available()) {
        printk("netfront: this domain has no store\n");
        return -XEN_ENOSYS;
    }
    nf.domid = start_info->domid;
    snprintk(nf.path, sizeof nf.path, "/local/domain/%u/device/vif/0", nf.domid);
    int rc = gnttab_init();
    if (rc < 0) {
        printk("netfront: grant table: %d\n", rc);
        return rc;
    }
    if ((rc = new_page(&nf.tx_ring)) < 0 || (rc = new_page(&nf.rx_ring)) < 0) {
        return rc;
    }
    for (uint32_t i = 0; i < NETFRONT_RX_BUFS; i++) {
        if ((rc = new_page(&nf.rx_page[i])) < 0) {
            return rc;
        }
    }
    for (uint32_t i = 0; i < TX_PAGES; i++) {
        if ((rc = new_page(&nf.tx_page[i])) < 0) {
            return rc;
        }
    }
    rc = connect();
    if (rc < 0) {
        printk("netfront: cannot connect %s: %d\n", nf.path, rc);
    }
    return rc;
}

/* Takes the back end's TX responses; returns how many slots came back. */
static uint32_t reap_tx(void)
{
    uint32_t freed = 0;
    RING_IDX prod = nf.tx.sring->rsp_prod;
    xen_rmb();
    if (prod - nf.tx.rsp_cons > RING_SIZE(&nf.tx)) {
        return 0;   /* nonsense from the back end: ignore until it recovers or is replaced */
    }
    while (nf.tx.rsp_cons != prod) {
        struct netif_tx_response *rsp = RING_GET_RESPONSE(&nf.tx, nf.tx.rsp_cons);
        uint32_t id = rsp->id;
        int status = rsp->status;
        nf.tx.rsp_cons++;
        if (id >= NETFRONT_TX_BUFS || !nf.tx_busy[id]) {
            nf.st.tx_errors++;
            continue;
        }
        nf.tx_busy[id] = 0;
        nf.tx_in_flight--;
        freed++;
        if (status != NETIF_RSP_OKAY) {
            nf.st.tx_errors++;
        }
    }
    return freed;
}

int netfront_send(const void *frame, uint32_t len)
{
    if (len == 0 || len > NETFRONT_FRAME_MAX) {
        return -XEN_EINVAL;
    }
    if (!nf.connected) {
        return -XEN_ENOENT;
    }
    reap_tx();
    uint32_t slot = 0;
    while (slot < NETFRONT_TX_BUFS && nf.tx_busy[slot]) {
        slot++;
    }
    if (slot == NETFRONT_TX_BUFS || RING_FULL(&nf.tx)) {
        return -XEN_EAGAIN;
    }
    struct lent_page *page = &nf.tx_page[slot / 2];
    uint32_t offset = (slot % 2) * TX_SLOT_BYTES;
    memcpy((uint8_t *) gfn_to_virt(page->gfn) + offset, frame, len);
    struct netif_tx_request *req = RING_GET_REQUEST(&nf.tx, nf.tx.req_prod_pvt);
    req->gref = (grant_ref_t) page->ref;
    req->offset = (uint16_t) offset;
    req->flags = NETTXF_none;
    req->id = (uint16_t) slot;
    req->size = (uint16_t) len;
    nf.tx.req_prod_pvt++;
    nf.tx_busy[slot] = 1;
    nf.tx_in_flight++;
    nf.st.tx_frames++;
    int notify;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nf.tx, notify);
    if (notify) {
        hv_evtchn_send(nf.port);
    }
    return 0;
}

int netfront_recv(void *buf, uint32_t size)
{
    if (!nf.connected) {
        return 0;
    }
    RING_IDX prod = nf.rx.sring->rsp_prod;
    xen_rmb();
    if (prod - nf.rx.rsp_cons > RING_SIZE(&nf.rx)) {
        return 0;
    }
    int got = 0;
    while (nf.rx.rsp_cons != prod && got == 0) {
        struct netif_rx_response *rsp = RING_GET_RESPONSE(&nf.rx, nf.rx.rsp_cons);
        uint32_t id = rsp->id;
        uint32_t offset = rsp->offset;
        int status = rsp->status;
        nf.rx.rsp_cons++;
        if (id >= NETFRONT_RX_BUFS || !nf.rx_posted[id]) {
            nf.st.rx_errors++;
            continue;
        }
        nf.rx_posted[id] = 0;
        if (status > 0 && (uint32_t) status <= size && offset + (uint32_t) status <= XEN_PAGE_SIZE) {
            memcpy(buf, (uint8_t *) gfn_to_virt(nf.rx_page[id].gfn) + offset, (uint32_t) status);
            got = status;
            nf.st.rx_frames++;
        } else {
            nf.st.rx_errors++;
        }
        post_rx(id);
    }
    if (nf.rx.req_prod_pvt != nf.rx.sring->req_prod) {
        push_rx();
    }
    return got;
}

/* Whether the store still names our back end, Connected; reconnects (blocking) if not. */
static void check_backend(void)
{
    uint32_t state = XenbusStateUnknown;
    uint32_t id = nf.be_id;
    char be_path[PATH_BYTES];
    char p[PATH_BYTES];
    int ok = nf.connected
          && read_uint(nf.path, "backend-id", &id) == 0 && id == nf.be_id
          && xs_read(node(p, nf.path, "backend"), be_path, sizeof be_path) >= 0
          && strncmp_bounded(be_path, nf.be_path, PATH_BYTES) == 0
          && read_uint(nf.be_path, "state", &state) == 0 && state == XenbusStateConnected;
    if (ok) {
        return;
    }
    if (nf.connected) {
        printk("netfront: back end dom%u at %s is gone (state %u); reconnecting\n", nf.be_id, nf.be_path, state);
    }
    disconnect();
    if (connect() == 0) {
        printk("netfront: connected to dom%u\n", nf.be_id);
    }
}

int netfront_wait(uint64_t deadline)
{
    for (;;) {
        if (!nf.connected) {
            check_backend();
            if (!nf.connected) {
                /* Connecting failed (no memory, no store entries): try again later. */
                uint64_t later = time_now() + WAIT_SLICE_CYCLES;
                timer_sleep_until(deadline != 0 && deadline < later ? deadline : later);
                if (deadline != 0 && time_now() >= deadline) {
                    nf.st.timeouts++;
                    return NETFRONT_TIMEOUT;
                }
            }
            continue;
        }
        if (reap_tx() > 0 || RING_HAS_UNCONSUMED_RESPONSES(&nf.rx)) {
            return NETFRONT_READY;
        }
        int more_rx;
        int more_tx;
        RING_FINAL_CHECK_FOR_RESPONSES(&nf.rx, more_rx);
        RING_FINAL_CHECK_FOR_RESPONSES(&nf.tx, more_tx);
        if (more_rx || more_tx) {
            continue;
        }
        if (deadline != 0 && time_now() >= deadline) {
            nf.st.timeouts++;
            check_backend();
            return NETFRONT_TIMEOUT;
        }
        if (evtchn_test_and_clear_pending(nf.port)) {
            continue;
        }
        hv_sched_poll(&nf.port, 1, deadline);
    }
}

void netfront_close(void)
{
    if (nf.path[0] == 0) {
        return;
    }
    write_uint(nf.path, "state", XenbusStateClosing);
    /* Give the back end the time to unmap our rings before they are taken away (a grant still
       mapped would cost us the page, and the pages go with this domain soon). */
    uint64_t until = time_now() + CLOSE_WAIT_CYCLES;
    while (nf.connected && time_now() < until) {
        uint32_t state = XenbusStateUnknown;
        if (read_uint(nf.be_path, "state", &state) < 0 || state == XenbusStateClosed
            || state == XenbusStateInitWait) {
            break;
        }
        char changed[PATH_BYTES];
        xs_read_watch(changed, sizeof changed, 0, 0, until);
    }
    disconnect();
    write_uint(nf.path, "state", XenbusStateClosed);
    if (nf.watched[0] != 0) {
        xs_unwatch(nf.watched, "netfront");
        nf.watched[0] = 0;
    }
}
