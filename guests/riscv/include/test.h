/*
 * test.h — the convention and the case macros of the ReHype guest test programs
 * (riscv/tests/<group>/<name>.S or .c). A test program checks one area of the machine on its
 * own and reports through the bare monitor's exit call:
 *
 *   exit 0   every case passed (the console also shows "PASS")
 *   exit N   case N failed (the console shows "FAIL: test N", plus scause/sepc/stval when
 *            the failure is a trap nobody expected)
 *   exit 1   a failure outside any numbered case: number cases from 2 upwards
 *
 * Runtime (riscv/lib/test_rt.S, linked into every test): test_pass, test_fail (exit with the
 * number in TEST_NUM) and test_trap, the default S-mode trap handler that TEST_BEGIN installs
 * in stvec and that fails the current case. A program that expects traps installs its own
 * handler in stvec.
 *
 * Registers the case macros use — a program keeps them free across a case:
 *
 *   s11 (x27)  TEST_NUM  number of the case in progress (kept for the whole run)
 *   t6  (x31)  TEST_EXP  expected value of the case
 *   a1  (x11)  first operand (rs1, or the base address of a load/store)
 *   a2  (x12)  second operand (rs2, or the value stored)
 *   a3  (x13)  result (rd)
 *
 * Assembly program skeleton:
 *
 *     #include "test.h"
 *     TEST_BEGIN
 *         TEST_RR_OP(2, add, 3, 1, 2)
 *         TEST_CASE(3, a0, 42, li a0, 40; addi a0, a0, 2)
 *     TEST_END
 *         .data
 *     ...
 *
 * With TEST_USER_MODE defined (the qemu-riscv32 user-mode variant built by `make qemu-check`)
 * TEST_BEGIN does not touch stvec, so programs that use only unprivileged instructions run
 * unchanged under Linux user-mode emulation.
 *
 * C programs (riscv/tests/<group>/<name>.c) start at riscv/lib/crt0.S, which installs the
 * same handler and calls main(); main returns 0 for pass or the number of the failed case.
 * They are compiled with s11 reserved (-ffixed-s11) so that TEST_NUM survives C code.
 */
#ifndef REHYPE_GUEST_TEST_H
#define REHYPE_GUEST_TEST_H

#include "monitor.h"
#include "csr.h"

#ifdef __ASSEMBLER__

#define TEST_NUM s11
#define TEST_EXP t6

/* A 12-bit immediate given either as a bit pattern (0xfff) or as a signed value (-1), turned into
   the signed value in [-2048, 2047] that the assembler expects. */
#define IMM12(x) ((((x) & 0xfff) ^ 0x800) - 0x800)

#ifdef TEST_USER_MODE
#define TEST_INIT_TRAPS
#else
#define TEST_INIT_TRAPS \
    la t0, test_trap; \
    csrw stvec, t0
#endif

/* Entry point: stack, case number 1 (set-up), default trap handler. The body follows. */
#define TEST_BEGIN \
    .section .text.start, "ax"; \
    .globl _start; \
    .type _start, @function; \
    .align 2; \
_start: \
    la sp, _stack_top; \
    li TEST_NUM, 1; \
    TEST_INIT_TRAPS;

/* End of the body: every case passed. */
#define TEST_END \
    j test_pass;

/* Fail the current case unless reg == TEST_EXP. A far jump, so cases may be any distance from
   test_fail. */
#define TEST_CHECK(reg) \
    beq reg, TEST_EXP, 79f; \
    j test_fail; \
79:

/* Generic case: run code (statements separated by ';'), then require reg == expected. */
#define TEST_CASE(n, reg, expected, code...) \
    li TEST_NUM, n; \
    code; \
    li TEST_EXP, expected; \
    TEST_CHECK(reg)

/* ---- register-register operations: inst rd, rs1, rs2 ---- */

#define TEST_RR_OP(n, inst, expected, v1, v2) \
    TEST_CASE(n, a3, expected, li a1, v1; li a2, v2; inst a3, a1, a2)

#define TEST_RR_SRC1_EQ_DEST(n, inst, expected, v1, v2) \
    TEST_CASE(n, a1, expected, li a1, v1; li a2, v2; inst a1, a1, a2)

#define TEST_RR_SRC2_EQ_DEST(n, inst, expected, v1, v2) \
    TEST_CASE(n, a2, expected, li a1, v1; li a2, v2; inst a2, a1, a2)

#define TEST_RR_SRC12_EQ_DEST(n, inst, expected, v) \
    TEST_CASE(n, a1, expected, li a1, v; inst a1, a1, a1)

#define TEST_RR_ZERO_SRC1(n, inst, expected, v2) \
    TEST_CASE(n, a3, expected, li a2, v2; inst a3, x0, a2)

#define TEST_RR_ZERO_SRC2(n, inst, expected, v1) \
    TEST_CASE(n, a3, expected, li a1, v1; inst a3, a1, x0)

/* Writing x0 must have no effect: x0 still reads 0. */
#define TEST_RR_ZERO_DEST(n, inst, v1, v2) \
    TEST_CASE(n, x0, 0, li a1, v1; li a2, v2; inst x0, a1, a2)

/* ---- register-immediate operations: inst rd, rs1, imm (imm as a 12-bit pattern or signed) ---- */

#define TEST_IMM_OP(n, inst, expected, v1, imm) \
    TEST_CASE(n, a3, expected, li a1, v1; inst a3, a1, IMM12(imm))

#define TEST_IMM_SRC1_EQ_DEST(n, inst, expected, v1, imm) \
    TEST_CASE(n, a1, expected, li a1, v1; inst a1, a1, IMM12(imm))

#define TEST_IMM_ZERO_SRC1(n, inst, expected, imm) \
    TEST_CASE(n, a3, expected, inst a3, x0, IMM12(imm))

#define TEST_IMM_ZERO_DEST(n, inst, v1, imm) \
    TEST_CASE(n, x0, 0, li a1, v1; inst x0, a1, IMM12(imm))

/* ---- loads and stores: base is a label, offset a signed 12-bit displacement ---- */

#define TEST_LD_OP(n, inst, expected, offset, base) \
    TEST_CASE(n, a3, expected, la a1, base; inst a3, offset(a1))

/* The loaded value replaces the base register that addressed it. */
#define TEST_LD_DEST_EQ_BASE(n, inst, expected, offset, base) \
    TEST_CASE(n, a1, expected, la a1, base; inst a1, offset(a1))

/* Store value with st, read it back with ld, require expected (ld's extension of value). */
#define TEST_ST_OP(n, st, ld, expected, value, offset, base) \
    TEST_CASE(n, a3, expected, la a1, base; li a2, value; st a2, offset(a1); ld a3, offset(a1))

/* ---- atomic memory operations on the word at label addr: old value in memory, operand in rs2;
        require rd == old and the word == new afterwards ---- */

#define TEST_AMO_OP(n, inst, old, operand, new, addr) \
    li TEST_NUM, n; \
    la a1, addr; \
    li a3, old; \
    sw a3, 0(a1); \
    li a2, operand; \
    inst a3, a2, (a1); \
    li TEST_EXP, old; \
    TEST_CHECK(a3); \
    lw a3, 0(a1); \
    li TEST_EXP, new; \
    TEST_CHECK(a3)

/* ---- conditional branches: both a forward and a backward branch, each taken or each not ---- */

#define TEST_BR2_OP_TAKEN(n, inst, v1, v2) \
    li TEST_NUM, n; \
    li a1, v1; \
    li a2, v2; \
    inst a1, a2, 72f; \
    j test_fail; \
73: j 74f; \
72: inst a1, a2, 73b; \
    j test_fail; \
74:

#define TEST_BR2_OP_NOTTAKEN(n, inst, v1, v2) \
    li TEST_NUM, n; \
    li a1, v1; \
    li a2, v2; \
    inst a1, a2, 72f; \
    j 73f; \
72: j test_fail; \
73: inst a1, a2, 72b;

#else /* C */

/* Fail case n (n == 0 is reported as 1); never returns. */
__attribute__((noreturn)) void test_fail_at(int n);
/* Every case passed; never returns. */
__attribute__((noreturn)) void test_pass(void);
/* Default S-mode trap handler: any trap fails the case in progress. */
void test_trap(void);

/* Record the number of the case in progress (in s11, so that an unexpected trap names it). */
#define TEST_SET_NUM(n) __asm__ volatile("li s11, %0" : : "i"(n))

/* Case n: require cond. */
#define TEST_EXPECT(n, cond) \
    do { \
        TEST_SET_NUM(n); \
        if (!(cond)) { \
            test_fail_at(n); \
        } \
    } while (0)

#endif /* __ASSEMBLER__ */
#endif /* REHYPE_GUEST_TEST_H */
