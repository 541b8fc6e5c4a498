/*
 * store_ring.c — the server's side of a store ring (store_ring.h). The request ring is read
 * from req_cons (ours) to req_prod (the client's); the response ring is written from rsp_prod
 * (ours) up to rsp_cons (the client's) + XENSTORE_RING_SIZE. Indexes are free-running byte
 * counts; the client's index is read with acquire semantics before the bytes it covers, and
 * ours is published with release semantics after the bytes.
 */
#include "store_ring.h"

static uint32_t load_acquire(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Moves requests into the connection; returns whether req_cons moved, or -XEN_EIO. */
static int take_requests(struct store_conn *c, struct xenstore_domain_interface *ring)
{
    uint32_t cons = ring->req_cons;
    uint32_t prod = load_acquire(&ring->req_prod);
    if (prod - cons > XENSTORE_RING_SIZE) {
        return -XEN_EIO;
    }
    uint32_t start = cons;
    while (cons != prod) {
        uint32_t at = MASK_XENSTORE_IDX(cons);
        uint32_t chunk = prod - cons;
        if (chunk > XENSTORE_RING_SIZE - at) {
            chunk = XENSTORE_RING_SIZE - at;
        }
        uint32_t taken = store_conn_input(c, &ring->req[at], chunk);
        cons += taken;
        if (taken < chunk) {
            break;   /* flow control: the connection's output queue is full */
        }
    }
    if (cons != start) {
        store_release(&ring->req_cons, cons);
        return 1;
    }
    return 0;
}

/* Moves queued bytes to the response ring; returns whether rsp_prod moved, or -XEN_EIO. */
static int give_responses(struct store_conn *c, struct xenstore_domain_interface *ring)
{
    uint32_t prod = ring->rsp_prod;
    uint32_t cons = load_acquire(&ring->rsp_cons);
    if (prod - cons > XENSTORE_RING_SIZE) {
        return -XEN_EIO;
    }
    uint32_t start = prod;
    while (store_conn_pending(c) > 0 && prod - cons < XENSTORE_RING_SIZE) {
        uint32_t at = MASK_XENSTORE_IDX(prod);
        uint32_t space = XENSTORE_RING_SIZE - (prod - cons);
        if (space > XENSTORE_RING_SIZE - at) {
            space = XENSTORE_RING_SIZE - at;
        }
        prod += store_conn_output(c, &ring->rsp[at], space);
    }
    if (prod != start) {
        store_release(&ring->rsp_prod, prod);
        return 1;
    }
    return 0;
}

int store_ring_pump(struct store_conn *c, struct xenstore_domain_interface *ring)
{
    int notify = 0;
    for (uint32_t round = 0; round < STORE_RING_PUMP_ROUNDS; round++) {
        int out = give_responses(c, ring);
        int in = take_requests(c, ring);
        if (out < 0 || in < 0) {
            return -XEN_EIO;
        }
        notify |= out | in;
        if (!out && !in) {
            break;
        }
    }
    return notify ? STORE_RING_NOTIFY : 0;
}
