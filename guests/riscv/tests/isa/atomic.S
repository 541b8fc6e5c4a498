/*
 * atomic.S — the A extension on one hart: lr.w/sc.w and the nine AMOs.
 *
 * LR/SC: a reserved store succeeds (rd = 0) and writes; an sc.w with no reservation, or to an
 * address other than the reserved one, fails (rd = 1, as the machine defines the failure code)
 * and writes nothing; an sc.w consumes the reservation whether it succeeds or not; lr.w with
 * rd = x0 or rd = rs1; sc.w with rd = rs2; the aq/rl variants.
 * Sequences that must succeed are retried a few times (a spurious sc failure is legal).
 * AMOs: each returns the old word and stores op(old, rs2), over signed/unsigned boundaries for
 * min/max; rd = x0 (store only) and rd = rs2.
 */
#include "test.h"

/* The specification lets any sc.w fail spuriously (the machine drops reservations at quantum
   boundaries), so a sequence that must succeed is retried: LRSC_ATTEMPTS before the lr.w,
   LRSC_RETRY(label of the lr.w, sc result) after the sc.w; more than 4 failures fail the case.
   A sequence that must fail is never retried: that failure is required, not spurious. */
#define LRSC_ATTEMPTS \
    li a7, 4

#define LRSC_RETRY(again, result) \
    beqz result, 78f; \
    addi a7, a7, -1; \
    bnez a7, again; \
    j test_fail; \
78:

TEST_BEGIN

    /* ---- lr.w / sc.w ---- */
    li TEST_NUM, 2                          /* lr reads, reserved sc succeeds and writes */
    la a1, lr_word
    li a2, 0x11111111
    sw a2, 0(a1)
    li a2, 0x22222222
    LRSC_ATTEMPTS
1:  lr.w a3, (a1)
    sc.w a4, a2, (a1)
    LRSC_RETRY(1b, a4)
    li TEST_EXP, 0x11111111
    TEST_CHECK(a3)
    lw a3, 0(a1)
    li TEST_EXP, 0x22222222
    TEST_CHECK(a3)

    li TEST_NUM, 3                          /* a second sc: the reservation is gone */
    la a1, lr_word
    li a2, 0x33333333
    sc.w a4, a2, (a1)
    li TEST_EXP, 1
    TEST_CHECK(a4)
    lw a3, 0(a1)
    li TEST_EXP, 0x22222222
    TEST_CHECK(a3)

    li TEST_NUM, 4                          /* sc to another address than the reserved one fails */
    la a1, lr_word
    la a5, lr_other
    li a2, 0x44444444
    sw a2, 0(a5)
    lr.w a3, (a1)
    li a2, 0x55555555
    sc.w a4, a2, (a5)
    li TEST_EXP, 1
    TEST_CHECK(a4)
    lw a3, 0(a5)
    li TEST_EXP, 0x44444444
    TEST_CHECK(a3)
    lw a3, 0(a1)
    li TEST_EXP, 0x22222222
    TEST_CHECK(a3)

    li TEST_NUM, 5                          /* ... and that failed sc dropped the reservation */
    la a1, lr_word
    li a2, 0x66666666
    sc.w a4, a2, (a1)
    li TEST_EXP, 1
    TEST_CHECK(a4)
    lw a3, 0(a1)
    li TEST_EXP, 0x22222222
    TEST_CHECK(a3)

    li TEST_NUM, 6                          /* a fresh lr re-establishes it */
    la a1, lr_word
    li a2, 0x77777777
    LRSC_ATTEMPTS
1:  lr.w a3, (a1)
    sc.w a4, a2, (a1)
    LRSC_RETRY(1b, a4)
    lw a3, 0(a1)
    li TEST_EXP, 0x77777777
    TEST_CHECK(a3)

    li TEST_NUM, 7                          /* sc before any lr on that address fails */
    la a5, lr_other
    li a2, 0x12121212
    sc.w a4, a2, (a5)
    li TEST_EXP, 1
    TEST_CHECK(a4)
    lw a3, 0(a5)
    li TEST_EXP, 0x44444444
    TEST_CHECK(a3)

    li TEST_NUM, 8                          /* the last lr wins: reserve one word, then another */
    la a1, lr_word
    la a5, lr_other
    li a2, 0x88888888
    LRSC_ATTEMPTS
1:  lr.w a3, (a1)
    lr.w a3, (a5)
    sc.w a4, a2, (a5)
    LRSC_RETRY(1b, a4)
    li TEST_EXP, 0x44444444
    TEST_CHECK(a3)
    lw a3, 0(a5)
    li TEST_EXP, 0x88888888
    TEST_CHECK(a3)

    li TEST_NUM, 9                          /* an atomic increment loop */
    la a1, lr_word
    li a2, 100
    sw a2, 0(a1)
    li a6, 10
1:  lr.w a3, (a1)
    addi a3, a3, 7
    sc.w a4, a3, (a1)
    bnez a4, 1b
    addi a6, a6, -1
    bnez a6, 1b
    lw a3, 0(a1)
    li TEST_EXP, 170
    TEST_CHECK(a3)

    li TEST_NUM, 10                         /* aq/rl variants behave the same */
    la a1, lr_word
    li a2, 0x0a0a0a0a
    LRSC_ATTEMPTS
1:  lr.w.aq a3, (a1)
    sc.w.rl a4, a2, (a1)
    LRSC_RETRY(1b, a4)
    li a2, 0x0b0b0b0b
    LRSC_ATTEMPTS
1:  lr.w.aqrl a3, (a1)
    sc.w.aqrl a4, a2, (a1)
    LRSC_RETRY(1b, a4)
    li TEST_EXP, 0x0a0a0a0a
    TEST_CHECK(a3)
    lw a3, 0(a1)
    li TEST_EXP, 0x0b0b0b0b
    TEST_CHECK(a3)

    li TEST_NUM, 11                         /* lr.w into x0 still reserves */
    la a1, lr_word
    li a2, 0x0c0c0c0c
    LRSC_ATTEMPTS
1:  lr.w x0, (a1)
    sc.w a4, a2, (a1)
    LRSC_RETRY(1b, a4)
    li TEST_EXP, 0
    TEST_CHECK(x0)
    lw a3, 0(a1)
    li TEST_EXP, 0x0c0c0c0c
    TEST_CHECK(a3)

    li TEST_NUM, 12                         /* lr.w with rd == rs1 */
    la a5, lr_word
    li a2, 0x0d0d0d0d
    LRSC_ATTEMPTS
1:  mv a1, a5
    lr.w a1, (a1)
    sc.w a4, a2, (a5)
    LRSC_RETRY(1b, a4)
    li TEST_EXP, 0x0c0c0c0c
    TEST_CHECK(a1)

    li TEST_NUM, 13                         /* sc.w with rd == rs2: stores the old rs2 */
    la a1, lr_word
    LRSC_ATTEMPTS
1:  lr.w a3, (a1)
    li a2, 0x0e0e0e0e
    sc.w a2, a2, (a1)
    LRSC_RETRY(1b, a2)
    lw a3, 0(a1)
    li TEST_EXP, 0x0e0e0e0e
    TEST_CHECK(a3)

    li TEST_NUM, 14                         /* sc.w with rd == x0 */
    la a1, lr_word
    li a2, 0x0f0f0f0f
    LRSC_ATTEMPTS
1:  lr.w a3, (a1)
    sc.w x0, a2, (a1)
    lw a3, 0(a1)
    sub a4, a3, a2                          /* the write is the only sign of success */
    LRSC_RETRY(1b, a4)
    li TEST_EXP, 0
    TEST_CHECK(x0)

    /* ---- amoswap.w ---- */
    TEST_AMO_OP(20, amoswap.w, 0x00000000, 0x00000000, 0x00000000, amo_word)
    TEST_AMO_OP(21, amoswap.w, 0x12345678, 0x0f0f0f0f, 0x0f0f0f0f, amo_word)
    TEST_AMO_OP(22, amoswap.w, 0xffffffff, 0x00000001, 0x00000001, amo_word)
    TEST_AMO_OP(23, amoswap.w, 0x00000001, 0xffffffff, 0xffffffff, amo_word)
    TEST_AMO_OP(24, amoswap.w, 0x80000000, 0x7fffffff, 0x7fffffff, amo_word)
    TEST_AMO_OP(25, amoswap.w, 0x7fffffff, 0x80000000, 0x80000000, amo_word)
    TEST_AMO_OP(26, amoswap.w, 0xaaaaaaaa, 0x55555555, 0x55555555, amo_word)
    TEST_AMO_OP(27, amoswap.w, 0x00000007, 0x00000007, 0x00000007, amo_word)

    /* ---- amoadd.w ---- */
    TEST_AMO_OP(28, amoadd.w, 0x00000000, 0x00000000, 0x00000000, amo_word)
    TEST_AMO_OP(29, amoadd.w, 0x12345678, 0x0f0f0f0f, 0x21436587, amo_word)
    TEST_AMO_OP(30, amoadd.w, 0xffffffff, 0x00000001, 0x00000000, amo_word)
    TEST_AMO_OP(31, amoadd.w, 0x00000001, 0xffffffff, 0x00000000, amo_word)
    TEST_AMO_OP(32, amoadd.w, 0x80000000, 0x7fffffff, 0xffffffff, amo_word)
    TEST_AMO_OP(33, amoadd.w, 0x7fffffff, 0x80000000, 0xffffffff, amo_word)
    TEST_AMO_OP(34, amoadd.w, 0xaaaaaaaa, 0x55555555, 0xffffffff, amo_word)
    TEST_AMO_OP(35, amoadd.w, 0x00000007, 0x00000007, 0x0000000e, amo_word)

    /* ---- amoxor.w ---- */
    TEST_AMO_OP(36, amoxor.w, 0x00000000, 0x00000000, 0x00000000, amo_word)
    TEST_AMO_OP(37, amoxor.w, 0x12345678, 0x0f0f0f0f, 0x1d3b5977, amo_word)
    TEST_AMO_OP(38, amoxor.w, 0xffffffff, 0x00000001, 0xfffffffe, amo_word)
    TEST_AMO_OP(39, amoxor.w, 0x00000001, 0xffffffff, 0xfffffffe, amo_word)
    TEST_AMO_OP(40, amoxor.w, 0x80000000, 0x7fffffff, 0xffffffff, amo_word)
    TEST_AMO_OP(41, amoxor.w, 0x7fffffff, 0x80000000, 0xffffffff, amo_word)
    TEST_AMO_OP(42, amoxor.w, 0xaaaaaaaa, 0x55555555, 0xffffffff, amo_word)
    TEST_AMO_OP(43, amoxor.w, 0x00000007, 0x00000007, 0x00000000, amo_word)

    /* ---- amoand.w ---- */
    TEST_AMO_OP(44, amoand.w, 0x00000000, 0x00000000, 0x00000000, amo_word)
    TEST_AMO_OP(45, amoand.w, 0x12345678, 0x0f0f0f0f, 0x02040608, amo_word)
    TEST_AMO_OP(46, amoand.w, 0xffffffff, 0x00000001, 0x00000001, amo_word)
    TEST_AMO_OP(47, amoand.w, 0x00000001, 0xffffffff, 0x00000001, amo_word)
    TEST_AMO_OP(48, amoand.w, 0x80000000, 0x7fffffff, 0x00000000, amo_word)
    TEST_AMO_OP(49, amoand.w, 0x7fffffff, 0x80000000, 0x00000000, amo_word)
    TEST_AMO_OP(50, amoand.w, 0xaaaaaaaa, 0x55555555, 0x00000000, amo_word)
    TEST_AMO_OP(51, amoand.w, 0x00000007, 0x00000007, 0x00000007, amo_word)

    /* ---- amoor.w ---- */
    TEST_AMO_OP(52, amoor.w, 0x00000000, 0x00000000, 0x00000000, amo_word)
    TEST_AMO_OP(53, amoor.w, 0x12345678, 0x0f0f0f0f, 0x1f3f5f7f, amo_word)
    TEST_AMO_OP(54, amoor.w, 0xffffffff, 0x00000001, 0xffffffff, amo_word)
    TEST_AMO_OP(55, amoor.w, 0x00000001, 0xffffffff, 0xffffffff, amo_word)
    TEST_AMO_OP(56, amoor.w, 0x80000000, 0x7fffffff, 0xffffffff, amo_word)
    TEST_AMO_OP(57, amoor.w, 0x7fffffff, 0x80000000, 0xffffffff, amo_word)
    TEST_AMO_OP(58, amoor.w, 0xaaaaaaaa, 0x55555555, 0xffffffff, amo_word)
    TEST_AMO_OP(59, amoor.w, 0x00000007, 0x00000007, 0x00000007, amo_word)

    /* ---- amomin.w ---- */
    TEST_AMO_OP(60, amomin.w, 0x00000000, 0x00000000, 0x00000000, amo_word)
    TEST_AMO_OP(61, amomin.w, 0x12345678, 0x0f0f0f0f, 0x0f0f0f0f, amo_word)
    TEST_AMO_OP(62, amomin.w, 0xffffffff, 0x00000001, 0xffffffff, amo_word)
    TEST_AMO_OP(63, amomin.w, 0x00000001, 0xffffffff, 0xffffffff, amo_word)
    TEST_AMO_OP(64, amomin.w, 0x80000000, 0x7fffffff, 0x80000000, amo_word)
    TEST_AMO_OP(65, amomin.w, 0x7fffffff, 0x80000000, 0x80000000, amo_word)
    TEST_AMO_OP(66, amomin.w, 0xaaaaaaaa, 0x55555555, 0xaaaaaaaa, amo_word)
    TEST_AMO_OP(67, amomin.w, 0x00000007, 0x00000007, 0x00000007, amo_word)

    /* ---- amomax.w ---- */
    TEST_AMO_OP(68, amomax.w, 0x00000000, 0x00000000, 0x00000000, amo_word)
    TEST_AMO_OP(69, amomax.w, 0x12345678, 0x0f0f0f0f, 0x12345678, amo_word)
    TEST_AMO_OP(70, amomax.w, 0xffffffff, 0x00000001, 0x00000001, amo_word)
    TEST_AMO_OP(71, amomax.w, 0x00000001, 0xffffffff, 0x00000001, amo_word)
    TEST_AMO_OP(72, amomax.w, 0x80000000, 0x7fffffff, 0x7fffffff, amo_word)
    TEST_AMO_OP(73, amomax.w, 0x7fffffff, 0x80000000, 0x7fffffff, amo_word)
    TEST_AMO_OP(74, amomax.w, 0xaaaaaaaa, 0x55555555, 0x55555555, amo_word)
    TEST_AMO_OP(75, amomax.w, 0x00000007, 0x00000007, 0x00000007, amo_word)

    /* ---- amominu.w ---- */
    TEST_AMO_OP(76, amominu.w, 0x00000000, 0x00000000, 0x00000000, amo_word)
    TEST_AMO_OP(77, amominu.w, 0x12345678, 0x0f0f0f0f, 0x0f0f0f0f, amo_word)
    TEST_AMO_OP(78, amominu.w, 0xffffffff, 0x00000001, 0x00000001, amo_word)
    TEST_AMO_OP(79, amominu.w, 0x00000001, 0xffffffff, 0x00000001, amo_word)
    TEST_AMO_OP(80, amominu.w, 0x80000000, 0x7fffffff, 0x7fffffff, amo_word)
    TEST_AMO_OP(81, amominu.w, 0x7fffffff, 0x80000000, 0x7fffffff, amo_word)
    TEST_AMO_OP(82, amominu.w, 0xaaaaaaaa, 0x55555555, 0x55555555, amo_word)
    TEST_AMO_OP(83, amominu.w, 0x00000007, 0x00000007, 0x00000007, amo_word)

    /* ---- amomaxu.w ---- */
    TEST_AMO_OP(84, amomaxu.w, 0x00000000, 0x00000000, 0x00000000, amo_word)
    TEST_AMO_OP(85, amomaxu.w, 0x12345678, 0x0f0f0f0f, 0x12345678, amo_word)
    TEST_AMO_OP(86, amomaxu.w, 0xffffffff, 0x00000001, 0xffffffff, amo_word)
    TEST_AMO_OP(87, amomaxu.w, 0x00000001, 0xffffffff, 0xffffffff, amo_word)
    TEST_AMO_OP(88, amomaxu.w, 0x80000000, 0x7fffffff, 0x80000000, amo_word)
    TEST_AMO_OP(89, amomaxu.w, 0x7fffffff, 0x80000000, 0x80000000, amo_word)
    TEST_AMO_OP(90, amomaxu.w, 0xaaaaaaaa, 0x55555555, 0xaaaaaaaa, amo_word)
    TEST_AMO_OP(91, amomaxu.w, 0x00000007, 0x00000007, 0x00000007, amo_word)

    /* ---- special registers and orderings ---- */
    li TEST_NUM, 92                         /* rd = x0: the operation still happens */
    la a1, amo_word
    li a2, 5
    sw a2, 0(a1)
    li a2, 6
    amoadd.w x0, a2, (a1)
    lw a3, 0(a1)
    li TEST_EXP, 11
    TEST_CHECK(a3)
    li TEST_EXP, 0
    TEST_CHECK(x0)

    li TEST_NUM, 93                         /* rd == rs2: swap registers with memory */
    la a1, amo_word
    li a2, 0xcafe
    sw a2, 0(a1)
    li a2, 0xbeef
    amoswap.w a2, a2, (a1)
    li TEST_EXP, 0xcafe
    TEST_CHECK(a2)
    lw a3, 0(a1)
    li TEST_EXP, 0xbeef
    TEST_CHECK(a3)

    li TEST_NUM, 94                         /* rs2 == rs1: the address is the operand */
    la a1, amo_word
    sw x0, 0(a1)
    amoadd.w a3, a1, (a1)
    li TEST_EXP, 0
    TEST_CHECK(a3)
    lw a3, 0(a1)
    mv TEST_EXP, a1
    TEST_CHECK(a3)

    li TEST_NUM, 95                         /* aq / rl / aqrl variants */
    la a1, amo_word
    li a2, 1
    sw a2, 0(a1)
    amoadd.w.aq a3, a2, (a1)
    amoadd.w.rl a3, a2, (a1)
    amoadd.w.aqrl a3, a2, (a1)
    li TEST_EXP, 3
    TEST_CHECK(a3)
    lw a3, 0(a1)
    li TEST_EXP, 4
    TEST_CHECK(a3)

    li TEST_NUM, 96                         /* the neighbours of the word are untouched */
    la a1, amo_word
    lw a3, -4(a1)
    li TEST_EXP, 0x5a5a5a5a
    TEST_CHECK(a3)
    lw a3, 4(a1)
    li TEST_EXP, 0xa5a5a5a5
    TEST_CHECK(a3)

TEST_END

    .data
    .align 4
lr_word:
    .word 0
    .word 0
lr_other:
    .word 0
    .word 0x5a5a5a5a
amo_word:
    .word 0
    .word 0xa5a5a5a5
