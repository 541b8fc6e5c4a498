/*
 * domctl.h — __HYPERVISOR_domctl (36): a0 = ptr to struct xen_domctl. Privileged domains only
 * (others get -XEN_EPERM). The interface version must be XEN_DOMCTL_INTERFACE_VERSION.
 */
#ifndef REHYPE_PUBLIC_DOMCTL_H
#define REHYPE_PUBLIC_DOMCTL_H

#include "xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION  1

#define XEN_DOMCTL_getdomaininfo   1   /* -> u.getdomaininfo; -XEN_ESRCH if no such domain */
#define XEN_DOMCTL_pausedomain     2
#define XEN_DOMCTL_unpausedomain   3
#define XEN_DOMCTL_destroydomain   4   /* not self */
#define XEN_DOMCTL_max_mem         5   /* u.max_mem.max_pages */
#define XEN_DOMCTL_getvcpuinfo     6   /* u.getvcpuinfo.vcpu -> the rest of u.getvcpuinfo */

/* getdomaininfo.flags */
#define XEN_DOMINF_running     (1u << 0)
#define XEN_DOMINF_blocked     (1u << 1)
#define XEN_DOMINF_paused      (1u << 2)
#define XEN_DOMINF_shutdown    (1u << 3)
#define XEN_DOMINF_dying       (1u << 4)
#define XEN_DOMINF_privileged  (1u << 5)

#ifndef __ASSEMBLER__

/* OUT of XEN_DOMCTL_getdomaininfo (u[0..6]). */
struct xen_domctl_getdomaininfo {
    uint32_t flags;            /* XEN_DOMINF_* */
    uint32_t shutdown_reason;  /* SHUTDOWN_* (sched.h) when flags has XEN_DOMINF_shutdown */
    uint32_t tot_pages;
    uint32_t max_pages;
    uint32_t nr_vcpus;
    uint32_t cpu_time_lo;      /* virtual cycles the domain has run */
    uint32_t cpu_time_hi;
};

/* IN of XEN_DOMCTL_max_mem (u[0]). */
struct xen_domctl_max_mem {
    uint32_t max_pages;
};

/* IN: vcpu (u[0]); OUT: online, blocked, running, cpu (u[1..4]). */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;
    uint32_t online;
    uint32_t blocked;
    uint32_t running;
    uint32_t cpu;
};

/* IN: cmd, interface_version, domain; u per command. */
struct xen_domctl {
    uint32_t cmd;
    uint32_t interface_version;
    domid_t domain;
    uint16_t pad;
    union {
        uint32_t raw[12];
        struct xen_domctl_getdomaininfo getdomaininfo;
        struct xen_domctl_max_mem max_mem;
        struct xen_domctl_getvcpuinfo getvcpuinfo;
    } u;
};

_Static_assert(sizeof(struct xen_domctl) == 60, "xen_domctl is 60 bytes");
_Static_assert(__builtin_offsetof(struct xen_domctl, domain) == 8, "domain @8");
_Static_assert(__builtin_offsetof(struct xen_domctl, u) == 12, "u @12");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_DOMCTL_H */
