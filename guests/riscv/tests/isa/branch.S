/*
 * branch.S — control transfer in RV32I: the six conditional branches taken and not taken,
 * forwards and backwards, on signed and unsigned boundaries (0, -1, MIN, MAX); branches naming
 * the same register twice or x0; large branch and jump offsets (every immediate bit that a short
 * program would never set); jal and jalr with their link values, jalr with positive and negative
 * offsets, jalr clearing bit 0 of the target, and jalr whose rd is its own rs1.
 */
#include "test.h"

TEST_BEGIN

    /* ---- beq ---- */
    TEST_BR2_OP_TAKEN(2, beq, 0x00000000, 0x00000000)
    TEST_BR2_OP_TAKEN(3, beq, 0x00000001, 0x00000001)
    TEST_BR2_OP_NOTTAKEN(4, beq, 0x00000000, 0x00000001)
    TEST_BR2_OP_NOTTAKEN(5, beq, 0x00000001, 0x00000000)
    TEST_BR2_OP_TAKEN(6, beq, 0xffffffff, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(7, beq, 0xffffffff, 0x00000001)
    TEST_BR2_OP_NOTTAKEN(8, beq, 0x00000001, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(9, beq, 0xfffffffe, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(10, beq, 0xffffffff, 0xfffffffe)
    TEST_BR2_OP_NOTTAKEN(11, beq, 0x80000000, 0x7fffffff)
    TEST_BR2_OP_NOTTAKEN(12, beq, 0x7fffffff, 0x80000000)
    TEST_BR2_OP_NOTTAKEN(13, beq, 0x80000000, 0x00000000)
    TEST_BR2_OP_NOTTAKEN(14, beq, 0x00000000, 0x80000000)
    TEST_BR2_OP_TAKEN(15, beq, 0x80000000, 0x80000000)
    TEST_BR2_OP_NOTTAKEN(16, beq, 0x00000000, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(17, beq, 0xffffffff, 0x00000000)

    /* ---- bne ---- */
    TEST_BR2_OP_NOTTAKEN(18, bne, 0x00000000, 0x00000000)
    TEST_BR2_OP_NOTTAKEN(19, bne, 0x00000001, 0x00000001)
    TEST_BR2_OP_TAKEN(20, bne, 0x00000000, 0x00000001)
    TEST_BR2_OP_TAKEN(21, bne, 0x00000001, 0x00000000)
    TEST_BR2_OP_NOTTAKEN(22, bne, 0xffffffff, 0xffffffff)
    TEST_BR2_OP_TAKEN(23, bne, 0xffffffff, 0x00000001)
    TEST_BR2_OP_TAKEN(24, bne, 0x00000001, 0xffffffff)
    TEST_BR2_OP_TAKEN(25, bne, 0xfffffffe, 0xffffffff)
    TEST_BR2_OP_TAKEN(26, bne, 0xffffffff, 0xfffffffe)
    TEST_BR2_OP_TAKEN(27, bne, 0x80000000, 0x7fffffff)
    TEST_BR2_OP_TAKEN(28, bne, 0x7fffffff, 0x80000000)
    TEST_BR2_OP_TAKEN(29, bne, 0x80000000, 0x00000000)
    TEST_BR2_OP_TAKEN(30, bne, 0x00000000, 0x80000000)
    TEST_BR2_OP_NOTTAKEN(31, bne, 0x80000000, 0x80000000)
    TEST_BR2_OP_TAKEN(32, bne, 0x00000000, 0xffffffff)
    TEST_BR2_OP_TAKEN(33, bne, 0xffffffff, 0x00000000)

    /* ---- blt ---- */
    TEST_BR2_OP_NOTTAKEN(34, blt, 0x00000000, 0x00000000)
    TEST_BR2_OP_NOTTAKEN(35, blt, 0x00000001, 0x00000001)
    TEST_BR2_OP_TAKEN(36, blt, 0x00000000, 0x00000001)
    TEST_BR2_OP_NOTTAKEN(37, blt, 0x00000001, 0x00000000)
    TEST_BR2_OP_NOTTAKEN(38, blt, 0xffffffff, 0xffffffff)
    TEST_BR2_OP_TAKEN(39, blt, 0xffffffff, 0x00000001)
    TEST_BR2_OP_NOTTAKEN(40, blt, 0x00000001, 0xffffffff)
    TEST_BR2_OP_TAKEN(41, blt, 0xfffffffe, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(42, blt, 0xffffffff, 0xfffffffe)
    TEST_BR2_OP_TAKEN(43, blt, 0x80000000, 0x7fffffff)
    TEST_BR2_OP_NOTTAKEN(44, blt, 0x7fffffff, 0x80000000)
    TEST_BR2_OP_TAKEN(45, blt, 0x80000000, 0x00000000)
    TEST_BR2_OP_NOTTAKEN(46, blt, 0x00000000, 0x80000000)
    TEST_BR2_OP_NOTTAKEN(47, blt, 0x80000000, 0x80000000)
    TEST_BR2_OP_NOTTAKEN(48, blt, 0x00000000, 0xffffffff)
    TEST_BR2_OP_TAKEN(49, blt, 0xffffffff, 0x00000000)

    /* ---- bge ---- */
    TEST_BR2_OP_TAKEN(50, bge, 0x00000000, 0x00000000)
    TEST_BR2_OP_TAKEN(51, bge, 0x00000001, 0x00000001)
    TEST_BR2_OP_NOTTAKEN(52, bge, 0x00000000, 0x00000001)
    TEST_BR2_OP_TAKEN(53, bge, 0x00000001, 0x00000000)
    TEST_BR2_OP_TAKEN(54, bge, 0xffffffff, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(55, bge, 0xffffffff, 0x00000001)
    TEST_BR2_OP_TAKEN(56, bge, 0x00000001, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(57, bge, 0xfffffffe, 0xffffffff)
    TEST_BR2_OP_TAKEN(58, bge, 0xffffffff, 0xfffffffe)
    TEST_BR2_OP_NOTTAKEN(59, bge, 0x80000000, 0x7fffffff)
    TEST_BR2_OP_TAKEN(60, bge, 0x7fffffff, 0x80000000)
    TEST_BR2_OP_NOTTAKEN(61, bge, 0x80000000, 0x00000000)
    TEST_BR2_OP_TAKEN(62, bge, 0x00000000, 0x80000000)
    TEST_BR2_OP_TAKEN(63, bge, 0x80000000, 0x80000000)
    TEST_BR2_OP_TAKEN(64, bge, 0x00000000, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(65, bge, 0xffffffff, 0x00000000)

    /* ---- bltu ---- */
    TEST_BR2_OP_NOTTAKEN(66, bltu, 0x00000000, 0x00000000)
    TEST_BR2_OP_NOTTAKEN(67, bltu, 0x00000001, 0x00000001)
    TEST_BR2_OP_TAKEN(68, bltu, 0x00000000, 0x00000001)
    TEST_BR2_OP_NOTTAKEN(69, bltu, 0x00000001, 0x00000000)
    TEST_BR2_OP_NOTTAKEN(70, bltu, 0xffffffff, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(71, bltu, 0xffffffff, 0x00000001)
    TEST_BR2_OP_TAKEN(72, bltu, 0x00000001, 0xffffffff)
    TEST_BR2_OP_TAKEN(73, bltu, 0xfffffffe, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(74, bltu, 0xffffffff, 0xfffffffe)
    TEST_BR2_OP_NOTTAKEN(75, bltu, 0x80000000, 0x7fffffff)
    TEST_BR2_OP_TAKEN(76, bltu, 0x7fffffff, 0x80000000)
    TEST_BR2_OP_NOTTAKEN(77, bltu, 0x80000000, 0x00000000)
    TEST_BR2_OP_TAKEN(78, bltu, 0x00000000, 0x80000000)
    TEST_BR2_OP_NOTTAKEN(79, bltu, 0x80000000, 0x80000000)
    TEST_BR2_OP_TAKEN(80, bltu, 0x00000000, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(81, bltu, 0xffffffff, 0x00000000)

    /* ---- bgeu ---- */
    TEST_BR2_OP_TAKEN(82, bgeu, 0x00000000, 0x00000000)
    TEST_BR2_OP_TAKEN(83, bgeu, 0x00000001, 0x00000001)
    TEST_BR2_OP_NOTTAKEN(84, bgeu, 0x00000000, 0x00000001)
    TEST_BR2_OP_TAKEN(85, bgeu, 0x00000001, 0x00000000)
    TEST_BR2_OP_TAKEN(86, bgeu, 0xffffffff, 0xffffffff)
    TEST_BR2_OP_TAKEN(87, bgeu, 0xffffffff, 0x00000001)
    TEST_BR2_OP_NOTTAKEN(88, bgeu, 0x00000001, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(89, bgeu, 0xfffffffe, 0xffffffff)
    TEST_BR2_OP_TAKEN(90, bgeu, 0xffffffff, 0xfffffffe)
    TEST_BR2_OP_TAKEN(91, bgeu, 0x80000000, 0x7fffffff)
    TEST_BR2_OP_NOTTAKEN(92, bgeu, 0x7fffffff, 0x80000000)
    TEST_BR2_OP_TAKEN(93, bgeu, 0x80000000, 0x00000000)
    TEST_BR2_OP_NOTTAKEN(94, bgeu, 0x00000000, 0x80000000)
    TEST_BR2_OP_TAKEN(95, bgeu, 0x80000000, 0x80000000)
    TEST_BR2_OP_NOTTAKEN(96, bgeu, 0x00000000, 0xffffffff)
    TEST_BR2_OP_TAKEN(97, bgeu, 0xffffffff, 0x00000000)

    /* ---- same register twice, and x0 ---- */
    li TEST_NUM, 98
    li a1, 0x80000000
    beq a1, a1, 1f
    j test_fail
1:  bge a1, a1, 1f
    j test_fail
1:  bgeu a1, a1, 1f
    j test_fail
1:  blt a1, a1, 2f
    bltu a1, a1, 2f
    bne a1, a1, 2f
    j 1f
2:  j test_fail
1:

    li TEST_NUM, 99
    beq x0, x0, 1f
    j test_fail
1:  bne x0, x0, 2f
    blt x0, x0, 2f
    bltu x0, x0, 2f
    li a1, -1
    blt a1, x0, 1f                          /* -1 < 0 signed */
2:  j test_fail
1:  bltu x0, a1, 1f                         /* 0 < 0xffffffff unsigned */
    j test_fail
1:  bltu a1, x0, 2b
    bge x0, a1, 1f
    j test_fail
1:

    /* ---- large offsets: skipped words are all-zero (illegal instructions), so landing short
       of the target traps and fails the case ---- */
    li TEST_NUM, 100                        /* beq forward by 4092 bytes: imm[11:1] all used */
    beq x0, x0, 1f
    .fill 1022, 4, 0
1:

    li TEST_NUM, 101                        /* beq backward by 4096 bytes: imm[12] = sign */
    j 2f
1:  j 3f
    .fill 1021, 4, 0
2:  bne x0, x0, 4f
    bltu x0, x0, 4f
    beq x0, x0, 1b
4:  j test_fail
3:

    li TEST_NUM, 102                        /* jal forward by more than 4 KiB: imm[12] */
    jal ra, 1f
2:  .fill 1100, 4, 0
1:  la TEST_EXP, 2b
    TEST_CHECK(ra)

    li TEST_NUM, 103                        /* jal backward by more than 4 KiB */
    j 2f
1:  la TEST_EXP, 4f
    TEST_CHECK(ra)
    j 3f
    .fill 1100, 4, 0
2:  jal ra, 1b
4:  j test_fail
3:

    /* ---- jal: link = address of the jal + 4 ---- */
    li TEST_NUM, 104
    li ra, 0
    jal ra, 1f
2:  j test_fail
1:  la TEST_EXP, 2b
    TEST_CHECK(ra)

    li TEST_NUM, 105                        /* backward, link in another register */
    j 2f
1:  la TEST_EXP, 4f
    TEST_CHECK(t0)
    j 3f
2:  jal t0, 1b
4:  j test_fail
3:

    TEST_CASE(106, x0, 0, jal x0, 1f; j test_fail; 1: nop)

    /* ---- jalr ---- */
    li TEST_NUM, 107
    la a1, 1f
    jalr ra, 0(a1)
2:  j test_fail
1:  la TEST_EXP, 2b
    TEST_CHECK(ra)

    li TEST_NUM, 108                        /* positive offset */
    la a1, 1f
    addi a1, a1, -2000
    jalr ra, 2000(a1)
2:  j test_fail
1:  la TEST_EXP, 2b
    TEST_CHECK(ra)

    li TEST_NUM, 109                        /* negative offset */
    la a1, 1f
    addi a1, a1, 2047
    addi a1, a1, 1
    jalr ra, -2048(a1)
2:  j test_fail
1:  la TEST_EXP, 2b
    TEST_CHECK(ra)

    li TEST_NUM, 110                        /* bit 0 of rs1 + imm is cleared: rs1 odd */
    la a1, 1f
    ori a1, a1, 1
    jalr ra, 0(a1)
2:  j test_fail
1:  la TEST_EXP, 2b
    TEST_CHECK(ra)

    li TEST_NUM, 111                        /* bit 0 cleared: imm odd */
    la a1, 1f
    jalr ra, 1(a1)
2:  j test_fail
1:  la TEST_EXP, 2b
    TEST_CHECK(ra)

    li TEST_NUM, 112                        /* bit 0 cleared: rs1 odd, negative odd imm */
    la a1, 1f
    addi a1, a1, 3
    jalr ra, -3(a1)
2:  j test_fail
1:  la TEST_EXP, 2b
    TEST_CHECK(ra)

    li TEST_NUM, 113                        /* rd == rs1: the target uses the old value */
    la a1, 1f
    jalr a1, 0(a1)
2:  j test_fail
1:  la TEST_EXP, 2b
    TEST_CHECK(a1)

    li TEST_NUM, 114                        /* rd == rs1 with an odd target */
    la a1, 1f
    addi a1, a1, -7
    jalr a1, 8(a1)
2:  j test_fail
1:  la TEST_EXP, 2b
    TEST_CHECK(a1)

    li TEST_NUM, 115                        /* jalr x0 (ret) writes nothing */
    la a1, 1f
    jalr x0, 0(a1)
    j test_fail
1:  li TEST_EXP, 0
    TEST_CHECK(x0)

    /* ---- call and return ---- */
    li TEST_NUM, 116
    li a0, 40
    call branch_inc
    call branch_inc
    li TEST_EXP, 42
    TEST_CHECK(a0)

    li TEST_NUM, 117                        /* nested calls through a saved return address */
    li a0, 5
    call branch_twice
    li TEST_EXP, 7
    TEST_CHECK(a0)

TEST_END

    .text
    .type branch_inc, @function
branch_inc:
    addi a0, a0, 1
    ret

    .type branch_twice, @function
branch_twice:
    addi sp, sp, -16
    sw ra, 12(sp)
    call branch_inc
    call branch_inc
    lw ra, 12(sp)
    addi sp, sp, 16
    ret
