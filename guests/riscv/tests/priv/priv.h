/*
 * priv.h - scaffolding shared by the privilege, trap and translation test programs
 * (riscv/tests/priv and riscv/tests/vm). Each program includes it exactly once, first thing;
 * it builds on the common test convention (test.h: monitor calls, CSR bits, s11 = TEST_NUM,
 * test_pass/test_fail in test_rt.S) and adds what programs that provoke traps on purpose need:
 * names for guest-page faults and Sv32 PTE bits, checking macros, and a runtime with _start
 * (stack, stvec, then `main`), a recording trap handler instead of test_trap, and `pass`/`fail`.
 *
 * Conventions
 *   s11 = TEST_NUM, the case being run (the exit code on failure; cases are numbered from 2,
 *   1 is the set-up); s10 = the case's description, printed by `fail` before test_fail's line.
 *   t0..t2 and t6 are scratch for the macros; everything else belongs to the program.
 *   The trap handler preserves every register. It records the trap in `trap_frame`:
 *
 *     offset  field
 *     +0      count     traps taken since the last CASE / TRAP_RESET
 *     +4      cause     scause of the last trap (-1 = none)
 *     +8      tval      stval of the last trap
 *     +12     epc       sepc of the last trap
 *     +16     status    sstatus as seen on entry to the handler
 *     +20     vector    stvec slot the trap arrived through (-1 = direct entry)
 *     +24     resume    if non-zero: the next exception returns here, in S-mode (then cleared)
 *     +28     busy      set while the handler runs (a nested trap ends the run via test_trap)
 *     +32     t1, t2    saved registers
 *     +40     log[8]    scause of the first eight traps, in order
 *     +72     vmask     bit n set when a trap arrived through stvec slot n (vectored mode)
 *
 *   On an exception the handler returns to `resume` in S-mode if one was set (RESUME_AT),
 *   otherwise to sepc + 4 in the mode the trap came from. On an interrupt it returns to sepc
 *   unchanged and clears the interrupt's enable bit in sie, so that a still-pending source
 *   is not taken again until the program re-enables it.
 *
 * Programs never check anything while in U-mode: U-mode code leaves results in registers and
 * ends with a trap (usually ecall) that brings it back to S-mode, where the checks run.
 */
#ifndef REHYPE_PRIV_H
#define REHYPE_PRIV_H

#include "test.h"

/* Exception causes test.h does not name: guest-page faults are seen by the monitor only. */
#define CAUSE_FETCH_GUEST_PAGE_FAULT  20
#define CAUSE_LOAD_GUEST_PAGE_FAULT   21
#define CAUSE_VIRTUAL_INSTRUCTION     22
#define CAUSE_STORE_GUEST_PAGE_FAULT  23

/* Interrupt codes (sip/sie bit numbers). */
#define IRQ_S_SOFT    1
#define IRQ_S_TIMER   5
#define IRQ_S_EXT     9
#define VIRQ_ALL      (SIP_SSIP | SIP_STIP | SIP_SEIP)

/* Sv32 page-table entry bits. */
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80
#define PAGE_BYTES 4096
#define SUPERPAGE_BYTES 0x400000

/* trap_frame offsets (see the diagram above) */
#define TF_COUNT   0
#define TF_CAUSE   4
#define TF_TVAL    8
#define TF_EPC     12
#define TF_STATUS  16
#define TF_VECTOR  20
#define TF_RESUME  24
#define TF_BUSY    28
#define TF_T1      32
#define TF_T2      36
#define TF_LOG     40
#define TF_LOG_ENTRIES 8
#define TF_VMASK   (TF_LOG + 4 * TF_LOG_ENTRIES)
#define TF_BYTES   (TF_VMASK + 4)

/* ---------------------------------------------------------------- macros */

/* Monitor call number `num` (arguments already in a0..a2). */
.macro MCALL num
    li a7, \num
    ecall
.endm

/* Start case `n`: name it, forget earlier traps. */
.macro CASE n, desc
    li TEST_NUM, \n
    .pushsection .rodata
.Lcase_desc_\@:
    .asciz "\desc"
    .popsection
    la s10, .Lcase_desc_\@
    TRAP_RESET
.endm

.macro TRAP_RESET
    la t0, trap_frame
    sw zero, TF_COUNT(t0)
    li t1, -1
    sw t1, TF_CAUSE(t0)
    sw t1, TF_VECTOR(t0)
    sw zero, TF_TVAL(t0)
    sw zero, TF_EPC(t0)
    sw zero, TF_RESUME(t0)
    sw zero, TF_VMASK(t0)
.endm

/* The next exception returns to `label` in S-mode. */
.macro RESUME_AT label
    la t0, \label
    la t1, trap_frame
    sw t0, TF_RESUME(t1)
.endm

/* Leave S-mode for U-mode at `code`; the first exception there comes back to `back` in S. */
.macro RUN_U code, back
    RESUME_AT \back
    la t0, \code
    csrw sepc, t0
    li t0, SSTATUS_SPP
    csrc sstatus, t0
    sret
.endm

/* Same, with the U-mode entry point given as an absolute (virtual) address. */
.macro RUN_U_AT va, back
    RESUME_AT \back
    li t0, \va
    csrw sepc, t0
    li t0, SSTATUS_SPP
    csrc sstatus, t0
    sret
.endm

/* sstatus |= mask / sstatus &= ~mask, for masks too wide for csrsi/csrci. Clobber t0. */
.macro SSTATUS_SET mask
    li t0, \mask
    csrs sstatus, t0
.endm

.macro SSTATUS_CLEAR mask
    li t0, \mask
    csrc sstatus, t0
.endm

/* Fail unless register `reg` == constant `value`. */
.macro EXPECT reg, value
    li t6, \value
    bne \reg, t6, fail
.endm

/* Fail unless register `reg` == register `other`. */
.macro EXPECT_REG reg, other
    bne \reg, \other, fail
.endm

/* Fail unless register `reg` holds the address of `label`. */
.macro EXPECT_LABEL reg, label
    la t6, \label
    bne \reg, t6, fail
.endm

/* Fail unless trap_frame field `field` == constant `value`. */
.macro EXPECT_TF field, value
    la t0, trap_frame
    lw t1, \field(t0)
    li t6, \value
    bne t1, t6, fail
.endm

/* Fail unless trap_frame field `field` == register `reg` (reg must not be t0, t1, t6). */
.macro EXPECT_TF_REG field, reg
    la t0, trap_frame
    lw t1, \field(t0)
    bne t1, \reg, fail
.endm

/* Fail unless trap_frame field `field` == address of `label`. */
.macro EXPECT_TF_LABEL field, label
    la t0, trap_frame
    lw t1, \field(t0)
    la t6, \label
    bne t1, t6, fail
.endm

/* Fail unless (trap_frame.status & mask) == value. */
.macro EXPECT_TF_STATUS mask, value
    la t0, trap_frame
    lw t1, TF_STATUS(t0)
    li t6, \mask
    and t1, t1, t6
    li t6, \value
    bne t1, t6, fail
.endm

/* Fail unless (sstatus & mask) == value, read now. */
.macro EXPECT_SSTATUS mask, value
    csrr t1, sstatus
    li t6, \mask
    and t1, t1, t6
    li t6, \value
    bne t1, t6, fail
.endm

/* Fail unless exactly `n` traps were taken, the last with scause `cause`. */
.macro EXPECT_TRAP n, cause
    EXPECT_TF TF_COUNT, \n
    EXPECT_TF TF_CAUSE, \cause
.endm

/* Fail unless no trap was taken since the case began. */
.macro EXPECT_NO_TRAP
    EXPECT_TF TF_COUNT, 0
.endm

/* Fail unless log entry `i` (0-based) holds scause `cause`. */
.macro EXPECT_LOG i, cause
    EXPECT_TF (TF_LOG + 4 * \i), \cause
.endm

/* reg = the 32-bit instruction word stored at `label` (used to check stval = instruction). */
.macro LOAD_INSN reg, label
    la \reg, \label
    lw \reg, 0(\reg)
.endm

/* Store PTE for the 4 KiB frame at `label` with `flags` into word `index` of the table at `table`
 * (a register). Clobbers t0. */
.macro SET_PTE table, index, label, flags
    la t0, \label
    srli t0, t0, 12
    slli t0, t0, 10
    ori t0, t0, \flags
    sw t0, (4 * (\index))(\table)
.endm

/* ---------------------------------------------------------------- runtime */

    .section .rodata
priv_nested_msg:
    .asciz "trap inside the trap handler\n"
priv_newline:
    .asciz "\n"
priv_setup_desc:
    .asciz "set-up"

    .section .text.start, "ax"
    .globl _start
    .align 2
_start:
    la sp, _stack_top
    li TEST_NUM, 1
    la s10, priv_setup_desc
    la t0, trap_entry
    csrw stvec, t0
    csrw sie, zero
    csrw sstatus, zero
    la t0, trap_frame
    sw zero, TF_BUSY(t0)
    TRAP_RESET
    j main

    .text
/* Direct-mode trap entry; vector stubs enter at trap_record with t0 = &trap_frame,
 * t1 saved and TF_VECTOR already written. */
    .balign 4
    .globl trap_entry
trap_entry:
    csrw sscratch, t0
    la t0, trap_frame
    sw t1, TF_T1(t0)
    li t1, -1
    sw t1, TF_VECTOR(t0)
    .globl trap_record
trap_record:
    sw t2, TF_T2(t0)
    lw t1, TF_BUSY(t0)
    bnez t1, trap_nested
    li t1, 1
    sw t1, TF_BUSY(t0)
    csrr t1, scause
    sw t1, TF_CAUSE(t0)
    csrr t2, stval
    sw t2, TF_TVAL(t0)
    csrr t2, sepc
    sw t2, TF_EPC(t0)
    csrr t2, sstatus
    sw t2, TF_STATUS(t0)
    lw t2, TF_COUNT(t0)
    sltiu t1, t2, TF_LOG_ENTRIES
    beqz t1, 1f
    slli t1, t2, 2
    add t1, t1, t0
    csrr t2, scause
    sw t2, TF_LOG(t1)
    lw t2, TF_COUNT(t0)
1:  addi t2, t2, 1
    sw t2, TF_COUNT(t0)
    lw t1, TF_CAUSE(t0)
    bltz t1, 3f
    /* exception */
    lw t2, TF_RESUME(t0)
    beqz t2, 2f
    sw zero, TF_RESUME(t0)
    csrw sepc, t2
    li t1, SSTATUS_SPP
    csrs sstatus, t1
    j 4f
2:  csrr t2, sepc
    addi t2, t2, 4
    csrw sepc, t2
    j 4f
    /* interrupt: mask its source in sie */
3:  andi t1, t1, 31
    li t2, 1
    sll t2, t2, t1
    csrc sie, t2
4:  sw zero, TF_BUSY(t0)
    lw t1, TF_T1(t0)
    lw t2, TF_T2(t0)
    csrr t0, sscratch
    sret

/* A trap while the handler runs: the program state is beyond checking; report and stop. */
trap_nested:
    csrw satp, zero
    sfence.vma
    la a1, priv_nested_msg
    jal priv_puts
    j test_trap

/* All cases passed (translation off first, so the monitor sees plain guest-physical state). */
    .globl pass
pass:
    csrw satp, zero
    sfence.vma
    j test_pass

/* Case TEST_NUM failed: print its description, then test_fail reports the number and exits. */
    .globl fail
fail:
    csrw satp, zero
    sfence.vma
    mv a1, s10
    jal priv_puts
    la a1, priv_newline
    jal priv_puts
    j test_fail

/* Write the NUL-terminated string at a1 to the console. Clobbers a0, a2, a7, t1, t3. */
priv_puts:
    mv t3, a1
1:  lbu t1, 0(t3)
    beqz t1, 2f
    addi t3, t3, 1
    j 1b
2:  sub a2, t3, a1
    li a0, MON_STDOUT
    MCALL MON_WRITE
    ret

    .bss
    .balign 64
    .globl trap_frame
trap_frame:
    .skip TF_BYTES

    .text
#endif
