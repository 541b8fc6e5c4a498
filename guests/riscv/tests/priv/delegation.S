/*
 * delegation.S - which traps reach the guest's own S-mode handler (stvec) and with what state.
 *
 * Under the bare monitor the exceptions a guest kernel handles itself (illegal instruction,
 * breakpoint, ecall from U, misaligned fetch/load/store) are delegated: they must arrive at stvec
 * in S-mode with scause, stval and sepc set as the privileged spec says, and with sstatus showing
 * where they came from (SPP) and the interrupt-enable state before the trap (SPIE). An ecall from
 * S-mode is not delegated: it is a monitor call, answered by the monitor without the guest's
 * handler ever running.
 *
 * Exit 0 = all cases passed; exit N = case N failed (its description is printed first; cases start at 2).
 */
#include "priv.h"

#define HELLO_BYTES 30

    .section .rodata
hello:
    .ascii "delegation: write from S-mode\n"     /* HELLO_BYTES long */

    .text
main:
    /* ---- exceptions raised in S-mode ---- */

    CASE 2, "illegal instruction in S-mode: scause 2, stval = instruction, sepc, SPP=S"
1:  .word 0x00000053                 /* fadd.s: no F extension */
    EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    LOAD_INSN t3, 1b
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, 1b
    EXPECT_TF_STATUS SSTATUS_SPP|SSTATUS_SIE, SSTATUS_SPP

    CASE 3, "all-zero instruction word is illegal"
2:  .word 0x00000000
    EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF TF_TVAL, 0
    EXPECT_TF_LABEL TF_EPC, 2b

    CASE 4, "ebreak in S-mode: scause 3, sepc = the ebreak"
3:  ebreak
    EXPECT_TRAP 1, CAUSE_BREAKPOINT
    EXPECT_TF_LABEL TF_EPC, 3b
    /* stval is either 0 or the breakpoint address */
    la t0, trap_frame
    lw t3, TF_TVAL(t0)
    beqz t3, 4f
    EXPECT_LABEL t3, 3b
4:

    CASE 5, "trap from S with SIE=1: SPIE=1, SIE=0, SPP=S in the handler; SIE=1 again after sret"
    csrsi sstatus, SSTATUS_SIE
5:  ebreak
    csrr s0, sstatus
    csrci sstatus, SSTATUS_SIE
    EXPECT_TRAP 1, CAUSE_BREAKPOINT
    EXPECT_TF_LABEL TF_EPC, 5b
    EXPECT_TF_STATUS SSTATUS_SPP|SSTATUS_SPIE|SSTATUS_SIE, SSTATUS_SPP|SSTATUS_SPIE
    andi s0, s0, SSTATUS_SIE
    EXPECT s0, SSTATUS_SIE

    CASE 6, "misaligned lw: scause 4, stval = address, destination unchanged"
    la s1, data_words
    li a0, 0x1234
6:  lw a0, 1(s1)
    EXPECT_TRAP 1, CAUSE_LOAD_MISALIGNED
    addi t3, s1, 1
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, 6b
    EXPECT a0, 0x1234

    CASE 7, "misaligned lh and lhu: scause 4"
    la s1, data_words
7:  lh a0, 3(s1)
    EXPECT_TRAP 1, CAUSE_LOAD_MISALIGNED
    addi t3, s1, 3
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, 7b
8:  lhu a0, 5(s1)
    EXPECT_TRAP 2, CAUSE_LOAD_MISALIGNED
    addi t3, s1, 5
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, 8b

    CASE 8, "misaligned sw: scause 6, stval = address, memory unchanged"
    la s1, data_words
    li a0, -1
9:  sw a0, 2(s1)
    EXPECT_TRAP 1, CAUSE_STORE_MISALIGNED
    addi t3, s1, 2
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, 9b
    lw t3, 0(s1)
    EXPECT t3, 0x11223344
    lw t3, 4(s1)
    EXPECT t3, 0x55667788

    CASE 9, "misaligned sh: scause 6"
    la s1, data_words
10: sh a0, 1(s1)
    EXPECT_TRAP 1, CAUSE_STORE_MISALIGNED
    addi t3, s1, 1
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, 10b
    lw t3, 0(s1)
    EXPECT t3, 0x11223344

    CASE 10, "misaligned amoadd.w, lr.w and sc.w: scause 6"
    la s1, data_words
    addi s2, s1, 2
    li a1, 1
11: amoadd.w a0, a1, (s2)
    EXPECT_TRAP 1, CAUSE_STORE_MISALIGNED
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 11b
12: lr.w a0, (s2)
    EXPECT_TRAP 2, CAUSE_STORE_MISALIGNED
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 12b
13: sc.w a0, a1, (s2)
    EXPECT_TRAP 3, CAUSE_STORE_MISALIGNED
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 13b
    lw t3, 0(s1)
    EXPECT t3, 0x11223344
    lw t3, 4(s1)
    EXPECT t3, 0x55667788

    CASE 11, "jalr to a 2-aligned target: scause 0 on the jump, stval = target, rd unchanged"
    la s1, jump_target
    addi s2, s1, 2
    li ra, 0x5555
14: jalr ra, 0(s2)
    EXPECT_TRAP 1, CAUSE_FETCH_MISALIGNED
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 14b
    EXPECT ra, 0x5555

    CASE 12, "taken branch to a 2-aligned target: scause 0; not-taken branch: no trap"
15: beq zero, zero, jump_target + 2
    EXPECT_TRAP 1, CAUSE_FETCH_MISALIGNED
    la t3, jump_target + 2
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, 15b
    TRAP_RESET
    li a0, 1
    beq a0, zero, jump_target + 2
    EXPECT_NO_TRAP

    CASE 13, "jal to a 2-aligned target: scause 0, rd unchanged"
    li ra, 0x6666
16: jal ra, jump_target + 2
    EXPECT_TRAP 1, CAUSE_FETCH_MISALIGNED
    la t3, jump_target + 2
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, 16b
    EXPECT ra, 0x6666

    /* ---- exceptions raised in U-mode (satp = 0: U-mode runs from the program's own pages) ---- */

    CASE 14, "ecall from U-mode: scause 8, sepc = the ecall, SPP=U, delivered in S-mode"
    RUN_U u_ecall, 17f
17: EXPECT_TRAP 1, CAUSE_ECALL_U
    EXPECT_TF_LABEL TF_EPC, u_ecall
    EXPECT_TF TF_TVAL, 0
    EXPECT_TF_STATUS SSTATUS_SPP|SSTATUS_SIE, 0
    /* back in S-mode: sstatus is readable again */
    EXPECT_SSTATUS SSTATUS_SPP, 0

    CASE 15, "illegal instruction in U-mode: scause 2, stval = instruction, SPP=U"
    RUN_U u_illegal, 18f
18: EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, u_illegal
    LOAD_INSN t3, u_illegal
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_STATUS SSTATUS_SPP, 0

    CASE 16, "ebreak in U-mode: scause 3, SPP=U"
    RUN_U u_ebreak, 19f
19: EXPECT_TRAP 1, CAUSE_BREAKPOINT
    EXPECT_TF_LABEL TF_EPC, u_ebreak
    EXPECT_TF_STATUS SSTATUS_SPP, 0

    CASE 17, "misaligned load and store in U-mode: scause 4 then 6, stval = address"
    la s1, data_words
    addi s2, s1, 1
    mv a0, s2
    RUN_U u_misaligned_load, 20f
20: EXPECT_TRAP 1, CAUSE_LOAD_MISALIGNED
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, u_misaligned_load
    EXPECT_TF_STATUS SSTATUS_SPP, 0
    TRAP_RESET
    mv a0, s2
    RUN_U u_misaligned_store, 21f
21: EXPECT_TRAP 1, CAUSE_STORE_MISALIGNED
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, u_misaligned_store

    CASE 18, "U-mode trap handler returning to sepc+4 stays in U-mode"
    /* u_two_ecalls: the first ecall returns to U at sepc+4 (no resume point yet); U-mode then sets
     * one (satp = 0: it can reach trap_frame) and its second ecall comes back here. */
    la t0, u_two_ecalls
    csrw sepc, t0
    li t0, SSTATUS_SPP
    csrc sstatus, t0
    sret
22: EXPECT_TRAP 2, CAUSE_ECALL_U
    EXPECT_LOG 0, CAUSE_ECALL_U
    EXPECT_LOG 1, CAUSE_ECALL_U
    EXPECT_TF_STATUS SSTATUS_SPP, 0
    EXPECT_TF_LABEL TF_EPC, u_second_ecall

    /* ---- ecall from S-mode is a monitor call, never delivered to stvec ---- */

    CASE 19, "ecall from S-mode goes to the monitor: write returns len, no guest trap"
    li a0, 1
    la a1, hello
    li a2, HELLO_BYTES
    MCALL MON_WRITE
    EXPECT_NO_TRAP
    EXPECT a0, HELLO_BYTES

    CASE 20, "monitor call preserves the guest's registers other than a0"
    li s3, 0x13572468
    li t3, 0x2468ace0
    li a1, 0
    li a2, 0
    li a0, MON_STDOUT
    MCALL MON_WRITE
    EXPECT_NO_TRAP
    EXPECT a0, 0
    EXPECT s3, 0x13572468
    EXPECT t3, 0x2468ace0
    EXPECT a7, MON_WRITE
    csrr t3, sstatus
    andi t3, t3, SSTATUS_SPP
    /* still in S-mode: reading sstatus did not trap */
    EXPECT_NO_TRAP

    j pass

/* ---- U-mode snippets (reached by sret; each ends in a trap) ---- */
    .balign 4
u_ecall:
    ecall
u_illegal:
    csrr a0, sscratch
u_ebreak:
    ebreak
u_misaligned_load:
    lw a1, 0(a0)
u_misaligned_store:
    sw a1, 0(a0)
u_two_ecalls:
    ecall
    RESUME_AT 22b
u_second_ecall:
    ecall

    .balign 16
jump_target:
    nop
    nop
    j fail


    .data
    .balign 8
data_words:
    .word 0x11223344
    .word 0x55667788
    .word 0x99aabbcc
    .word 0xddeeff00
