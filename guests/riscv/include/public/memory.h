/*
 * memory.h — __HYPERVISOR_memory_op (12): a0 = command, a1 = argument pointer. A domain's
 * guest-physical window is [XEN_RAM_BASE_GFN, XEN_RAM_BASE_GFN + max_pages); its initial RAM
 * is the first nr_pages frames of it (start_info.h). Numbers and structures are Xen's.
 */
#ifndef REHYPE_PUBLIC_MEMORY_H
#define REHYPE_PUBLIC_MEMORY_H

#include "xen.h"

/* a1 = ptr to struct xen_memory_reservation; return = extents done (stops at the first bad
   one), -XEN_ENOMEM past the domain's max_pages. */
#define XENMEM_increase_reservation  0   /* map a fresh zeroed frame at each gfn */
#define XENMEM_decrease_reservation  1   /* unmap and free the frame at each gfn */
#define XENMEM_populate_physmap      6   /* map a fresh zeroed frame at each gfn */
/* a1 = ptr to domid_t (DOMID_SELF) -> pages. */
#define XENMEM_current_reservation   3
#define XENMEM_maximum_reservation   4

/* Guest-physical RAM starts here (gpa 0x8000_0000, gfn = gpa >> 12). */
#define XEN_RAM_BASE_GPA   0x80000000u
#define XEN_RAM_BASE_GFN   0x80000u

#ifndef __ASSEMBLER__

/*
 * IN: extent_start_ptr -> uint32_t gfns[nr_extents]; extent_order must be 0 (single pages);
 * domid = DOMID_SELF. populate/increase need each gfn inside the window and not mapped.
 */
struct xen_memory_reservation {
    uint32_t extent_start_ptr;
    uint32_t nr_extents;
    uint32_t extent_order;
    domid_t domid;
    uint16_t pad;
};

_Static_assert(sizeof(struct xen_memory_reservation) == 16, "xen_memory_reservation is 16 bytes");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_MEMORY_H */
