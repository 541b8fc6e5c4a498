/*
 * io/ring.h — shared request/response rings between a front end and a back end, as Xen's
 * public/io/ring.h defines them (a faithful cut-down transcription: the same layout, names and
 * notification rules, written afresh). Not a hypercall: a ring is one page the front end grants
 * to the back end, which maps it; each side tells the other "look at the ring" with an event on
 * their interdomain event channel, but only when the other side asked for one.
 *
 * A shared ring page:
 *
 *   0x00 u32 req_prod    requests produced (front end writes)      free-running indexes:
 *   0x04 u32 req_event   back end wants an event when req_prod      slot = idx & (size - 1)
 *                        passes this
 *   0x08 u32 rsp_prod    responses produced (back end writes)
 *   0x0C u32 rsp_event   front end wants an event when rsp_prod passes this
 *   0x10 u8  pad[48]
 *   0x40 union { request; response; } ring[size]   size = the largest power of two that fits
 *
 * Each side keeps a private view (its producer and consumer indexes) and publishes its producer
 * index with RING_PUSH_*: write the entries, fence, write the index, fence, then compare with the
 * other side's *_event to decide whether an event is needed (the "AND_CHECK_NOTIFY" forms). A
 * consumer that is about to sleep re-arms *_event = cons + 1 and looks again
 * (RING_FINAL_CHECK_FOR_*), so an entry published in between is never slept through.
 *
 * Usable in the guests (RISC-V: `fence rw,rw`) and in native builds of the pure logic.
 */
#ifndef REHYPE_PUBLIC_IO_RING_H
#define REHYPE_PUBLIC_IO_RING_H

#include <stdint.h>

typedef uint32_t RING_IDX;

/* Full barriers: every shared index and entry access is ordered by these. */
#define xen_mb()   __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_wmb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* The largest power of two not above x (x < 2^16 here). */
#define __RD2(x)   (((x) & 0x00000002u) ? 0x2u : ((x) & 0x1u))
#define __RD4(x)   (((x) & 0x0000000cu) ? __RD2((x) >> 2) << 2 : __RD2(x))
#define __RD8(x)   (((x) & 0x000000f0u) ? __RD4((x) >> 4) << 4 : __RD4(x))
#define __RD16(x)  (((x) & 0x0000ff00u) ? __RD8((x) >> 8) << 8 : __RD8(x))
#define __RD32(x)  (((x) & 0xffff0000u) ? __RD16((x) >> 16) << 16 : __RD16(x))

#define RING_PAGE_SIZE        4096u
#define RING_HEADER_BYTES     64u

/* Entries of a ring whose union of request and response is `entry_bytes` bytes. */
#define __CONST_RING_SIZE(entry_bytes) __RD32((RING_PAGE_SIZE - RING_HEADER_BYTES) / (entry_bytes))

/*
 * DEFINE_RING_TYPES(name, req_t, rsp_t) defines
 *   union name##_sring_entry, struct name##_sring (the shared page),
 *   struct name##_front_ring and struct name##_back_ring (each side's private view).
 */
#define DEFINE_RING_TYPES(__name, __req_t, __rsp_t)                                  \
union __name##_sring_entry {                                                         \
    __req_t req;                                                                     \
    __rsp_t rsp;                                                                     \
};                                                                                   \
struct __name##_sring {                                                              \
    RING_IDX req_prod, req_event;                                                    \
    RING_IDX rsp_prod, rsp_event;                                                    \
    uint8_t pad[48];                                                                 \
    union __name##_sring_entry ring[]; /* __RING_SIZE_OF(__name) of them */          \
};                                                                                   \
struct __name##_front_ring {                                                         \
    RING_IDX req_prod_pvt;                                                           \
    RING_IDX rsp_cons;                                                               \
    uint32_t nr_ents;                                                                \
    struct __name##_sring *sring;                                                    \
};                                                                                   \
struct __name##_back_ring {                                                          \
    RING_IDX rsp_prod_pvt;                                                           \
    RING_IDX req_cons;                                                               \
    uint32_t nr_ents;                                                                \
    struct __name##_sring *sring;                                                    \
};                                                                                   \
typedef struct __name##_sring __name##_sring_t;                                      \
typedef struct __name##_front_ring __name##_front_ring_t;                            \
typedef struct __name##_back_ring __name##_back_ring_t

/* Entries of the ring type __name##_sring in one page. */
#define __RING_SIZE_OF(__name) __CONST_RING_SIZE(sizeof(union __name##_sring_entry))

/* The front end initialises the shared page; both sides then attach their private view. */
#define SHARED_RING_INIT(_s) do {                                                    \
    (_s)->req_prod = (_s)->rsp_prod = 0;                                             \
    (_s)->req_event = (_s)->rsp_event = 1;                                           \
    for (uint32_t __i = 0; __i < sizeof((_s)->pad); __i++) (_s)->pad[__i] = 0;       \
} while (0)

#define FRONT_RING_INIT(_r, _s, _entries) do {                                       \
    (_r)->req_prod_pvt = 0;                                                          \
    (_r)->rsp_cons = 0;                                                              \
    (_r)->nr_ents = (_entries);                                                      \
    (_r)->sring = (_s);                                                              \
} while (0)

/* The back end attaches to a ring that may already hold requests (a reconnection). */
#define BACK_RING_ATTACH(_r, _s, _entries) do {                                      \
    (_r)->rsp_prod_pvt = (_s)->rsp_prod;                                             \
    (_r)->req_cons = (_s)->rsp_prod;                                                 \
    (_r)->nr_ents = (_entries);                                                      \
    (_r)->sring = (_s);                                                              \
} while (0)

#define RING_SIZE(_r)           ((_r)->nr_ents)
#define RING_FREE_REQUESTS(_r)  (RING_SIZE(_r) - ((_r)->req_prod_pvt - (_r)->rsp_cons))
#define RING_FULL(_r)           (RING_FREE_REQUESTS(_r) == 0)

/* Responses the front end has not consumed yet. */
#define RING_HAS_UNCONSUMED_RESPONSES(_r) ((_r)->sring->rsp_prod - (_r)->rsp_cons)

/* Requests the back end has not consumed yet, bounded by the room for their responses. */
#define RING_HAS_UNCONSUMED_REQUESTS(_r) ({                                          \
    uint32_t __req = (_r)->sring->req_prod - (_r)->req_cons;                         \
    uint32_t __rsp = RING_SIZE(_r) - ((_r)->req_cons - (_r)->rsp_prod_pvt);          \
    __req < __rsp ? __req : __rsp;                                                   \
})

#define RING_GET_REQUEST(_r, _idx)  (&((_r)->sring->ring[(_idx) & (RING_SIZE(_r) - 1)].req))
#define RING_GET_RESPONSE(_r, _idx) (&((_r)->sring->ring[(_idx) & (RING_SIZE(_r) - 1)].rsp))

/* A request index the back end may trust: not more than a ring ahead of its responses. */
#define RING_REQUEST_CONS_OVERFLOW(_r, _cons) (((_cons) - (_r)->rsp_prod_pvt) >= RING_SIZE(_r))

/* Publishes the private producer index; _notify = the other side asked for an event. */
#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(_r, _notify) do {                        \
    RING_IDX __old = (_r)->sring->req_prod;                                          \
    RING_IDX __new = (_r)->req_prod_pvt;                                             \
    xen_wmb();                                                                       \
    (_r)->sring->req_prod = __new;                                                   \
    xen_mb();                                                                        \
    (_notify) = ((RING_IDX) (__new - (_r)->sring->req_event) <                       \
                 (RING_IDX) (__new - __old));                                        \
} while (0)

#define RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(_r, _notify) do {                       \
    RING_IDX __old = (_r)->sring->rsp_prod;                                          \
    RING_IDX __new = (_r)->rsp_prod_pvt;                                             \
    xen_wmb();                                                                       \
    (_r)->sring->rsp_prod = __new;                                                   \
    xen_mb();                                                                        \
    (_notify) = ((RING_IDX) (__new - (_r)->sring->rsp_event) <                       \
                 (RING_IDX) (__new - __old));                                        \
} while (0)

/* Before sleeping: ask for an event at the next entry, then look once more. */
#define RING_FINAL_CHECK_FOR_REQUESTS(_r, _work_to_do) do {                          \
    (_work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(_r);                                \
    if (_work_to_do) break;                                                          \
    (_r)->sring->req_event = (_r)->req_cons + 1;                                     \
    xen_mb();                                                                        \
    (_work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(_r);                                \
} while (0)

#define RING_FINAL_CHECK_FOR_RESPONSES(_r, _work_to_do) do {                         \
    (_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);                               \
    if (_work_to_do) break;                                                          \
    (_r)->sring->rsp_event = (_r)->rsp_cons + 1;                                     \
    xen_mb();                                                                        \
    (_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);                               \
} while (0)

#endif /* REHYPE_PUBLIC_IO_RING_H */
