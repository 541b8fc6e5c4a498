/*
 * xs_wire.h — the store's wire protocol (Xen's io/xs_wire.h, cut down): the ring page a domain
 * shares with the store server in Dom0, the message header, the message types ReHype serves and
 * the error names. Not a hypercall: the ring is plain memory, and each side tells the other
 * "look at the ring" with an event on the store's interdomain event channel.
 *
 * The ring page (in the client domain's own RAM; Dom0 maps it with XEN_DOMCTL_map_foreign):
 *
 *   0x000 char req[1024]   requests, client -> server
 *   0x400 char rsp[1024]   responses and watch events, server -> client
 *   0x800 u32 req_cons     written by the server
 *   0x804 u32 req_prod     written by the client
 *   0x808 u32 rsp_cons     written by the client
 *   0x80C u32 rsp_prod     written by the server
 *
 * Each ring is a byte stream: the indexes count bytes forever (free-running, wrapping at 2^32);
 * byte i is at [MASK_XENSTORE_IDX(i)]; a producer may write while prod - cons < 1024. A
 * message is a struct xsd_sockmsg followed by `len` payload bytes, and need not fit in the ring
 * at once: both sides stream it. The producer writes the bytes, then (release) the new prod,
 * then sends an event; the consumer reads prod (acquire), the bytes, then writes cons and sends
 * an event if the producer may have been waiting for space.
 *
 * Messages (payload strings are NUL-terminated unless said; paths are absolute):
 *
 *   type           request payload          response payload
 *   XS_DIRECTORY   path\0                   child\0 child\0 ... (names, sorted by creation)
 *   XS_READ        path\0                   value (no NUL)
 *   XS_WATCH       path\0token\0            OK\0 — then at once one XS_WATCH_EVENT for path
 *   XS_UNWATCH     path\0token\0            OK\0
 *   XS_WRITE       path\0value (no NUL)     OK\0 — missing parents are created (empty)
 *   XS_RM          path\0                   OK\0 — the node and everything below it
 *   XS_WATCH_EVENT (server only, req_id 0)  path\0token\0 — path changed (or a node below it)
 *   XS_ERROR       (server only)            errno name\0, e.g. ENOENT
 *
 * A response carries the request's type (or XS_ERROR) and echoes req_id and tx_id. Watch
 * events a request causes (for the same client) may come before its response. Transactions are
 * not supported: tx_id must be 0 (EINVAL otherwise); other types get ENOSYS.
 */
#ifndef REHYPE_PUBLIC_XS_WIRE_H
#define REHYPE_PUBLIC_XS_WIRE_H

#include "xen.h"

/* enum xsd_sockmsg_type: Xen's numbers; the ones ReHype's server answers. */
#define XS_DIRECTORY     1
#define XS_READ          2
#define XS_WATCH         4
#define XS_UNWATCH       5
#define XS_WRITE        11
#define XS_RM           13
#define XS_WATCH_EVENT  15
#define XS_ERROR        16

/* Ring geometry. */
#define XENSTORE_RING_SIZE      1024
#define MASK_XENSTORE_IDX(idx)  ((idx) & (XENSTORE_RING_SIZE - 1))

/* ReHype's limits (Xen's are larger: a 4096-byte payload, 3072-byte paths). Anything longer is
   refused with E2BIG; a header announcing a longer payload breaks the connection (EIO). */
#define XENSTORE_PAYLOAD_MAX    1024   /* bytes after the header */
#define XENSTORE_PATH_MAX        128   /* an absolute path, its NUL included */
#define XENSTORE_NAME_MAX         32   /* one path component, its NUL included */
#define XENSTORE_VALUE_MAX       128   /* a node's value (no NUL on the wire) */
#define XENSTORE_TOKEN_MAX        32   /* a watch token, its NUL included */

/* The error names an XS_ERROR payload carries. */
#define XSE_EINVAL     "EINVAL"     /* malformed request, bad path, tx_id != 0 */
#define XSE_EACCES     "EACCES"     /* no permission on that path */
#define XSE_ENOENT     "ENOENT"     /* no such node (or watch) */
#define XSE_EEXIST     "EEXIST"     /* that watch is already set */
#define XSE_ENOSPC     "ENOSPC"     /* a pool or the domain's quota is full */
#define XSE_E2BIG      "E2BIG"      /* path, value, token or reply too long */
#define XSE_ENOSYS     "ENOSYS"     /* a message type the server does not serve */
#define XSE_EIO        "EIO"        /* the connection is broken */

#ifndef __ASSEMBLER__

struct xsd_sockmsg {
    uint32_t type;     /* XS_* */
    uint32_t req_id;   /* chosen by the client, echoed; 0 in watch events */
    uint32_t tx_id;    /* 0 (no transactions) */
    uint32_t len;      /* payload bytes that follow */
};

typedef uint32_t XENSTORE_RING_IDX;

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];
    char rsp[XENSTORE_RING_SIZE];
    XENSTORE_RING_IDX req_cons;
    XENSTORE_RING_IDX req_prod;
    XENSTORE_RING_IDX rsp_cons;
    XENSTORE_RING_IDX rsp_prod;
};

_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg is 16 bytes");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, rsp) == 0x400, "rsp @0x400");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, req_cons) == 0x800, "req_cons @0x800");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, req_prod) == 0x804, "req_prod @0x804");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, rsp_cons) == 0x808, "rsp_cons @0x808");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, rsp_prod) == 0x80C, "rsp_prod @0x80C");
_Static_assert(sizeof(struct xenstore_domain_interface) == 0x810, "the ring uses 0x810 bytes of its page");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_XS_WIRE_H */
