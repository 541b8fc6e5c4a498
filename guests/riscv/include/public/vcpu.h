/*
 * vcpu.h — __HYPERVISOR_vcpu_op (24): a0 = command, a1 = vcpuid (< the domain's nr_vcpus, else
 * -XEN_EINVAL), a2 = argument pointer. Numbers are Xen's; the context structure is ReHype's
 * (RISC-V: a vCPU starts at pc with sp, a0 and a1 set).
 */
#ifndef REHYPE_PUBLIC_VCPU_H
#define REHYPE_PUBLIC_VCPU_H

#include "xen.h"

#define VCPUOP_initialise          0   /* a2 = ptr to struct vcpu_guest_context; vCPU must be down */
#define VCPUOP_up                  1
#define VCPUOP_down                2
#define VCPUOP_is_up               3   /* returns 0 or 1 */
#define VCPUOP_get_runstate_info   4   /* a2 = ptr to struct vcpu_runstate_info (OUT) */

/* vcpu_runstate_info.state, and the index of time[] */
#define RUNSTATE_running   0
#define RUNSTATE_runnable  1
#define RUNSTATE_blocked   2
#define RUNSTATE_offline   3

#ifndef __ASSEMBLER__

/* IN: where a vCPU that is down starts when brought up (S-mode, satp = 0). */
struct vcpu_guest_context {
    uint32_t pc;
    uint32_t sp;
    uint32_t a0;
    uint32_t a1;
};

/* OUT: current state (RUNSTATE_*), when it was entered, and the time spent in each state
   (virtual cycles). */
struct vcpu_runstate_info {
    uint32_t state;
    uint32_t pad;
    uint64_t state_entry_time;
    uint64_t time[4];
};

_Static_assert(sizeof(struct vcpu_guest_context) == 16, "vcpu_guest_context is 16 bytes");
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info is 48 bytes");
_Static_assert(__builtin_offsetof(struct vcpu_runstate_info, state_entry_time) == 8, "state_entry_time @8");
_Static_assert(__builtin_offsetof(struct vcpu_runstate_info, time) == 16, "time @16");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_VCPU_H */
