/*
 * csr.S — the Zicsr instructions, on sscratch (a plain 32-bit read/write CSR): csrrw, csrrs,
 * csrrc and their immediate forms (a 5-bit zero-extended uimm), each returning the old value;
 * the forms that must not write (csrrs/csrrc with rs1 = x0, csrrsi/csrrci with uimm = 0) and the
 * ones that must not read into a register (rd = x0); rd = rs1. The counters cycle, time and
 * instret (and their high halves) read from S-mode and increase. Illegal uses trap with scause 2
 * (illegal instruction) and stval = the instruction word to the program's own handler: unknown
 * CSR numbers, M-mode CSRs, and any instruction that would write a read-only counter, while the
 * non-writing forms on the same counters do not trap. A trapping CSR instruction writes no
 * register.
 *
 * The handler (csr_trap) checks scause == s2, sepc == s4 and stval == the word at sepc, counts
 * the trap in s5, skips the instruction and returns with sret.
 */
#include "test.h"

/* Case n: insn (at local label 76) must trap as an illegal instruction and leave a3 = 0x5555. */
#define CSR_ILLEGAL(n, insn...) \
    li TEST_NUM, n; \
    li s2, CAUSE_ILLEGAL_INSTRUCTION; \
    la s4, 76f; \
    li s5, 0; \
    li a2, 1; \
    li a3, 0x5555; \
76: insn; \
    li TEST_EXP, 1; \
    TEST_CHECK(s5); \
    li TEST_EXP, 0x5555; \
    TEST_CHECK(a3)

/* Case n: insn must not trap. */
#define CSR_LEGAL(n, insn...) \
    li TEST_NUM, n; \
    li s5, 0; \
    insn; \
    li TEST_EXP, 0; \
    TEST_CHECK(s5)

TEST_BEGIN
    la t0, csr_trap
    csrw stvec, t0

    /* ---- csrrw ---- */
    TEST_CASE( 2, a3, 0x12345678, li a2, 0x12345678; csrw sscratch, a2; csrr a3, sscratch)
    TEST_CASE( 3, a3, 0x12345678, li a2, 0xdeadbeef; csrrw a3, sscratch, a2)          /* old value */
    TEST_CASE( 4, a3, 0xdeadbeef, csrr a3, sscratch)                                 /* new value */
    TEST_CASE( 5, a3, 0xffffffff, li a2, -1; csrw sscratch, a2; csrr a3, sscratch)  /* all 32 bits */
    TEST_CASE( 6, a3, 0, csrw sscratch, x0; csrr a3, sscratch)
    TEST_CASE( 7, a2, 0x00000000, li a2, 0x0f0f0f0f; csrrw a2, sscratch, a2)         /* rd == rs1 */
    TEST_CASE( 8, a3, 0x0f0f0f0f, csrr a3, sscratch)

    /* ---- csrrs / csrrc ---- */
    TEST_CASE( 9, a3, 0x0f0f0f0f, li a2, 0xf0000000; csrrs a3, sscratch, a2)
    TEST_CASE(10, a3, 0xff0f0f0f, csrr a3, sscratch)
    TEST_CASE(11, a3, 0xff0f0f0f, li a2, 0x0000ffff; csrrc a3, sscratch, a2)
    TEST_CASE(12, a3, 0xff0f0000, csrr a3, sscratch)
    TEST_CASE(13, a3, 0xff0f0000, csrrs a3, sscratch, x0)                            /* read only */
    TEST_CASE(14, a3, 0xff0f0000, csrrc a3, sscratch, x0)                            /* read only */
    TEST_CASE(15, a3, 0xff0f0000, csrr a3, sscratch)
    TEST_CASE(16, a3, 0xff0f00f0, li a2, 0xf0; csrrs x0, sscratch, a2; csrr a3, sscratch)   /* rd = x0 */
    TEST_CASE(17, a3, 0x000f00f0, li a2, 0xff000000; csrrc x0, sscratch, a2; csrr a3, sscratch)
    TEST_CASE(18, x0, 0, csrr a2, sscratch; csrrw x0, sscratch, a2)                 /* writes back 0x000f00f0 */

    /* ---- immediate forms: uimm is 5 bits, zero-extended ---- */
    TEST_CASE(19, a3, 0x000f00f0, csrrwi a3, sscratch, 31)
    TEST_CASE(20, a3, 0x0000001f, csrr a3, sscratch)                                 /* not -1 */
    TEST_CASE(21, a3, 0x0000001f, csrrci a3, sscratch, 0x15)
    TEST_CASE(22, a3, 0x0000000a, csrr a3, sscratch)
    TEST_CASE(23, a3, 0x0000000a, csrrsi a3, sscratch, 0x10)
    TEST_CASE(24, a3, 0x0000001a, csrr a3, sscratch)
    TEST_CASE(25, a3, 0x0000001a, csrrsi a3, sscratch, 0)                            /* read only */
    TEST_CASE(26, a3, 0x0000001a, csrrci a3, sscratch, 0)                            /* read only */
    TEST_CASE(27, a3, 0x00000000, csrwi sscratch, 0; csrr a3, sscratch)
    TEST_CASE(28, a3, 0x00000005, csrrsi x0, sscratch, 5; csrr a3, sscratch)        /* rd = x0 */
    TEST_CASE(29, a3, 0x00000004, csrrci x0, sscratch, 1; csrr a3, sscratch)

    /* ---- counters ---- */
    li TEST_NUM, 30                         /* instret counts the instructions of a loop */
    rdinstret a1
    li t0, 100
1:  addi t0, t0, -1
    bnez t0, 1b
    rdinstret a2
    sub a3, a2, a1
    li t1, 200
    bltu a3, t1, test_fail
    li t1, 1000
    bgeu a3, t1, test_fail

    li TEST_NUM, 31                         /* cycle advances the same way */
    rdcycle a1
    li t0, 100
1:  addi t0, t0, -1
    bnez t0, 1b
    rdcycle a2
    sub a3, a2, a1
    li t1, 200
    bltu a3, t1, test_fail

    li TEST_NUM, 32                         /* time advances */
    rdtime a1
    li t0, 100
1:  addi t0, t0, -1
    bnez t0, 1b
    rdtime a2
    sub a3, a2, a1
    beqz a3, test_fail
    bltz a3, test_fail

    li TEST_NUM, 33                         /* successive reads never go backwards */
    rdinstret a1
    rdinstret a2
    bgeu a1, a2, test_fail
    rdcycle a1
    rdcycle a2
    bgeu a1, a2, test_fail
    rdtime a1
    rdtime a2
    bltu a2, a1, test_fail

    /* the high halves read without trapping; this short program has not retired 2^32 */
    CSR_LEGAL(34, rdcycleh a3; rdtimeh a3; rdinstreth a3)
    TEST_CASE(35, a3, 0, rdinstreth a3)

    /* ---- legal reads of read-only counters: the forms that do not write ---- */
    CSR_LEGAL(36, csrrs a3, cycle, x0; csrrc a3, time, x0; csrrsi a3, instret, 0; csrrci a3, cycleh, 0)

    /* ---- illegal: writes to read-only counters ---- */
    CSR_ILLEGAL(37, csrrw a3, cycle, a2)
    CSR_ILLEGAL(38, csrrw x0, time, x0)                     /* csrrw writes even from x0 */
    CSR_ILLEGAL(39, csrrs a3, instret, a2)                  /* rs1 != x0: a write */
    CSR_ILLEGAL(40, csrrc a3, cycle, a2)
    CSR_ILLEGAL(41, csrrwi a3, time, 0)
    CSR_ILLEGAL(42, csrrsi a3, instret, 1)
    CSR_ILLEGAL(43, csrrci a3, cycleh, 31)
    CSR_ILLEGAL(44, csrrw a3, instreth, a2)

    /* ---- illegal: CSRs that do not exist, or belong to M-mode ---- */
    CSR_ILLEGAL(45, csrr a3, 0x5c0)                         /* custom S-mode number, unimplemented */
    CSR_ILLEGAL(46, csrw 0x5c0, a2)
    CSR_ILLEGAL(47, csrr a3, 0x300)                         /* mstatus */
    CSR_ILLEGAL(48, csrr a3, 0xf14)                         /* mhartid */
    CSR_ILLEGAL(49, csrrs a3, 0x7c0, x0)                    /* custom M-mode number */
    CSR_ILLEGAL(50, csrr a3, 0x000)                         /* ustatus (N extension, absent) */
    CSR_ILLEGAL(51, csrrwi a3, 0x5c0, 3)

    /* ---- sscratch survived the traps ---- */
    TEST_CASE(52, a3, 0x00000004, csrr a3, sscratch)

TEST_END

    .text
/* The handler: scause == s2, sepc == s4, stval == the instruction word, else the default handler
   reports the trap. */
    .align 2
    .type csr_trap, @function
csr_trap:
    csrr t0, scause
    bne t0, s2, 1f
    csrr t0, sepc
    bne t0, s4, 1f
    lw t1, 0(t0)
    csrr t2, stval
    bne t1, t2, 1f
    addi s5, s5, 1
    addi t0, t0, 4
    csrw sepc, t0
    sret
1:  j test_trap
