/*
 * xen.h — the core of the ReHype hypercall ABI as a guest sees it: hypercall numbers, the
 * calling convention, error values, domain ids, console_io and multicall. The other areas have
 * their own headers beside this one (sched.h, event_channel.h, memory.h, vcpu.h, domctl.h,
 * grant_table.h, start_info.h, shared_info.h; xs_wire.h is the store's wire protocol), as in
 * Xen's include/public, whose names and numbers the ABI keeps on purpose. The hypervisor side of
 * the same ABI is in Java (hypervisor module); this file is a transcription of the ABI document
 * and must stay in step with it.
 *
 * Calling convention: `ecall` from S-mode, a7 = hypercall number, a0..a5 = arguments, result in
 * a0 (>= 0 success, < 0 = -errno). Every register other than a0 is preserved. Pointers are guest
 * virtual addresses (translated through the guest's satp if paging is on, then the P2M); a bad
 * pointer gives -XEN_EFAULT, never a crash. All values are little endian and 32-bit unless said.
 *
 * Usable from C and from assembly (numbers only).
 */
#ifndef REHYPE_PUBLIC_XEN_H
#define REHYPE_PUBLIC_XEN_H

/* Hypercall numbers (a7). */
#define __HYPERVISOR_memory_op          12  /* a0 = cmd, a1 = arg ptr (memory.h) */
#define __HYPERVISOR_multicall          13  /* a0 = ptr to multicall_entry[], a1 = count (<= 64) */
#define __HYPERVISOR_set_timer_op       15  /* a0 = deadline low, a1 = deadline high; 0/0 = cancel */
#define __HYPERVISOR_console_io         18  /* a0 = cmd, a1 = count (<= 4096), a2 = buf ptr -> count */
#define __HYPERVISOR_grant_table_op     20  /* a0 = cmd, a1 = arg ptr, a2 = count (grant_table.h) */
#define __HYPERVISOR_vcpu_op            24  /* a0 = cmd, a1 = vcpuid, a2 = arg ptr (vcpu.h) */
#define __HYPERVISOR_sched_op           29  /* a0 = cmd, a1 = arg ptr or value (sched.h) */
#define __HYPERVISOR_event_channel_op   32  /* a0 = cmd, a1 = arg ptr (event_channel.h) */
#define __HYPERVISOR_domctl             36  /* a0 = ptr to struct xen_domctl; privileged only (domctl.h) */

/* Error values: a failing hypercall returns the negated value. */
#define XEN_EPERM     1
#define XEN_ENOENT    2
#define XEN_ESRCH     3
#define XEN_EIO       5   /* the store: a broken ring or message */
#define XEN_E2BIG     7   /* the store: a path, value or message too long */
#define XEN_EAGAIN   11
#define XEN_ENOMEM   12
#define XEN_EACCES   13   /* the store: no permission on that path */
#define XEN_EFAULT   14
#define XEN_EBUSY    16
#define XEN_EEXIST   17
#define XEN_EINVAL   22
#define XEN_ENOSPC   28
#define XEN_ENOSYS   38

/* Domain ids. */
#define DOMID_SELF   0x7FF0

/* console_io commands. */
#define CONSOLEIO_write        0
#define CONSOLEIO_MAX_BYTES    4096

/* Virtual IRQs (EVTCHNOP_bind_virq). */
#define VIRQ_TIMER   0   /* unused by default: the timer arrives as STIP */
#define VIRQ_DEBUG   1

/* multicall: at most this many entries per call. */
#define MULTICALL_MAX_ENTRIES  64

/* Guest pages. */
#define XEN_PAGE_SHIFT  12
#define XEN_PAGE_SIZE   4096

#ifndef __ASSEMBLER__

#include <stdint.h>

typedef uint16_t domid_t;

/*
 * multicall entry (32 bytes). IN: op (hypercall number) and args[0..5] (a0..a5 of that call).
 * OUT: result, the value the call would have returned in a0. Entries run in order; a nested
 * multicall gives -XEN_EINVAL for that entry. The multicall itself returns 0. The hypervisor
 * records its progress so that a failure in the middle can resume it.
 */
struct multicall_entry {
    uint32_t op;
    uint32_t args[6];
    int32_t result;
};

_Static_assert(sizeof(struct multicall_entry) == 32, "multicall_entry is 32 bytes");
_Static_assert(__builtin_offsetof(struct multicall_entry, result) == 28, "result @28");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_XEN_H */
