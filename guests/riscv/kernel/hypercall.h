/*
 * hypercall.h — the hypercall stubs of hypercall.S and a typed wrapper for every command of the
 * ReHype ABI (include/public/). A wrapper fills the command's structure, makes the call and
 * copies OUT fields back; it returns what the hypervisor returned (>= 0 success, -XEN_E* error).
 * Pointers embedded in ABI structures are 32-bit guest virtual addresses (satp = 0 here, so
 * virtual = guest-physical).
 */
#ifndef REHYPE_KERNEL_HYPERCALL_H
#define REHYPE_KERNEL_HYPERCALL_H

#include <stdint.h>

#include "public/xen.h"
#include "public/sched.h"
#include "public/event_channel.h"
#include "public/memory.h"
#include "public/vcpu.h"
#include "public/domctl.h"
#include "public/grant_table.h"

/* The stubs (hypercall.S): a7 = number, a0..a5 = arguments, result in a0. */
int HYPERVISOR_memory_op(uint32_t cmd, void *arg);
int HYPERVISOR_multicall(struct multicall_entry *calls, uint32_t nr_calls);
int HYPERVISOR_set_timer_op(uint32_t deadline_lo, uint32_t deadline_hi);
int HYPERVISOR_console_io(uint32_t cmd, uint32_t count, const char *buf);
int HYPERVISOR_grant_table_op(uint32_t cmd, void *ops, uint32_t count);
int HYPERVISOR_vcpu_op(uint32_t cmd, uint32_t vcpuid, void *arg);
int HYPERVISOR_sched_op(uint32_t cmd, void *arg);
int HYPERVISOR_event_channel_op(uint32_t cmd, void *arg);
int HYPERVISOR_domctl(struct xen_domctl *op);

/* A guest pointer as the ABI carries it inside structures. */
static inline uint32_t guest_ptr(const void *p)
{
    return (uint32_t) (uintptr_t) p;
}

/* ---- sched_op ---- */

static inline int hv_sched_yield(void)
{
    return HYPERVISOR_sched_op(SCHEDOP_yield, 0);
}

static inline int hv_sched_block(void)
{
    return HYPERVISOR_sched_op(SCHEDOP_block, 0);
}

/* Does not return when the hypervisor honours it; returns its error otherwise. */
static inline int hv_sched_shutdown(uint32_t reason, uint32_t code)
{
    struct sched_shutdown s = { .reason = reason, .code = code };
    return HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}

/* Blocks until one of ports[0..nr) is pending or virtual time reaches timeout (0 = none). */
static inline int hv_sched_poll(const evtchn_port_t *ports, uint32_t nr_ports, uint64_t timeout)
{
    struct sched_poll p = {
        .ports_ptr = guest_ptr(ports),
        .nr_ports = nr_ports,
        .timeout_lo = (uint32_t) timeout,
        .timeout_hi = (uint32_t) (timeout >> 32),
    };
    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

/* ---- set_timer_op ---- */

/* Absolute deadline in virtual cycles; 0 cancels. Clears a pending STIP. */
static inline int hv_set_timer(uint64_t deadline)
{
    return HYPERVISOR_set_timer_op((uint32_t) deadline, (uint32_t) (deadline >> 32));
}

/* ---- console_io ---- */

static inline int hv_console_write(const char *buf, uint32_t count)
{
    return HYPERVISOR_console_io(CONSOLEIO_write, count, buf);
}

/* ---- vcpu_op ---- */

static inline int hv_vcpu_initialise(uint32_t vcpu, struct vcpu_guest_context *ctx)
{
    return HYPERVISOR_vcpu_op(VCPUOP_initialise, vcpu, ctx);
}

static inline int hv_vcpu_up(uint32_t vcpu)
{
    return HYPERVISOR_vcpu_op(VCPUOP_up, vcpu, 0);
}

static inline int hv_vcpu_down(uint32_t vcpu)
{
    return HYPERVISOR_vcpu_op(VCPUOP_down, vcpu, 0);
}

/* 1 = up, 0 = down. */
static inline int hv_vcpu_is_up(uint32_t vcpu)
{
    return HYPERVISOR_vcpu_op(VCPUOP_is_up, vcpu, 0);
}

static inline int hv_vcpu_get_runstate_info(uint32_t vcpu, struct vcpu_runstate_info *info)
{
    return HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, vcpu, info);
}

/* ---- event_channel_op ---- */

static inline int hv_evtchn_alloc_unbound(domid_t remote_dom, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote_dom, .port = 0 };
    int rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);
    if (rc == 0) {
        *port = op.port;
    }
    return rc;
}

static inline int hv_evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
                                             evtchn_port_t *local_port)
{
    struct evtchn_bind_interdomain op = { .remote_dom = remote_dom, .remote_port = remote_port };
    int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);
    if (rc == 0) {
        *local_port = op.local_port;
    }
    return rc;
}

static inline int hv_evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu, .port = 0 };
    int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);
    if (rc == 0) {
        *port = op.port;
    }
    return rc;
}

/* Only the domain the device is assigned to. */
static inline int hv_evtchn_bind_pirq(uint32_t pirq, evtchn_port_t *port)
{
    struct evtchn_bind_pirq op = { .pirq = pirq, .flags = 0, .port = 0 };
    int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &op);
    if (rc == 0) {
        *port = op.port;
    }
    return rc;
}

static inline int hv_evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };
    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}

static inline int hv_evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };
    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

/* st->dom and st->port are set here; the rest is OUT. */
static inline int hv_evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    *st = (struct evtchn_status) { .dom = dom, .port = port };
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

static inline int hv_evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = { .port = port, .vcpu = vcpu };
    return HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
}

static inline int hv_evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };
    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

/* ---- memory_op ---- */

/* cmd = XENMEM_populate_physmap, _increase_reservation or _decrease_reservation over
   gfns[0..nr); returns the number of extents done or an error. */
static inline int hv_memory_reservation(uint32_t cmd, const uint32_t *gfns, uint32_t nr,
                                        uint32_t extent_order, domid_t domid)
{
    struct xen_memory_reservation r = {
        .extent_start_ptr = guest_ptr(gfns),
        .nr_extents = nr,
        .extent_order = extent_order,
        .domid = domid,
    };
    return HYPERVISOR_memory_op(cmd, &r);
}

/* Pages the domain holds now. */
static inline int hv_memory_current_reservation(domid_t domid)
{
    domid_t d = domid;
    return HYPERVISOR_memory_op(XENMEM_current_reservation, &d);
}

/* The domain's max_pages. */
static inline int hv_memory_maximum_reservation(domid_t domid)
{
    domid_t d = domid;
    return HYPERVISOR_memory_op(XENMEM_maximum_reservation, &d);
}

/* ---- multicall ---- */

static inline int hv_multicall(struct multicall_entry *calls, uint32_t nr_calls)
{
    return HYPERVISOR_multicall(calls, nr_calls);
}

/* Fills one multicall entry; unused arguments are 0 and result is cleared. */
static inline void multicall_set(struct multicall_entry *e, uint32_t op, uint32_t a0, uint32_t a1,
                                 uint32_t a2)
{
    *e = (struct multicall_entry) { .op = op, .args = { a0, a1, a2, 0, 0, 0 }, .result = 0 };
}

/* ---- domctl (privileged domains) ---- */

static inline void domctl_prepare(struct xen_domctl *op, uint32_t cmd, domid_t domain)
{
    *op = (struct xen_domctl) { .cmd = cmd, .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
                                .domain = domain };
}

static inline int hv_domctl_getdomaininfo(domid_t domain, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_getdomaininfo, domain);
    int rc = HYPERVISOR_domctl(&op);
    if (rc == 0) {
        *info = op.u.getdomaininfo;
    }
    return rc;
}

static inline int hv_domctl_pausedomain(domid_t domain)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_pausedomain, domain);
    return HYPERVISOR_domctl(&op);
}

static inline int hv_domctl_unpausedomain(domid_t domain)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_unpausedomain, domain);
    return HYPERVISOR_domctl(&op);
}

static inline int hv_domctl_destroydomain(domid_t domain)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_destroydomain, domain);
    return HYPERVISOR_domctl(&op);
}

static inline int hv_domctl_max_mem(domid_t domain, uint32_t max_pages)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_max_mem, domain);
    op.u.max_mem.max_pages = max_pages;
    return HYPERVISOR_domctl(&op);
}

/* info->vcpu is IN; online, blocked, running and cpu are OUT. */
static inline int hv_domctl_getvcpuinfo(domid_t domain, uint32_t vcpu,
                                        struct xen_domctl_getvcpuinfo *info)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_getvcpuinfo, domain);
    op.u.getvcpuinfo.vcpu = vcpu;
    int rc = HYPERVISOR_domctl(&op);
    if (rc == 0) {
        *info = op.u.getvcpuinfo;
    }
    return rc;
}

/* IN: device (XEN_DEVICE_*); domain = the driver domain. */
static inline int hv_domctl_assign_device(domid_t domain, uint32_t device)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_assign_device, domain);
    op.u.assign_device.device = device;
    return HYPERVISOR_domctl(&op);
}

static inline int hv_domctl_deassign_device(domid_t domain, uint32_t device)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_deassign_device, domain);
    op.u.assign_device.device = device;
    return HYPERVISOR_domctl(&op);
}

/* A new paused, empty domain called name (at most XEN_DOMCTL_NAME_BYTES - 1 characters are
   kept); returns its domid (also in *domid) or an error. */
static inline int hv_domctl_createdomain(uint32_t max_vcpus, uint32_t flags, uint32_t max_pages, const char *name,
                                         domid_t *domid)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_createdomain, 0);
    op.u.createdomain.max_vcpus = max_vcpus;
    op.u.createdomain.flags = flags;
    op.u.createdomain.max_pages = max_pages;
    for (uint32_t i = 0; name != 0 && i + 1 < XEN_DOMCTL_NAME_BYTES && name[i] != 0; i++) {
        op.u.createdomain.name[i] = name[i];
    }
    int rc = HYPERVISOR_domctl(&op);
    if (rc >= 0) {
        *domid = op.domain;
    }
    return rc;
}

static inline int hv_domctl_populate(domid_t domain, uint32_t nr_pages)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_populate, domain);
    op.u.populate.nr_pages = nr_pages;
    return HYPERVISOR_domctl(&op);
}

/* len <= XEN_DOMCTL_COPY_MAX_BYTES. */
static inline int hv_domctl_copy_to_guest(domid_t domain, uint32_t dest_gpa, const void *src, uint32_t len)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_copy_to_guest, domain);
    op.u.copy_to_guest = (struct xen_domctl_copy_to_guest) { dest_gpa, guest_ptr(src), len };
    return HYPERVISOR_domctl(&op);
}

static inline int hv_domctl_setup(domid_t domain, uint32_t start_info_gpa, uint32_t shared_info_gpa, uint32_t entry)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_setup, domain);
    op.u.setup = (struct xen_domctl_setup) { start_info_gpa, shared_info_gpa, entry };
    return HYPERVISOR_domctl(&op);
}

/* Copies the domain's console output from byte `offset` on; returns the bytes copied and sets
   *first to the offset they start at (past `offset` when the bytes in between were lost). */
static inline int hv_domctl_console_read(domid_t domain, char *dest, uint32_t max_bytes, uint32_t offset,
                                         uint32_t *first)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_console_read, domain);
    op.u.console_read = (struct xen_domctl_console_read) { guest_ptr(dest), max_bytes, offset, offset };
    int rc = HYPERVISOR_domctl(&op);
    *first = rc >= 0 ? op.u.console_read.first : offset;
    return rc;
}

static inline int hv_domctl_map_foreign(domid_t domain, uint32_t target_gfn, uint32_t local_gpa)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_map_foreign, domain);
    op.u.map_foreign = (struct xen_domctl_map_foreign) { target_gfn, local_gpa };
    return HYPERVISOR_domctl(&op);
}

/* domain = the target whose frame is mapped (the ABI names only u[0]). */
static inline int hv_domctl_unmap_foreign(domid_t domain, uint32_t local_gpa)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_unmap_foreign, domain);
    op.u.unmap_foreign.local_gpa = local_gpa;
    return HYPERVISOR_domctl(&op);
}

/* ---- grant_table_op ---- */

/* ops -> count structures of cmd's type (1..GNTTAB_MAX_BATCH); each one's status is OUT. */
static inline int hv_grant_table_op(uint32_t cmd, void *ops, uint32_t count)
{
    return HYPERVISOR_grant_table_op(cmd, ops, count);
}

#endif /* REHYPE_KERNEL_HYPERCALL_H */
