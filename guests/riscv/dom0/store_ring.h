/*
 * store_ring.h — the server's side of a store ring page (public/xs_wire.h): moves request bytes
 * from the page into a store connection and queued response bytes back. Pure memory work with
 * the ordering the protocol needs (read prod, acquire; write cons/prod, release); the caller
 * sends the event when asked to. Keeps no state of its own: the indexes live in the page, so a
 * restarted server can pick a ring up where it was.
 */
#ifndef REHYPE_DOM0_STORE_RING_H
#define REHYPE_DOM0_STORE_RING_H

#include "store.h"

/* store_ring_pump result bits. */
#define STORE_RING_NOTIFY   1   /* the client should get an event (bytes for it, or room freed) */

/* Rounds of one pump at most, so that a client that keeps its ring full cannot keep the server
   from the others: the caller pumps again on its next pass. */
#define STORE_RING_PUMP_ROUNDS 8

/* Takes the requests the connection can take from the ring and handles them, and passes queued
   responses and events to the ring, until neither moves (or STORE_RING_PUMP_ROUNDS). Returns
   STORE_RING_* bits, or -XEN_EIO if the client's indexes are impossible (more than a ring's
   worth apart): the ring is broken. */
int store_ring_pump(struct store_conn *c, struct xenstore_domain_interface *ring);

#endif /* REHYPE_DOM0_STORE_RING_H */
