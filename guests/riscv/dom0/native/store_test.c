/*
 * store_test.c — the store checked on the host: the tree, permissions, quotas, pools and watches
 * of riscv/dom0/store.c through its API; the XS_* protocol through raw bytes (split anywhere,
 * malformed, too long); and the whole path a domain uses — the kernel's client library
 * (riscv/kernel/xenstore.c, compiled here for the host) writing to a ring page that the server's
 * store_ring.c serves. The kernel functions the client needs are small stand-ins below:
 * kernel_idle runs the server (sometimes not, to make the client wait), the event channel
 * hypercall binds and counts notifications.
 *
 * It also checks the toolstack's pure parts: module names (config.c) and the ELF reader (elf.c),
 * the latter on the committed workload images (the directory is the first argument) and on
 * hostile variants of one.
 *
 * `make -C guests store-test` builds it as build/native/store_test and runs it; it prints one
 * line per group and "store_test: ok" (exit 0), or each failed check (exit 1).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "xenstore.h"
#include "store.h"
#include "store_ring.h"
#include "config.h"
#include "elf.h"

static int failures;
static int checks;

#define CHECK(cond) check((cond), #cond, __LINE__)
#define CHECK_EQ(a, b) check_eq((long) (a), (long) (b), #a " == " #b, __LINE__)

static void check(int cond, const char *what, int line)
{
    checks++;
    if (!cond) {
        failures++;
        printf("FAIL line %d: %s\n", line, what);
    }
}

static void check_eq(long a, long b, const char *what, int line)
{
    checks++;
    if (a != b) {
        failures++;
        printf("FAIL line %d: %s (%ld != %ld)\n", line, what, a, b);
    }
}

/* ---- stand-ins for the kernel functions xenstore.c uses ---- */

static struct start_info test_start_info;
const struct start_info *start_info = &test_start_info;
struct shared_info *shared_info;

static struct xenstore_domain_interface test_ring;
static struct store_conn *server_conn;
static int server_notified;
static int client_notified;
static int idle_calls;
static int server_every = 1;   /* kernel_idle runs the server once every this many calls */
static uint64_t fake_time;

int printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int snprintk(char *buf, uint32_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n < (int) size ? n : (int) size - 1;
}

int strncmp_bounded(const char *a, const char *b, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        if (a[i] != b[i]) {
            return (unsigned char) a[i] < (unsigned char) b[i] ? -1 : 1;
        }
        if (a[i] == 0) {
            return 0;
        }
    }
    return 1;
}

uint32_t memory_image_end(void)
{
    return 0;
}

uint64_t time_now(void)
{
    return fake_time;
}

int evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn, void *data)
{
    (void) port;
    (void) fn;
    (void) data;
    return 0;
}

/* Dom0's side: pump the ring, as the toolstack does when the store's port fires. */
static void run_server(void)
{
    int rc = store_ring_pump(server_conn, &test_ring);
    if (rc < 0) {
        printf("server: broken ring\n");
        exit(1);
    }
    if (rc & STORE_RING_NOTIFY) {
        client_notified++;
    }
}

void kernel_idle(void)
{
    idle_calls++;
    fake_time += TICK_CYCLES;
    if (idle_calls % server_every == 0) {
        run_server();
    }
}

int HYPERVISOR_event_channel_op(uint32_t cmd, void *arg)
{
    switch (cmd) {
    case EVTCHNOP_bind_interdomain: {
        struct evtchn_bind_interdomain *op = arg;
        if (op->remote_dom != 0 || op->remote_port != 7) {
            return -XEN_ENOENT;
        }
        op->local_port = 3;
        return 0;
    }
    case EVTCHNOP_send:
        server_notified++;
        return 0;
    case EVTCHNOP_unmask:
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

/* ---- helpers ---- */

static int w(domid_t d, const char *path, const char *value)
{
    return store_write(d, path, value, (uint32_t) strlen(value));
}

/* Reads path as domid d into a NUL-terminated string; returns the store's result. */
static int r(domid_t d, const char *path, char *buf, uint32_t size)
{
    uint32_t len = 0;
    int rc = store_read(d, path, buf, size - 1, &len);
    buf[rc == 0 ? (len < size - 1 ? len : size - 1) : 0] = 0;
    return rc;
}

/* Takes the next queued message of c; returns its type (0 if none), payload in buf. */
static uint32_t take(struct store_conn *c, char *buf, uint32_t size, uint32_t *len)
{
    struct xsd_sockmsg h;
    if (store_conn_take(c, &h, buf, size) != 0) {
        return 0;
    }
    if (len) {
        *len = h.len;
    }
    return h.type;
}

/* Takes an event and checks its path and token. */
static void expect_event(struct store_conn *c, const char *path, const char *token, int line)
{
    char buf[512];
    uint32_t len;
    uint32_t type = take(c, buf, sizeof buf, &len);
    check_eq(type, XS_WATCH_EVENT, "event type", line);
    if (type == XS_WATCH_EVENT) {
        check(strcmp(buf, path) == 0, path, line);
        check(strcmp(buf + strlen(buf) + 1, token) == 0, token, line);
    }
}

static void expect_no_message(struct store_conn *c, int line)
{
    char buf[512];
    check_eq(take(c, buf, sizeof buf, 0), 0, "no more messages", line);
}

/* ---- the tree ---- */

static void test_tree(void)
{
    char buf[256];
    uint32_t len;
    store_init();
    CHECK_EQ(store_nodes_used(), 1);
    CHECK_EQ(w(0, "/local/domain/3/name", "compute"), 0);
    CHECK_EQ(store_nodes_used(), 5);
    CHECK_EQ(r(0, "/local/domain/3/name", buf, sizeof buf), 0);
    CHECK(strcmp(buf, "compute") == 0);
    CHECK_EQ(r(0, "/local/domain/3", buf, sizeof buf), 0);
    CHECK_EQ(strlen(buf), 0);   /* created parents are empty */
    CHECK_EQ(w(0, "/local/domain/3/name", "mem"), 0);   /* overwrite */
    CHECK_EQ(r(0, "/local/domain/3/name", buf, sizeof buf), 0);
    CHECK(strcmp(buf, "mem") == 0);
    CHECK_EQ(store_write(0, "/local/domain/3/empty", "", 0), 0);
    CHECK_EQ(w(0, "/local/domain/3/domid", "3"), 0);
    CHECK_EQ(store_directory(0, "/local/domain/3", buf, sizeof buf, &len), 3);
    CHECK_EQ(len, strlen("name") + strlen("empty") + strlen("domid") + 3);
    CHECK(memcmp(buf, "name\0empty\0domid\0", len) == 0);   /* creation order */
    CHECK_EQ(store_directory(0, "/local/domain/3", buf, 10, &len), -XEN_E2BIG);
    CHECK_EQ(store_directory(0, "/local/domain/3/name", buf, sizeof buf, &len), 0);
    CHECK_EQ(store_directory(0, "/nope", buf, sizeof buf, &len), -XEN_ENOENT);
    CHECK_EQ(r(0, "/local/domain/4", buf, sizeof buf), -XEN_ENOENT);

    /* bad paths */
    CHECK_EQ(w(0, "local/domain", "x"), -XEN_EINVAL);
    CHECK_EQ(w(0, "/local//domain", "x"), -XEN_EINVAL);
    CHECK_EQ(w(0, "/local/domain/", "x"), -XEN_EINVAL);
    CHECK_EQ(w(0, "/local/dom ain", "x"), -XEN_EINVAL);
    CHECK_EQ(w(0, "", "x"), -XEN_EINVAL);
    char longname[64];
    memset(longname, 'a', sizeof longname);
    longname[0] = '/';
    longname[XENSTORE_NAME_MAX + 1] = 0;   /* a component of NAME_MAX characters: no room for a NUL */
    CHECK_EQ(w(0, longname, "x"), -XEN_E2BIG);
    longname[XENSTORE_NAME_MAX] = 0;
    CHECK_EQ(w(0, longname, "x"), 0);
    char longpath[XENSTORE_PATH_MAX + 8];
    for (int i = 0; i < XENSTORE_PATH_MAX + 6; i += 2) {
        longpath[i] = '/';
        longpath[i + 1] = 'p';
    }
    longpath[XENSTORE_PATH_MAX] = 0;
    CHECK_EQ(w(0, longpath, "x"), -XEN_E2BIG);
    longpath[XENSTORE_PATH_MAX - 2] = 0;
    CHECK_EQ(w(0, longpath, "x"), 0);
    char value[XENSTORE_VALUE_MAX + 1];
    memset(value, 'v', sizeof value);
    CHECK_EQ(store_write(0, "/big", value, XENSTORE_VALUE_MAX + 1), -XEN_E2BIG);
    CHECK_EQ(store_write(0, "/big", value, XENSTORE_VALUE_MAX), 0);
    CHECK_EQ(store_read(0, "/big", buf, 10, &len), 0);   /* truncated copy, full length */
    CHECK_EQ(len, XENSTORE_VALUE_MAX);

    /* rm removes the subtree and gives its nodes back */
    uint32_t before = store_nodes_used();
    CHECK_EQ(w(0, "/tree/a/b/c", "1"), 0);
    CHECK_EQ(w(0, "/tree/a/d", "2"), 0);
    CHECK_EQ(store_nodes_used(), before + 5);
    CHECK_EQ(store_rm(0, "/tree/a"), 0);
    CHECK_EQ(store_nodes_used(), before + 1);
    CHECK_EQ(r(0, "/tree/a/d", buf, sizeof buf), -XEN_ENOENT);
    CHECK_EQ(store_rm(0, "/tree/a"), -XEN_ENOENT);
    CHECK_EQ(store_rm(0, "/"), -XEN_EINVAL);
    CHECK_EQ(w(0, "/tree/x", "1"), 0);
    CHECK_EQ(w(0, "/tree/y", "2"), 0);
    CHECK_EQ(w(0, "/tree/z", "3"), 0);
    CHECK_EQ(store_rm(0, "/tree/z"), 0);   /* last child */
    CHECK_EQ(w(0, "/tree/w", "4"), 0);
    CHECK_EQ(store_rm(0, "/tree/x"), 0);   /* first child */
    CHECK_EQ(store_directory(0, "/tree", buf, sizeof buf, &len), 2);
    CHECK(memcmp(buf, "y\0w\0", 4) == 0);
    printf("store_test: tree ok\n");
}

/* ---- permissions, quotas, pools ---- */

static void test_permissions(void)
{
    char buf[256];
    uint32_t len;
    store_init();
    CHECK_EQ(w(0, "/local/domain/3/name", "a"), 0);
    CHECK_EQ(w(0, "/local/domain/4/name", "b"), 0);
    CHECK_EQ(w(0, "/local/domain/34/name", "c"), 0);

    /* a domain reads its own directory, writes strictly below it */
    CHECK_EQ(r(3, "/local/domain/3/name", buf, sizeof buf), 0);
    CHECK_EQ(r(3, "/local/domain/3", buf, sizeof buf), 0);
    CHECK_EQ(w(3, "/local/domain/3/data/x", "1"), 0);
    CHECK_EQ(w(3, "/local/domain/3", "1"), -XEN_EACCES);
    CHECK_EQ(store_rm(3, "/local/domain/3"), -XEN_EACCES);
    CHECK_EQ(store_rm(3, "/local/domain/3/data"), 0);
    /* ... and nothing of another domain, not even whether it exists */
    CHECK_EQ(r(3, "/local/domain/4/name", buf, sizeof buf), -XEN_EACCES);
    CHECK_EQ(r(3, "/local/domain/4/missing", buf, sizeof buf), -XEN_EACCES);
    CHECK_EQ(r(3, "/local/domain/34/name", buf, sizeof buf), -XEN_EACCES);   /* not a prefix match */
    CHECK_EQ(w(3, "/local/domain/34/x", "1"), -XEN_EACCES);
    CHECK_EQ(w(3, "/local/domain/4/x", "1"), -XEN_EACCES);
    CHECK_EQ(store_rm(3, "/local/domain/4/name"), -XEN_EACCES);
    CHECK_EQ(store_directory(3, "/local/domain", buf, sizeof buf, &len), -XEN_EACCES);
    CHECK_EQ(r(3, "/", buf, sizeof buf), -XEN_EACCES);
    CHECK_EQ(w(3, "/tool/x", "1"), -XEN_EACCES);
    /* a domain without a directory cannot make one */
    CHECK_EQ(w(5, "/local/domain/5/x", "1"), -XEN_EACCES);

    /* grants */
    CHECK_EQ(w(0, "/local/domain/4/backend/vif/3/0/state", "1"), 0);
    CHECK_EQ(store_grant(3, "/local/domain/4/backend/vif/3/0", STORE_PERM_READ), 0);
    CHECK_EQ(r(3, "/local/domain/4/backend/vif/3/0/state", buf, sizeof buf), 0);
    CHECK_EQ(r(3, "/local/domain/4/backend/vif/3/0", buf, sizeof buf), 0);
    CHECK_EQ(r(3, "/local/domain/4/backend/vif/3", buf, sizeof buf), -XEN_EACCES);
    CHECK_EQ(r(3, "/local/domain/4/backend/vif/3/00", buf, sizeof buf), -XEN_EACCES);
    CHECK_EQ(w(3, "/local/domain/4/backend/vif/3/0/state", "2"), -XEN_EACCES);
    CHECK_EQ(store_grant(3, "/shared", STORE_PERM_WRITE), 0);
    CHECK_EQ(w(3, "/sharedx", "1"), -XEN_EACCES);
    CHECK_EQ(w(3, "/shared/x/y", "1"), 0);   /* the granted prefix itself may be created */
    CHECK_EQ(store_nodes_owned(3), 3);
    CHECK_EQ(r(3, "/shared/x/y", buf, sizeof buf), 0);
    CHECK_EQ(store_grant(3, "bad", STORE_PERM_READ), -XEN_EINVAL);
    CHECK_EQ(store_grant(3, "/x", 4), -XEN_EINVAL);
    CHECK_EQ(store_grants_used(), 2);
    store_forget_domain(3);
    CHECK_EQ(store_grants_used(), 0);
    CHECK_EQ(r(3, "/shared/x/y", buf, sizeof buf), -XEN_EACCES);
    CHECK_EQ(store_grant(4, "/local/domain/3/device", STORE_PERM_READ), 0);
    store_forget_domain(3);   /* grants on the forgotten domain's paths go too */
    CHECK_EQ(store_grants_used(), 0);
    for (int i = 0; i < STORE_MAX_GRANTS; i++) {
        char p[32];
        snprintf(p, sizeof p, "/g/%d", i);
        CHECK_EQ(store_grant(5, p, STORE_PERM_READ), 0);
    }
    CHECK_EQ(store_grant(5, "/g/0", STORE_PERM_WRITE), 0);   /* widens, needs no slot */
    CHECK_EQ(store_grant(5, "/g/x", STORE_PERM_READ), -XEN_ENOSPC);

    /* per-domain node quota: all or nothing */
    store_init();
    CHECK_EQ(w(0, "/local/domain/3", ""), 0);
    uint32_t used = store_nodes_used();
    int made = 0;
    for (int i = 0; i < STORE_QUOTA_NODES; i++) {
        char p[64];
        snprintf(p, sizeof p, "/local/domain/3/n%d", i);
        made += w(3, p, "x") == 0;
    }
    CHECK_EQ(made, STORE_QUOTA_NODES);
    CHECK_EQ(store_nodes_owned(3), STORE_QUOTA_NODES);
    CHECK_EQ(w(3, "/local/domain/3/one-more", "x"), -XEN_ENOSPC);
    CHECK_EQ(w(3, "/local/domain/3/n0", "changed"), 0);   /* changing needs no node */
    CHECK_EQ(w(0, "/local/domain/3/by-dom0", "x"), 0);    /* Dom0 has no quota */
    CHECK_EQ(store_rm(3, "/local/domain/3/n1"), 0);
    CHECK_EQ(w(3, "/local/domain/3/a/b", "x"), -XEN_ENOSPC);   /* two needed, one left */
    CHECK_EQ(store_nodes_owned(3), STORE_QUOTA_NODES - 1);
    CHECK_EQ(w(3, "/local/domain/3/a", "x"), 0);
    CHECK_EQ(store_nodes_used(), used + STORE_QUOTA_NODES + 1);

    /* the node pool: all or nothing too */
    store_init();
    int i = 0;
    while (store_nodes_used() < STORE_MAX_NODES - 1) {
        char p[32];
        snprintf(p, sizeof p, "/p%d", i++);
        CHECK_EQ(w(0, p, "x"), 0);
    }
    CHECK_EQ(w(0, "/q/r", "x"), -XEN_ENOSPC);
    CHECK_EQ(store_nodes_used(), STORE_MAX_NODES - 1);
    CHECK_EQ(w(0, "/q", "x"), 0);
    CHECK_EQ(w(0, "/s", "x"), -XEN_ENOSPC);
    CHECK_EQ(store_rm(0, "/p0"), 0);
    CHECK_EQ(w(0, "/s", "x"), 0);
    printf("store_test: permissions, quotas and pools ok\n");
}

/* ---- watches ---- */

static void test_watches(void)
{
    char buf[512];
    struct store_conn *d0;
    struct store_conn *d3;
    struct store_conn *d4;
    store_init();
    CHECK_EQ(store_conn_open(0, &d0), 0);
    CHECK_EQ(store_conn_open(3, &d3), 0);
    CHECK_EQ(store_conn_open(4, &d4), 0);
    CHECK_EQ(store_conn_open(3, &d3), -XEN_EEXIST);
    CHECK_EQ(store_conn_open(STORE_MAX_DOMID + 1, &d3), -XEN_EINVAL);
    CHECK(store_conn_of(4) == d4);
    CHECK_EQ(w(0, "/local/domain/3/name", "a"), 0);
    CHECK_EQ(w(0, "/local/domain/4/name", "b"), 0);

    /* the first event comes at once, even for a path that does not exist */
    CHECK_EQ(store_watch(d3, "/local/domain/3/device", "dev"), 0);
    expect_event(d3, "/local/domain/3/device", "dev", __LINE__);
    expect_no_message(d3, __LINE__);
    CHECK_EQ(store_watch(d3, "/local/domain/3/device", "dev"), -XEN_EEXIST);
    CHECK_EQ(store_watch(d3, "/local/domain/3/device", "other"), 0);
    expect_event(d3, "/local/domain/3/device", "other", __LINE__);
    CHECK_EQ(store_unwatch(d3, "/local/domain/3/device", "other"), 0);
    CHECK_EQ(store_unwatch(d3, "/local/domain/3/device", "other"), -XEN_ENOENT);
    CHECK_EQ(store_watch(d3, "/local/domain/4", "peek"), -XEN_EACCES);
    CHECK_EQ(store_watch(d3, "relative", "t"), -XEN_EINVAL);

    /* a change at or below fires; a sibling with a longer name does not */
    CHECK_EQ(w(0, "/local/domain/3/device/vif/0/state", "1"), 0);
    expect_event(d3, "/local/domain/3/device/vif/0/state", "dev", __LINE__);
    CHECK_EQ(w(0, "/local/domain/3/devices", "x"), 0);
    CHECK_EQ(w(0, "/local/domain/3/device", "x"), 0);
    expect_event(d3, "/local/domain/3/device", "dev", __LINE__);
    expect_no_message(d3, __LINE__);

    /* Dom0 watching everything sees everything; events follow watch slots */
    CHECK_EQ(store_watch(d0, "/", "all"), 0);
    expect_event(d0, "/", "all", __LINE__);
    CHECK_EQ(w(0, "/local/domain/4/name", "c"), 0);
    expect_event(d0, "/local/domain/4/name", "all", __LINE__);
    expect_no_message(d3, __LINE__);

    /* a watch above what a domain may read delivers only what it may read */
    CHECK_EQ(store_grant(4, "/local/domain/3/device/vif/0", STORE_PERM_READ), 0);
    CHECK_EQ(store_watch(d4, "/local/domain/3/device/vif/0", "fe"), 0);
    expect_event(d4, "/local/domain/3/device/vif/0", "fe", __LINE__);
    CHECK_EQ(w(3, "/local/domain/3/device/vif/0/tx-ring-ref", "8"), 0);
    expect_event(d4, "/local/domain/3/device/vif/0/tx-ring-ref", "fe", __LINE__);
    expect_event(d3, "/local/domain/3/device/vif/0/tx-ring-ref", "dev", __LINE__);
    expect_event(d0, "/local/domain/3/device/vif/0/tx-ring-ref", "all", __LINE__);

    /* rm fires at the node and at the watches below it (with their own paths) */
    CHECK_EQ(store_rm(0, "/local/domain/3/device"), 0);
    expect_event(d3, "/local/domain/3/device", "dev", __LINE__);
    expect_event(d4, "/local/domain/3/device/vif/0", "fe", __LINE__);
    expect_event(d0, "/local/domain/3/device", "all", __LINE__);
    expect_no_message(d3, __LINE__);
    expect_no_message(d4, __LINE__);

    /* coalescing: the same event queued and not yet started is not queued twice */
    CHECK_EQ(w(0, "/local/domain/3/device/x", "1"), 0);
    CHECK_EQ(w(0, "/local/domain/3/device/x", "2"), 0);
    CHECK_EQ(w(0, "/local/domain/3/device/y", "1"), 0);
    CHECK_EQ(w(0, "/local/domain/3/device/x", "3"), 0);
    CHECK_EQ(d3->events_coalesced, 2);
    expect_event(d3, "/local/domain/3/device/x", "dev", __LINE__);
    expect_event(d3, "/local/domain/3/device/y", "dev", __LINE__);
    expect_no_message(d3, __LINE__);
    /* ... but not into a message already partly passed on */
    CHECK_EQ(w(0, "/local/domain/3/device/x", "4"), 0);
    CHECK_EQ(store_conn_output(d3, buf, 5), 5);
    CHECK_EQ(w(0, "/local/domain/3/device/x", "5"), 0);
    CHECK_EQ(store_conn_pending(d3), 2 * (16 + strlen("/local/domain/3/device/x") + 1 + 4) - 5);

    /* a full queue drops events and counts them, never responses */
    struct store_conn *d5;
    CHECK_EQ(store_conn_open(5, &d5), 0);
    CHECK_EQ(w(0, "/local/domain/5/q", ""), 0);
    CHECK_EQ(store_watch(d5, "/local/domain/5/q", "t"), 0);
    int queued = 0;
    for (int i = 0; i < 200; i++) {
        char p[64];
        snprintf(p, sizeof p, "/local/domain/5/q/%d", i);
        CHECK_EQ(w(0, p, "x"), 0);
        queued++;
    }
    CHECK(d5->events_dropped > 0);
    CHECK_EQ(d5->events + d5->events_dropped, (uint32_t) queued + 1);
    CHECK(store_conn_pending(d5) <= STORE_OUTQ_BYTES);

    /* quota of watches; closing frees them */
    struct store_conn *d6;
    CHECK_EQ(store_conn_open(6, &d6), 0);
    CHECK_EQ(w(0, "/local/domain/6", ""), 0);
    for (int i = 0; i < STORE_QUOTA_WATCHES; i++) {
        char t[16];
        snprintf(t, sizeof t, "t%d", i);
        CHECK_EQ(store_watch(d6, "/local/domain/6", t), 0);
    }
    CHECK_EQ(store_watch(d6, "/local/domain/6", "over"), -XEN_ENOSPC);
    uint32_t watches = store_watches_used();
    store_conn_close(d6);
    CHECK_EQ(store_watches_used(), watches - STORE_QUOTA_WATCHES);
    CHECK(store_conn_of(6) == 0);
    CHECK_EQ(store_conn_open(6, &d6), 0);
    CHECK_EQ(store_watch(d6, "/local/domain/6", "again"), 0);
    printf("store_test: watches ok\n");
}

/* ---- the protocol, as raw bytes ---- */

static uint32_t put_msg(uint8_t *out, uint32_t type, uint32_t req_id, uint32_t tx_id, const void *payload,
                        uint32_t len)
{
    struct xsd_sockmsg h = { type, req_id, tx_id, len };
    memcpy(out, &h, sizeof h);
    memcpy(out + sizeof h, payload, len);
    return (uint32_t) sizeof h + len;
}

/* Feeds a request to c n bytes at a time, then takes the response. */
static uint32_t ask(struct store_conn *c, uint32_t chunk, uint32_t type, uint32_t req_id, uint32_t tx_id,
                    const void *payload, uint32_t len, char *reply, uint32_t *reply_len, uint32_t *reply_id)
{
    static uint8_t msg[4096];
    uint32_t n = put_msg(msg, type, req_id, tx_id, payload, len);
    for (uint32_t at = 0; at < n; at += chunk) {
        uint32_t k = n - at < chunk ? n - at : chunk;
        CHECK_EQ(store_conn_input(c, msg + at, k), k);
    }
    struct xsd_sockmsg h;
    if (store_conn_take(c, &h, reply, 1100) != 0) {
        return 0;
    }
    *reply_len = h.len;
    if (reply_id) {
        *reply_id = h.req_id;
    }
    return h.type;
}

static void test_protocol(void)
{
    char reply[1200];
    uint32_t len;
    uint32_t id;
    struct store_conn *c;
    store_init();
    CHECK_EQ(w(0, "/local/domain/3/name", "net"), 0);
    CHECK_EQ(store_conn_open(3, &c), 0);

    for (uint32_t chunk = 1; chunk <= 64; chunk *= 4) {
        CHECK_EQ(ask(c, chunk, XS_READ, 42, 0, "/local/domain/3/name", 21, reply, &len, &id), XS_READ);
        CHECK_EQ(id, 42);
        CHECK_EQ(len, 3);
        CHECK(memcmp(reply, "net", 3) == 0);
    }
    CHECK_EQ(ask(c, 7, XS_WRITE, 1, 0, "/local/domain/3/data\0hello", 26, reply, &len, &id), XS_WRITE);
    CHECK(strcmp(reply, "OK") == 0 && len == 3);
    CHECK_EQ(ask(c, 7, XS_READ, 2, 0, "/local/domain/3/data", 21, reply, &len, &id), XS_READ);
    CHECK(len == 5 && memcmp(reply, "hello", 5) == 0);
    CHECK_EQ(ask(c, 7, XS_DIRECTORY, 3, 0, "/local/domain/3", 16, reply, &len, &id), XS_DIRECTORY);
    CHECK(len == 10 && memcmp(reply, "name\0data\0", 10) == 0);
    CHECK_EQ(ask(c, 7, XS_WATCH, 4, 0, "/local/domain/3/data\0tok", 25, reply, &len, &id), XS_WATCH);
    expect_event(c, "/local/domain/3/data", "tok", __LINE__);
    /* a request's own events may come before its response */
    CHECK_EQ(ask(c, 7, XS_RM, 5, 0, "/local/domain/3/data", 21, reply, &len, &id), XS_WATCH_EVENT);
    CHECK(strcmp(reply, "/local/domain/3/data") == 0);
    CHECK_EQ(take(c, reply, sizeof reply, &len), XS_RM);
    CHECK_EQ(ask(c, 7, XS_UNWATCH, 6, 0, "/local/domain/3/data\0tok", 25, reply, &len, &id), XS_UNWATCH);

    /* errors name themselves and echo the request id */
    CHECK_EQ(ask(c, 5, XS_READ, 7, 0, "/local/domain/3/data", 21, reply, &len, &id), XS_ERROR);
    CHECK(strcmp(reply, "ENOENT") == 0 && id == 7);
    CHECK_EQ(ask(c, 5, XS_READ, 8, 0, "/local/domain/4", 16, reply, &len, &id), XS_ERROR);
    CHECK(strcmp(reply, "EACCES") == 0);
    CHECK_EQ(ask(c, 5, XS_READ, 9, 0, "/local/domain/3/name", 20, reply, &len, &id), XS_ERROR);  /* no NUL */
    CHECK(strcmp(reply, "EINVAL") == 0);
    CHECK_EQ(ask(c, 5, XS_WATCH, 10, 0, "/local/domain/3\0tok", 19, reply, &len, &id), XS_ERROR);
    CHECK(strcmp(reply, "EINVAL") == 0);   /* token without its NUL */
    CHECK_EQ(ask(c, 5, XS_READ, 11, 9, "/local/domain/3/name", 21, reply, &len, &id), XS_ERROR);
    CHECK(strcmp(reply, "EINVAL") == 0);   /* transactions are not served */
    CHECK_EQ(ask(c, 5, 6 /* XS_TRANSACTION_START */, 12, 0, "", 1, reply, &len, &id), XS_ERROR);
    CHECK(strcmp(reply, "ENOSYS") == 0 && id == 12);
    CHECK_EQ(ask(c, 5, XS_READ, 13, 0, "", 0, reply, &len, &id), XS_ERROR);
    CHECK(strcmp(reply, "EINVAL") == 0);

    /* a message longer than the limit is dropped whole, answered E2BIG, and the next one works */
    static uint8_t big[3000];
    memset(big, 'x', sizeof big);
    CHECK_EQ(ask(c, 100, XS_WRITE, 14, 0, big, sizeof big, reply, &len, &id), XS_ERROR);
    CHECK(strcmp(reply, "E2BIG") == 0 && id == 14);
    CHECK_EQ(ask(c, 3, XS_READ, 15, 0, "/local/domain/3/name", 21, reply, &len, &id), XS_READ);
    CHECK(id == 15 && len == 3);

    /* flow control: requests wait while the output queue lacks room for a response */
    uint8_t msg[64];
    uint32_t n = put_msg(msg, XS_READ, 16, 0, "/local/domain/3/name", 21);
    uint32_t accepted = 0;
    for (int i = 0; i < 200; i++) {
        uint32_t k = store_conn_input(c, msg, n);
        accepted += k;
        if (k < n) {
            break;
        }
    }
    CHECK(accepted < 200 * n);
    CHECK(store_conn_pending(c) + STORE_RESPONSE_MAX + 16 + XENSTORE_PATH_MAX + XENSTORE_TOKEN_MAX
          > STORE_OUTQ_BYTES);
    printf("store_test: protocol ok\n");
}

/* ---- the client library over a ring served by store_ring.c ---- */

static void test_client(void)
{
    char buf[600];
    store_init();
    memset(&test_ring, 0, sizeof test_ring);
    CHECK_EQ(w(0, "/local/domain/3/name", "net"), 0);
    CHECK_EQ(w(0, "/local/domain/9/name", "other"), 0);
    CHECK_EQ(store_conn_open(3, &server_conn), 0);
    test_start_info.domid = 3;
    test_start_info.flags = 0;
    test_start_info.store_flags = 0;
    CHECK_EQ(xs_available(), 0);
    CHECK_EQ(xs_read("name", buf, sizeof buf), -XEN_ENOSYS);
    CHECK_EQ(xs_connect(&test_ring, 8), -XEN_ENOENT);
    CHECK_EQ(xs_connect(&test_ring, 7), 0);
    CHECK_EQ(xs_event_port(), 3);

    CHECK_EQ(xs_read("/local/domain/3/name", buf, sizeof buf), 3);
    CHECK(strcmp(buf, "net") == 0);
    CHECK_EQ(xs_read("name", buf, sizeof buf), 3);   /* relative */
    CHECK_EQ(xs_read("name", buf, 3), -XEN_E2BIG);   /* no room for the NUL */
    CHECK_EQ(xs_read("/local/domain/9/name", buf, sizeof buf), -XEN_EACCES);
    CHECK_EQ(xs_read("missing", buf, sizeof buf), -XEN_ENOENT);
    CHECK_EQ(xs_write("device/vif/0/state", "1"), 0);
    CHECK_EQ(xs_write_uint("device/vif/0/tx-ring-ref", 4095), 0);
    uint32_t v = 0;
    CHECK_EQ(xs_read_uint("device/vif/0/tx-ring-ref", &v), 0);
    CHECK_EQ(v, 4095);
    CHECK_EQ(xs_read_uint("device", &v), -XEN_EINVAL);   /* empty */
    CHECK_EQ(xs_write_uint("n", 4294967295u), 0);
    CHECK_EQ(xs_read_uint("n", &v), 0);
    CHECK_EQ(v, 4294967295u);
    CHECK_EQ(xs_write("n", "4294967296"), 0);
    CHECK_EQ(xs_read_uint("n", &v), -XEN_EINVAL);
    CHECK_EQ(xs_write("n", "12a"), 0);
    CHECK_EQ(xs_read_uint("n", &v), -XEN_EINVAL);
    CHECK_EQ(xs_rm("n"), 0);
    CHECK_EQ(xs_directory("device/vif/0", buf, sizeof buf), 2);
    CHECK(memcmp(buf, "state\0tx-ring-ref\0", 18) == 0);
    CHECK_EQ(xs_directory("device/vif/0", buf, 5), -XEN_E2BIG);
    CHECK_EQ(xs_write("/local/domain/9/x", "1"), -XEN_EACCES);

    /* watches: the first event, then changes; tokens come back */
    char token[XENSTORE_TOKEN_MAX];
    CHECK_EQ(xs_watch("device", "dev"), 0);
    CHECK_EQ(xs_wait_watch(buf, sizeof buf), strlen("/local/domain/3/device"));
    CHECK(strcmp(buf, "/local/domain/3/device") == 0);
    CHECK_EQ(w(0, "/local/domain/3/device/vif/0/backend", "/local/domain/4/backend/vif/3/0"), 0);
    CHECK_EQ(xs_read_watch(buf, sizeof buf, token, sizeof token, 0), strlen("/local/domain/3/device/vif/0/backend"));
    CHECK(strcmp(token, "dev") == 0);
    fake_time = 1000;
    CHECK_EQ(xs_read_watch(buf, sizeof buf, token, sizeof token, fake_time + 3 * TICK_CYCLES), -XEN_EAGAIN);
    /* events that arrive during other requests are kept, merged when equal */
    CHECK_EQ(xs_write("device/a", "1"), 0);
    CHECK_EQ(xs_write("device/a", "2"), 0);
    CHECK_EQ(xs_write("device/b", "1"), 0);
    CHECK_EQ(xs_wait_watch(buf, sizeof buf), strlen("/local/domain/3/device/a"));
    CHECK(strcmp(buf, "/local/domain/3/device/a") == 0);
    CHECK_EQ(xs_wait_watch(buf, sizeof buf), strlen("/local/domain/3/device/b"));
    CHECK_EQ(xs_unwatch("device", "dev"), 0);
    CHECK_EQ(xs_unwatch("device", "dev"), -XEN_ENOENT);
    CHECK_EQ(xs_rm("device"), 0);
    CHECK_EQ(xs_read("device/a", buf, sizeof buf), -XEN_ENOENT);

    /* many requests: the ring indexes run around the ring many times; a slow server */
    for (int round = 0; round < 3; round++) {
        server_every = round + 1;
        for (int i = 0; i < 300; i++) {
            char p[64];
            char val[XENSTORE_VALUE_MAX + 1];
            snprintf(p, sizeof p, "data/k%d", i % 40);
            memset(val, 'a' + i % 26, XENSTORE_VALUE_MAX);
            val[XENSTORE_VALUE_MAX - (i % 50)] = 0;
            CHECK_EQ(xs_write(p, val), 0);
            CHECK_EQ(xs_read(p, buf, sizeof buf), (int) strlen(val));
            CHECK(strcmp(buf, val) == 0);
        }
    }
    server_every = 1;
    CHECK(test_ring.req_prod > 10 * XENSTORE_RING_SIZE);
    CHECK_EQ(test_ring.req_prod, test_ring.req_cons);
    CHECK_EQ(test_ring.rsp_prod, test_ring.rsp_cons);
    char toolong[XENSTORE_VALUE_MAX + 2];
    memset(toolong, 'z', sizeof toolong - 1);
    toolong[sizeof toolong - 1] = 0;
    CHECK_EQ(xs_write("data/long", toolong), -XEN_E2BIG);
    char hugevalue[XENSTORE_PAYLOAD_MAX + 8];
    memset(hugevalue, 'h', sizeof hugevalue - 1);
    hugevalue[sizeof hugevalue - 1] = 0;
    CHECK_EQ(xs_write("data/huge", hugevalue), -XEN_E2BIG);   /* refused before sending */

    /* a flood of events while the client is busy: kept, merged, the rest counted as lost */
    CHECK_EQ(xs_watch("flood", "f"), 0);
    for (int i = 0; i < 40; i++) {
        char p[64];
        snprintf(p, sizeof p, "/local/domain/3/flood/%d", i);
        CHECK_EQ(w(0, p, "x"), 0);
        run_server();
    }
    CHECK_EQ(xs_read("name", buf, sizeof buf), 3);
    struct xs_stats st;
    xs_get_stats(&st);
    CHECK(st.events_lost > 0);
    int kept = 0;
    while (xs_read_watch(buf, sizeof buf, token, sizeof token, fake_time + TICK_CYCLES) >= 0) {
        kept++;
    }
    CHECK_EQ(kept, XS_EVENT_QUEUE);
    CHECK(server_notified > 0 && client_notified > 0);

    /* a server that writes impossible indexes breaks the connection for good */
    test_ring.rsp_prod = test_ring.rsp_cons + 5000;
    CHECK_EQ(xs_read("name", buf, sizeof buf), -XEN_EIO);
    CHECK_EQ(xs_read("name", buf, sizeof buf), -XEN_EIO);
    printf("store_test: client over the ring ok (%u requests, %u events, %u merged, %u lost)\n", st.requests,
           st.events, st.events_merged, st.events_lost);
}

/* ---- module names ---- */

static void test_config(void)
{
    struct domain_config c;
    const char *why = 0;
    CHECK_EQ(config_parse("compute", 3, &c, &why), 0);
    CHECK(strcmp(c.workload, "compute") == 0 && c.mem_pages == 256 && c.max_pages == 256);
    CHECK(c.peer_module == CONFIG_NO_PEER && !c.net && !c.driver);
    CHECK_EQ(config_parse("hypercall:role=1,peer=1", 3, &c, &why), 0);
    CHECK(strcmp(c.workload, "hypercall") == 0 && c.role == 1 && c.peer_module == 1);
    CHECK_EQ(config_parse("net:p1=64,p5=7,mem=100", 3, &c, &why), 0);
    CHECK(c.net && c.params[1] == 64 && c.params[5] == 7 && c.params[0] == 0 && c.mem_pages == 100);
    CHECK_EQ(config_parse("net:nonet", 3, &c, &why), 0);
    CHECK(!c.net);
    CHECK_EQ(config_parse("netdrv", 3, &c, &why), 0);
    CHECK(c.driver && !c.net);
    CHECK_EQ(config_parse("mine:dd,net", 3, &c, &why), 0);
    CHECK(c.driver && !c.net && c.mem_pages == 128);   /* unknown workloads get the fallback */
    CHECK_EQ(config_parse("x:mem=64,max=64", 3, &c, &why), 0);
    CHECK_EQ(config_parse("hypercall:peer=3", 3, &c, &why), -1);
    CHECK(strstr(why, "peer") != 0);
    CHECK_EQ(config_parse("compute:fast", 3, &c, &why), -1);
    CHECK_EQ(config_parse("compute:role=x", 3, &c, &why), -1);
    CHECK_EQ(config_parse("compute:p6=1", 3, &c, &why), -1);
    CHECK_EQ(config_parse("compute:mem=4", 3, &c, &why), -1);
    CHECK_EQ(config_parse("compute:mem=300", 3, &c, &why), -1);   /* above max */
    CHECK_EQ(config_parse("compute:role=1,", 3, &c, &why), -1);
    CHECK_EQ(config_parse(":role=1", 3, &c, &why), -1);
    CHECK_EQ(config_parse("com pute", 3, &c, &why), -1);
    /* One size for every AppVM from Dom0's start_info; the driver domain keeps its own. */
    CHECK_EQ(config_parse("mem", 3, &c, &why), 0);
    CHECK_EQ(config_size_appvm(&c, 0, &why), 0);
    CHECK(c.mem_pages == 64 && c.max_pages == 128);
    CHECK_EQ(config_size_appvm(&c, 16384, &why), 0);
    CHECK(c.mem_pages == 16384 && c.max_pages == 16384 + 64);
    CHECK_EQ(config_parse("compute:mem=100,max=120", 3, &c, &why), 0);
    CHECK_EQ(config_size_appvm(&c, 262144, &why), 0);
    CHECK(c.mem_pages == 262144 && c.max_pages == 262164);
    CHECK_EQ(config_parse("netdrv", 3, &c, &why), 0);
    CHECK_EQ(config_size_appvm(&c, 16384, &why), 0);
    CHECK(c.mem_pages == 128 && c.max_pages == 320);
    CHECK_EQ(config_parse("compute", 3, &c, &why), 0);
    CHECK_EQ(config_size_appvm(&c, 4, &why), -1);
    CHECK_EQ(config_parse("net", 3, &c, &why), 0);
    CHECK_EQ(config_size_appvm(&c, 0xffffffc0u, &why), -1);
    char unterminated[CONFIG_NAME_BYTES];
    memset(unterminated, 'a', sizeof unterminated);
    CHECK_EQ(config_parse(unterminated, 3, &c, &why), -1);
    printf("store_test: module names ok\n");
}

/* ---- the ELF reader ---- */

static uint8_t *slurp(const char *path, uint32_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == 0) {
        return 0;
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    *size = (uint32_t) n;
    uint8_t *copy = malloc(n);
    memcpy(copy, buf, n);
    return copy;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t) v;
    p[1] = (uint8_t) (v >> 8);
    p[2] = (uint8_t) (v >> 16);
    p[3] = (uint8_t) (v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

/* Parses a copy of image with one change made by `mutate`; returns elf_parse's result. */
static int parse_mutated(const uint8_t *image, uint32_t size, void (*mutate)(uint8_t *, uint32_t *), const char **why)
{
    uint8_t *copy = malloc(size);
    memcpy(copy, image, size);
    uint32_t n = size;
    mutate(copy, &n);
    struct elf_image e;
    int rc = elf_parse(copy, n, 0x80000000u, 0x80000000u + 256 * 4096, &e, why);
    free(copy);
    return rc;
}

/* Offset of the i-th PT_LOAD program header. */
static uint32_t ph(const uint8_t *b, uint32_t i)
{
    uint32_t phnum = (uint32_t) b[44] | (uint32_t) b[45] << 8;
    for (uint32_t k = 0; k < phnum; k++) {
        uint32_t at = get32(b + 28) + k * 32;
        if (get32(b + at) == 1 && i-- == 0) {
            return at;
        }
    }
    return 0;
}

static void m_truncate(uint8_t *b, uint32_t *n) { (void) b; *n = 40; }
static void m_magic(uint8_t *b, uint32_t *n) { (void) n; b[1] = 'X'; }
static void m_class(uint8_t *b, uint32_t *n) { (void) n; b[4] = 2; }
static void m_endian(uint8_t *b, uint32_t *n) { (void) n; b[5] = 2; }
static void m_type(uint8_t *b, uint32_t *n) { (void) n; b[16] = 3; }
static void m_machine(uint8_t *b, uint32_t *n) { (void) n; b[18] = 62; }
static void m_phoff(uint8_t *b, uint32_t *n) { put32(b + 28, *n - 8); }
static void m_seg_outside(uint8_t *b, uint32_t *n) { put32(b + ph(b, 0) + 4, *n); }
static void m_filesz(uint8_t *b, uint32_t *n) { (void) n; put32(b + ph(b, 0) + 16, get32(b + ph(b, 0) + 20) + 1); }
static void m_entry(uint8_t *b, uint32_t *n) { (void) n; put32(b + 24, 0x90000000u); }
static void m_low(uint8_t *b, uint32_t *n) { (void) n; put32(b + ph(b, 0) + 8, 0x7ffff000u); }
static void m_wrap(uint8_t *b, uint32_t *n) { (void) n; put32(b + ph(b, 0) + 8, 0xffffe000u); put32(b + ph(b, 0) + 20, 0x10000); }
static void m_overlap(uint8_t *b, uint32_t *n) { (void) n; put32(b + ph(b, 1) + 8, get32(b + ph(b, 0) + 8)); }
static void m_big(uint8_t *b, uint32_t *n) { (void) n; put32(b + ph(b, 1) + 20, 300 * 4096); }

static void test_elf(const char *dir)
{
    static const char *const names[] = { "compute", "hypercall", "mem", "dom0", "dom0io" };
    char path[512];
    uint8_t *compute = 0;
    uint32_t compute_size = 0;
    for (uint32_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s.elf", dir, names[i]);
        uint32_t size;
        uint8_t *bytes = slurp(path, &size);
        if (bytes == 0) {
            printf("FAIL: cannot read %s\n", path);
            failures++;
            continue;
        }
        struct elf_image e;
        const char *why = "";
        int rc = elf_parse(bytes, size, 0x80000000u, 0x80000000u + 253 * 4096, &e, &why);
        check(rc == 0, why, __LINE__);
        CHECK_EQ(e.entry, 0x80000000u);
        CHECK_EQ(e.lowest, 0x80000000u);
        CHECK(e.nr_segments >= 2 && e.end > e.lowest);
        CHECK_EQ(elf_byte_at(&e, bytes, e.entry), bytes[e.segments[0].offset]);
        CHECK_EQ(elf_byte_at(&e, bytes, e.end - 1), 0);   /* the stack at the end of .bss */
        CHECK_EQ(elf_byte_at(&e, bytes, e.end), -1);
        /* an image too big for the domain's RAM below the store ring */
        CHECK_EQ(elf_parse(bytes, size, 0x80000000u, e.end - 1, &e, &why), -1);
        CHECK(strstr(why, "usable RAM") != 0);
        if (strcmp(names[i], "compute") == 0) {
            compute = bytes;
            compute_size = size;
        } else {
            free(bytes);
        }
    }
    if (compute == 0) {
        return;
    }
    static const struct {
        void (*mutate)(uint8_t *, uint32_t *);
        const char *expect;
    } cases[] = {
        { m_truncate, "truncated" }, { m_magic, "magic" }, { m_class, "32-bit" }, { m_endian, "little endian" },
        { m_type, "executable" }, { m_machine, "RISC-V" }, { m_phoff, "program headers" },
        { m_seg_outside, "outside the file" }, { m_filesz, "file size" }, { m_entry, "entry" },
        { m_low, "usable RAM" }, { m_wrap, "wraps" }, { m_overlap, "overlap" }, { m_big, "usable RAM" },
    };
    for (uint32_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *why = "";
        CHECK_EQ(parse_mutated(compute, compute_size, cases[i].mutate, &why), -1);
        check(strstr(why, cases[i].expect) != 0, cases[i].expect, __LINE__);
    }
    free(compute);
    printf("store_test: ELF reader ok\n");
}

int main(int argc, char **argv)
{
    test_tree();
    test_permissions();
    test_watches();
    test_protocol();
    test_client();
    test_config();
    test_elf(argc > 1 ? argv[1] : "images/workloads");
    if (failures != 0) {
        printf("store_test: FAIL: %d of %d checks\n", failures, checks);
        return 1;
    }
    printf("store_test: ok (%d checks)\n", checks);
    return 0;
}
