/*
 * netfront.h — the network front end of an AppVM (Xen's netfront, cut down): one virtual
 * interface, vif 0, connected to the back end in the driver domain that the toolstack named in
 * the store. Frames go out through the TX ring and come in through the RX ring of
 * public/io/netif.h, in pages this domain grants to the back end; one interdomain event channel
 * signals both rings. riscv/netdrv/README.md describes the protocol end to end.
 *
 * Kernel context only (the workload's main). Nothing here spins: netfront_wait blocks the vCPU
 * with SCHEDOP_poll on the (masked) event channel until the back end answers or a deadline
 * passes. A back end that stops answering leaves the caller blocked until its deadline; on a
 * deadline netfront_wait looks at the back end's state in the store, and if the back end has
 * gone (Closing, Closed, another back end named for failover) it disconnects — ending every
 * grant it can, replacing the pages it cannot — and connects again, blocking until the new back
 * end is Connected. Frames in flight then are lost, never half delivered: the workloads resend.
 *
 * Memory: 2 ring pages, NETFRONT_RX_BUFS RX pages, NETFRONT_TX_BUFS / 2 TX pages and the grant
 * table's page, all populated above the initial RAM (max_pages must leave room: see
 * NETFRONT_PAGES).
 */
#ifndef REHYPE_KERNEL_NETFRONT_H
#define REHYPE_KERNEL_NETFRONT_H

#include <stdint.h>

#define NETFRONT_RX_BUFS     8     /* RX pages posted to the back end */
#define NETFRONT_TX_BUFS     8     /* TX slots (2 KiB each, two per page) */
#define NETFRONT_FRAME_MAX   2048  /* the largest frame */
/* Pages netfront populates above the initial RAM (the grant table's page included), plus one
   replacement set of ring and RX pages for each reconnection whose old pages could not be
   revoked. */
#define NETFRONT_PAGES       (1 + 2 + NETFRONT_RX_BUFS + NETFRONT_TX_BUFS / 2)

/* netfront_wait results */
#define NETFRONT_READY       1     /* a frame to receive or a TX slot freed */
#define NETFRONT_TIMEOUT     0     /* the deadline passed (the back end was checked) */

struct netfront_stats {
    uint32_t tx_frames;       /* frames handed to the back end */
    uint32_t tx_errors;       /* TX responses with an error status */
    uint32_t rx_frames;       /* frames received */
    uint32_t rx_errors;       /* RX responses with an error status, or too long for the caller */
    uint32_t connects;        /* successful connections (1 + reconnections) */
    uint32_t leaked_pages;    /* pages abandoned because their grant could not be ended */
    uint32_t timeouts;        /* deadlines that passed in netfront_wait */
};

/* Connects vif 0: finds the back end in the store, grants rings and buffers, writes the refs
   and the event channel, waits for the back end to be Connected. Blocks; 0 or an error (no
   store, no vif entries, memory). */
int netfront_init(void);

/* Queues one frame (1..NETFRONT_FRAME_MAX bytes) for the back end. 0, -XEN_EAGAIN when every TX
   slot is in flight (netfront_wait, then again), -XEN_EINVAL for a bad length, -XEN_ENOENT when
   not connected. */
int netfront_send(const void *frame, uint32_t len);

/* Takes the next received frame into buf (size bytes): its length, 0 when none is waiting.
   A frame longer than size is dropped (counted in rx_errors). Never blocks. */
int netfront_recv(void *buf, uint32_t size);

/* Blocks until a frame is waiting or a TX slot is free again (NETFRONT_READY), or until
   virtual time reaches deadline (NETFRONT_TIMEOUT, after checking — and if need be replacing —
   the back end). deadline 0 waits without a limit. */
int netfront_wait(uint64_t deadline);

/* TX slots in flight (sent, not yet answered by the back end). */
uint32_t netfront_tx_in_flight(void);

/* Says goodbye: state Closing, every grant ended, the event channel closed, state Closed. */
void netfront_close(void);

/* This domain's id as the store and the frames know it. */
uint32_t netfront_domid(void);

void netfront_get_stats(struct netfront_stats *stats);

#endif /* REHYPE_KERNEL_NETFRONT_H */
