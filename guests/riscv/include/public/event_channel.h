/*
 * event_channel.h — __HYPERVISOR_event_channel_op (32): a0 = command, a1 = ptr to the
 * command's structure. Ports 1..1023 per domain; port 0 is never valid. Ports are allocated
 * lowest-free first. Pending and mask bits live in shared_info (shared_info.h), two-level as in
 * Xen's event_2l. Command numbers and structures are Xen's.
 */
#ifndef REHYPE_PUBLIC_EVENT_CHANNEL_H
#define REHYPE_PUBLIC_EVENT_CHANNEL_H

#include "xen.h"

#define EVTCHNOP_bind_interdomain  0
#define EVTCHNOP_bind_virq         1
#define EVTCHNOP_bind_pirq         2
#define EVTCHNOP_close             3
#define EVTCHNOP_send              4
#define EVTCHNOP_status            5
#define EVTCHNOP_alloc_unbound     6
#define EVTCHNOP_bind_vcpu         8
#define EVTCHNOP_unmask            9

/* Number of ports of a domain (port 0 included, never valid). */
#define EVTCHN_NR_PORTS            1024

/* evtchn_status.status */
#define EVTCHNSTAT_closed          0
#define EVTCHNSTAT_unbound         1
#define EVTCHNSTAT_interdomain     2
#define EVTCHNSTAT_virq            4

/* Physical IRQs (EVTCHNOP_bind_pirq). */
#define PIRQ_NIC0                  0

#ifndef __ASSEMBLER__

typedef uint32_t evtchn_port_t;

/* EVTCHNOP_alloc_unbound: a new port that remote_dom may bind to. IN: dom (DOMID_SELF or our own
   id), remote_dom. OUT: port, the lowest free one. */
struct evtchn_alloc_unbound {
    domid_t dom;
    domid_t remote_dom;
    evtchn_port_t port;
};

/* EVTCHNOP_bind_interdomain: connect to remote_port of remote_dom, which must be unbound and
   allocated for us. IN: remote_dom, remote_port. OUT: local_port. */
struct evtchn_bind_interdomain {
    domid_t remote_dom;
    uint16_t pad;
    evtchn_port_t remote_port;
    evtchn_port_t local_port;
};

/* EVTCHNOP_bind_virq: IN: virq (VIRQ_*), vcpu. OUT: port. -EEXIST if that virq is bound. */
struct evtchn_bind_virq {
    uint32_t virq;
    uint32_t vcpu;
    evtchn_port_t port;
};

/* EVTCHNOP_bind_pirq: IN: pirq (PIRQ_NIC0 = NIC 0's interrupt), flags (0). OUT: port. Only the
   domain the device is assigned to (XEN_DOMCTL_assign_device); each interrupt of the device is
   acknowledged by the hypervisor and delivered as an event on that port. */
struct evtchn_bind_pirq {
    uint32_t pirq;
    uint32_t flags;
    evtchn_port_t port;
};

/* EVTCHNOP_close: IN: port. An interdomain peer's end goes back to unbound. */
struct evtchn_close {
    evtchn_port_t port;
};

/* EVTCHNOP_send: IN: port. Interdomain: sets the peer's port pending; virq or unbound: -EINVAL. */
struct evtchn_send {
    evtchn_port_t port;
};

/* EVTCHNOP_status: IN: dom, port. OUT: status (EVTCHNSTAT_*), vcpu, remote_dom, remote_port. */
struct evtchn_status {
    domid_t dom;
    uint16_t pad;
    evtchn_port_t port;
    uint32_t status;
    uint32_t vcpu;
    domid_t remote_dom;
    uint16_t pad2;
    evtchn_port_t remote_port;
};

/* EVTCHNOP_bind_vcpu: IN: port, vcpu that receives its upcalls. */
struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};

/* EVTCHNOP_unmask: IN: port. Clears the mask bit and re-raises the upcall if the port is
   pending. */
struct evtchn_unmask {
    evtchn_port_t port;
};

_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "evtchn_alloc_unbound is 8 bytes");
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "evtchn_bind_interdomain is 12 bytes");
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "evtchn_bind_virq is 12 bytes");
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "evtchn_bind_pirq is 12 bytes");
_Static_assert(__builtin_offsetof(struct evtchn_bind_pirq, port) == 8, "port @8");
_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status is 24 bytes");
_Static_assert(__builtin_offsetof(struct evtchn_status, remote_dom) == 16, "remote_dom @16");
_Static_assert(__builtin_offsetof(struct evtchn_status, remote_port) == 20, "remote_port @20");
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "evtchn_bind_vcpu is 8 bytes");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_EVENT_CHANNEL_H */
