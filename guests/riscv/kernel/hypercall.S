/*
 * hypercall.S — the hypercall stubs: one function per hypercall of the ReHype ABI, each
 * `li a7, <number>; ecall; ret`. Arguments arrive in a0..a5 by the C calling convention and
 * stay there; the hypervisor returns the result in a0 and preserves every other register.
 * One symbol per hypercall, so that a guest pc inside a hypercall names it
 * (HYPERVISOR_sched_op+4 is the ecall). Typed wrappers are in hypercall.h.
 */
#include "public/xen.h"

.macro HYPERCALL name, number
    .globl HYPERVISOR_\name
    .type HYPERVISOR_\name, @function
    .align 2
HYPERVISOR_\name:
    li a7, \number
    ecall
    ret
    .size HYPERVISOR_\name, . - HYPERVISOR_\name
.endm

    .text
    HYPERCALL memory_op,        __HYPERVISOR_memory_op
    HYPERCALL multicall,        __HYPERVISOR_multicall
    HYPERCALL set_timer_op,     __HYPERVISOR_set_timer_op
    HYPERCALL console_io,       __HYPERVISOR_console_io
    HYPERCALL grant_table_op,   __HYPERVISOR_grant_table_op
    HYPERCALL vcpu_op,          __HYPERVISOR_vcpu_op
    HYPERCALL sched_op,         __HYPERVISOR_sched_op
    HYPERCALL event_channel_op, __HYPERVISOR_event_channel_op
    HYPERCALL domctl,           __HYPERVISOR_domctl
