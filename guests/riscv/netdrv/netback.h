/*
 * netback.h — the driver domain's network back end (Xen's netback, cut down): one virtual
 * interface per AppVM front end the toolstack lists under /local/domain/<us>/backend/vif/, each
 * with a TX and an RX ring of public/io/netif.h in pages the front end grants and we map, and an
 * interdomain event channel. Frames move between the front ends' granted buffers and the NIC's
 * buffers with GNTTABOP_copy only (no page of a front end is ever given to the device). Frames
 * received from the wire are demultiplexed by the RHNET destination id (netframe.h): the AppVM
 * whose domid it is gets it. README.md beside this file describes the whole protocol.
 */
#ifndef REHYPE_NETDRV_NETBACK_H
#define REHYPE_NETDRV_NETBACK_H

#include <stdint.h>

#define NETBACK_MAX_VIFS  8

struct netback_stats {
    uint32_t tx_frames;       /* frames from front ends queued on the NIC */
    uint32_t tx_refused;      /* TX requests answered with an error (bad request, frame or copy) */
    uint32_t rx_frames;       /* frames copied to a front end */
    uint32_t rx_no_vif;       /* frames for no connected front end (dropped) */
    uint32_t rx_no_buffer;    /* frames for a front end with no RX buffer posted (dropped) */
    uint32_t rx_malformed;    /* frames that are not RHNET frames (dropped) */
    uint32_t rx_copy_errors;  /* copies into a front end's buffer that failed */
    uint32_t connects;        /* front ends connected */
    uint32_t disconnects;     /* front ends disconnected (closed, gone or broken) */
    uint32_t closed;          /* front ends that said goodbye (Closing / Closed) */
};

/* Reads our domid, watches our backend/vif directory and makes the first scan. 0 or an error
   (no store). */
int netback_init(void);

/* Looks at the store again if a watch fired (never blocks when none did). Returns 1 if it
   scanned. */
int netback_poll_store(void);

/* Moves frames: NIC -> front ends, then front ends -> NIC. Returns the frames moved. */
uint32_t netback_run(void);

/* Whether something is left to do (a TX request unanswered, a received frame not yet moved);
   re-arms the rings' events first, as a caller about to sleep must. */
int netback_pending(void);

/* Whether the toolstack asked this domain to shut down (control/shutdown written). */
int netback_shutdown_requested(void);

/* Disconnects every front end and writes Closed in each vif's state. */
void netback_shutdown(void);

void netback_get_stats(struct netback_stats *stats);

#endif /* REHYPE_NETDRV_NETBACK_H */
