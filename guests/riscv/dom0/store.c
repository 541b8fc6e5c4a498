/*
 * store.c — the store's tree, permissions, watches and protocol handling (store.h says what
 * each does). Everything lives in fixed pools: nodes (an index-linked tree: parent, first and
 * last child, next sibling), watches, grants and connections; pool slots are taken lowest index
 * first, and watches fire in slot order, so that the same requests always give the same bytes.
 *
 * A connection's output queue holds whole messages in out[out_head .. out_tail); out_head may
 * be in the middle of a message whose start was already passed to the ring, and out_boundary
 * is the first message boundary at or after out_head. Watch events are coalesced: one that is
 * already queued, whole and not yet started, is not queued again (a watch says "look again",
 * not "this many changes"). An event that finds no room is dropped and counted; a request is
 * taken only when a whole response and its watch's first event have room, so responses are
 * never dropped.
 */
#include "store.h"

#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#endif

#define NO_NODE     (-1)
#define ROOT        0
#define HDR_BYTES   ((uint32_t) sizeof(struct xsd_sockmsg))
#define EVENT_MAX   (HDR_BYTES + XENSTORE_PATH_MAX + XENSTORE_TOKEN_MAX)
/* Room a connection needs before it takes the next request: a whole response and an event. */
#define INPUT_RESERVE (STORE_RESPONSE_MAX + EVENT_MAX)
#define DOMAIN_DIR_BYTES 24   /* "/local/domain/65535" and its NUL */

_Static_assert(STORE_OUTQ_BYTES >= INPUT_RESERVE + EVENT_MAX, "the output queue holds a response and events");
_Static_assert(STORE_MAX_NODES < 32768, "node indexes are int16_t");
_Static_assert(STORE_MAX_CONNS < 256, "connection indexes are uint8_t");

struct node {
    int16_t parent;
    int16_t first_child;
    int16_t last_child;
    int16_t next_sibling;
    domid_t owner;
    uint16_t value_len;
    uint8_t in_use;
    char name[XENSTORE_NAME_MAX];
    char value[XENSTORE_VALUE_MAX];
};

struct watch {
    uint8_t in_use;
    uint8_t conn;
    domid_t domid;
    char path[XENSTORE_PATH_MAX];
    char token[XENSTORE_TOKEN_MAX];
};

struct grant {
    uint8_t in_use;
    uint8_t mode;
    domid_t domid;
    char prefix[XENSTORE_PATH_MAX];
};

static struct node nodes[STORE_MAX_NODES];
static struct watch watches[STORE_MAX_WATCHES];
static struct grant grants[STORE_MAX_GRANTS];
static struct store_conn conns[STORE_MAX_CONNS];
static uint32_t nodes_used;
static uint16_t nodes_owned[STORE_MAX_DOMID + 1];
static uint16_t watches_owned[STORE_MAX_DOMID + 1];
static char scratch[XENSTORE_PAYLOAD_MAX];

/* ---- strings and paths ---- */

static uint32_t str_len(const char *s, uint32_t max)
{
    uint32_t n = 0;
    while (n < max && s[n] != 0) {
        n++;
    }
    return n;
}

static int str_eq(const char *a, const char *b)
{
    while (*a != 0 && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static int name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
           || c == '@' || c == '.';
}

/* The length of path if it is a valid absolute path ("/" or "/a/b", no empty component, no
   trailing slash, components of [A-Za-z0-9-_@.] within the limits), else -errno. */
static int path_check(const char *path)
{
    uint32_t n = str_len(path, XENSTORE_PATH_MAX);
    if (n == XENSTORE_PATH_MAX) {
        return -XEN_E2BIG;
    }
    if (n == 0 || path[0] != '/') {
        return -XEN_EINVAL;
    }
    if (n == 1) {
        return 1;
    }
    uint32_t component = 0;
    for (uint32_t i = 1; i <= n; i++) {
        char c = path[i];
        if (c == '/' || c == 0) {
            if (component == 0) {
                return -XEN_EINVAL;
            }
            component = 0;
        } else if (!name_char_ok(c)) {
            return -XEN_EINVAL;
        } else if (++component >= XENSTORE_NAME_MAX) {
            return -XEN_E2BIG;
        }
    }
    return (int) n;
}

/* Whether the first n characters of path are prefix[0..n) (stops at path's NUL). */
static int starts_with(const char *path, const char *prefix, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (path[i] != prefix[i]) {
            return 0;
        }
    }
    return 1;
}

/* Whether path is prefix or below it, component-wise ("/a/bc" is not below "/a/b"). */
static int path_under(const char *path, const char *prefix)
{
    if (prefix[0] == '/' && prefix[1] == 0) {
        return 1;
    }
    uint32_t n = str_len(prefix, XENSTORE_PATH_MAX);
    return starts_with(path, prefix, n) && (path[n] == 0 || path[n] == '/');
}

static int path_strictly_under(const char *path, const char *prefix)
{
    uint32_t n = str_len(prefix, XENSTORE_PATH_MAX);
    return starts_with(path, prefix, n) && path[n] == '/';
}

/* "/local/domain/<domid>" into buf (DOMAIN_DIR_BYTES). */
static void domain_dir(domid_t domid, char *buf)
{
    static const char base[] = "/local/domain/";
    memcpy(buf, base, sizeof base - 1);
    char digits[5];
    uint32_t nd = 0;
    uint32_t v = domid;
    do {
        digits[nd++] = (char) ('0' + v % 10);
        v /= 10;
    } while (v != 0);
    uint32_t at = sizeof base - 1;
    while (nd > 0) {
        buf[at++] = digits[--nd];
    }
    buf[at] = 0;
}

/* ---- permissions ---- */

static int granted(domid_t domid, const char *path, uint32_t mode)
{
    for (uint32_t i = 0; i < STORE_MAX_GRANTS; i++) {
        const struct grant *g = &grants[i];
        if (g->in_use && g->domid == domid && (g->mode & mode) != 0 && path_under(path, g->prefix)) {
            return 1;
        }
    }
    return 0;
}

int store_can_read(domid_t caller, const char *path)
{
    if (caller == 0) {
        return 1;
    }
    char dir[DOMAIN_DIR_BYTES];
    domain_dir(caller, dir);
    return path_under(path, dir) || granted(caller, path, STORE_PERM_READ | STORE_PERM_WRITE);
}

int store_can_write(domid_t caller, const char *path)
{
    if (caller == 0) {
        return 1;
    }
    char dir[DOMAIN_DIR_BYTES];
    domain_dir(caller, dir);
    return path_strictly_under(path, dir) || granted(caller, path, STORE_PERM_WRITE);
}

int store_grant(domid_t domid, const char *prefix, uint32_t mode)
{
    int rc = path_check(prefix);
    if (rc < 0) {
        return rc;
    }
    if (mode == 0 || (mode & ~(STORE_PERM_READ | STORE_PERM_WRITE)) != 0) {
        return -XEN_EINVAL;
    }
    int free_slot = -1;
    for (uint32_t i = 0; i < STORE_MAX_GRANTS; i++) {
        struct grant *g = &grants[i];
        if (g->in_use && g->domid == domid && str_eq(g->prefix, prefix)) {
            g->mode |= (uint8_t) mode;
            return 0;
        }
        if (!g->in_use && free_slot < 0) {
            free_slot = (int) i;
        }
    }
    if (free_slot < 0) {
        return -XEN_ENOSPC;
    }
    struct grant *g = &grants[free_slot];
    g->in_use = 1;
    g->mode = (uint8_t) mode;
    g->domid = domid;
    memcpy(g->prefix, prefix, (uint32_t) rc + 1);
    return 0;
}

void store_forget_domain(domid_t domid)
{
    char dir[DOMAIN_DIR_BYTES];
    domain_dir(domid, dir);
    for (uint32_t i = 0; i < STORE_MAX_GRANTS; i++) {
        struct grant *g = &grants[i];
        if (g->in_use && (g->domid == domid || path_under(g->prefix, dir))) {
            g->in_use = 0;
        }
    }
}

/* ---- the tree ---- */

static void quota_add(domid_t owner, int delta)
{
    if (owner <= STORE_MAX_DOMID) {
        nodes_owned[owner] = (uint16_t) (nodes_owned[owner] + delta);
    }
}

static int node_alloc(void)
{
    for (int i = 0; i < STORE_MAX_NODES; i++) {
        if (!nodes[i].in_use) {
            return i;
        }
    }
    return NO_NODE;
}

/* The child of parent called name[0..len), or NO_NODE. */
static int child_named(int parent, const char *name, uint32_t len)
{
    for (int c = nodes[parent].first_child; c != NO_NODE; c = nodes[c].next_sibling) {
        if (memcmp(nodes[c].name, name, len) == 0 && nodes[c].name[len] == 0) {
            return c;
        }
    }
    return NO_NODE;
}

/* Walks a checked path as far as it exists: returns the deepest existing node and sets *rest to
   the offset in path of the first missing component (the path's length if it all exists). */
static int walk(const char *path, uint32_t plen, uint32_t *rest)
{
    int n = ROOT;
    uint32_t at = 1;
    while (at < plen) {
        uint32_t end = at;
        while (end < plen && path[end] != '/') {
            end++;
        }
        int c = child_named(n, path + at, end - at);
        if (c == NO_NODE) {
            break;
        }
        n = c;
        at = end + 1;
    }
    *rest = at < plen ? at : plen;
    return n;
}

static int lookup(const char *path, uint32_t plen)
{
    uint32_t rest;
    int n = walk(path, plen, &rest);
    return rest == plen ? n : NO_NODE;
}

static void queue_event(struct store_conn *c, const char *path, const char *token);

/* Fires the watches for a change at path; with `removed`, also those below it (their own path
   is gone). */
static void fire(const char *path, int removed)
{
    for (uint32_t i = 0; i < STORE_MAX_WATCHES; i++) {
        const struct watch *w = &watches[i];
        if (!w->in_use) {
            continue;
        }
        const char *event = 0;
        if (path_under(path, w->path)) {
            event = path;
        } else if (removed && path_under(w->path, path)) {
            event = w->path;
        }
        struct store_conn *c = &conns[w->conn];
        if (event != 0 && store_can_read(c->domid, event)) {
            queue_event(c, event, w->token);
        }
    }
}

int store_write(domid_t caller, const char *path, const char *value, uint32_t len)
{
    int plen = path_check(path);
    if (plen < 0) {
        return plen;
    }
    if (len > XENSTORE_VALUE_MAX) {
        return -XEN_E2BIG;
    }
    if (!store_can_write(caller, path)) {
        return -XEN_EACCES;
    }
    uint32_t rest;
    int n = walk(path, (uint32_t) plen, &rest);
    /* Count the nodes to create; each must itself be writable by the caller (the last one is
       path itself, checked above). */
    uint32_t missing = rest < (uint32_t) plen ? 1 : 0;
    for (uint32_t at = rest; at < (uint32_t) plen; at++) {
        if (path[at] == '/') {
            char prefix[XENSTORE_PATH_MAX];
            memcpy(prefix, path, at);
            prefix[at] = 0;
            if (!store_can_write(caller, prefix)) {
                return -XEN_EACCES;
            }
            missing++;
        }
    }
    if (nodes_used + missing > STORE_MAX_NODES) {
        return -XEN_ENOSPC;
    }
    if (caller != 0 && (caller > STORE_MAX_DOMID || nodes_owned[caller] + missing > STORE_QUOTA_NODES)) {
        return -XEN_ENOSPC;
    }
    uint32_t at = rest;
    while (at < (uint32_t) plen) {
        uint32_t end = at;
        while (end < (uint32_t) plen && path[end] != '/') {
            end++;
        }
        int c = node_alloc();
        struct node *x = &nodes[c];
        memset(x, 0, sizeof *x);
        x->in_use = 1;
        x->parent = (int16_t) n;
        x->first_child = x->last_child = x->next_sibling = NO_NODE;
        x->owner = caller;
        memcpy(x->name, path + at, end - at);
        if (nodes[n].last_child == NO_NODE) {
            nodes[n].first_child = (int16_t) c;
        } else {
            nodes[nodes[n].last_child].next_sibling = (int16_t) c;
        }
        nodes[n].last_child = (int16_t) c;
        nodes_used++;
        quota_add(caller, 1);
        n = c;
        at = end + 1;
    }
    memcpy(nodes[n].value, value, len);
    nodes[n].value_len = (uint16_t) len;
    fire(path, 0);
    return 0;
}

int store_read(domid_t caller, const char *path, char *buf, uint32_t size, uint32_t *len)
{
    int plen = path_check(path);
    if (plen < 0) {
        return plen;
    }
    if (!store_can_read(caller, path)) {
        return -XEN_EACCES;
    }
    int n = lookup(path, (uint32_t) plen);
    if (n == NO_NODE) {
        return -XEN_ENOENT;
    }
    uint32_t vlen = nodes[n].value_len;
    memcpy(buf, nodes[n].value, vlen < size ? vlen : size);
    *len = vlen;
    return 0;
}

/* Frees n and everything below it. */
static void free_subtree(int n)
{
    int c = nodes[n].first_child;
    while (c != NO_NODE) {
        int next = nodes[c].next_sibling;
        free_subtree(c);
        c = next;
    }
    quota_add(nodes[n].owner, -1);
    nodes[n].in_use = 0;
    nodes_used--;
}

int store_rm(domid_t caller, const char *path)
{
    int plen = path_check(path);
    if (plen < 0) {
        return plen;
    }
    if (plen == 1) {
        return -XEN_EINVAL;   /* the root stays */
    }
    if (!store_can_write(caller, path)) {
        return -XEN_EACCES;
    }
    int n = lookup(path, (uint32_t) plen);
    if (n == NO_NODE) {
        return -XEN_ENOENT;
    }
    int parent = nodes[n].parent;
    int prev = NO_NODE;
    for (int c = nodes[parent].first_child; c != n; c = nodes[c].next_sibling) {
        prev = c;
    }
    if (prev == NO_NODE) {
        nodes[parent].first_child = nodes[n].next_sibling;
    } else {
        nodes[prev].next_sibling = nodes[n].next_sibling;
    }
    if (nodes[parent].last_child == n) {
        nodes[parent].last_child = (int16_t) prev;
    }
    free_subtree(n);
    fire(path, 1);
    return 0;
}

int store_directory(domid_t caller, const char *path, char *buf, uint32_t size, uint32_t *len)
{
    int plen = path_check(path);
    if (plen < 0) {
        return plen;
    }
    if (!store_can_read(caller, path)) {
        return -XEN_EACCES;
    }
    int n = lookup(path, (uint32_t) plen);
    if (n == NO_NODE) {
        return -XEN_ENOENT;
    }
    uint32_t at = 0;
    int count = 0;
    for (int c = nodes[n].first_child; c != NO_NODE; c = nodes[c].next_sibling) {
        uint32_t nlen = str_len(nodes[c].name, XENSTORE_NAME_MAX);
        if (at + nlen + 1 > size) {
            return -XEN_E2BIG;
        }
        memcpy(buf + at, nodes[c].name, nlen + 1);
        at += nlen + 1;
        count++;
    }
    *len = at;
    return count;
}

/* ---- connections: the output queue ---- */

static uint32_t room(const struct store_conn *c)
{
    return STORE_OUTQ_BYTES - (c->out_tail - c->out_head);
}

static uint32_t msg_len_at(const struct store_conn *c, uint32_t at)
{
    struct xsd_sockmsg h;
    memcpy(&h, c->out + at, HDR_BYTES);
    return HDR_BYTES + h.len;
}

/* Appends one message if it fits (compacting the queue first if needed); 0 or -XEN_ENOSPC. */
static int queue_msg(struct store_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
                     const char *payload, uint32_t len)
{
    uint32_t total = HDR_BYTES + len;
    if (total > room(c)) {
        return -XEN_ENOSPC;
    }
    if (c->out_tail + total > STORE_OUTQ_BYTES) {
        uint32_t used = c->out_tail - c->out_head;
        for (uint32_t i = 0; i < used; i++) {
            c->out[i] = c->out[c->out_head + i];
        }
        c->out_boundary -= c->out_head;
        c->out_tail = used;
        c->out_head = 0;
    }
    struct xsd_sockmsg h = { .type = type, .req_id = req_id, .tx_id = tx_id, .len = len };
    memcpy(c->out + c->out_tail, &h, HDR_BYTES);
    memcpy(c->out + c->out_tail + HDR_BYTES, payload, len);
    c->out_tail += total;
    return 0;
}

static void queue_event(struct store_conn *c, const char *path, const char *token)
{
    uint32_t plen = str_len(path, XENSTORE_PATH_MAX);
    uint32_t tlen = str_len(token, XENSTORE_TOKEN_MAX);
    char payload[XENSTORE_PATH_MAX + XENSTORE_TOKEN_MAX];
    memcpy(payload, path, plen + 1);
    memcpy(payload + plen + 1, token, tlen + 1);
    uint32_t len = plen + tlen + 2;
    for (uint32_t at = c->out_boundary; at < c->out_tail; at += msg_len_at(c, at)) {
        struct xsd_sockmsg h;
        memcpy(&h, c->out + at, HDR_BYTES);
        if (h.type == XS_WATCH_EVENT && h.len == len && memcmp(c->out + at + HDR_BYTES, payload, len) == 0) {
            c->events_coalesced++;
            return;
        }
    }
    if (queue_msg(c, XS_WATCH_EVENT, 0, 0, payload, len) != 0) {
        c->events_dropped++;
        return;
    }
    c->events++;
}

uint32_t store_conn_pending(const struct store_conn *c)
{
    return c->out_tail - c->out_head;
}

uint32_t store_conn_output(struct store_conn *c, void *dst, uint32_t max)
{
    uint32_t n = c->out_tail - c->out_head;
    if (n > max) {
        n = max;
    }
    memcpy(dst, c->out + c->out_head, n);
    c->out_head += n;
    while (c->out_boundary < c->out_head) {
        c->out_boundary += msg_len_at(c, c->out_boundary);
    }
    if (c->out_head == c->out_tail) {
        c->out_head = c->out_tail = c->out_boundary = 0;
    }
    return n;
}

int store_conn_take(struct store_conn *c, struct xsd_sockmsg *hdr, char *payload, uint32_t size)
{
    if (c->out_head == c->out_tail || c->out_head != c->out_boundary) {
        return -XEN_ENOENT;
    }
    memcpy(hdr, c->out + c->out_head, HDR_BYTES);
    uint32_t n = hdr->len < size ? hdr->len : size;
    memcpy(payload, c->out + c->out_head + HDR_BYTES, n);
    if (size > 0) {
        payload[n < size ? n : size - 1] = 0;
    }
    c->out_head += HDR_BYTES + hdr->len;
    c->out_boundary = c->out_head;
    if (c->out_head == c->out_tail) {
        c->out_head = c->out_tail = c->out_boundary = 0;
    }
    return 0;
}

/* ---- connections: watches ---- */

static int conn_index(const struct store_conn *c)
{
    return (int) (c - conns);
}

static int watch_add(struct store_conn *c, const char *path, const char *token)
{
    int rc = path_check(path);
    if (rc < 0) {
        return rc;
    }
    uint32_t tlen = str_len(token, XENSTORE_TOKEN_MAX);
    if (tlen == XENSTORE_TOKEN_MAX) {
        return -XEN_E2BIG;
    }
    if (!store_can_read(c->domid, path)) {
        return -XEN_EACCES;
    }
    int free_slot = -1;
    for (uint32_t i = 0; i < STORE_MAX_WATCHES; i++) {
        const struct watch *w = &watches[i];
        if (w->in_use && w->conn == conn_index(c) && str_eq(w->path, path) && str_eq(w->token, token)) {
            return -XEN_EEXIST;
        }
        if (!w->in_use && free_slot < 0) {
            free_slot = (int) i;
        }
    }
    if (free_slot < 0 || (c->domid != 0 && watches_owned[c->domid] >= STORE_QUOTA_WATCHES)) {
        return -XEN_ENOSPC;
    }
    struct watch *w = &watches[free_slot];
    w->in_use = 1;
    w->conn = (uint8_t) conn_index(c);
    w->domid = c->domid;
    memcpy(w->path, path, (uint32_t) rc + 1);
    memcpy(w->token, token, tlen + 1);
    watches_owned[c->domid]++;
    return 0;
}

int store_watch(struct store_conn *c, const char *path, const char *token)
{
    int rc = watch_add(c, path, token);
    if (rc == 0) {
        queue_event(c, path, token);
    }
    return rc;
}

int store_unwatch(struct store_conn *c, const char *path, const char *token)
{
    for (uint32_t i = 0; i < STORE_MAX_WATCHES; i++) {
        struct watch *w = &watches[i];
        if (w->in_use && w->conn == conn_index(c) && str_eq(w->path, path) && str_eq(w->token, token)) {
            w->in_use = 0;
            watches_owned[c->domid]--;
            return 0;
        }
    }
    return -XEN_ENOENT;
}

/* ---- connections: open, close, requests ---- */

int store_conn_open(domid_t domid, struct store_conn **conn)
{
    if (domid > STORE_MAX_DOMID) {
        return -XEN_EINVAL;
    }
    int free_slot = -1;
    for (uint32_t i = 0; i < STORE_MAX_CONNS; i++) {
        if (conns[i].in_use && conns[i].domid == domid) {
            return -XEN_EEXIST;
        }
        if (!conns[i].in_use && free_slot < 0) {
            free_slot = (int) i;
        }
    }
    if (free_slot < 0) {
        return -XEN_ENOSPC;
    }
    struct store_conn *c = &conns[free_slot];
    memset(c, 0, sizeof *c);
    c->in_use = 1;
    c->domid = domid;
    *conn = c;
    return 0;
}

void store_conn_close(struct store_conn *c)
{
    for (uint32_t i = 0; i < STORE_MAX_WATCHES; i++) {
        struct watch *w = &watches[i];
        if (w->in_use && w->conn == conn_index(c)) {
            w->in_use = 0;
            watches_owned[c->domid]--;
        }
    }
    c->in_use = 0;
}

struct store_conn *store_conn_of(domid_t domid)
{
    for (uint32_t i = 0; i < STORE_MAX_CONNS; i++) {
        if (conns[i].in_use && conns[i].domid == domid) {
            return &conns[i];
        }
    }
    return 0;
}

static void reply_error(struct store_conn *c, const struct xsd_sockmsg *req, int err)
{
    const char *name = store_error_name(err);
    c->errors++;
    queue_msg(c, XS_ERROR, req->req_id, req->tx_id, name, str_len(name, 16) + 1);
}

static void reply_ok(struct store_conn *c, const struct xsd_sockmsg *req)
{
    queue_msg(c, req->type, req->req_id, req->tx_id, "OK", 3);
}

/* Handles one whole request: header in c->in, payload after it, NUL-terminated at len. */
static void handle(struct store_conn *c)
{
    struct xsd_sockmsg req;
    memcpy(&req, c->in, HDR_BYTES);
    const char *payload = (const char *) c->in + HDR_BYTES;
    uint32_t len = req.len;
    c->requests++;
    if (req.tx_id != 0) {
        reply_error(c, &req, -XEN_EINVAL);
        return;
    }
    /* The first string (a path) must end inside the payload; a watch's token likewise. */
    uint32_t first = str_len(payload, len);
    uint32_t second = first < len ? str_len(payload + first + 1, len - first - 1) : 0;
    int has_first = first < len;
    int has_second = has_first && first + 1 + second < len;
    int rc;
    uint32_t out_len = 0;
    switch (req.type) {
    case XS_READ:
        rc = has_first ? store_read(c->domid, payload, scratch, sizeof scratch, &out_len) : -XEN_EINVAL;
        if (rc == 0) {
            queue_msg(c, req.type, req.req_id, 0, scratch, out_len);
        }
        break;
    case XS_DIRECTORY:
        rc = has_first ? store_directory(c->domid, payload, scratch, sizeof scratch, &out_len) : -XEN_EINVAL;
        if (rc >= 0) {
            queue_msg(c, req.type, req.req_id, 0, scratch, out_len);
            rc = 0;
        }
        break;
    case XS_WRITE:
        rc = has_first ? store_write(c->domid, payload, payload + first + 1, len - first - 1) : -XEN_EINVAL;
        if (rc == 0) {
            reply_ok(c, &req);
        }
        break;
    case XS_RM:
        rc = has_first ? store_rm(c->domid, payload) : -XEN_EINVAL;
        if (rc == 0) {
            reply_ok(c, &req);
        }
        break;
    case XS_WATCH:
        rc = has_second ? watch_add(c, payload, payload + first + 1) : -XEN_EINVAL;
        if (rc == 0) {
            reply_ok(c, &req);
            queue_event(c, payload, payload + first + 1);
        }
        break;
    case XS_UNWATCH:
        rc = has_second ? store_unwatch(c, payload, payload + first + 1) : -XEN_EINVAL;
        if (rc == 0) {
            reply_ok(c, &req);
        }
        break;
    default:
        rc = -XEN_ENOSYS;
        break;
    }
    if (rc != 0) {
        reply_error(c, &req, rc);
    }
}

uint32_t store_conn_input(struct store_conn *c, const void *bytes, uint32_t n)
{
    const uint8_t *src = bytes;
    uint32_t taken = 0;
    while (taken < n && room(c) >= INPUT_RESERVE) {
        uint32_t avail = n - taken;
        if (c->discard > 0) {
            uint32_t k = avail < c->discard ? avail : c->discard;
            c->discard -= k;
            taken += k;
            if (c->discard == 0) {
                c->requests++;
                reply_error(c, &c->discard_hdr, -XEN_E2BIG);
            }
            continue;
        }
        if (c->in_len < HDR_BYTES) {
            uint32_t k = HDR_BYTES - c->in_len;
            k = k < avail ? k : avail;
            memcpy(c->in + c->in_len, src + taken, k);
            c->in_len += k;
            taken += k;
            if (c->in_len < HDR_BYTES) {
                continue;
            }
            struct xsd_sockmsg h;
            memcpy(&h, c->in, HDR_BYTES);
            if (h.len > XENSTORE_PAYLOAD_MAX) {
                c->discard = h.len;
                c->discard_hdr = h;
                c->in_len = 0;
                continue;
            }
        }
        struct xsd_sockmsg h;
        memcpy(&h, c->in, HDR_BYTES);
        uint32_t need = HDR_BYTES + h.len - c->in_len;
        uint32_t k = need < n - taken ? need : n - taken;
        memcpy(c->in + c->in_len, src + taken, k);
        c->in_len += k;
        taken += k;
        if (c->in_len == HDR_BYTES + h.len) {
            c->in[c->in_len] = 0;
            handle(c);
            c->in_len = 0;
        }
    }
    return taken;
}

/* ---- errors, statistics, init ---- */

static const struct {
    int value;
    const char *name;
} error_names[] = {
    { -XEN_EINVAL, XSE_EINVAL }, { -XEN_EACCES, XSE_EACCES }, { -XEN_ENOENT, XSE_ENOENT },
    { -XEN_EEXIST, XSE_EEXIST }, { -XEN_ENOSPC, XSE_ENOSPC }, { -XEN_E2BIG, XSE_E2BIG },
    { -XEN_ENOSYS, XSE_ENOSYS }, { -XEN_EIO, XSE_EIO },
};

#define NR_ERROR_NAMES (sizeof error_names / sizeof error_names[0])

const char *store_error_name(int err)
{
    for (uint32_t i = 0; i < NR_ERROR_NAMES; i++) {
        if (error_names[i].value == err) {
            return error_names[i].name;
        }
    }
    return XSE_EIO;
}

int store_error_value(const char *name, uint32_t len)
{
    for (uint32_t i = 0; i < NR_ERROR_NAMES; i++) {
        const char *e = error_names[i].name;
        uint32_t elen = str_len(e, 16);
        if ((len == elen || (len == elen + 1 && name[elen] == 0)) && memcmp(name, e, elen) == 0) {
            return error_names[i].value;
        }
    }
    return -XEN_EIO;
}

uint32_t store_nodes_used(void)
{
    return nodes_used;
}

uint32_t store_watches_used(void)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < STORE_MAX_WATCHES; i++) {
        n += watches[i].in_use;
    }
    return n;
}

uint32_t store_grants_used(void)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < STORE_MAX_GRANTS; i++) {
        n += grants[i].in_use;
    }
    return n;
}

uint32_t store_nodes_owned(domid_t domid)
{
    return domid <= STORE_MAX_DOMID ? nodes_owned[domid] : 0;
}

void store_init(void)
{
    memset(nodes, 0, sizeof nodes);
    memset(watches, 0, sizeof watches);
    memset(grants, 0, sizeof grants);
    memset(conns, 0, sizeof conns);
    memset(nodes_owned, 0, sizeof nodes_owned);
    memset(watches_owned, 0, sizeof watches_owned);
    nodes[ROOT].in_use = 1;
    nodes[ROOT].parent = NO_NODE;
    nodes[ROOT].first_child = nodes[ROOT].last_child = nodes[ROOT].next_sibling = NO_NODE;
    nodes[ROOT].owner = 0;
    nodes_used = 1;
    quota_add(0, 1);
}
