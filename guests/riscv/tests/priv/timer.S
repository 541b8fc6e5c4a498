/*
 * timer.S - the hart's timer through the monitor: set_timer, wfi, STIP.
 *
 * set_timer(delta) programs the hart's hardware timer delta cycles from now; when it fires the
 * monitor asserts STIP for the guest until the guest withdraws it with clear_virq. wfi in S-mode
 * traps to the monitor, which halts the hart until the timer fires and resumes after the wfi.
 * The `time` counter is machine virtual time, so across such a wait it advances by at least the
 * delta, and the guest's timer interrupt (scause 0x80000005) is taken once it is enabled.
 *
 * Exit 0 = all cases passed; exit N = case N failed (its description is printed first; cases start at 2).
 */
#include "priv.h"

#define DELTA_CYCLES 20000
#define POLL_LIMIT 1000000
#define FAR_CYCLES 50000000

.macro READ_SIP
    csrr t3, sip
    li t6, SIP_SSIP|SIP_STIP|SIP_SEIP
    and t3, t3, t6
.endm

    .text
main:
    CASE 2, "time and cycle advance; timeh is 0 early in the run"
    rdtime s0
    rdcycle s1
    nop
    nop
    nop
    rdtime s2
    rdcycle s3
    bgeu s0, s2, fail
    bgeu s1, s3, fail
    rdtimeh t3
    EXPECT t3, 0
    EXPECT_NO_TRAP

    CASE 3, "wfi with an interrupt already pending and enabled in sie returns at once (SIE=0, no timer armed)"
    csrsi sip, SIP_SSIP
    li t0, SIP_SSIP
    csrw sie, t0
    wfi
    csrci sip, SIP_SSIP
    csrw sie, zero
    EXPECT_NO_TRAP

    CASE 4, "set_timer + wfi with STIE=1, SIE=1: the timer interrupt is taken after the wfi, time >= start + delta"
    li t0, SIP_STIP
    csrw sie, t0
    csrsi sstatus, SSTATUS_SIE
    rdtime s0
    li a0, DELTA_CYCLES
    MCALL MON_SET_TIMER
    EXPECT_NO_TRAP
1:  wfi
2:  nop
    csrci sstatus, SSTATUS_SIE
    rdtime s1
    EXPECT_TRAP 1, CAUSE_INTERRUPT|IRQ_S_TIMER
    /* taken right after the wfi completes: sepc is the instruction after it */
    EXPECT_TF_LABEL TF_EPC, 2b
    EXPECT_TF_STATUS SSTATUS_SPP|SSTATUS_SPIE, SSTATUS_SPP|SSTATUS_SPIE
    sub t3, s1, s0
    li t4, DELTA_CYCLES
    bltu t3, t4, fail
    READ_SIP
    EXPECT t3, SIP_STIP
    li a0, SIP_STIP
    MCALL MON_CLEAR_VIRQ
    READ_SIP
    EXPECT t3, 0

    CASE 5, "set_timer + wfi with SIE=0: wfi returns, STIP pending but not taken until SIE=1"
    li t0, SIP_STIP
    csrw sie, t0
    rdtime s0
    li a0, DELTA_CYCLES
    MCALL MON_SET_TIMER
    wfi
    rdtime s1
    EXPECT_NO_TRAP
    sub t3, s1, s0
    li t4, DELTA_CYCLES
    bltu t3, t4, fail
    READ_SIP
    EXPECT t3, SIP_STIP
    csrsi sstatus, SSTATUS_SIE
3:  nop
    csrci sstatus, SSTATUS_SIE
    EXPECT_TRAP 1, CAUSE_INTERRUPT|IRQ_S_TIMER
    EXPECT_TF_LABEL TF_EPC, 3b
    li a0, SIP_STIP
    MCALL MON_CLEAR_VIRQ

    CASE 6, "set_timer without wfi: STIP appears while the hart keeps running, not before delta"
    csrw sie, zero
    rdtime s0
    li a0, DELTA_CYCLES
    MCALL MON_SET_TIMER
    li s3, POLL_LIMIT
4:  READ_SIP
    bnez t3, 5f
    addi s3, s3, -1
    beqz s3, fail
    j 4b
5:  rdtime s1
    EXPECT t3, SIP_STIP
    sub t3, s1, s0
    li t4, DELTA_CYCLES
    bltu t3, t4, fail
    EXPECT_NO_TRAP
    li a0, SIP_STIP
    MCALL MON_CLEAR_VIRQ

    CASE 7, "a timer that fires while the guest runs in U-mode interrupts U-mode"
    li t0, SIP_STIP
    csrw sie, t0
    li a0, DELTA_CYCLES
    MCALL MON_SET_TIMER
    SSTATUS_CLEAR SSTATUS_SPIE
    li a0, POLL_LIMIT
    RUN_U u_spin, 6f
6:  EXPECT_TF TF_COUNT, 2
    EXPECT_LOG 0, CAUSE_INTERRUPT|IRQ_S_TIMER
    EXPECT_LOG 1, CAUSE_ECALL_U
    /* u_spin saw the interrupt before its poll limit ran out */
    beqz a0, fail
    li a0, SIP_STIP
    MCALL MON_CLEAR_VIRQ
    csrw sie, zero

    CASE 8, "two consecutive timer waits each last at least delta"
    li s4, 2
7:  li t0, SIP_STIP
    csrw sie, t0
    rdtime s0
    li a0, DELTA_CYCLES
    MCALL MON_SET_TIMER
    csrsi sstatus, SSTATUS_SIE
    wfi
    csrci sstatus, SSTATUS_SIE
    rdtime s1
    sub t3, s1, s0
    li t4, DELTA_CYCLES
    bltu t3, t4, fail
    li a0, SIP_STIP
    MCALL MON_CLEAR_VIRQ
    addi s4, s4, -1
    bnez s4, 7b
    EXPECT_TF TF_COUNT, 2
    EXPECT_LOG 0, CAUSE_INTERRUPT|IRQ_S_TIMER
    EXPECT_LOG 1, CAUSE_INTERRUPT|IRQ_S_TIMER

    CASE 9, "a reprogrammed timer fires at its new deadline, not the old one"
    li t0, SIP_STIP
    csrw sie, t0
    rdtime s0
    li a0, FAR_CYCLES
    MCALL MON_SET_TIMER
    li a0, DELTA_CYCLES
    MCALL MON_SET_TIMER
    wfi
    rdtime s1
    sub t3, s1, s0
    li t4, DELTA_CYCLES
    bltu t3, t4, fail
    li t4, FAR_CYCLES
    bgeu t3, t4, fail
    READ_SIP
    EXPECT t3, SIP_STIP
    li a0, SIP_STIP
    MCALL MON_CLEAR_VIRQ
    csrw sie, zero
    EXPECT_NO_TRAP

    CASE 10, "wfi with sie.STIE=0 still ends when the monitor's timer fires; STIP is then pending"
    csrw sie, zero
    rdtime s0
    li a0, DELTA_CYCLES
    MCALL MON_SET_TIMER
    wfi
    rdtime s1
    sub t3, s1, s0
    li t4, DELTA_CYCLES
    bltu t3, t4, fail
    READ_SIP
    EXPECT t3, SIP_STIP
    li a0, SIP_STIP
    MCALL MON_CLEAR_VIRQ
    EXPECT_NO_TRAP

    j pass

/* ---- U-mode snippet: spin until the trap handler has run (satp = 0, so U-mode can read
 * trap_frame), at most a0 times, then return with ecall; a0 > 0 means the STI arrived. ---- */
    .balign 4
u_spin:
    la t3, trap_frame
1:  lw t4, TF_COUNT(t3)
    bnez t4, 2f
    addi a0, a0, -1
    bnez a0, 1b
2:  ecall
