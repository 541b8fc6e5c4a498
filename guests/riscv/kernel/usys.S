/*
 * usys.S — the system call stubs of U-mode threads (syscall.h): `li a7, <number>; ecall; ret`.
 * They run in U-mode, so the ecall traps to the kernel (scause 8), not to the hypervisor.
 */
#include "syscall.h"

.macro SYSCALL name, number
    .globl sys_\name
    .type sys_\name, @function
    .align 2
sys_\name:
    li a7, \number
    ecall
    ret
    .size sys_\name, . - sys_\name
.endm

    .text
    SYSCALL write, SYS_write
    SYSCALL yield, SYS_yield
    SYSCALL exit,  SYS_exit
    SYSCALL ticks, SYS_ticks
