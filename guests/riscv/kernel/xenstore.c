/*
 * xenstore.c — the store client (xenstore.h): the client's side of the ring page of
 * public/xs_wire.h. Requests are written to req[] from req_prod (ours) while there is room up
 * to req_cons (the server's); responses and watch events are read from rsp[] between rsp_cons
 * (ours) and rsp_prod (the server's). Our index is published with release semantics after the
 * bytes, theirs read with acquire semantics before them; an event tells Dom0 to look.
 *
 * One request is outstanding at a time. While we wait for its response, or for room to finish
 * writing it, everything that arrives is read: watch events go to a small queue (merged when
 * the same path and token is already there), so the server's output never stalls on us. A
 * message announcing more than XENSTORE_PAYLOAD_MAX bytes, or impossible indexes, break the
 * connection: every later call returns -XEN_EIO.
 */
#include "kernel.h"
#include "xenstore.h"

#define HDR_BYTES ((uint32_t) sizeof(struct xsd_sockmsg))

struct xs_event {
    char path[XENSTORE_PATH_MAX];
    char token[XENSTORE_TOKEN_MAX];
};

static struct {
    struct xenstore_domain_interface *ring;
    evtchn_port_t port;
    int connected;
    int broken;
    uint32_t next_req_id;
    /* the message being received */
    uint32_t rx_len;
    uint8_t rx[HDR_BYTES + XENSTORE_PAYLOAD_MAX + 1];
    /* watch events kept for xs_wait_watch, oldest first */
    struct xs_event events[XS_EVENT_QUEUE];
    uint32_t nr_events;
    struct xs_stats stats;
} xs;

static const struct {
    const char *name;
    int value;
} errors[] = {
    { XSE_EINVAL, -XEN_EINVAL }, { XSE_EACCES, -XEN_EACCES }, { XSE_ENOENT, -XEN_ENOENT },
    { XSE_EEXIST, -XEN_EEXIST }, { XSE_ENOSPC, -XEN_ENOSPC }, { XSE_E2BIG, -XEN_E2BIG },
    { XSE_ENOSYS, -XEN_ENOSYS }, { XSE_EIO, -XEN_EIO },
};

/* -XEN_E* of an XS_ERROR payload (-XEN_EIO if unknown). */
static int error_value(const char *name, uint32_t len)
{
    for (uint32_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        uint32_t n = (uint32_t) strnlen(errors[i].name, 16);
        if (len >= n && memcmp(name, errors[i].name, n) == 0 && (len == n || name[n] == 0)) {
            return errors[i].value;
        }
    }
    return -XEN_EIO;
}

static void on_store_event(evtchn_port_t port, void *data)
{
    (void) port;
    (void) data;   /* nothing to do here: whoever waits looks at the ring after kernel_idle */
}

int xs_available(void)
{
    return start_info != 0 && start_info_has_store(start_info);
}

int xs_connect(struct xenstore_domain_interface *ring, evtchn_port_t remote_port)
{
    evtchn_port_t local;
    int rc = hv_evtchn_bind_interdomain(0, remote_port, &local);
    if (rc != 0) {
        return rc;
    }
    evtchn_set_handler(local, on_store_event, 0);
    hv_evtchn_unmask(local);
    xs.ring = ring;
    xs.port = local;
    xs.connected = 1;
    xs.broken = 0;
    xs.rx_len = 0;
    xs.nr_events = 0;
    return 0;
}

/* Connects on first use from start_info's store fields. */
static int ensure_connected(void)
{
    if (xs.broken) {
        return -XEN_EIO;
    }
    if (xs.connected) {
        return 0;
    }
    if (!xs_available()) {
        return -XEN_ENOSYS;
    }
    uint32_t first = XEN_RAM_BASE_GFN;
    uint32_t start_info_gfn = first + start_info->nr_pages - 2;
    if (start_info->store_gfn < first || start_info->store_gfn >= start_info_gfn
        || (start_info->store_gfn << XEN_PAGE_SHIFT) < memory_image_end()) {
        printk("xenstore: store ring gfn %x is not free RAM below start_info\n", start_info->store_gfn);
        xs.broken = 1;
        return -XEN_EINVAL;
    }
    int rc = xs_connect(gfn_to_virt(start_info->store_gfn), start_info->store_port);
    if (rc != 0) {
        printk("xenstore: bind_interdomain(dom0, port %u): %d\n", start_info->store_port, rc);
    }
    return rc;
}

evtchn_port_t xs_event_port(void)
{
    return xs.connected ? xs.port : 0;
}

void xs_get_stats(struct xs_stats *stats)
{
    *stats = xs.stats;
}

/* ---- the ring ---- */

static uint32_t load_acquire(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void notify(void)
{
    hv_evtchn_send(xs.port);
}

static void keep_event(const char *path, const char *token)
{
    xs.stats.events++;
    for (uint32_t i = 0; i < xs.nr_events; i++) {
        if (strncmp_bounded(xs.events[i].path, path, XENSTORE_PATH_MAX) == 0
            && strncmp_bounded(xs.events[i].token, token, XENSTORE_TOKEN_MAX) == 0) {
            xs.stats.events_merged++;
            return;
        }
    }
    if (xs.nr_events == XS_EVENT_QUEUE) {
        xs.stats.events_lost++;
        return;
    }
    struct xs_event *e = &xs.events[xs.nr_events++];
    uint32_t plen = (uint32_t) strnlen(path, XENSTORE_PATH_MAX - 1);
    uint32_t tlen = (uint32_t) strnlen(token, XENSTORE_TOKEN_MAX - 1);
    memcpy(e->path, path, plen);
    e->path[plen] = 0;
    memcpy(e->token, token, tlen);
    e->token[tlen] = 0;
}

/* Reads response bytes until one whole message is in xs.rx; returns 1 then, 0 if the ring ran
   dry first, -XEN_EIO if the ring or the message is broken. */
static int receive(void)
{
    struct xenstore_domain_interface *r = xs.ring;
    uint32_t cons = r->rsp_cons;
    uint32_t prod = load_acquire(&r->rsp_prod);
    if (prod - cons > XENSTORE_RING_SIZE) {
        return -XEN_EIO;
    }
    int whole = 0;
    while (cons != prod && !whole) {
        uint32_t want = HDR_BYTES - xs.rx_len;
        if (xs.rx_len >= HDR_BYTES) {
            struct xsd_sockmsg h;
            memcpy(&h, xs.rx, HDR_BYTES);
            want = HDR_BYTES + h.len - xs.rx_len;
        }
        while (want > 0 && cons != prod) {
            xs.rx[xs.rx_len++] = (uint8_t) r->rsp[MASK_XENSTORE_IDX(cons)];
            cons++;
            want--;
        }
        if (want > 0) {
            break;
        }
        struct xsd_sockmsg h;
        memcpy(&h, xs.rx, HDR_BYTES);
        if (h.len > XENSTORE_PAYLOAD_MAX) {
            store_release(&r->rsp_cons, cons);
            return -XEN_EIO;
        }
        whole = xs.rx_len == HDR_BYTES + h.len;
    }
    if (cons != r->rsp_cons) {
        store_release(&r->rsp_cons, cons);
        notify();   /* the server may be waiting for room */
    }
    return whole;
}

/* Takes every whole message that has arrived; keeps watch events; stops at the response to
   req_id (left in xs.rx, returns 1). Returns 0 if it has not come yet, -XEN_EIO if broken. */
static int drain(uint32_t req_id)
{
    for (;;) {
        int rc = receive();
        if (rc <= 0) {
            if (rc < 0) {
                xs.broken = 1;
                printk("xenstore: the store ring is broken\n");
            }
            return rc;
        }
        struct xsd_sockmsg h;
        memcpy(&h, xs.rx, HDR_BYTES);
        xs.rx[HDR_BYTES + h.len] = 0;
        xs.rx_len = 0;
        if (h.type == XS_WATCH_EVENT) {
            const char *path = (const char *) xs.rx + HDR_BYTES;
            uint32_t plen = (uint32_t) strnlen(path, h.len);
            if (plen < h.len) {
                keep_event(path, path + plen + 1);
            }
            continue;
        }
        if (req_id != 0 && h.req_id == req_id) {
            return 1;
        }
        /* A response to nobody (not ours): dropped. */
    }
}

/* Writes n bytes of a request, waiting for room (and reading what arrives meanwhile). */
static int send_bytes(const void *bytes, uint32_t n)
{
    const uint8_t *src = bytes;
    struct xenstore_domain_interface *r = xs.ring;
    while (n > 0) {
        uint32_t prod = r->req_prod;
        uint32_t cons = load_acquire(&r->req_cons);
        if (prod - cons > XENSTORE_RING_SIZE) {
            xs.broken = 1;
            return -XEN_EIO;
        }
        uint32_t space = XENSTORE_RING_SIZE - (prod - cons);
        if (space == 0) {
            notify();
            if (drain(0) < 0) {
                return -XEN_EIO;
            }
            kernel_idle();
            continue;
        }
        uint32_t k = n < space ? n : space;
        for (uint32_t i = 0; i < k; i++) {
            r->req[MASK_XENSTORE_IDX(prod + i)] = (char) src[i];
        }
        store_release(&r->req_prod, prod + k);
        src += k;
        n -= k;
    }
    return 0;
}

/* Sends one request whose payload is a (alen bytes) then b (blen bytes), and waits for its
   response, which is left in xs.rx. Returns the response's payload length, or -XEN_E*. */
static int transact(uint32_t type, const char *a, uint32_t alen, const char *b, uint32_t blen)
{
    int rc = ensure_connected();
    if (rc != 0) {
        return rc;
    }
    if (alen + blen > XENSTORE_PAYLOAD_MAX) {
        return -XEN_E2BIG;
    }
    uint32_t req_id = ++xs.next_req_id;
    if (req_id == 0) {
        req_id = xs.next_req_id = 1;
    }
    struct xsd_sockmsg h = { .type = type, .req_id = req_id, .tx_id = 0, .len = alen + blen };
    xs.stats.requests++;
    if (send_bytes(&h, HDR_BYTES) != 0 || send_bytes(a, alen) != 0 || send_bytes(b, blen) != 0) {
        return -XEN_EIO;
    }
    notify();
    for (;;) {
        rc = drain(req_id);
        if (rc < 0) {
            return rc;
        }
        if (rc == 1) {
            break;
        }
        kernel_idle();
    }
    struct xsd_sockmsg rsp;
    memcpy(&rsp, xs.rx, HDR_BYTES);
    if (rsp.type == XS_ERROR) {
        return error_value((const char *) xs.rx + HDR_BYTES, rsp.len);
    }
    if (rsp.type != type) {
        return -XEN_EIO;
    }
    return (int) rsp.len;
}

/* The absolute form of path in buf (XENSTORE_PATH_MAX): as it is, or below our directory. */
static int absolute(const char *path, char *buf)
{
    uint32_t n = (uint32_t) strnlen(path, XENSTORE_PATH_MAX);
    if (n == XENSTORE_PATH_MAX) {
        return -XEN_E2BIG;
    }
    if (path[0] == '/') {
        memcpy(buf, path, n + 1);
        return (int) n;
    }
    int at = snprintk(buf, XENSTORE_PATH_MAX, "/local/domain/%u/", start_info->domid);
    if ((uint32_t) at + n >= XENSTORE_PATH_MAX) {
        return -XEN_E2BIG;
    }
    memcpy(buf + at, path, n + 1);
    return at + (int) n;
}

/* ---- the API ---- */

int xs_read(const char *path, char *buf, int size)
{
    char p[XENSTORE_PATH_MAX];
    int n = absolute(path, p);
    if (n < 0) {
        return n;
    }
    int len = transact(XS_READ, p, (uint32_t) n + 1, 0, 0);
    if (len < 0) {
        return len;
    }
    if (size <= 0 || len >= size) {
        return -XEN_E2BIG;
    }
    memcpy(buf, xs.rx + HDR_BYTES, (uint32_t) len);
    buf[len] = 0;
    return len;
}

int xs_write(const char *path, const char *value)
{
    char p[XENSTORE_PATH_MAX];
    int n = absolute(path, p);
    if (n < 0) {
        return n;
    }
    uint32_t vlen = (uint32_t) strnlen(value, XENSTORE_PAYLOAD_MAX + 1);
    int rc = transact(XS_WRITE, p, (uint32_t) n + 1, value, vlen);
    return rc < 0 ? rc : 0;
}

int xs_rm(const char *path)
{
    char p[XENSTORE_PATH_MAX];
    int n = absolute(path, p);
    if (n < 0) {
        return n;
    }
    int rc = transact(XS_RM, p, (uint32_t) n + 1, 0, 0);
    return rc < 0 ? rc : 0;
}

int xs_directory(const char *path, char *buf, int size)
{
    char p[XENSTORE_PATH_MAX];
    int n = absolute(path, p);
    if (n < 0) {
        return n;
    }
    int len = transact(XS_DIRECTORY, p, (uint32_t) n + 1, 0, 0);
    if (len < 0) {
        return len;
    }
    if (len > size) {
        return -XEN_E2BIG;
    }
    const char *names = (const char *) xs.rx + HDR_BYTES;
    int count = 0;
    for (int i = 0; i < len; i++) {
        count += names[i] == 0;
    }
    memcpy(buf, names, (uint32_t) len);
    return count;
}

static int watch_op(uint32_t type, const char *path, const char *token)
{
    char p[XENSTORE_PATH_MAX];
    int n = absolute(path, p);
    if (n < 0) {
        return n;
    }
    uint32_t tlen = (uint32_t) strnlen(token, XENSTORE_TOKEN_MAX);
    if (tlen == XENSTORE_TOKEN_MAX) {
        return -XEN_E2BIG;
    }
    int rc = transact(type, p, (uint32_t) n + 1, token, tlen + 1);
    return rc < 0 ? rc : 0;
}

int xs_watch(const char *path, const char *token)
{
    return watch_op(XS_WATCH, path, token);
}

int xs_unwatch(const char *path, const char *token)
{
    return watch_op(XS_UNWATCH, path, token);
}

static int copy_out(char *dst, int size, const char *src)
{
    int n = (int) strnlen(src, XENSTORE_PATH_MAX);
    if (dst == 0 || size <= 0) {
        return n;
    }
    int k = n < size ? n : size - 1;
    memcpy(dst, src, (uint32_t) k);
    dst[k] = 0;
    return n;
}

int xs_read_watch(char *path_out, int path_size, char *token_out, int token_size, uint64_t deadline)
{
    int rc = ensure_connected();
    if (rc != 0) {
        return rc;
    }
    for (;;) {
        if (drain(0) < 0) {
            return -XEN_EIO;
        }
        if (xs.nr_events > 0) {
            struct xs_event e = xs.events[0];
            for (uint32_t i = 1; i < xs.nr_events; i++) {
                xs.events[i - 1] = xs.events[i];
            }
            xs.nr_events--;
            copy_out(token_out, token_size, e.token);
            return copy_out(path_out, path_size, e.path);
        }
        if (deadline != 0 && time_now() >= deadline) {
            return -XEN_EAGAIN;
        }
        kernel_idle();
    }
}

int xs_wait_watch(char *path_out, int size)
{
    return xs_read_watch(path_out, size, 0, 0, 0);
}

int xs_read_uint(const char *path, uint32_t *value)
{
    char buf[16];
    int n = xs_read(path, buf, sizeof buf);
    if (n < 0) {
        return n;
    }
    if (n == 0) {
        return -XEN_EINVAL;
    }
    uint32_t v = 0;
    for (int i = 0; i < n; i++) {
        uint32_t digit = (uint32_t) (buf[i] - '0');
        if (buf[i] < '0' || buf[i] > '9' || v > 429496729u || (v == 429496729u && digit > 5)) {
            return -XEN_EINVAL;   /* not a decimal, or above 2^32 - 1 */
        }
        v = v * 10 + digit;
    }
    *value = v;
    return 0;
}

int xs_write_uint(const char *path, uint32_t value)
{
    char buf[16];
    snprintk(buf, sizeof buf, "%u", value);
    return xs_write(path, buf);
}
