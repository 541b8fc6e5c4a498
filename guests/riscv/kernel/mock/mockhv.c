/*
 * mockhv.c — a stand-in for the hypervisor, linked into the kernel instead of hypercall.S, so
 * that the kernel and its workloads run on the machine's bare monitor
 * (dev.rehype.machine.monitor.BareMonitor) before, and independently of, the hypervisor core.
 * It is a test bed, never a committed image: `make -C guests mock` builds them in build/mock/.
 *
 * The HYPERVISOR_* functions here implement the ABI (include/public/) for one domain in
 * S-mode, with the monitor's help: console_io and shutdown are monitor write/exit, the vCPU
 * timer is the monitor timer (STIP), SCHEDOP_block is `wfi`, an upcall sets sip.SSIP as the ABI
 * says, and a released page is made inaccessible with the monitor's protect call, so a guest
 * that touches it afterwards is reported at shutdown. Everything the kernel does with traps,
 * interrupts, U-mode threads and the shared_info bitmaps is therefore real.
 *
 * The peer domain of the `hypercall` workload is simulated: it binds after a few refusals
 * (-ENOENT), says hello when the initiator has allocated the port, and answers every event at
 * once. dom0's domctl sees a small fixed table of domains.
 *
 * Layout (monitor RAM, 4 MiB at 0x8000_0000): the domain's initial RAM is MOCK_NR_PAGES pages,
 * its window MOCK_MAX_PAGES; the mock's own state lives at MOCK_STATE_GPA, above the window,
 * where the kernel's .bss clearing does not reach.
 */
#include "kernel.h"
#include "csr.h"
#include "monitor.h"

/* The domain's configuration; override with MOCK_FLAGS="-DMOCK_NR_PAGES=n ..." to compute the
   digests a real configuration will print (mem depends on nr_pages/max_pages, dom0 on the
   domains that exist and the one it pauses). */
#ifndef MOCK_NR_PAGES
#define MOCK_NR_PAGES    256u
#endif
#ifndef MOCK_MAX_PAGES
#define MOCK_MAX_PAGES   320u
#endif
#ifndef MOCK_DOMAINS
#define MOCK_DOMAINS     3          /* dom0 .. dom(MOCK_DOMAINS - 1) exist */
#endif
#ifndef MOCK_PAUSE_DOMID
#define MOCK_PAUSE_DOMID 1          /* dom0's param[2] */
#endif
#ifndef MOCK_ROLE
#define MOCK_ROLE 0                 /* the hypercall workload's role; its peer is simulated */
#endif

#define MOCK_EXTRA       (MOCK_MAX_PAGES - MOCK_NR_PAGES)
#define MOCK_STATE_GPA   0x80200000u
#define MOCK_PORTS       16
#define MOCK_BIND_REFUSALS 3

_Static_assert(MOCK_MAX_PAGES > MOCK_NR_PAGES && MOCK_MAX_PAGES <= 512, "the window must end below the mock state");

struct mock_port {
    uint32_t state;        /* EVTCHNSTAT_* */
    uint32_t remote_dom;
    uint32_t remote_port;
};

struct mock_state {
    uint32_t domid;
    uint32_t peer;
    uint32_t tot_pages;
    uint32_t bind_refusals;
    uint32_t hypercalls;
    uint32_t paused[MOCK_DOMAINS];
    uint8_t mapped[MOCK_EXTRA];
    struct mock_port ports[MOCK_PORTS];
};

#define MOCK ((struct mock_state *) (uintptr_t) MOCK_STATE_GPA)
#define SI_GPA (XEN_RAM_BASE_GPA + (MOCK_NR_PAGES - 2) * XEN_PAGE_SIZE)
#define SH ((struct shared_info *) (uintptr_t) (SI_GPA + XEN_PAGE_SIZE))

/* Writes start_info and shared_info; returns the start_info gpa for the kernel's a0. */
uint32_t mock_setup(void);

static void mock_print(const char *fmt, ...)
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintk(line, sizeof line, fmt, ap);
    va_end(ap);
    mon_call3(MON_WRITE, MON_STDOUT, (long) (uintptr_t) line, n);
}

uint32_t mock_setup(void)
{
    memset(MOCK, 0, sizeof *MOCK);
    memset((void *) (uintptr_t) SI_GPA, 0, 2 * XEN_PAGE_SIZE);
    struct start_info *si = (struct start_info *) (uintptr_t) SI_GPA;
    int is_dom0 = strncmp_bounded("dom0", workload.name, 8) == 0;
    int is_pair = strncmp_bounded("hypercall", workload.name, 16) == 0;
    MOCK->domid = is_dom0 ? 0 : is_pair ? 1 + MOCK_ROLE : 1;
    MOCK->peer = is_pair ? 2 - MOCK_ROLE : START_INFO_NO_PEER;
    MOCK->tot_pages = MOCK_NR_PAGES;
    si->magic = START_INFO_MAGIC;
    si->domid = MOCK->domid;
    si->flags = is_dom0 ? SIF_PRIVILEGED : 0;
    si->nr_pages = MOCK_NR_PAGES;
    si->max_pages = MOCK_MAX_PAGES;
    si->ram_base_gpa = XEN_RAM_BASE_GPA;
    si->shared_info_gpa = SI_GPA + XEN_PAGE_SIZE;
    si->nr_vcpus = 1;
    si->peer_domid = MOCK->peer;
    si->role = is_pair ? MOCK_ROLE : 0;
    si->param[2] = is_dom0 ? MOCK_PAUSE_DOMID : 0;
    memcpy(si->cmdline, workload.name, strnlen(workload.name, START_INFO_CMDLINE_BYTES - 1));
    for (uint32_t i = 0; i < MOCK_EXTRA; i++) {
        mon_call3(MON_PROTECT, (long) (XEN_RAM_BASE_GPA + (MOCK_NR_PAGES + i) * XEN_PAGE_SIZE), 0, 0);
    }
    return SI_GPA;
}

/* ---- guest memory ---- */

static int extra_index(uint32_t gfn)
{
    if (gfn < XEN_RAM_BASE_GFN + MOCK_NR_PAGES || gfn >= XEN_RAM_BASE_GFN + MOCK_MAX_PAGES) {
        return -1;
    }
    return (int) (gfn - XEN_RAM_BASE_GFN - MOCK_NR_PAGES);
}

static int gfn_mapped(uint32_t gfn)
{
    if (gfn >= XEN_RAM_BASE_GFN && gfn < XEN_RAM_BASE_GFN + MOCK_NR_PAGES) {
        return 1;
    }
    int i = extra_index(gfn);
    return i >= 0 && MOCK->mapped[i];
}

/* Whether the guest may pass [p, p + n) to the hypervisor. */
static int guest_range_ok(uint32_t p, uint32_t n)
{
    if (n == 0) {
        return 1;
    }
    if (p + n < p) {
        return 0;
    }
    for (uint32_t page = p >> 12; page <= (p + n - 1) >> 12; page++) {
        if (!gfn_mapped(page)) {
            return 0;
        }
    }
    return 1;
}

/* ---- event channels ---- */

static void set_pending(uint32_t port)
{
    struct shared_info *sh = SH;
    uint32_t w = port / 32;
    uint32_t bit = 1u << (port % 32);
    if (__atomic_fetch_or(&sh->evtchn_pending[w], bit, __ATOMIC_SEQ_CST) & bit) {
        return;
    }
    if (sh->evtchn_mask[w] & bit) {
        return;
    }
    __atomic_fetch_or(&sh->vcpu_info[0].evtchn_pending_sel, 1u << w, __ATOMIC_SEQ_CST);
    if (sh->vcpu_info[0].evtchn_upcall_pending == 0) {
        sh->vcpu_info[0].evtchn_upcall_pending = 1;
        if (sh->vcpu_info[0].evtchn_upcall_mask == 0) {
            __asm__ volatile("csrs sip, %0" : : "r"(SIP_SSIP) : "memory");
        }
    }
}

static int lowest_free_port(void)
{
    for (int p = 1; p < MOCK_PORTS; p++) {
        if (MOCK->ports[p].state == EVTCHNSTAT_closed) {
            return p;
        }
    }
    return -XEN_ENOSPC;
}

static int valid_port(uint32_t port)
{
    return port > 0 && port < MOCK_PORTS && MOCK->ports[port].state != EVTCHNSTAT_closed;
}

static int mock_event_channel_op(uint32_t cmd, uint32_t arg)
{
    if (!guest_range_ok(arg, 4)) {
        return -XEN_EFAULT;
    }
    struct shared_info *sh = SH;
    switch (cmd) {
    case EVTCHNOP_alloc_unbound: {
        struct evtchn_alloc_unbound *op = (void *) (uintptr_t) arg;
        if (op->dom != DOMID_SELF && op->dom != MOCK->domid) {
            return -XEN_EPERM;
        }
        int p = lowest_free_port();
        if (p < 0) {
            return p;
        }
        op->port = (uint32_t) p;
        /* The simulated peer binds at once and says hello. */
        MOCK->ports[p] = (struct mock_port) { EVTCHNSTAT_interdomain, op->remote_dom, 1 };
        set_pending((uint32_t) p);
        return 0;
    }
    case EVTCHNOP_bind_interdomain: {
        struct evtchn_bind_interdomain *op = (void *) (uintptr_t) arg;
        if (op->remote_dom != MOCK->peer) {
            return -XEN_ESRCH;
        }
        if (op->remote_port != 1 || MOCK->bind_refusals < MOCK_BIND_REFUSALS) {
            MOCK->bind_refusals++;
            return -XEN_ENOENT;
        }
        int p = lowest_free_port();
        if (p < 0) {
            return p;
        }
        MOCK->ports[p] = (struct mock_port) { EVTCHNSTAT_interdomain, op->remote_dom, op->remote_port };
        op->local_port = (uint32_t) p;
        return 0;
    }
    case EVTCHNOP_bind_virq: {
        struct evtchn_bind_virq *op = (void *) (uintptr_t) arg;
        int p = lowest_free_port();
        if (p < 0) {
            return p;
        }
        MOCK->ports[p] = (struct mock_port) { EVTCHNSTAT_virq, 0, op->virq };
        op->port = (uint32_t) p;
        return 0;
    }
    case EVTCHNOP_close: {
        struct evtchn_close *op = (void *) (uintptr_t) arg;
        if (!valid_port(op->port)) {
            return -XEN_EINVAL;
        }
        MOCK->ports[op->port].state = EVTCHNSTAT_closed;
        __atomic_fetch_and(&sh->evtchn_pending[op->port / 32], ~(1u << (op->port % 32)), __ATOMIC_SEQ_CST);
        return 0;
    }
    case EVTCHNOP_send: {
        struct evtchn_send *op = (void *) (uintptr_t) arg;
        if (!valid_port(op->port) || MOCK->ports[op->port].state != EVTCHNSTAT_interdomain) {
            return -XEN_EINVAL;
        }
        set_pending(op->port);   /* the simulated peer answers at once */
        return 0;
    }
    case EVTCHNOP_status: {
        struct evtchn_status *op = (void *) (uintptr_t) arg;
        if (op->port == 0 || op->port >= MOCK_PORTS) {
            return -XEN_EINVAL;
        }
        struct mock_port *p = &MOCK->ports[op->port];
        op->status = p->state;
        op->vcpu = 0;
        op->remote_dom = (domid_t) p->remote_dom;
        op->remote_port = p->remote_port;
        return 0;
    }
    case EVTCHNOP_bind_vcpu:
        return 0;
    case EVTCHNOP_unmask: {
        struct evtchn_unmask *op = (void *) (uintptr_t) arg;
        if (!valid_port(op->port)) {
            return -XEN_EINVAL;
        }
        uint32_t w = op->port / 32;
        uint32_t bit = 1u << (op->port % 32);
        __atomic_fetch_and(&sh->evtchn_mask[w], ~bit, __ATOMIC_SEQ_CST);
        if (sh->evtchn_pending[w] & bit) {
            __atomic_fetch_and(&sh->evtchn_pending[w], ~bit, __ATOMIC_SEQ_CST);
            set_pending(op->port);
        }
        return 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}

/* ---- memory ---- */

static int mock_memory_op(uint32_t cmd, uint32_t arg)
{
    if (cmd == XENMEM_current_reservation || cmd == XENMEM_maximum_reservation) {
        if (!guest_range_ok(arg, 2)) {
            return -XEN_EFAULT;
        }
        domid_t d = *(domid_t *) (uintptr_t) arg;
        if (d != DOMID_SELF && d != MOCK->domid) {
            return -XEN_ESRCH;
        }
        return (int) (cmd == XENMEM_current_reservation ? MOCK->tot_pages : MOCK_MAX_PAGES);
    }
    if (cmd != XENMEM_populate_physmap && cmd != XENMEM_increase_reservation
        && cmd != XENMEM_decrease_reservation) {
        return -XEN_ENOSYS;
    }
    if (!guest_range_ok(arg, sizeof(struct xen_memory_reservation))) {
        return -XEN_EFAULT;
    }
    struct xen_memory_reservation *r = (void *) (uintptr_t) arg;
    if (r->extent_order != 0 || (r->domid != DOMID_SELF && r->domid != MOCK->domid)) {
        return -XEN_EINVAL;
    }
    int done = 0;
    for (uint32_t i = 0; i < r->nr_extents; i++) {
        uint32_t p = r->extent_start_ptr + 4 * i;
        if (!guest_range_ok(p, 4)) {
            return done > 0 ? done : -XEN_EFAULT;
        }
        uint32_t gfn = *(uint32_t *) (uintptr_t) p;
        int x = extra_index(gfn);
        uint32_t gpa = gfn << 12;
        if (cmd == XENMEM_decrease_reservation) {
            if (x < 0 || !MOCK->mapped[x]) {
                return done;
            }
            MOCK->mapped[x] = 0;
            MOCK->tot_pages--;
            mon_call3(MON_PROTECT, (long) gpa, 0, 0);
        } else {
            if (x < 0 || MOCK->mapped[x]) {
                return done;
            }
            if (MOCK->tot_pages >= MOCK_MAX_PAGES) {
                return done > 0 ? done : -XEN_ENOMEM;
            }
            mon_call3(MON_PROTECT, (long) gpa, MON_PERM_R | MON_PERM_W | MON_PERM_X, 0);
            memset((void *) (uintptr_t) gpa, 0, XEN_PAGE_SIZE);
            MOCK->mapped[x] = 1;
            MOCK->tot_pages++;
        }
        done++;
    }
    return done;
}

/* ---- time ---- */

static uint64_t mock_time(void)
{
    uint32_t hi;
    uint32_t lo;
    uint32_t hi2;
    do {
        __asm__ volatile("rdtimeh %0" : "=r"(hi));
        __asm__ volatile("rdtime %0" : "=r"(lo));
        __asm__ volatile("rdtimeh %0" : "=r"(hi2));
    } while (hi != hi2);
    return ((uint64_t) hi << 32) | lo;
}

static int mock_set_timer(uint64_t deadline)
{
    mon_call3(MON_CLEAR_VIRQ, MON_VIRQ_STIP, 0, 0);
    if (deadline == 0) {
        mon_call3(MON_SET_TIMER, 0x7fffffff, 0, 0);
        return 0;
    }
    uint64_t now = mock_time();
    if (deadline <= now) {
        mon_call3(MON_SET_VIRQ, MON_VIRQ_STIP, 0, 0);
        return 0;
    }
    uint64_t delta = deadline - now;
    mon_call3(MON_SET_TIMER, (long) (delta > 0x7fffffffu ? 0x7fffffffu : (uint32_t) delta), 0, 0);
    return 0;
}

static int something_pending(void)
{
    uint32_t sip;
    uint32_t sie;
    __asm__ volatile("csrr %0, sip" : "=r"(sip));
    __asm__ volatile("csrr %0, sie" : "=r"(sie));
    return (sip & sie) != 0 || SH->vcpu_info[0].evtchn_upcall_pending != 0;
}

static void mock_wait(void)
{
    if (!something_pending()) {
        __asm__ volatile("wfi" : : : "memory");
    }
}

/* ---- the rest ---- */

static __attribute__((noreturn)) void mock_shutdown(uint32_t reason, uint32_t code)
{
    struct mon_faults f;
    long count = mon_call3(MON_FAULTS, 0, 0, 0);
    f.count = (unsigned long) count;
    mock_print("mock: shutdown reason=%u code=%u hypercalls=%u released-page-accesses=%u\n", reason, code,
               MOCK->hypercalls, (uint32_t) f.count);
    uint32_t exit = reason == SHUTDOWN_poweroff ? code : 100 + reason;
    if (f.count != 0 && exit == 0) {
        exit = 99;
    }
    for (;;) {
        mon_call3(MON_EXIT, (long) exit, 0, 0);
    }
}

static int mock_sched_op(uint32_t cmd, uint32_t arg)
{
    switch (cmd) {
    case SCHEDOP_yield:
        return 0;
    case SCHEDOP_block:
        mock_wait();
        return 0;
    case SCHEDOP_shutdown: {
        if (!guest_range_ok(arg, sizeof(struct sched_shutdown))) {
            return -XEN_EFAULT;
        }
        const struct sched_shutdown *s = (const void *) (uintptr_t) arg;
        mock_shutdown(s->reason, s->code);
    }
    case SCHEDOP_poll: {
        if (!guest_range_ok(arg, sizeof(struct sched_poll))) {
            return -XEN_EFAULT;
        }
        const struct sched_poll *p = (const void *) (uintptr_t) arg;
        if (p->nr_ports > SCHEDOP_POLL_MAX_PORTS || !guest_range_ok(p->ports_ptr, 4 * p->nr_ports)) {
            return -XEN_EINVAL;
        }
        const uint32_t *ports = (const uint32_t *) (uintptr_t) p->ports_ptr;
        for (uint32_t i = 0; i < p->nr_ports; i++) {
            if (ports[i] < EVTCHN_NR_PORTS && evtchn_is_pending(ports[i])) {
                return 0;
            }
        }
        /* The simulated peer never sends on its own: wait for the timer once and return. */
        mock_wait();
        return 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}

static int mock_vcpu_op(uint32_t cmd, uint32_t vcpu, uint32_t arg)
{
    if (vcpu >= 1) {
        return -XEN_EINVAL;
    }
    switch (cmd) {
    case VCPUOP_is_up:
        return 1;
    case VCPUOP_get_runstate_info: {
        if (!guest_range_ok(arg, sizeof(struct vcpu_runstate_info))) {
            return -XEN_EFAULT;
        }
        struct vcpu_runstate_info *info = (void *) (uintptr_t) arg;
        memset(info, 0, sizeof *info);
        info->state = RUNSTATE_running;
        info->state_entry_time = mock_time();
        return 0;
    }
    case VCPUOP_initialise:
    case VCPUOP_up:
        return -XEN_EEXIST;
    case VCPUOP_down:
        return -XEN_EINVAL;
    default:
        return -XEN_ENOSYS;
    }
}

static int mock_domctl(uint32_t arg)
{
    if (MOCK->domid != 0) {
        return -XEN_EPERM;
    }
    if (!guest_range_ok(arg, sizeof(struct xen_domctl))) {
        return -XEN_EFAULT;
    }
    struct xen_domctl *op = (void *) (uintptr_t) arg;
    if (op->interface_version != XEN_DOMCTL_INTERFACE_VERSION) {
        return -XEN_EINVAL;
    }
    uint32_t d = op->domain;
    if (d >= MOCK_DOMAINS) {
        return -XEN_ESRCH;
    }
    switch (op->cmd) {
    case XEN_DOMCTL_getdomaininfo:
        memset(&op->u, 0, sizeof op->u);
        op->u.getdomaininfo.flags = (d == 0 ? XEN_DOMINF_privileged | XEN_DOMINF_running : 0)
                                    | (MOCK->paused[d] ? XEN_DOMINF_paused : 0);
        op->u.getdomaininfo.tot_pages = d == 0 ? MOCK->tot_pages : MOCK_NR_PAGES;
        op->u.getdomaininfo.max_pages = MOCK_MAX_PAGES;
        op->u.getdomaininfo.nr_vcpus = 1;
        return 0;
    case XEN_DOMCTL_pausedomain:
    case XEN_DOMCTL_unpausedomain:
        if (d == 0) {
            return -XEN_EINVAL;
        }
        MOCK->paused[d] = op->cmd == XEN_DOMCTL_pausedomain;
        return 0;
    case XEN_DOMCTL_destroydomain:
        return d == 0 ? -XEN_EINVAL : 0;
    case XEN_DOMCTL_getvcpuinfo:
        if (op->u.getvcpuinfo.vcpu != 0) {
            return -XEN_EINVAL;
        }
        op->u.getvcpuinfo.online = 1;
        op->u.getvcpuinfo.blocked = 0;
        op->u.getvcpuinfo.running = d == 0;
        op->u.getvcpuinfo.cpu = 0;
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

static int dispatch(uint32_t op, const uint32_t *a, int nested);

static int mock_multicall(uint32_t calls, uint32_t nr)
{
    if (nr > MULTICALL_MAX_ENTRIES) {
        return -XEN_EINVAL;
    }
    if (!guest_range_ok(calls, nr * sizeof(struct multicall_entry))) {
        return -XEN_EFAULT;
    }
    struct multicall_entry *e = (void *) (uintptr_t) calls;
    for (uint32_t i = 0; i < nr; i++) {
        e[i].result = dispatch(e[i].op, e[i].args, 1);
    }
    return 0;
}

static int dispatch(uint32_t op, const uint32_t *a, int nested)
{
    MOCK->hypercalls++;
    switch (op) {
    case __HYPERVISOR_memory_op:
        return mock_memory_op(a[0], a[1]);
    case __HYPERVISOR_multicall:
        return nested ? -XEN_EINVAL : mock_multicall(a[0], a[1]);
    case __HYPERVISOR_set_timer_op:
        return mock_set_timer(((uint64_t) a[1] << 32) | a[0]);
    case __HYPERVISOR_console_io:
        if (a[0] != CONSOLEIO_write || a[1] > CONSOLEIO_MAX_BYTES) {
            return -XEN_EINVAL;
        }
        if (!guest_range_ok(a[2], a[1])) {
            return -XEN_EFAULT;
        }
        return (int) mon_call3(MON_WRITE, MON_STDOUT, (long) a[2], (long) a[1]);
    case __HYPERVISOR_vcpu_op:
        return mock_vcpu_op(a[0], a[1], a[2]);
    case __HYPERVISOR_sched_op:
        return mock_sched_op(a[0], a[1]);
    case __HYPERVISOR_event_channel_op:
        return mock_event_channel_op(a[0], a[1]);
    case __HYPERVISOR_domctl:
        return mock_domctl(a[0]);
    default:
        return -XEN_ENOSYS;
    }
}

static int call(uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2)
{
    uint32_t a[6] = { a0, a1, a2, 0, 0, 0 };
    return dispatch(op, a, 0);
}

int HYPERVISOR_memory_op(uint32_t cmd, void *arg)
{
    return call(__HYPERVISOR_memory_op, cmd, guest_ptr(arg), 0);
}

int HYPERVISOR_multicall(struct multicall_entry *calls, uint32_t nr_calls)
{
    return call(__HYPERVISOR_multicall, guest_ptr(calls), nr_calls, 0);
}

int HYPERVISOR_set_timer_op(uint32_t deadline_lo, uint32_t deadline_hi)
{
    return call(__HYPERVISOR_set_timer_op, deadline_lo, deadline_hi, 0);
}

int HYPERVISOR_console_io(uint32_t cmd, uint32_t count, const char *buf)
{
    return call(__HYPERVISOR_console_io, cmd, count, guest_ptr(buf));
}

/* No grant tables here (dispatch answers -XEN_ENOSYS): the network workloads are not built
   for the mock. */
int HYPERVISOR_grant_table_op(uint32_t cmd, void *ops, uint32_t count)
{
    return call(__HYPERVISOR_grant_table_op, cmd, guest_ptr(ops), count);
}

int HYPERVISOR_vcpu_op(uint32_t cmd, uint32_t vcpuid, void *arg)
{
    return call(__HYPERVISOR_vcpu_op, cmd, vcpuid, guest_ptr(arg));
}

int HYPERVISOR_sched_op(uint32_t cmd, void *arg)
{
    return call(__HYPERVISOR_sched_op, cmd, guest_ptr(arg), 0);
}

int HYPERVISOR_event_channel_op(uint32_t cmd, void *arg)
{
    return call(__HYPERVISOR_event_channel_op, cmd, guest_ptr(arg), 0);
}

int HYPERVISOR_domctl(struct xen_domctl *op)
{
    return call(__HYPERVISOR_domctl, guest_ptr(op), 0, 0);
}
