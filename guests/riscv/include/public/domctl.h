/*
 * domctl.h — __HYPERVISOR_domctl (36): a0 = ptr to struct xen_domctl. Privileged domains only
 * (others get -XEN_EPERM). The interface version must be XEN_DOMCTL_INTERFACE_VERSION.
 *
 * Commands 1..6 manage existing domains; 7..8 assign the NIC to a driver domain; 9..15 are the
 * toolstack's: Dom0 builds a domain with createdomain (paused, empty), populate, copy_to_guest
 * (or map_foreign and plain stores), setup, then unpausedomain; console_read relays consoles.
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
#define XEN_DOMCTL_assign_device   7   /* u.assign_device; domain = the driver domain */
#define XEN_DOMCTL_deassign_device 8   /* u.assign_device */
#define XEN_DOMCTL_createdomain    9   /* u.createdomain; OUT: domain = the new domid */
#define XEN_DOMCTL_populate       10   /* u.populate */
#define XEN_DOMCTL_copy_to_guest  11   /* u.copy_to_guest */
#define XEN_DOMCTL_setup          12   /* u.setup */
#define XEN_DOMCTL_console_read   13   /* u.console_read -> bytes copied */
#define XEN_DOMCTL_map_foreign    14   /* u.map_foreign; domain = the target */
#define XEN_DOMCTL_unmap_foreign  15   /* u.unmap_foreign */

/* Device ids of assign_device / deassign_device. */
#define XEN_DEVICE_NIC0            0
/* Where an assigned NIC's 4 KiB register window appears in the driver domain. */
#define XEN_NIC_WINDOW_GPA         0xF0000000u
#define XEN_NIC_WINDOW_GFN         0xF0000u

/* createdomain.flags */
#define XEN_DOMCTL_CDF_privileged  (1u << 0)   /* refused: only the host makes privileged domains */

/* createdomain.name bytes, its NUL included */
#define XEN_DOMCTL_NAME_BYTES      32

/* copy_to_guest.len at most */
#define XEN_DOMCTL_COPY_MAX_BYTES  65536u

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

/* IN of assign_device / deassign_device (u[0]): XEN_DEVICE_*. assign maps the device's register
   window at XEN_NIC_WINDOW_GPA in the domain and sends its DMA through that domain's P2M
   (-XEN_EBUSY if another domain owns it); deassign unmaps it, turns DMA off, routes the IRQ
   nowhere. */
struct xen_domctl_assign_device {
    uint32_t device;
};

/* IN of createdomain (u[0..2], u[4..11]); the new domain (lowest free domid) is the result and
   OUT in xen_domctl.domain. It starts PAUSED (pause count 1) with an empty P2M and no vCPU
   running. `name` (NUL-terminated; empty = "d<domid>") is what the host reports it as. */
struct xen_domctl_createdomain {
    uint32_t max_vcpus;
    uint32_t flags;            /* XEN_DOMCTL_CDF_*; privileged is refused */
    uint32_t max_pages;
    uint32_t pad;
    char name[XEN_DOMCTL_NAME_BYTES];
};

/* IN of populate (u[0]): maps nr_pages fresh zeroed pages at gfn 0x80000.. (tot_pages += nr). */
struct xen_domctl_populate {
    uint32_t nr_pages;
};

/* IN of copy_to_guest (u[0..2]): copies len (<= XEN_DOMCTL_COPY_MAX_BYTES) bytes from src (a
   pointer in the caller) to gpa dest_gpa of the domain. */
struct xen_domctl_copy_to_guest {
    uint32_t dest_gpa;
    uint32_t src_ptr;
    uint32_t len;
};

/* IN of setup (u[0..2]): records start_info and shared_info, zeroes shared_info, and sets vCPU
   0's pc = entry, a0 = start_info_gpa, a1 = 0. start_info itself is written by the caller. */
struct xen_domctl_setup {
    uint32_t start_info_gpa;
    uint32_t shared_info_gpa;
    uint32_t entry;
};

/* IN of console_read (u[0..2]): copies at most max_bytes of what the domain wrote with
   console_io, from byte `offset` of its output on, to dest_ptr in the caller; returns the number
   of bytes copied. OUT (u[3]): `first`, the offset of the first byte copied. The hypervisor keeps
   only the last 4088 bytes of each domain's output: when `offset` is older than that, `first` is
   past it and the bytes in between are lost (the caller must say so, not skip them silently). */
struct xen_domctl_console_read {
    uint32_t dest_ptr;
    uint32_t max_bytes;
    uint32_t offset;
    uint32_t first;      /* OUT */
};

/* IN of map_foreign (u[0..1]): maps the target domain's frame at target_gfn read-write into the
   caller at local_gpa (page-aligned, an unpopulated gfn inside the caller's window). -XEN_EINVAL
   if target_gfn is not mapped, -XEN_EBUSY if local_gpa is populated. */
struct xen_domctl_map_foreign {
    uint32_t target_gfn;
    uint32_t local_gpa;
};

/* IN of unmap_foreign (u[0]): unmaps local_gpa (the frame stays the target's). */
struct xen_domctl_unmap_foreign {
    uint32_t local_gpa;
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
        struct xen_domctl_assign_device assign_device;
        struct xen_domctl_createdomain createdomain;
        struct xen_domctl_populate populate;
        struct xen_domctl_copy_to_guest copy_to_guest;
        struct xen_domctl_setup setup;
        struct xen_domctl_console_read console_read;
        struct xen_domctl_map_foreign map_foreign;
        struct xen_domctl_unmap_foreign unmap_foreign;
    } u;
};

_Static_assert(sizeof(struct xen_domctl) == 60, "xen_domctl is 60 bytes");
_Static_assert(__builtin_offsetof(struct xen_domctl, domain) == 8, "domain @8");
_Static_assert(__builtin_offsetof(struct xen_domctl, u) == 12, "u @12");
_Static_assert(__builtin_offsetof(struct xen_domctl, u.createdomain.max_pages) == 12 + 8, "max_pages = u[2]");
_Static_assert(__builtin_offsetof(struct xen_domctl, u.createdomain.name) == 12 + 16, "name = u[4..11]");
_Static_assert(__builtin_offsetof(struct xen_domctl, u.copy_to_guest.len) == 12 + 8, "len = u[2]");
_Static_assert(__builtin_offsetof(struct xen_domctl, u.setup.entry) == 12 + 8, "entry = u[2]");
_Static_assert(__builtin_offsetof(struct xen_domctl, u.console_read.offset) == 12 + 8, "offset = u[2]");
_Static_assert(__builtin_offsetof(struct xen_domctl, u.console_read.first) == 12 + 12, "first = u[3]");
_Static_assert(__builtin_offsetof(struct xen_domctl, u.map_foreign.local_gpa) == 12 + 4, "local_gpa = u[1]");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_DOMCTL_H */
