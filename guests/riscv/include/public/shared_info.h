/*
 * shared_info.h — the page shared between the hypervisor and a guest (the last page of its
 * initial RAM): per-vCPU upcall flags and the two-level event channel bitmaps of Xen's
 * event_2l.
 *
 *   0x000 vcpu_info[8]        16 bytes each
 *   0x080 evtchn_pending[32]  one bit per port (1024 ports)
 *   0x100 evtchn_mask[32]
 *   0x180 (end of the used part)
 *
 * Setting a port pending (hypervisor): if its pending bit was clear, set it; if the port is not
 * masked, set the bound vCPU's evtchn_pending_sel bit (port / 32); if that vCPU's
 * evtchn_upcall_pending was 0, set it, and if evtchn_upcall_mask is 0, set the vCPU's sip.SSIP
 * (and wake it if it is blocked or polling).
 *
 * The guest's upcall (on SSIP): clear sip.SSIP; evtchn_upcall_pending = 0;
 * sel = xchg(evtchn_pending_sel, 0); for each word w in sel: bits = evtchn_pending[w] &
 * ~evtchn_mask[w]; for each bit: clear the pending bit (atomic and), handle the port.
 */
#ifndef REHYPE_PUBLIC_SHARED_INFO_H
#define REHYPE_PUBLIC_SHARED_INFO_H

#include "xen.h"

#define XEN_LEGACY_MAX_VCPUS   8
#define EVTCHN_WORDS           32   /* 1024 ports / 32 bits */

#ifndef __ASSEMBLER__

struct vcpu_info {
    uint8_t evtchn_upcall_pending;   /* @0: an upcall is due */
    uint8_t evtchn_upcall_mask;      /* @1: 1 = the hypervisor sets no SSIP */
    uint16_t pad;
    uint32_t evtchn_pending_sel;     /* @4: bit w = word w of evtchn_pending may have bits */
    uint32_t pad2[2];
};

struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    uint32_t evtchn_pending[EVTCHN_WORDS];
    uint32_t evtchn_mask[EVTCHN_WORDS];
};

_Static_assert(sizeof(struct vcpu_info) == 16, "vcpu_info is 16 bytes");
_Static_assert(sizeof(struct shared_info) == 0x180, "shared_info uses 0x180 bytes");
_Static_assert(__builtin_offsetof(struct vcpu_info, evtchn_upcall_mask) == 1, "upcall_mask @1");
_Static_assert(__builtin_offsetof(struct vcpu_info, evtchn_pending_sel) == 4, "pending_sel @4");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_pending) == 0x80, "evtchn_pending @0x80");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_mask) == 0x100, "evtchn_mask @0x100");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_SHARED_INFO_H */
