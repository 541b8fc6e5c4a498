/*
 * entry.S — the kernel's assembly: the boot entry, the trap entry and exit, the thread context
 * switch, and the first instructions of every U-mode thread.
 *
 * Boot (the ABI's boot protocol): vCPU 0 starts here in S-mode with a0 = gpa of start_info,
 * a1 = vcpu id, satp = 0, sstatus.SIE = 0, every other register 0. We zero .bss (the boot stack
 * is part of it, so nothing may be on it yet), take the boot stack, install trap_entry in
 * stvec (direct mode), and call kernel_main(start_info, vcpu), which does not return.
 *
 * Traps: sscratch is 0 while the hart is in S-mode and holds the running thread's kernel stack
 * top while it is in U-mode. trap_entry swaps sp with sscratch: a non-zero result means the
 * trap came from U-mode and sp is now that kernel stack; zero means it came from S-mode and the
 * frame goes on the current stack. The whole register file, sepc, sstatus, scause and stval
 * are saved in a trap frame (frame.h), trap_handler(frame) runs with interrupts off, and
 * trap_exit restores the frame. Returning to U-mode re-arms sscratch with the kernel stack top.
 * sstatus is restored from the frame because a thread switch in between has run other traps.
 *
 * Thread switch: switch_context(old, new) saves ra, sp and s0..s11 in *old and loads them from
 * *new — the C calling convention says nothing else survives a call. A new thread's context
 * points ra at trap_exit and sp at a prepared trap frame, so its first switch "returns" to
 * U-mode at user_thread_entry.
 */
#include "csr.h"
#include "frame.h"
#include "syscall.h"

    .section .text.start, "ax"
    .globl _start
    .type _start, @function
    .align 2
_start:
    mv s0, a0
    mv s1, a1
    csrw sie, zero
    csrci sstatus, SSTATUS_SIE
    la t0, _bss_start
    la t1, _bss_end
1:  bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 1b
2:  la sp, _stack_top
    csrw sscratch, zero
    la t0, trap_entry
    csrw stvec, t0
    mv a0, s0
    mv a1, s1
    call kernel_main
3:  j 3b
    .size _start, . - _start

    .text
    .globl trap_entry
    .type trap_entry, @function
    .align 4
trap_entry:
    csrrw sp, sscratch, sp
    bnez sp, 1f
    csrrw sp, sscratch, sp          /* from S-mode: back to the interrupted stack, sscratch 0 */
1:  addi sp, sp, -FRAME_SIZE
    sw x1, FRAME_REG(1)(sp)
    sw x3, FRAME_REG(3)(sp)
    sw x4, FRAME_REG(4)(sp)
    sw x5, FRAME_REG(5)(sp)
    sw x6, FRAME_REG(6)(sp)
    sw x7, FRAME_REG(7)(sp)
    sw x8, FRAME_REG(8)(sp)
    sw x9, FRAME_REG(9)(sp)
    sw x10, FRAME_REG(10)(sp)
    sw x11, FRAME_REG(11)(sp)
    sw x12, FRAME_REG(12)(sp)
    sw x13, FRAME_REG(13)(sp)
    sw x14, FRAME_REG(14)(sp)
    sw x15, FRAME_REG(15)(sp)
    sw x16, FRAME_REG(16)(sp)
    sw x17, FRAME_REG(17)(sp)
    sw x18, FRAME_REG(18)(sp)
    sw x19, FRAME_REG(19)(sp)
    sw x20, FRAME_REG(20)(sp)
    sw x21, FRAME_REG(21)(sp)
    sw x22, FRAME_REG(22)(sp)
    sw x23, FRAME_REG(23)(sp)
    sw x24, FRAME_REG(24)(sp)
    sw x25, FRAME_REG(25)(sp)
    sw x26, FRAME_REG(26)(sp)
    sw x27, FRAME_REG(27)(sp)
    sw x28, FRAME_REG(28)(sp)
    sw x29, FRAME_REG(29)(sp)
    sw x30, FRAME_REG(30)(sp)
    sw x31, FRAME_REG(31)(sp)
    csrrw t0, sscratch, zero        /* U-mode: the user sp, and sscratch is 0 from now on */
    bnez t0, 2f
    addi t0, sp, FRAME_SIZE         /* S-mode: the sp before this frame */
2:  sw t0, FRAME_REG(2)(sp)
    csrr t0, sepc
    sw t0, FRAME_SEPC(sp)
    csrr t0, sstatus
    sw t0, FRAME_SSTATUS(sp)
    csrr t0, scause
    sw t0, FRAME_SCAUSE(sp)
    csrr t0, stval
    sw t0, FRAME_STVAL(sp)
    mv a0, sp
    call trap_handler
    /* fall through: sp still points at the frame (sp is callee-saved) */
    .size trap_entry, . - trap_entry

    .globl trap_exit
    .type trap_exit, @function
trap_exit:
    lw t0, FRAME_SSTATUS(sp)
    csrw sstatus, t0                /* SIE stays 0 (the trap cleared it); SPP/SPIE as saved */
    andi t0, t0, SSTATUS_SPP
    bnez t0, 1f
    addi t1, sp, FRAME_SIZE         /* back to U-mode: its next trap starts at this stack top */
    csrw sscratch, t1
1:  lw t0, FRAME_SEPC(sp)
    csrw sepc, t0
    lw x1, FRAME_REG(1)(sp)
    lw x3, FRAME_REG(3)(sp)
    lw x4, FRAME_REG(4)(sp)
    lw x5, FRAME_REG(5)(sp)
    lw x6, FRAME_REG(6)(sp)
    lw x7, FRAME_REG(7)(sp)
    lw x8, FRAME_REG(8)(sp)
    lw x9, FRAME_REG(9)(sp)
    lw x10, FRAME_REG(10)(sp)
    lw x11, FRAME_REG(11)(sp)
    lw x12, FRAME_REG(12)(sp)
    lw x13, FRAME_REG(13)(sp)
    lw x14, FRAME_REG(14)(sp)
    lw x15, FRAME_REG(15)(sp)
    lw x16, FRAME_REG(16)(sp)
    lw x17, FRAME_REG(17)(sp)
    lw x18, FRAME_REG(18)(sp)
    lw x19, FRAME_REG(19)(sp)
    lw x20, FRAME_REG(20)(sp)
    lw x21, FRAME_REG(21)(sp)
    lw x22, FRAME_REG(22)(sp)
    lw x23, FRAME_REG(23)(sp)
    lw x24, FRAME_REG(24)(sp)
    lw x25, FRAME_REG(25)(sp)
    lw x26, FRAME_REG(26)(sp)
    lw x27, FRAME_REG(27)(sp)
    lw x28, FRAME_REG(28)(sp)
    lw x29, FRAME_REG(29)(sp)
    lw x30, FRAME_REG(30)(sp)
    lw x31, FRAME_REG(31)(sp)
    lw x2, FRAME_REG(2)(sp)         /* sp last */
    sret
    .size trap_exit, . - trap_exit

    /* void switch_context(struct context *old, struct context *new) */
    .globl switch_context
    .type switch_context, @function
    .align 2
switch_context:
    sw ra, CONTEXT_RA(a0)
    sw sp, CONTEXT_SP(a0)
    sw s0, CONTEXT_S(0)(a0)
    sw s1, CONTEXT_S(1)(a0)
    sw s2, CONTEXT_S(2)(a0)
    sw s3, CONTEXT_S(3)(a0)
    sw s4, CONTEXT_S(4)(a0)
    sw s5, CONTEXT_S(5)(a0)
    sw s6, CONTEXT_S(6)(a0)
    sw s7, CONTEXT_S(7)(a0)
    sw s8, CONTEXT_S(8)(a0)
    sw s9, CONTEXT_S(9)(a0)
    sw s10, CONTEXT_S(10)(a0)
    sw s11, CONTEXT_S(11)(a0)
    lw ra, CONTEXT_RA(a1)
    lw sp, CONTEXT_SP(a1)
    lw s0, CONTEXT_S(0)(a1)
    lw s1, CONTEXT_S(1)(a1)
    lw s2, CONTEXT_S(2)(a1)
    lw s3, CONTEXT_S(3)(a1)
    lw s4, CONTEXT_S(4)(a1)
    lw s5, CONTEXT_S(5)(a1)
    lw s6, CONTEXT_S(6)(a1)
    lw s7, CONTEXT_S(7)(a1)
    lw s8, CONTEXT_S(8)(a1)
    lw s9, CONTEXT_S(9)(a1)
    lw s10, CONTEXT_S(10)(a1)
    lw s11, CONTEXT_S(11)(a1)
    ret
    .size switch_context, . - switch_context

    /* U-mode: a0 = argument, a1 = int (*fn)(void *). Runs fn and exits with its result. */
    .globl user_thread_entry
    .type user_thread_entry, @function
    .align 2
user_thread_entry:
    jalr a1
    li a7, SYS_exit
    ecall
1:  j 1b
    .size user_thread_entry, . - user_thread_entry
