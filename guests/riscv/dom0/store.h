/*
 * store.h — the store (Xen's xenstored, cut down) that Dom0 serves to every domain: a tree of
 * nodes, each with a name, a value and children; watches that fire when a node at or below a
 * watched path changes; permissions by path; and the XS_* protocol of public/xs_wire.h spoken
 * over one connection per domain. Pure logic: no hypercall and no ring here (store_ring.c moves
 * bytes between a connection and its shared ring page; the toolstack owns the event channels),
 * so the same file builds for Dom0 and for the host's native test (riscv/dom0/native/).
 *
 * Memory is bounded: fixed pools of nodes, watches, permission grants and connections, and
 * per-domain quotas of nodes and watches, so that one domain cannot starve the others. A full
 * pool or quota is the error ENOSPC; a path, value or token over the limits of xs_wire.h is
 * E2BIG; nothing is ever half done (a write that would need more nodes than are free creates
 * none).
 *
 * Permissions (checked on the path, before existence, so that a domain cannot probe what it
 * may not read):
 *   - Dom0 (domid 0) reads and writes everything.
 *   - A domain reads /local/domain/<its id> and everything below it, and writes (creates,
 *     changes, removes) only strictly below it.
 *   - The toolstack grants more with store_grant(domid, prefix, mode): read or read-write
 *     access to prefix and everything below it (a front end reads its back end's directory and
 *     the back end its front end's).
 *   - A watch needs read permission on its path; an event is delivered only for a path its
 *     domain may read.
 *
 * Every function returns 0 (or a count) on success and a negative -XEN_E* value on failure.
 */
#ifndef REHYPE_DOM0_STORE_H
#define REHYPE_DOM0_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "public/xen.h"
#include "public/xs_wire.h"

/* Pools and quotas. */
#define STORE_MAX_NODES        384    /* the root included */
#define STORE_MAX_WATCHES       64
#define STORE_MAX_GRANTS        64
#define STORE_MAX_CONNS          9    /* Dom0's own and eight domains' */
#define STORE_MAX_DOMID         63    /* connections and quotas exist for domids 0..63 */
#define STORE_QUOTA_NODES      128    /* nodes an unprivileged domain may own */
#define STORE_QUOTA_WATCHES     16    /* watches an unprivileged domain may hold */

/* A connection's queue of bytes for the client (responses and watch events), and the room a
   request needs in it before it is taken (a whole response). */
#define STORE_OUTQ_BYTES      4096
#define STORE_RESPONSE_MAX    (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)

/* store_grant modes. */
#define STORE_PERM_READ        1u
#define STORE_PERM_WRITE       2u     /* implies read */

/* One client's connection: the domain it speaks for, the request being received, and the bytes
   queued for it. */
struct store_conn {
    uint8_t in_use;
    domid_t domid;
    /* input: the message being assembled, then handled when whole */
    uint32_t in_len;                            /* bytes of it received so far */
    uint32_t discard;                           /* payload bytes still to drop (message too long) */
    struct xsd_sockmsg discard_hdr;             /* the header of that message, for its E2BIG */
    uint8_t in[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX + 1];
    /* output: whole messages, oldest first, in out[out_head .. out_tail); out_head may be inside
       a message already partly passed on, out_boundary is the first message start at or after it */
    uint32_t out_head;
    uint32_t out_tail;
    uint32_t out_boundary;
    uint8_t out[STORE_OUTQ_BYTES];
    /* statistics (depend on timing: never digest them) */
    uint32_t requests;
    uint32_t errors;
    uint32_t events;
    uint32_t events_coalesced;
    uint32_t events_dropped;
};

/* Empties the store: only the root "/" (owned by Dom0), no watch, grant or connection. */
void store_init(void);

/* ---- the tree, as a caller of domid `caller` sees it ---- */

/* Sets path's value (len bytes, no NUL needed), creating missing parents with empty values;
   fires the watches of path. */
int store_write(domid_t caller, const char *path, const char *value, uint32_t len);

/* Copies the value to buf (at most size bytes, no NUL added); *len = its full length. */
int store_read(domid_t caller, const char *path, char *buf, uint32_t size, uint32_t *len);

/* Removes path and everything below it; fires the watches at, above and below it. */
int store_rm(domid_t caller, const char *path);

/* The children's names, each followed by a NUL, in creation order, into buf; *len = bytes,
   returns the number of children. -XEN_E2BIG if they do not fit in size. */
int store_directory(domid_t caller, const char *path, char *buf, uint32_t size, uint32_t *len);

/* Whether caller may read / write path (a valid absolute path). */
int store_can_read(domid_t caller, const char *path);
int store_can_write(domid_t caller, const char *path);

/* Grants domid `mode` (STORE_PERM_*) on prefix and everything below it. Granting the same
   prefix again widens the mode. */
int store_grant(domid_t domid, const char *prefix, uint32_t mode);

/* Drops every grant to domid, and every grant on a path below /local/domain/<domid>. */
void store_forget_domain(domid_t domid);

/* ---- connections ---- */

/* Opens the connection of domid (-XEN_EEXIST if it has one, -XEN_ENOSPC if the pool is full,
   -XEN_EINVAL past STORE_MAX_DOMID); *conn = it. */
int store_conn_open(domid_t domid, struct store_conn **conn);

/* Closes it: its watches go, its queued bytes are lost. */
void store_conn_close(struct store_conn *c);

/* The open connection of domid, or NULL. */
struct store_conn *store_conn_of(domid_t domid);

/* Takes request bytes from the client's stream and handles each complete message, queueing its
   response. Stops early (flow control) when the output queue lacks room for a whole response;
   returns the bytes taken (the rest stays with the caller for later). */
uint32_t store_conn_input(struct store_conn *c, const void *bytes, uint32_t n);

/* Bytes queued for the client. */
uint32_t store_conn_pending(const struct store_conn *c);

/* Moves up to max queued bytes to dst (the client's stream); returns how many. */
uint32_t store_conn_output(struct store_conn *c, void *dst, uint32_t max);

/* Sets a watch for c (Dom0's local connection or a domain's): the same checks as XS_WATCH, and
   the initial event is queued. */
int store_watch(struct store_conn *c, const char *path, const char *token);
int store_unwatch(struct store_conn *c, const char *path, const char *token);

/* Takes the oldest whole queued message of c (for Dom0's local connection, where no ring
   carries it): header to *hdr, payload (at most size bytes, then a NUL) to payload.
   -XEN_ENOENT if nothing is queued. */
int store_conn_take(struct store_conn *c, struct xsd_sockmsg *hdr, char *payload, uint32_t size);

/* ---- errors and statistics ---- */

/* The XS_ERROR name of -XEN_E* (EIO for anything unknown), and back (-XEN_EIO if unknown). */
const char *store_error_name(int err);
int store_error_value(const char *name, uint32_t len);

/* Nodes in use (the root included), watches, grants. */
uint32_t store_nodes_used(void);
uint32_t store_watches_used(void);
uint32_t store_grants_used(void);
/* Nodes owned by domid. */
uint32_t store_nodes_owned(domid_t domid);

#endif /* REHYPE_DOM0_STORE_H */
