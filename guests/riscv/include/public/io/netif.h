/*
 * io/netif.h — the paravirtual network interface between a front end (netfront, in an AppVM's
 * kernel) and a back end (netback, in the driver domain), as Xen's public/io/netif.h defines it,
 * cut down to one frame per request (no fragments, no offloads, no extra info). Two rings of
 * io/ring.h, each in one page the front end grants to the back end, and one interdomain event
 * channel for both:
 *
 *   TX ring (front -> back): a request names a frame the front end wrote in a page it granted
 *     read-only to the back end (gref, offset, size); the back end copies it out with
 *     GNTTABOP_copy and answers with the request's id and a status.
 *   RX ring (back -> front): a request lends the back end a whole page the front end granted
 *     writable (gref); the back end copies a received frame into it and answers with the
 *     request's id, the offset (0) and the frame's length in status.
 *
 * The store entries that connect the two (Xen's names):
 *   /local/domain/<fe>/device/vif/0/{backend, backend-id, state, tx-ring-ref, rx-ring-ref,
 *                                     event-channel}
 *   /local/domain/<be>/backend/vif/<fe>/0/{frontend, frontend-id, state}
 * and the states of io/xenbus.h. guests/riscv/netdrv/README.md describes the whole protocol.
 */
#ifndef REHYPE_PUBLIC_IO_NETIF_H
#define REHYPE_PUBLIC_IO_NETIF_H

#include "ring.h"
#include "../grant_table.h"

/* netif_tx_request.flags: none are supported (one frame per request, no checksum offload). */
#define NETTXF_none           0

/* Response status values; an RX response's status is the frame length when >= 0. */
#define NETIF_RSP_DROPPED    (-2)    /* the back end dropped it (no room on the way) */
#define NETIF_RSP_ERROR      (-1)    /* malformed request or frame, or the copy failed */
#define NETIF_RSP_OKAY         0
#define NETIF_RSP_NULL         1     /* a slot with no response (never sent here) */

/* A frame the front end transmits: in the page `gref` grants, at offset, size bytes. */
struct netif_tx_request {
    grant_ref_t gref;
    uint16_t offset;
    uint16_t flags;          /* NETTXF_* */
    uint16_t id;             /* echoed in the response */
    uint16_t size;           /* the frame's length */
};

struct netif_tx_response {
    uint16_t id;
    int16_t status;          /* NETIF_RSP_* */
};

/* A receive buffer: the whole page `gref` grants (writable). */
struct netif_rx_request {
    uint16_t id;             /* echoed in the response */
    uint16_t pad;
    grant_ref_t gref;
};

struct netif_rx_response {
    uint16_t id;
    uint16_t offset;         /* where the frame starts in the page */
    uint16_t flags;          /* 0 */
    int16_t status;          /* the frame's length (> 0), or NETIF_RSP_* < 0 */
};

DEFINE_RING_TYPES(netif_tx, struct netif_tx_request, struct netif_tx_response);
DEFINE_RING_TYPES(netif_rx, struct netif_rx_request, struct netif_rx_response);

#define NET_TX_RING_SIZE  __RING_SIZE_OF(netif_tx)
#define NET_RX_RING_SIZE  __RING_SIZE_OF(netif_rx)

_Static_assert(sizeof(struct netif_tx_request) == 12, "netif_tx_request is 12 bytes");
_Static_assert(sizeof(struct netif_tx_response) == 4, "netif_tx_response is 4 bytes");
_Static_assert(sizeof(struct netif_rx_request) == 8, "netif_rx_request is 8 bytes");
_Static_assert(sizeof(struct netif_rx_response) == 8, "netif_rx_response is 8 bytes");
_Static_assert(__builtin_offsetof(struct netif_tx_sring, ring) == 64, "ring entries start at 64");
_Static_assert(NET_TX_RING_SIZE == 256, "256 TX entries in a page");
_Static_assert(NET_RX_RING_SIZE == 256, "256 RX entries in a page");
_Static_assert(64 + 256 * 12 <= 4096 && 64 + 256 * 8 <= 4096, "each ring fits its page");

#endif /* REHYPE_PUBLIC_IO_NETIF_H */
