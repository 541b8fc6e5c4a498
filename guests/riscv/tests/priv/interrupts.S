/*
 * interrupts.S - virtual interrupts asserted by the monitor and how the guest takes them.
 *
 * The monitor asserts SSIP/STIP/SEIP for the guest with set_virq and withdraws them with
 * clear_virq; the guest may also set sip.SSIP itself. An interrupt is pending when it is
 * asserted (or sip.SSIP is set) and enabled in sie; it is taken in U-mode always and in S-mode
 * only while sstatus.SIE=1, as soon as those conditions hold. Priority SEI > SSI > STI.
 * scause = 0x80000000 | code; a vectored stvec sends interrupt `code` to BASE + 4*code while
 * exceptions still go to BASE.
 *
 * Exit 0 = all cases passed; exit N = case N failed (its description is printed first; cases start at 2).
 */
#include "priv.h"

/* t3 = sip & (SSIP|STIP|SEIP) */
.macro READ_SIP
    csrr t3, sip
    li t6, VIRQ_ALL
    and t3, t3, t6
.endm

.macro SET_VIRQ mask
    li a0, \mask
    MCALL MON_SET_VIRQ
.endm

.macro CLEAR_VIRQ mask
    li a0, \mask
    MCALL MON_CLEAR_VIRQ
.endm

    .text
main:
    CASE 2, "asserted SSIP shows in sip but is not taken while sstatus.SIE=0"
    li t0, SIP_SSIP
    csrw sie, t0
    SET_VIRQ SIP_SSIP
    nop
    nop
    EXPECT_NO_TRAP
    READ_SIP
    EXPECT t3, SIP_SSIP

    CASE 3, "asserted SSIP is not taken while sie.SSIE=0 even with SIE=1"
    csrw sie, zero
    csrsi sstatus, SSTATUS_SIE
    nop
    nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_NO_TRAP

    CASE 4, "SSI is taken right after sie.SSIE is set: scause 0x80000001, sepc = next instruction"
    csrsi sstatus, SSTATUS_SIE
    li t0, SIP_SSIP
    csrs sie, t0
1:  nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_TRAP 1, CAUSE_INTERRUPT|IRQ_S_SOFT
    EXPECT_TF_LABEL TF_EPC, 1b
    EXPECT_TF TF_TVAL, 0
    EXPECT_TF_STATUS SSTATUS_SPP|SSTATUS_SPIE|SSTATUS_SIE, SSTATUS_SPP|SSTATUS_SPIE
    CLEAR_VIRQ SIP_SSIP
    READ_SIP
    EXPECT t3, 0

    CASE 5, "STI is taken right after sstatus.SIE is set: scause 0x80000005"
    li t0, SIP_STIP
    csrw sie, t0
    SET_VIRQ SIP_STIP
    READ_SIP
    EXPECT t3, SIP_STIP
    EXPECT_NO_TRAP
    csrsi sstatus, SSTATUS_SIE
2:  nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_TRAP 1, CAUSE_INTERRUPT|IRQ_S_TIMER
    EXPECT_TF_LABEL TF_EPC, 2b
    /* the handler cleared sie.STIE; STIP stays asserted until the monitor withdraws it */
    READ_SIP
    EXPECT t3, SIP_STIP
    csrr t3, sie
    EXPECT t3, 0
    CLEAR_VIRQ SIP_STIP
    READ_SIP
    EXPECT t3, 0

    CASE 6, "SEI asserted while enabled is taken as soon as the monitor call returns"
    li t0, SIP_SEIP
    csrw sie, t0
    csrsi sstatus, SSTATUS_SIE
    li a0, SIP_SEIP
    li a7, MON_SET_VIRQ
    ecall
3:  nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_TRAP 1, CAUSE_INTERRUPT|IRQ_S_EXT
    EXPECT_TF_LABEL TF_EPC, 3b
    CLEAR_VIRQ SIP_SEIP

    CASE 7, "priority: SEI, then SSI, then STI when all three are pending"
    SET_VIRQ VIRQ_ALL
    li t0, VIRQ_ALL
    csrw sie, t0
    EXPECT_NO_TRAP
    csrsi sstatus, SSTATUS_SIE
    nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_TF TF_COUNT, 3
    EXPECT_LOG 0, CAUSE_INTERRUPT|IRQ_S_EXT
    EXPECT_LOG 1, CAUSE_INTERRUPT|IRQ_S_SOFT
    EXPECT_LOG 2, CAUSE_INTERRUPT|IRQ_S_TIMER
    CLEAR_VIRQ VIRQ_ALL
    READ_SIP
    EXPECT t3, 0

    CASE 8, "priority: SSI before STI"
    SET_VIRQ SIP_STIP|SIP_SSIP
    li t0, SIP_STIP|SIP_SSIP
    csrw sie, t0
    csrsi sstatus, SSTATUS_SIE
    nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_TF TF_COUNT, 2
    EXPECT_LOG 0, CAUSE_INTERRUPT|IRQ_S_SOFT
    EXPECT_LOG 1, CAUSE_INTERRUPT|IRQ_S_TIMER
    CLEAR_VIRQ SIP_STIP|SIP_SSIP

    CASE 9, "an interrupt withdrawn by clear_virq before it is enabled is never taken"
    SET_VIRQ SIP_STIP
    CLEAR_VIRQ SIP_STIP
    li t0, VIRQ_ALL
    csrw sie, t0
    csrsi sstatus, SSTATUS_SIE
    nop
    nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_NO_TRAP
    csrw sie, zero

    CASE 10, "sip.SSIP is guest-writable and raises an SSI"
    csrsi sip, SIP_SSIP
    READ_SIP
    EXPECT t3, SIP_SSIP
    EXPECT_NO_TRAP
    csrsi sstatus, SSTATUS_SIE
    li t0, SIP_SSIP
    csrs sie, t0
4:  nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_TRAP 1, CAUSE_INTERRUPT|IRQ_S_SOFT
    EXPECT_TF_LABEL TF_EPC, 4b
    csrci sip, SIP_SSIP
    READ_SIP
    EXPECT t3, 0
    li t0, SIP_SSIP
    csrs sie, t0
    csrsi sstatus, SSTATUS_SIE
    nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_TF TF_COUNT, 1
    csrw sie, zero

    CASE 11, "sip.STIP and sip.SEIP ignore guest writes (no trap, value = what the monitor asserts)"
    li t0, SIP_STIP|SIP_SEIP
    csrs sip, t0
    READ_SIP
    EXPECT t3, 0
    SET_VIRQ SIP_STIP
    li t0, SIP_STIP
    csrc sip, t0
    READ_SIP
    EXPECT t3, SIP_STIP
    EXPECT_NO_TRAP
    CLEAR_VIRQ SIP_STIP

    CASE 12, "csrc/csrs on sip modify only the guest's SSIP: a monitor-asserted SSIP is not copied into it"
    csrw sie, zero
    SET_VIRQ SIP_SSIP
    li t0, SIP_STIP
    csrc sip, t0                /* read-modify-write of sip while the monitor asserts SSIP */
    li t0, SIP_SEIP
    csrs sip, t0
    READ_SIP
    EXPECT t3, SIP_SSIP
    CLEAR_VIRQ SIP_SSIP
    READ_SIP
    EXPECT t3, 0                /* the guest never set its own SSIP */
    csrci sip, SIP_SSIP
    EXPECT_NO_TRAP

    CASE 13, "in U-mode an enabled interrupt is taken even with SIE=0: sepc = first U instruction, SPP=U"
    li t0, SIP_SSIP
    csrw sie, t0
    SET_VIRQ SIP_SSIP
    SSTATUS_CLEAR SSTATUS_SPIE
    csrci sstatus, SSTATUS_SIE
    EXPECT_NO_TRAP
    RUN_U u_ecall, 5f
5:  EXPECT_TF TF_COUNT, 2
    EXPECT_LOG 0, CAUSE_INTERRUPT|IRQ_S_SOFT
    EXPECT_LOG 1, CAUSE_ECALL_U
    EXPECT_TF_LABEL TF_EPC, u_ecall
    CLEAR_VIRQ SIP_SSIP

    CASE 14, "in U-mode an interrupt disabled in sie is not taken"
    csrw sie, zero
    SET_VIRQ SIP_SEIP
    RUN_U u_ecall, 6f
6:  EXPECT_TRAP 1, CAUSE_ECALL_U
    CLEAR_VIRQ SIP_SEIP

    CASE 15, "an interrupt that becomes pending while in U-mode is taken there, then U-mode continues"
    /* u_raise_sti's first ecall lands in sti_shim, which has the monitor assert STIP and then
     * records the ecall normally (back to U at sepc+4), where the STI is taken at once. */
    li t0, SIP_STIP
    csrw sie, t0
    la t0, sti_shim
    csrw stvec, t0
    la t0, u_raise_sti
    csrw sepc, t0
    li t0, SSTATUS_SPP
    csrc sstatus, t0
    sret
    j fail
u13_back:
    EXPECT_TF TF_COUNT, 3
    EXPECT_LOG 0, CAUSE_ECALL_U
    EXPECT_LOG 1, CAUSE_INTERRUPT|IRQ_S_TIMER
    EXPECT_LOG 2, CAUSE_ECALL_U
    EXPECT_TF_LABEL TF_EPC, u_raise_sti_end
    csrr t3, stvec
    EXPECT_LABEL t3, trap_entry
    CLEAR_VIRQ SIP_STIP

    CASE 16, "vectored stvec: STI to BASE+20, SEI to BASE+36, SSI to BASE+4"
    la t0, vec_table
    ori t0, t0, 1
    csrw stvec, t0
    csrr t3, stvec
    EXPECT_REG t3, t0
    SET_VIRQ SIP_STIP
    li t0, SIP_STIP
    csrw sie, t0
    csrsi sstatus, SSTATUS_SIE
    nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_TRAP 1, CAUSE_INTERRUPT|IRQ_S_TIMER
    EXPECT_TF TF_VECTOR, IRQ_S_TIMER
    CLEAR_VIRQ SIP_STIP
    TRAP_RESET
    SET_VIRQ SIP_SEIP
    li t0, SIP_SEIP
    csrw sie, t0
    csrsi sstatus, SSTATUS_SIE
    nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_TRAP 1, CAUSE_INTERRUPT|IRQ_S_EXT
    EXPECT_TF TF_VECTOR, IRQ_S_EXT
    CLEAR_VIRQ SIP_SEIP
    TRAP_RESET
    csrsi sip, SIP_SSIP
    li t0, SIP_SSIP
    csrw sie, t0
    csrsi sstatus, SSTATUS_SIE
    nop
    csrci sstatus, SSTATUS_SIE
    csrci sip, SIP_SSIP
    EXPECT_TRAP 1, CAUSE_INTERRUPT|IRQ_S_SOFT
    EXPECT_TF TF_VECTOR, IRQ_S_SOFT

    CASE 17, "vectored stvec: exceptions still go to BASE"
8:  ebreak
    EXPECT_TRAP 1, CAUSE_BREAKPOINT
    EXPECT_TF TF_VECTOR, 0
    EXPECT_TF_LABEL TF_EPC, 8b
9:  .word 0
    EXPECT_TRAP 2, CAUSE_ILLEGAL_INSTRUCTION
    EXPECT_TF TF_VECTOR, 0
    EXPECT_TF_LABEL TF_EPC, 9b
    RUN_U u_ecall, 10f
10: EXPECT_TRAP 3, CAUSE_ECALL_U
    EXPECT_TF TF_VECTOR, 0

    CASE 18, "vectored stvec: an interrupt taken in U-mode also goes to BASE+4*code"
    SET_VIRQ SIP_SEIP
    li t0, SIP_SEIP
    csrw sie, t0
    RUN_U u_ecall, 11f
11: EXPECT_TF TF_COUNT, 2
    EXPECT_LOG 0, CAUSE_INTERRUPT|IRQ_S_EXT
    EXPECT_LOG 1, CAUSE_ECALL_U
    EXPECT_TF TF_VECTOR, 0
    EXPECT_TF TF_VMASK, (1 << IRQ_S_EXT)|1
    CLEAR_VIRQ SIP_SEIP
    la t0, trap_entry
    csrw stvec, t0

    CASE 19, "direct stvec again: interrupts go to BASE"
    SET_VIRQ SIP_STIP
    li t0, SIP_STIP
    csrw sie, t0
    csrsi sstatus, SSTATUS_SIE
    nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_TRAP 1, CAUSE_INTERRUPT|IRQ_S_TIMER
    EXPECT_TF TF_VECTOR, -1
    CLEAR_VIRQ SIP_STIP
    csrw sie, zero

    j pass

/* ---- U-mode snippets ---- */
    .balign 4
u_ecall:
    ecall
/* ecall to sti_shim (which has STIP asserted and returns here in U), then the STI arrives */
u_raise_sti:
    ecall
    nop
    RESUME_AT u13_back
u_raise_sti_end:
    ecall

/* S-mode trap entry used once by case 13: set_virq(STIP), put trap_entry back, and continue
 * there. Clobbers a0 and a7, which u_raise_sti does not use. */
    .balign 4
sti_shim:
    li a0, SIP_STIP
    li a7, MON_SET_VIRQ
    ecall
    la a0, trap_entry
    csrw stvec, a0
    j trap_entry

/* ---- vector table ---- */
.macro VEC_STUB n
vec_stub_\n:
    csrw sscratch, t0
    la t0, trap_frame
    sw t1, TF_T1(t0)
    li t1, \n
    sw t1, TF_VECTOR(t0)
    lw t1, TF_VMASK(t0)
    ori t1, t1, 1 << \n
    sw t1, TF_VMASK(t0)
    j trap_record
.endm

    .balign 256
vec_table:
    j vec_stub_0
    j vec_stub_1
    j vec_stub_2
    j vec_stub_3
    j vec_stub_4
    j vec_stub_5
    j vec_stub_6
    j vec_stub_7
    j vec_stub_8
    j vec_stub_9

    VEC_STUB 0
    VEC_STUB 1
    VEC_STUB 2
    VEC_STUB 3
    VEC_STUB 4
    VEC_STUB 5
    VEC_STUB 6
    VEC_STUB 7
    VEC_STUB 8
    VEC_STUB 9
