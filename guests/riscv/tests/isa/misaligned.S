/*
 * misaligned.S — misaligned accesses and jumps, which the machine does not perform in hardware:
 * they trap to the program's own S-mode handler (delegated by the monitor) with
 *
 *   loads                  scause 4 (load address misaligned), stval = the address
 *   stores, AMOs, LR, SC   scause 6 (store/AMO address misaligned), stval = the address
 *   taken jumps/branches   scause 0 (instruction address misaligned) on the jump itself,
 *                          stval = the target
 *
 * and sepc = the faulting instruction. The handler (mis_trap) checks scause, stval and sepc
 * against s2, s3 and s4, counts the trap in s5, skips the instruction (sepc += 4) and returns
 * with sret. Every case also checks that the trapping instruction wrote no register (a3 keeps
 * its value) and, at the end, that no store reached memory. Aligned neighbours and a branch that
 * is not taken towards a misaligned target do not trap.
 */
#include "test.h"

/* Expected stval (into s3): the data address a1 + off, the instruction's own address + off, or
   a label + off. */
#define STVAL_DATA(off) addi s3, a1, off
#define STVAL_INSN(off) la s3, 76f; addi s3, s3, off
#define STVAL_AT(sym, off) la s3, sym + off

/* Set-up code run before the instruction under test. */
#define A5_AT(sym, off) la a5, sym + off
#define A4_ADD(v) addi a4, a4, v
#define A6_IS(v) li a6, v

/* Case n: after setup, insn (at local label 76; a1 = mis_data, a4 = the expected stval,
   a2 = 0x7777, a3 = 0x5555) must trap exactly once with the given cause and leave a3 alone. */
#define MIS_EXPECT(n, cause, setup, stval_setup, insn...) \
    li TEST_NUM, n; \
    la a1, mis_data; \
    li s2, cause; \
    la s4, 76f; \
    stval_setup; \
    mv a4, s3; \
    li s5, 0; \
    li a2, 0x7777; \
    li a3, 0x5555; \
    setup; \
76: insn; \
    li TEST_EXP, 1; \
    TEST_CHECK(s5); \
    li TEST_EXP, 0x5555; \
    TEST_CHECK(a3)

/* Case n: insn (a1 = mis_data) must not trap. */
#define MIS_NONE(n, insn...) \
    li TEST_NUM, n; \
    la a1, mis_data; \
    li s5, 0; \
    insn; \
    li TEST_EXP, 0; \
    TEST_CHECK(s5)

TEST_BEGIN
    la t0, mis_trap
    csrw stvec, t0

    /* ---- loads: cause 4 ---- */
    MIS_EXPECT( 2, CAUSE_LOAD_MISALIGNED, , STVAL_DATA(1), lw a3, 1(a1))
    MIS_EXPECT( 3, CAUSE_LOAD_MISALIGNED, , STVAL_DATA(2), lw a3, 2(a1))
    MIS_EXPECT( 4, CAUSE_LOAD_MISALIGNED, , STVAL_DATA(3), lw a3, 3(a1))
    MIS_EXPECT( 5, CAUSE_LOAD_MISALIGNED, , STVAL_DATA(5), lw a3, 5(a1))
    MIS_EXPECT( 6, CAUSE_LOAD_MISALIGNED, , STVAL_DATA(1), lh a3, 1(a1))
    MIS_EXPECT( 7, CAUSE_LOAD_MISALIGNED, , STVAL_DATA(3), lh a3, 3(a1))
    MIS_EXPECT( 8, CAUSE_LOAD_MISALIGNED, , STVAL_DATA(1), lhu a3, 1(a1))
    MIS_EXPECT( 9, CAUSE_LOAD_MISALIGNED, , STVAL_DATA(7), lhu a3, 7(a1))
    MIS_EXPECT(10, CAUSE_LOAD_MISALIGNED, , STVAL_DATA(2), lw a3, 0(a4))        /* via the register */
    MIS_EXPECT(11, CAUSE_LOAD_MISALIGNED, A4_ADD(8), STVAL_DATA(6), lw a3, -8(a4))

    /* ---- stores: cause 6 ---- */
    MIS_EXPECT(12, CAUSE_STORE_MISALIGNED, , STVAL_DATA(1), sw a2, 1(a1))
    MIS_EXPECT(13, CAUSE_STORE_MISALIGNED, , STVAL_DATA(2), sw a2, 2(a1))
    MIS_EXPECT(14, CAUSE_STORE_MISALIGNED, , STVAL_DATA(3), sw a2, 3(a1))
    MIS_EXPECT(15, CAUSE_STORE_MISALIGNED, , STVAL_DATA(1), sh a2, 1(a1))
    MIS_EXPECT(16, CAUSE_STORE_MISALIGNED, , STVAL_DATA(3), sh a2, 3(a1))
    MIS_EXPECT(17, CAUSE_STORE_MISALIGNED, , STVAL_DATA(13), sh a2, 13(a1))

    /* ---- AMOs, LR and SC: cause 6 ---- */
    MIS_EXPECT(18, CAUSE_STORE_MISALIGNED, , STVAL_DATA(2), amoadd.w a3, a2, (a4))
    MIS_EXPECT(19, CAUSE_STORE_MISALIGNED, , STVAL_DATA(1), amoswap.w a3, a2, (a4))
    MIS_EXPECT(20, CAUSE_STORE_MISALIGNED, , STVAL_DATA(3), amomaxu.w a3, a2, (a4))
    MIS_EXPECT(21, CAUSE_STORE_MISALIGNED, , STVAL_DATA(6), amoor.w a3, a2, (a4))
    MIS_EXPECT(22, CAUSE_STORE_MISALIGNED, , STVAL_DATA(2), lr.w a3, (a4))
    MIS_EXPECT(23, CAUSE_STORE_MISALIGNED, , STVAL_DATA(2), sc.w a3, a2, (a4))

    /* ---- taken jumps and branches to a target that is not 4-aligned: cause 0 on the jump ---- */
    MIS_EXPECT(24, CAUSE_FETCH_MISALIGNED, A5_AT(mis_landing, 2), STVAL_AT(mis_landing, 2), jalr a3, 0(a5))
    MIS_EXPECT(25, CAUSE_FETCH_MISALIGNED, A5_AT(mis_landing, 0), STVAL_AT(mis_landing, 2), jalr a3, 2(a5))
    MIS_EXPECT(26, CAUSE_FETCH_MISALIGNED, A5_AT(mis_landing, 7), STVAL_AT(mis_landing, 6), jalr a3, -1(a5))
    MIS_EXPECT(27, CAUSE_FETCH_MISALIGNED, , STVAL_INSN(2), .word 0x002006ef)       /* jal a3, .+2 */
    MIS_EXPECT(28, CAUSE_FETCH_MISALIGNED, , STVAL_INSN(2), .word 0x00000163)       /* beq x0, x0, .+2 */
    MIS_EXPECT(29, CAUSE_FETCH_MISALIGNED, A6_IS(1), STVAL_INSN(-2), .word 0xfe081fe3) /* bne a6, x0, .-2 */

    /* ---- what must not trap ---- */
    MIS_NONE(30, lw a3, 4(a1); lh a3, 2(a1); lhu a3, 6(a1); lb a3, 1(a1); lbu a3, 3(a1))
    MIS_NONE(31, .word 0x00001163; nop)                                        /* bne x0, x0, .+2: not taken */
    MIS_NONE(32, addi a4, a1, 1; lw a3, -1(a4); addi a4, a1, 3; lhu a3, -1(a4))

    /* ---- no trapping store reached memory, no trapping AMO changed it ---- */
    li TEST_NUM, 33
    la a1, mis_data
    lw a3, 0(a1)
    li TEST_EXP, 0x03020100
    TEST_CHECK(a3)
    lw a3, 4(a1)
    li TEST_EXP, 0x07060504
    TEST_CHECK(a3)
    lw a3, 8(a1)
    li TEST_EXP, 0x0b0a0908
    TEST_CHECK(a3)
    lw a3, 12(a1)
    li TEST_EXP, 0x0f0e0d0c
    TEST_CHECK(a3)

TEST_END

    .text
/* The handler: scause == s2, stval == s3, sepc == s4, else the default handler reports it. */
    .align 2
    .type mis_trap, @function
mis_trap:
    csrr t0, scause
    bne t0, s2, 1f
    csrr t0, stval
    bne t0, s3, 1f
    csrr t0, sepc
    bne t0, s4, 1f
    addi s5, s5, 1
    addi t0, t0, 4
    csrw sepc, t0
    sret
1:  j test_trap

/* A misaligned jump that were not trapped would land in here: illegal instructions. */
    .align 2
mis_landing:
    .word 0, 0, 0, 0

    .data
    .align 4
mis_data:
    .word 0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c
