/*
 * netback.c — the back end (netback.h says what it is; README.md the protocol).
 *
 * Store side, per vif (/local/domain/<us>/backend/vif/<fe>/0, written by the toolstack):
 *   found          -> read `frontend` (the front end's directory), watch its state, write our
 *                     state InitWait
 *   front end Initialised or Connected, we are not connected
 *                  -> read tx-ring-ref, rx-ring-ref, event-channel; map both rings at gfns
 *                     reserved for this vif; bind the channel; write Connected
 *   front end Initialising while we are connected or closed (it starts over)
 *                  -> disconnect, write InitWait
 *   front end Closing or Closed, or its directory gone, or a copy found it gone
 *                  -> disconnect (unmap, close the channel), write Closed
 *   our directory removed by the toolstack -> disconnect, forget the vif
 *   control/shutdown written (Xen's convention) -> netdrv.c disconnects every vif, writes
 *                     Closed for each, and shuts the domain down
 * Watches only say "look again": a fired watch (of any token) makes one full scan, so a watch
 * event the store client had to drop loses nothing.
 *
 * Data side (netback_run), each pass:
 *   RX: up to GNTTAB_MAX_BATCH received frames; each goes to the connected vif whose front end's
 *       domid is the frame's destination, into the buffer of its oldest RX request (one copy
 *       op: our NIC buffer -> its grant); responses {id, 0, 0, length}; the NIC descriptors are
 *       released after the copies.
 *   TX: per connected vif, up to min(GNTTAB_MAX_BATCH, free NIC descriptors) requests; each is
 *       copied (its grant -> a NIC buffer), then checked — an RHNET header, its length, source
 *       = this front end (no spoofing), destination on the wire — and queued on the NIC or
 *       refused; responses OKAY or ERROR.
 *   A response push notifies the front end only if it asked (rsp_event).
 * Requests are copied out of the shared ring before they are looked at, once, so a front end
 * that rewrites them meanwhile changes nothing.
 */
#include "kernel.h"
#include "gnttab.h"
#include "netback.h"
#include "netframe.h"
#include "nic.h"
#include "xenstore.h"
#include "public/io/netif.h"
#include "public/io/xenbus.h"

#define PATH_BYTES XENSTORE_PATH_MAX

struct vif {
    int in_use;
    int seen;                  /* found in this scan */
    domid_t fe;
    int state;                 /* what we last wrote in our state node */
    int connected;
    int broken;                /* a copy found the front end gone: disconnect at the next scan */
    char be_path[PATH_BYTES];  /* our directory for it */
    char fe_path[PATH_BYTES];  /* the front end's directory */
    uint32_t tx_gfn;           /* where its TX ring page is mapped (reserved gfn) */
    uint32_t rx_gfn;
    grant_handle_t tx_handle;
    grant_handle_t rx_handle;
    evtchn_port_t port;
    netif_tx_back_ring_t tx;
    netif_rx_back_ring_t rx;
    int owe_rx_push;
};

static struct {
    uint32_t domid;
    char dir[PATH_BYTES];      /* /local/domain/<us>/backend/vif */
    struct vif vifs[NETBACK_MAX_VIFS];
    struct netback_stats st;
    int scan_needed;
    int shutdown;              /* the toolstack wrote control/shutdown */
} nb;

void netback_get_stats(struct netback_stats *stats)
{
    *stats = nb.st;
}

static const char *node(char *buf, const char *dir, const char *name)
{
    snprintk(buf, PATH_BYTES, "%s/%s", dir, name);
    return buf;
}

static void set_state(struct vif *v, int state)
{
    char p[PATH_BYTES];
    if (v->state != state) {
        v->state = state;
        xs_write_uint(node(p, v->be_path, "state"), (uint32_t) state);
    }
}

static void on_vif_event(evtchn_port_t port, void *data)
{
    (void) port;
    (void) data;   /* the main loop looks at every ring each time it wakes */
}

static int map_ring(struct vif *v, uint32_t ref, uint32_t gfn, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = gfn << XEN_PAGE_SHIFT, .flags = 0, .ref = ref, .dom = v->fe,
    };
    int rc = hv_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);
    if (rc != 0 || op.status != GNTST_okay) {
        printk("netback: vif %u: mapping ring ref %u: rc %d status %d\n", v->fe, ref, rc, op.status);
        return -XEN_EINVAL;
    }
    *handle = op.handle;
    return 0;
}

static void unmap_ring(uint32_t gfn, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = gfn << XEN_PAGE_SHIFT, .handle = handle };
    hv_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);
}

static void disconnect(struct vif *v)
{
    if (!v->connected) {
        return;
    }
    hv_evtchn_close(v->port);
    evtchn_set_handler(v->port, 0, 0);
    unmap_ring(v->tx_gfn, v->tx_handle);
    unmap_ring(v->rx_gfn, v->rx_handle);
    v->connected = 0;
    v->broken = 0;
    v->owe_rx_push = 0;
    nb.st.disconnects++;
    printk("netback: vif %u disconnected\n", v->fe);
}

static int connect(struct vif *v)
{
    char p[PATH_BYTES];
    uint32_t tx_ref;
    uint32_t rx_ref;
    uint32_t remote_port;
    if (xs_read_uint(node(p, v->fe_path, "tx-ring-ref"), &tx_ref) < 0
        || xs_read_uint(node(p, v->fe_path, "rx-ring-ref"), &rx_ref) < 0
        || xs_read_uint(node(p, v->fe_path, "event-channel"), &remote_port) < 0) {
        printk("netback: vif %u: ring refs or event channel missing in %s\n", v->fe, v->fe_path);
        return -XEN_ENOENT;
    }
    if (map_ring(v, tx_ref, v->tx_gfn, &v->tx_handle) < 0) {
        return -XEN_EINVAL;
    }
    if (map_ring(v, rx_ref, v->rx_gfn, &v->rx_handle) < 0) {
        unmap_ring(v->tx_gfn, v->tx_handle);
        return -XEN_EINVAL;
    }
    int rc = hv_evtchn_bind_interdomain(v->fe, remote_port, &v->port);
    if (rc != 0) {
        printk("netback: vif %u: bind_interdomain(port %u): %d\n", v->fe, remote_port, rc);
        unmap_ring(v->tx_gfn, v->tx_handle);
        unmap_ring(v->rx_gfn, v->rx_handle);
        return rc;
    }
    evtchn_set_handler(v->port, on_vif_event, v);
    hv_evtchn_unmask(v->port);
    netif_tx_sring_t *txs = gfn_to_virt(v->tx_gfn);
    netif_rx_sring_t *rxs = gfn_to_virt(v->rx_gfn);
    BACK_RING_ATTACH(&v->tx, txs, NET_TX_RING_SIZE);
    BACK_RING_ATTACH(&v->rx, rxs, NET_RX_RING_SIZE);
    v->connected = 1;
    v->broken = 0;
    nb.st.connects++;
    printk("netback: vif %u connected\n", v->fe);
    return 0;
}

static struct vif *vif_of(uint32_t fe)
{
    for (uint32_t i = 0; i < NETBACK_MAX_VIFS; i++) {
        if (nb.vifs[i].in_use && nb.vifs[i].fe == fe) {
            return &nb.vifs[i];
        }
    }
    return 0;
}

static struct vif *vif_new(uint32_t fe)
{
    for (uint32_t i = 0; i < NETBACK_MAX_VIFS; i++) {
        struct vif *v = &nb.vifs[i];
        if (v->in_use) {
            continue;
        }
        if (v->tx_gfn == 0) {   /* a slot keeps its two mapping places for good */
            int gfn = extmem_reserve(2);
            if (gfn < 0) {
                printk("netback: no gfns left to map rings at (max_pages too small)\n");
                return 0;
            }
            v->tx_gfn = (uint32_t) gfn;
            v->rx_gfn = (uint32_t) gfn + 1;
        }
        v->in_use = 1;
        v->fe = (domid_t) fe;
        v->state = XenbusStateUnknown;
        v->connected = 0;
        v->broken = 0;
        snprintk(v->be_path, PATH_BYTES, "%s/%u/0", nb.dir, fe);
        v->fe_path[0] = 0;
        return v;
    }
    printk("netback: more than %u front ends: dom%u ignored\n", NETBACK_MAX_VIFS, fe);
    return 0;
}

/* Parses a decimal domid; -1 if name is not one. */
static int parse_domid(const char *name)
{
    uint32_t v = 0;
    int digits = 0;
    for (; *name != 0; name++, digits++) {
        if (*name < '0' || *name > '9' || digits == 5) {
            return -1;
        }
        v = v * 10 + (uint32_t) (*name - '0');
    }
    return digits == 0 || v >= DOMID_SELF ? -1 : (int) v;
}

/* Brings one vif in line with its front end's state. */
static void scan_vif(struct vif *v)
{
    char p[PATH_BYTES];
    if (v->fe_path[0] == 0) {
        int rc = xs_read(node(p, v->be_path, "frontend"), v->fe_path, PATH_BYTES);
        if (rc <= 0) {
            v->fe_path[0] = 0;
            return;   /* the toolstack has not finished writing it: the next event brings us back */
        }
        rc = xs_watch(node(p, v->fe_path, "state"), "netback-fe");
        if (rc < 0 && rc != -XEN_EEXIST) {
            printk("netback: vif %u: watching %s: %d\n", v->fe, p, rc);
        }
        set_state(v, XenbusStateInitWait);
    }
    uint32_t fe_state = XenbusStateUnknown;
    int rc = xs_read_uint(node(p, v->fe_path, "state"), &fe_state);
    int gone = rc < 0 || fe_state == XenbusStateClosing || fe_state == XenbusStateClosed;
    if (gone || v->broken) {
        if (v->connected || v->broken) {
            disconnect(v);
        }
        if (gone && v->state != XenbusStateClosed) {
            nb.st.closed++;
        }
        set_state(v, gone ? XenbusStateClosed : XenbusStateClosing);
        return;
    }
    if (fe_state == XenbusStateInitialising) {
        disconnect(v);
        set_state(v, XenbusStateInitWait);
        return;
    }
    if ((fe_state == XenbusStateInitialised || fe_state == XenbusStateConnected) && !v->connected
        && v->state == XenbusStateInitWait) {
        if (connect(v) == 0) {
            set_state(v, XenbusStateConnected);
        }
    }
}

static void scan(void)
{
    char names[512];
    int n = xs_directory(nb.dir, names, sizeof names);
    for (uint32_t i = 0; i < NETBACK_MAX_VIFS; i++) {
        nb.vifs[i].seen = 0;
    }
    const char *name = names;
    for (int i = 0; i < n; i++) {
        int fe = parse_domid(name);
        name += strnlen(name, sizeof names) + 1;
        if (fe < 0) {
            continue;
        }
        struct vif *v = vif_of((uint32_t) fe);
        if (v == 0) {
            v = vif_new((uint32_t) fe);
        }
        if (v != 0) {
            v->seen = 1;
        }
    }
    for (uint32_t i = 0; i < NETBACK_MAX_VIFS; i++) {
        struct vif *v = &nb.vifs[i];
        if (!v->in_use) {
            continue;
        }
        if (!v->seen && n >= 0) {
            disconnect(v);
            if (v->fe_path[0] != 0) {
                char p[PATH_BYTES];
                xs_unwatch(node(p, v->fe_path, "state"), "netback-fe");
            }
            v->in_use = 0;
            printk("netback: vif %u removed\n", v->fe);
            continue;
        }
        scan_vif(v);
    }
}

int netback_init(void)
{
    if (!xs_available()) {
        printk("netback: this domain has no store\n");
        return -XEN_ENOSYS;
    }
    nb.domid = start_info->domid;
    snprintk(nb.dir, PATH_BYTES, "/local/domain/%u/backend/vif", nb.domid);
    int rc = xs_watch(nb.dir, "netback");
    if (rc < 0) {
        printk("netback: watching %s: %d\n", nb.dir, rc);
        return rc;
    }
    rc = xs_watch("control/shutdown", "control");
    if (rc < 0) {
        printk("netback: watching control/shutdown: %d\n", rc);
        return rc;
    }
    scan();
    return 0;
}

/* Whether the toolstack asked us to stop (Xen's control/shutdown = "poweroff", "halt", ...). */
static void check_shutdown(void)
{
    char value[16];
    if (xs_read("control/shutdown", value, sizeof value) > 0) {
        nb.shutdown = 1;
    }
}

int netback_shutdown_requested(void)
{
    return nb.shutdown;
}

void netback_shutdown(void)
{
    for (uint32_t i = 0; i < NETBACK_MAX_VIFS; i++) {
        struct vif *v = &nb.vifs[i];
        if (v->in_use) {
            disconnect(v);
            set_state(v, XenbusStateClosed);
        }
    }
}

int netback_poll_store(void)
{
    char path[PATH_BYTES];
    int fired = 0;
    while (xs_read_watch(path, sizeof path, 0, 0, 1) >= 0) {
        fired = 1;
    }
    if (fired || nb.scan_needed) {
        nb.scan_needed = 0;
        scan();
        check_shutdown();
    }
    return fired;
}

/* The front end is gone if a copy says its domain or grant is: disconnect at the next scan. */
static void copy_failed(struct vif *v, int status)
{
    if (status == GNTST_bad_domain || status == GNTST_bad_gntref || status == GNTST_permission_denied) {
        v->broken = 1;
        nb.scan_needed = 1;
    }
}

static void push_rx(struct vif *v)
{
    int notify;
    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&v->rx, notify);
    if (notify) {
        hv_evtchn_send(v->port);
    }
}

static void push_tx(struct vif *v)
{
    int notify;
    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&v->tx, notify);
    if (notify) {
        hv_evtchn_send(v->port);
    }
}

static struct vif *connected_vif(uint32_t fe)
{
    struct vif *v = vif_of(fe);
    return v != 0 && v->connected && !v->broken ? v : 0;
}

/* NIC -> front ends: one batch. Returns the frames taken off the NIC. */
static uint32_t run_rx(void)
{
    struct gnttab_copy ops[GNTTAB_MAX_BATCH];
    struct { struct vif *v; uint16_t id; uint16_t len; } out[GNTTAB_MAX_BATCH];
    uint32_t nops = 0;
    uint32_t taken = 0;
    while (taken < GNTTAB_MAX_BATCH) {
        const uint8_t *frame;
        uint32_t len;
        uint32_t gpa;
        int got = nic_rx_peek(taken, &frame, &len, &gpa);
        if (got == 0) {
            break;
        }
        taken++;
        if (got < 0) {
            continue;
        }
        if (netframe_check_header(frame, len) != NETFRAME_OK) {
            nb.st.rx_malformed++;
            continue;
        }
        struct vif *v = connected_vif(netframe_get16(frame + NETFRAME_OFF_DST));
        if (v == 0) {
            nb.st.rx_no_vif++;
            continue;
        }
        if (RING_HAS_UNCONSUMED_REQUESTS(&v->rx) == 0) {
            nb.st.rx_no_buffer++;
            continue;
        }
        struct netif_rx_request req = *RING_GET_REQUEST(&v->rx, v->rx.req_cons);
        v->rx.req_cons++;
        ops[nops] = (struct gnttab_copy) {
            .source = { .ref_or_gfn = gpa >> XEN_PAGE_SHIFT, .domid = DOMID_SELF,
                        .offset = (uint16_t) (gpa & (XEN_PAGE_SIZE - 1)) },
            .dest = { .ref_or_gfn = req.gref, .domid = v->fe, .offset = 0 },
            .len = (uint16_t) len,
            .flags = GNTCOPY_dest_gref,
        };
        out[nops].v = v;
        out[nops].id = req.id;
        out[nops].len = (uint16_t) len;
        nops++;
    }
    if (nops > 0) {
        int rc = gnttab_copy(ops, nops);
        for (uint32_t i = 0; i < nops; i++) {
            struct vif *v = out[i].v;
            int ok = rc == 0 && ops[i].status == GNTST_okay;
            struct netif_rx_response *rsp = RING_GET_RESPONSE(&v->rx, v->rx.rsp_prod_pvt);
            rsp->id = out[i].id;
            rsp->offset = 0;
            rsp->flags = 0;
            rsp->status = ok ? (int16_t) out[i].len : NETIF_RSP_ERROR;
            v->rx.rsp_prod_pvt++;
            v->owe_rx_push = 1;
            if (ok) {
                nb.st.rx_frames++;
            } else {
                nb.st.rx_copy_errors++;
                copy_failed(v, rc == 0 ? ops[i].status : GNTST_general_error);
            }
        }
        for (uint32_t i = 0; i < NETBACK_MAX_VIFS; i++) {
            struct vif *v = &nb.vifs[i];
            if (v->in_use && v->connected && v->owe_rx_push) {
                v->owe_rx_push = 0;
                push_rx(v);
            }
        }
    }
    nic_rx_release(taken);
    return taken;
}

static void tx_respond(struct vif *v, uint16_t id, int16_t status)
{
    struct netif_tx_response *rsp = RING_GET_RESPONSE(&v->tx, v->tx.rsp_prod_pvt);
    rsp->id = id;
    rsp->status = status;
    v->tx.rsp_prod_pvt++;
    if (status != NETIF_RSP_OKAY) {
        nb.st.tx_refused++;
    }
}

/* A copied frame we may put on the wire: an RHNET header, from this front end, to the wire. */
static int tx_frame_ok(const struct vif *v, const uint8_t *frame, uint32_t len)
{
    return netframe_check_header(frame, len) == NETFRAME_OK
        && netframe_get16(frame + NETFRAME_OFF_SRC) == v->fe
        && netframe_get16(frame + NETFRAME_OFF_DST) >= NETFRAME_WIRE_FIRST;
}

/* One front end -> NIC: one batch. Returns the requests consumed. */
static uint32_t run_tx(struct vif *v)
{
    struct gnttab_copy ops[GNTTAB_MAX_BATCH];
    uint16_t ids[GNTTAB_MAX_BATCH];
    uint32_t room = nic_tx_free();
    if (room > GNTTAB_MAX_BATCH) {
        room = GNTTAB_MAX_BATCH;
    }
    uint32_t nops = 0;
    uint32_t consumed = 0;
    nic_tx_begin();
    while (nops < room && RING_HAS_UNCONSUMED_REQUESTS(&v->tx)) {
        struct netif_tx_request req = *RING_GET_REQUEST(&v->tx, v->tx.req_cons);
        v->tx.req_cons++;
        consumed++;
        if (req.size < NETFRAME_MIN_BYTES || req.size > NIC_BUFFER_BYTES
            || (uint32_t) req.offset + req.size > XEN_PAGE_SIZE) {
            tx_respond(v, req.id, NETIF_RSP_ERROR);
            continue;
        }
        uint32_t gpa = nic_tx_buffer_gpa(nops);
        ops[nops] = (struct gnttab_copy) {
            .source = { .ref_or_gfn = req.gref, .domid = v->fe, .offset = req.offset },
            .dest = { .ref_or_gfn = gpa >> XEN_PAGE_SHIFT, .domid = DOMID_SELF,
                      .offset = (uint16_t) (gpa & (XEN_PAGE_SIZE - 1)) },
            .len = req.size,
            .flags = GNTCOPY_source_gref,
        };
        ids[nops] = req.id;
        nops++;
    }
    if (nops > 0) {
        int rc = gnttab_copy(ops, nops);
        for (uint32_t j = 0; j < nops; j++) {
            if (rc != 0 || ops[j].status != GNTST_okay) {
                tx_respond(v, ids[j], NETIF_RSP_ERROR);
                copy_failed(v, rc == 0 ? ops[j].status : GNTST_general_error);
            } else if (!tx_frame_ok(v, nic_tx_buffer(j), ops[j].len)) {
                tx_respond(v, ids[j], NETIF_RSP_ERROR);
            } else {
                nic_tx_queue(j, ops[j].len);
                tx_respond(v, ids[j], NETIF_RSP_OKAY);
                nb.st.tx_frames++;
            }
        }
        nic_tx_doorbell();
    }
    if (consumed > 0) {
        push_tx(v);
    }
    return consumed;
}

uint32_t netback_run(void)
{
    uint32_t moved = run_rx();
    for (uint32_t i = 0; i < NETBACK_MAX_VIFS; i++) {
        struct vif *v = &nb.vifs[i];
        if (v->in_use && v->connected && !v->broken) {
            moved += run_tx(v);
        }
    }
    return moved;
}

int netback_pending(void)
{
    const uint8_t *frame;
    uint32_t len;
    uint32_t gpa;
    if (nic_rx_peek(0, &frame, &len, &gpa) != 0 || nb.scan_needed) {
        return 1;
    }
    for (uint32_t i = 0; i < NETBACK_MAX_VIFS; i++) {
        struct vif *v = &nb.vifs[i];
        if (v->in_use && v->connected && !v->broken) {
            int more;
            RING_FINAL_CHECK_FOR_REQUESTS(&v->tx, more);
            if (more && nic_tx_free() > 0) {
                return 1;
            }
        }
    }
    return 0;
}
