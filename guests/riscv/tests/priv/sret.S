/*
 * sret.S - mode changes through sret and traps, and what U-mode may not do.
 *
 * sret in S-mode: pc = sepc, mode = SPP, SIE = SPIE, SPIE = 1, SPP = U. A trap back into
 * S-mode then shows the U-mode interrupt-enable state in SPIE and U in SPP. U-mode may not
 * execute sret, sfence.vma or wfi, nor touch any S-mode CSR (illegal instruction, stval =
 * the instruction); it may read the cycle, time and instret counters. Unknown CSRs and writes
 * to read-only CSRs are illegal in S-mode too. sstatus keeps only SIE, SPIE, SPP, SUM, MXR.
 *
 * Exit 0 = all cases passed; exit N = case N failed (its description is printed first; cases start at 2).
 */
#include "priv.h"

    .text
main:
    CASE 2, "sret with SPP=S: pc = sepc, SIE = old SPIE (0), SPIE = 1, SPP = U"
    li t0, SSTATUS_SPP
    csrs sstatus, t0
    csrsi sstatus, SSTATUS_SIE
    SSTATUS_CLEAR SSTATUS_SPIE
    la t0, 1f
    csrw sepc, t0
    sret
    j fail
1:  EXPECT_SSTATUS SSTATUS_SIE|SSTATUS_SPIE|SSTATUS_SPP, SSTATUS_SPIE
    EXPECT_NO_TRAP

    CASE 3, "sret with SPP=S, SPIE=1: SIE becomes 1"
    li t0, SSTATUS_SPP|SSTATUS_SPIE
    csrs sstatus, t0
    csrci sstatus, SSTATUS_SIE
    la t0, 2f
    csrw sepc, t0
    sret
    j fail
2:  EXPECT_SSTATUS SSTATUS_SIE|SSTATUS_SPIE|SSTATUS_SPP, SSTATUS_SIE|SSTATUS_SPIE
    csrci sstatus, SSTATUS_SIE
    EXPECT_NO_TRAP

    CASE 4, "sret with SPP=U, SPIE=1 enters U-mode with SIE=1; the ecall back shows SPP=U, SPIE=1, SIE=0"
    SSTATUS_SET SSTATUS_SPIE
    csrci sstatus, SSTATUS_SIE
    RUN_U u_ecall, 3f
3:  EXPECT_TRAP 1, CAUSE_ECALL_U
    EXPECT_TF_LABEL TF_EPC, u_ecall
    EXPECT_TF_STATUS SSTATUS_SIE|SSTATUS_SPIE|SSTATUS_SPP, SSTATUS_SPIE
    /* the handler's sret (SPP forced to S, SPIE=1) leaves SIE=1, SPIE=1, SPP=U */
    EXPECT_SSTATUS SSTATUS_SIE|SSTATUS_SPIE|SSTATUS_SPP, SSTATUS_SIE|SSTATUS_SPIE
    csrci sstatus, SSTATUS_SIE

    CASE 5, "sret with SPP=U, SPIE=0 enters U-mode with SIE=0; the ecall back shows SPIE=0, the return SPIE=1"
    SSTATUS_CLEAR SSTATUS_SPIE
    csrci sstatus, SSTATUS_SIE
    RUN_U u_ecall, 4f
4:  EXPECT_TRAP 1, CAUSE_ECALL_U
    EXPECT_TF_STATUS SSTATUS_SIE|SSTATUS_SPIE|SSTATUS_SPP, 0
    /* the handler's sret: SIE = SPIE (0), SPIE = 1, SPP = U */
    EXPECT_SSTATUS SSTATUS_SIE|SSTATUS_SPIE|SSTATUS_SPP, SSTATUS_SPIE

    CASE 6, "sret in U-mode is illegal: scause 2, stval = 0x10200073"
    RUN_U u_sret, 5f
5:  EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF TF_TVAL, 0x10200073
    EXPECT_TF_LABEL TF_EPC, u_sret
    EXPECT_TF_STATUS SSTATUS_SPP, 0

    CASE 7, "csrr sstatus in U-mode is illegal: stval = the instruction"
    RUN_U u_read_sstatus, 6f
6:  EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    LOAD_INSN t3, u_read_sstatus
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, u_read_sstatus

    CASE 8, "csrw sstatus in U-mode is illegal and changes nothing"
    csrci sstatus, SSTATUS_SIE
    li t2, -1
    RUN_U u_write_sstatus, 7f
7:  EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    LOAD_INSN t3, u_write_sstatus
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_STATUS SSTATUS_SIE|SSTATUS_SUM|SSTATUS_MXR, 0

    CASE 9, "stvec, sepc, scause, stval, sscratch, sie, sip, satp from U-mode are illegal"
    RUN_U u_stvec, 8f
8:  EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, u_stvec
    RUN_U u_sepc, 9f
9:  EXPECT_TRAP 2, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, u_sepc
    RUN_U u_scause, 10f
10: EXPECT_TRAP 3, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, u_scause
    RUN_U u_stval, 11f
11: EXPECT_TRAP 4, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, u_stval
    RUN_U u_sscratch, 12f
12: EXPECT_TRAP 5, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, u_sscratch
    RUN_U u_sie, 13f
13: EXPECT_TRAP 6, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, u_sie
    RUN_U u_sip, 14f
14: EXPECT_TRAP 7, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, u_sip
    RUN_U u_satp, 15f
15: EXPECT_TRAP 8, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, u_satp
    /* the U-mode write to stvec did not land */
    csrr t3, stvec
    EXPECT_LABEL t3, trap_entry

    CASE 10, "wfi in U-mode is illegal: stval = 0x10500073"
    RUN_U u_wfi, 16f
16: EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF TF_TVAL, 0x10500073
    EXPECT_TF_LABEL TF_EPC, u_wfi

    CASE 11, "sfence.vma in U-mode is illegal"
    RUN_U u_sfence, 17f
17: EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    LOAD_INSN t3, u_sfence
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, u_sfence

    CASE 12, "cycle, time, instret (and the high halves) are readable from U-mode"
    RUN_U u_counters, 18f
18: EXPECT_TRAP 1, CAUSE_ECALL_U
    EXPECT_TF_LABEL TF_EPC, u_counters_end
    /* the counters were read: instret/cycle advance between reads */
    bgeu a0, a3, fail
    bgeu a2, a4, fail

    CASE 13, "ecall from U-mode after U-mode register work keeps U-mode registers intact"
    li a0, 7
    li a1, 35
    RUN_U u_compute, 19f
19: EXPECT_TRAP 1, CAUSE_ECALL_U
    EXPECT a2, 42
    EXPECT a0, 7

    CASE 14, "unknown and M-mode CSRs are illegal in S-mode"
20: csrr a0, mstatus
    EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    LOAD_INSN t3, 20b
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, 20b
21: csrr a0, 0x5c0                   /* custom S-mode read/write CSR: not implemented */
    EXPECT_TRAP 2, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, 21b
22: csrr a0, 0x600                   /* hstatus: no H extension */
    EXPECT_TRAP 3, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, 22b
23: csrr a0, 0x105 + 0x40            /* sip is 0x144; 0x145 is not a CSR */
    EXPECT_TRAP 4, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, 23b

    CASE 15, "writing a read-only counter is illegal; reading it with rs1=x0 is not"
24: csrw cycle, zero
    EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    LOAD_INSN t3, 24b
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_LABEL TF_EPC, 24b
25: csrrwi a0, time, 0
    EXPECT_TRAP 2, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, 25b
26: csrrsi a0, instret, 1
    EXPECT_TRAP 3, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, 26b
    csrrs a0, cycle, zero
    csrrc a0, time, zero
    csrrsi a0, instret, 0
    csrrci a0, cycleh, 0
    EXPECT_TRAP 3, CAUSE_ILLEGAL_INSTRUCTION

    CASE 16, "csrrs on a read-only counter with a non-x0 zero register is still a write: illegal"
    li a1, 0
27: csrrs a0, cycle, a1
    EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF_LABEL TF_EPC, 27b

    CASE 17, "sstatus keeps only SIE, SPIE, SPP, SUM, MXR"
    csrr s0, sstatus
    li t0, -1
    csrw sstatus, t0
    csrr s1, sstatus
    csrw sstatus, zero
    csrr s2, sstatus
    csrw sstatus, s0
    EXPECT s1, SSTATUS_SIE|SSTATUS_SPIE|SSTATUS_SPP|SSTATUS_SUM|SSTATUS_MXR
    EXPECT s2, 0
    EXPECT_NO_TRAP

    CASE 18, "sie keeps only SSIE, STIE, SEIE; sscratch and sepc hold what is written"
    li t0, -1
    csrw sie, t0
    csrr s1, sie
    csrw sie, zero
    EXPECT s1, SIP_SSIP|SIP_STIP|SIP_SEIP
    li t0, 0xdeadbeef
    csrw sscratch, t0
    csrr s1, sscratch
    EXPECT s1, 0xdeadbeef
    li t0, 0x80001234
    csrw sepc, t0
    csrr s1, sepc
    /* sepc bit 0 always reads 0; bit 1 is kept (IALIGN=32 may mask it when C is absent) */
    andi s1, s1, -4
    EXPECT s1, 0x80001234
    csrrw s1, sscratch, zero
    EXPECT s1, 0xdeadbeef
    EXPECT_NO_TRAP

    CASE 19, "csrrw/csrrs/csrrc return the old value and apply the new one"
    li t0, 0x0f0
    csrw sscratch, t0
    li t3, 0xf00
    csrrs a0, sscratch, t3
    EXPECT a0, 0x0f0
    li t3, 0x0f0
    csrrc a0, sscratch, t3
    EXPECT a0, 0xff0
    csrrwi a0, sscratch, 5
    EXPECT a0, 0xf00
    csrr a0, sscratch
    EXPECT a0, 5
    EXPECT_NO_TRAP

    CASE 20, "a trap while in S-mode entered by sret from S keeps SPP=S"
    li t0, SSTATUS_SPP
    csrs sstatus, t0
    la t0, 28f
    csrw sepc, t0
    sret
28: ebreak
    EXPECT_TRAP 1, CAUSE_BREAKPOINT
    EXPECT_TF_STATUS SSTATUS_SPP, SSTATUS_SPP

    CASE 21, "mret, hfence.vvma and hlv.b (SYSTEM encodings of M-mode and the H extension) are illegal in S-mode"
29: .word 0x30200073                 /* mret */
    EXPECT_TRAP 1, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF TF_TVAL, 0x30200073
    EXPECT_TF_LABEL TF_EPC, 29b
30: .word 0x22000073                 /* hfence.vvma */
    EXPECT_TRAP 2, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF TF_TVAL, 0x22000073
    EXPECT_TF_LABEL TF_EPC, 30b
31: .word 0x6005c573                 /* hlv.b a0, (a1) */
    EXPECT_TRAP 3, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF TF_TVAL, 0x6005c573
    EXPECT_TF_LABEL TF_EPC, 31b

    j pass

/* ---- U-mode snippets ---- */
    .balign 4
u_ecall:
    ecall
u_sret:
    sret
u_read_sstatus:
    csrr a0, sstatus
u_write_sstatus:
    csrw sstatus, t2
u_stvec:
    csrw stvec, zero
u_sepc:
    csrr a0, sepc
u_scause:
    csrr a0, scause
u_stval:
    csrr a0, stval
u_sscratch:
    csrw sscratch, zero
u_sie:
    csrr a0, sie
u_sip:
    csrr a0, sip
u_satp:
    csrr a0, satp
u_wfi:
    wfi
u_sfence:
    sfence.vma
u_counters:
    rdinstret a0
    rdcycle a2
    rdtime a1
    rdcycleh t3
    rdtimeh t3
    rdinstreth t3
    rdinstret a3
    rdcycle a4
u_counters_end:
    ecall
u_compute:
    add a2, a0, a1
    ecall
