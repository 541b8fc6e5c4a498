/*
 * loadstore.S — the loads and stores of RV32I: lb/lh/lw/lbu/lhu and sb/sh/sw. Sign and zero
 * extension of every byte and halfword pattern (0x7f/0x80 boundaries), little-endian byte order,
 * positive and negative displacements (up to the 12-bit limits), a load whose destination is its
 * base register, narrow stores changing only their own bytes (guard words on either side), the
 * high bits of rs2 ignored by sb/sh, storing the base register itself, x0 as the stored value and
 * as a load destination, and a load of an instruction word from the text segment.
 */
#include "test.h"

TEST_BEGIN

    /* ---- lb ---- */
    TEST_LD_OP(2, lb, 0xffffffff, 0, ls_bytes)
    TEST_LD_OP(3, lb, 0x00000000, 1, ls_bytes)
    TEST_LD_OP(4, lb, 0xfffffff0, 2, ls_bytes)
    TEST_LD_OP(5, lb, 0x0000000f, 3, ls_bytes)
    TEST_LD_OP(6, lb, 0xffffff80, 4, ls_bytes)
    TEST_LD_OP(7, lb, 0x0000007f, 5, ls_bytes)
    TEST_LD_OP(8, lb, 0x00000001, 6, ls_bytes)
    TEST_LD_OP(9, lb, 0xfffffffe, 7, ls_bytes)

    /* ---- lbu ---- */
    TEST_LD_OP(10, lbu, 0x000000ff, 0, ls_bytes)
    TEST_LD_OP(11, lbu, 0x00000000, 1, ls_bytes)
    TEST_LD_OP(12, lbu, 0x000000f0, 2, ls_bytes)
    TEST_LD_OP(13, lbu, 0x0000000f, 3, ls_bytes)
    TEST_LD_OP(14, lbu, 0x00000080, 4, ls_bytes)
    TEST_LD_OP(15, lbu, 0x0000007f, 5, ls_bytes)
    TEST_LD_OP(16, lbu, 0x00000001, 6, ls_bytes)
    TEST_LD_OP(17, lbu, 0x000000fe, 7, ls_bytes)
    /* negative offsets */
    TEST_LD_OP(18, lb, 0xfffffffe, -1, ls_bytes+8)
    TEST_LD_OP(19, lb, 0x00000001, -2, ls_bytes+8)
    TEST_LD_OP(20, lb, 0x0000000f, -5, ls_bytes+8)
    TEST_LD_OP(21, lbu, 0x000000fe, -1, ls_bytes+8)
    TEST_LD_OP(22, lbu, 0x00000001, -2, ls_bytes+8)
    TEST_LD_OP(23, lbu, 0x0000000f, -5, ls_bytes+8)

    /* ---- lh ---- */
    TEST_LD_OP(24, lh, 0x000000ff, 0, ls_halves)
    TEST_LD_OP(25, lh, 0xffffff00, 2, ls_halves)
    TEST_LD_OP(26, lh, 0x00000ff0, 4, ls_halves)
    TEST_LD_OP(27, lh, 0xfffff00f, 6, ls_halves)
    TEST_LD_OP(28, lh, 0xffff8000, 8, ls_halves)
    TEST_LD_OP(29, lh, 0x00007fff, 10, ls_halves)
    TEST_LD_OP(30, lh, 0x00007fff, -2, ls_halves+12)
    TEST_LD_OP(31, lh, 0x00000ff0, -8, ls_halves+12)

    /* ---- lhu ---- */
    TEST_LD_OP(32, lhu, 0x000000ff, 0, ls_halves)
    TEST_LD_OP(33, lhu, 0x0000ff00, 2, ls_halves)
    TEST_LD_OP(34, lhu, 0x00000ff0, 4, ls_halves)
    TEST_LD_OP(35, lhu, 0x0000f00f, 6, ls_halves)
    TEST_LD_OP(36, lhu, 0x00008000, 8, ls_halves)
    TEST_LD_OP(37, lhu, 0x00007fff, 10, ls_halves)
    TEST_LD_OP(38, lhu, 0x00007fff, -2, ls_halves+12)
    TEST_LD_OP(39, lhu, 0x00000ff0, -8, ls_halves+12)

    /* ---- lw ---- */
    TEST_LD_OP(40, lw, 0x00ff00ff, 0, ls_words)
    TEST_LD_OP(41, lw, 0xff00ff00, 4, ls_words)
    TEST_LD_OP(42, lw, 0x0ff00ff0, 8, ls_words)
    TEST_LD_OP(43, lw, 0xf00ff00f, 12, ls_words)
    TEST_LD_OP(44, lw, 0x80000000, 16, ls_words)
    TEST_LD_OP(45, lw, 0x7fffffff, 20, ls_words)
    TEST_LD_OP(46, lw, 0x7fffffff, -4, ls_words+24)
    TEST_LD_OP(47, lw, 0x00ff00ff, -24, ls_words+24)
    /* little endian: bytes and halves read as words and the other way round */
    TEST_LD_OP(48, lw, 0x0ff000ff, 0, ls_bytes)
    TEST_LD_OP(49, lw, 0xfe017f80, 4, ls_bytes)
    TEST_LD_OP(50, lw, 0xff0000ff, 0, ls_halves)
    TEST_LD_OP(51, lh, 0x000000ff, 2, ls_words)
    TEST_LD_OP(52, lbu, 0x00000000, 3, ls_words)
    TEST_LD_OP(53, lb, 0xffffffff, 7, ls_words)
    /* the loaded value replaces the base register */
    TEST_LD_DEST_EQ_BASE(54, lw, 0xff00ff00, 4, ls_words)
    TEST_LD_DEST_EQ_BASE(55, lh, 0xfffff00f, 6, ls_halves)
    TEST_LD_DEST_EQ_BASE(56, lbu, 0x00000080, 4, ls_bytes)

    /* ---- stores read back: the low byte/half of rs2 is stored ---- */
    TEST_ST_OP(57, sb, lb,  0xffffffaa, 0x000000aa, 0, ls_scratch)
    TEST_ST_OP(58, sb, lbu, 0x000000aa, 0x000000aa, 1, ls_scratch)
    TEST_ST_OP(59, sb, lb,  0x00000078, 0x12345678, 2, ls_scratch)
    TEST_ST_OP(60, sb, lbu, 0x00000080, 0xffffff80, 3, ls_scratch)
    TEST_ST_OP(61, sb, lb,  0xffffffff, 0xffffffff, -1, ls_scratch+8)
    TEST_ST_OP(62, sb, lbu, 0x00000000, 0x00000100, -2, ls_scratch+8)
    TEST_ST_OP(63, sh, lh,  0xffffaa55, 0x0000aa55, 0, ls_scratch+8)
    TEST_ST_OP(64, sh, lhu, 0x0000aa55, 0x0000aa55, 2, ls_scratch+8)
    TEST_ST_OP(65, sh, lh,  0x00005678, 0x12345678, 4, ls_scratch+8)
    TEST_ST_OP(66, sh, lhu, 0x00008000, 0xffff8000, -2, ls_scratch+16)
    TEST_ST_OP(67, sh, lh,  0x00007fff, 0x00017fff, -4, ls_scratch+16)
    TEST_ST_OP(68, sw, lw,  0xaabbccdd, 0xaabbccdd, 0, ls_scratch+16)
    TEST_ST_OP(69, sw, lw,  0x00000000, 0x00000000, 4, ls_scratch+16)
    TEST_ST_OP(70, sw, lw,  0x80000000, 0x80000000, -4, ls_scratch+32)
    TEST_ST_OP(71, sw, lw,  0x7fffffff, 0x7fffffff, -16, ls_scratch+48)

    /* ---- byte lanes ---- */
    li TEST_NUM, 72                         /* sb clears one byte of two all-ones words */
    la a1, ls_lanes
    li a2, -1
    sw a2, 0(a1)
    sw a2, 4(a1)
    sb x0, 1(a1)
    lw a3, 0(a1)
    li TEST_EXP, 0xffff00ff
    TEST_CHECK(a3)
    lw a3, 4(a1)
    li TEST_EXP, 0xffffffff
    TEST_CHECK(a3)

    li TEST_NUM, 73                         /* sb into the top byte */
    la a1, ls_lanes
    li a2, 0x12
    sb a2, 3(a1)
    lw a3, 0(a1)
    li TEST_EXP, 0x12ff00ff
    TEST_CHECK(a3)

    li TEST_NUM, 74                         /* sh into the low half of the second word */
    la a1, ls_lanes
    li a2, 0x3456
    sh a2, 4(a1)
    lw a3, 4(a1)
    li TEST_EXP, 0xffff3456
    TEST_CHECK(a3)

    li TEST_NUM, 75                         /* sh into the high half, rs2's high bits ignored */
    la a1, ls_lanes
    li a2, 0xabcdef01
    sh a2, 6(a1)
    lw a3, 4(a1)
    li TEST_EXP, 0xef013456
    TEST_CHECK(a3)
    lw a3, 0(a1)
    li TEST_EXP, 0x12ff00ff
    TEST_CHECK(a3)

    li TEST_NUM, 76                         /* sw stores little endian */
    la a1, ls_lanes
    li a2, 0x89abcdef
    sw a2, 0(a1)
    lbu a3, 0(a1)
    li TEST_EXP, 0xef
    TEST_CHECK(a3)
    lbu a3, 1(a1)
    li TEST_EXP, 0xcd
    TEST_CHECK(a3)
    lbu a3, 2(a1)
    li TEST_EXP, 0xab
    TEST_CHECK(a3)
    lb a3, 3(a1)
    li TEST_EXP, 0xffffff89
    TEST_CHECK(a3)
    lhu a3, 2(a1)
    li TEST_EXP, 0x89ab
    TEST_CHECK(a3)

    li TEST_NUM, 77                         /* sh into the middle of a stored word */
    la a1, ls_lanes
    li a2, 0x8001
    sh a2, 2(a1)
    lh a3, 2(a1)
    li TEST_EXP, 0xffff8001
    TEST_CHECK(a3)
    lw a3, 0(a1)
    li TEST_EXP, 0x8001cdef
    TEST_CHECK(a3)

    li TEST_NUM, 78                         /* negative displacements for all three widths */
    la a1, ls_lanes+8
    li a2, 0x11223344
    sw a2, -8(a1)
    li a2, 0x5566
    sh a2, -4(a1)
    li a2, 0x77
    sb a2, -1(a1)
    lw a3, -8(a1)
    li TEST_EXP, 0x11223344
    TEST_CHECK(a3)
    lw a3, -4(a1)
    li TEST_EXP, 0x77015566
    TEST_CHECK(a3)

    li TEST_NUM, 79                         /* the guard words around the lanes are intact */
    la a1, ls_lanes
    lw a3, -4(a1)
    li TEST_EXP, 0x5a5a5a5a
    TEST_CHECK(a3)
    lw a3, 8(a1)
    li TEST_EXP, 0xa5a5a5a5
    TEST_CHECK(a3)

    /* ---- displacement limits: +2047 / -2048 ---- */
    li TEST_NUM, 80
    la a1, ls_far+2048
    li a2, 0x0badcafe
    sw a2, -2048(a1)
    la a1, ls_far
    lw a3, 0(a1)
    li TEST_EXP, 0x0badcafe
    TEST_CHECK(a3)

    li TEST_NUM, 81
    la a1, ls_far-2047
    li a2, 0xc3
    sb a2, 2047(a1)
    la a1, ls_far
    lw a3, 0(a1)
    li TEST_EXP, 0x0badcac3
    TEST_CHECK(a3)
    la a1, ls_far-2047
    lbu a3, 2047(a1)
    li TEST_EXP, 0xc3
    TEST_CHECK(a3)

    li TEST_NUM, 82
    la a1, ls_far+2048
    lhu a3, -2046(a1)
    li TEST_EXP, 0x0bad
    TEST_CHECK(a3)

    /* ---- special registers ---- */
    li TEST_NUM, 83                         /* store the base register itself */
    la a1, ls_scratch
    sw a1, 0(a1)
    lw a3, 0(a1)
    mv TEST_EXP, a1
    TEST_CHECK(a3)

    li TEST_NUM, 84                         /* x0 as the stored value */
    la a1, ls_scratch
    li a2, -1
    sw a2, 4(a1)
    sw x0, 4(a1)
    lw a3, 4(a1)
    li TEST_EXP, 0
    TEST_CHECK(a3)
    sw a2, 4(a1)
    sb x0, 5(a1)
    sh x0, 6(a1)
    lw a3, 4(a1)
    li TEST_EXP, 0x000000ff
    TEST_CHECK(a3)

    li TEST_NUM, 85                         /* a load into x0 leaves x0 zero */
    la a1, ls_words
    lw x0, 4(a1)
    lb x0, 0(a1)
    lhu x0, 2(a1)
    li TEST_EXP, 0
    TEST_CHECK(x0)

    li TEST_NUM, 86                         /* an instruction word read as data */
    la a1, 1f
    lw a3, 0(a1)
    j 2f
1:  addi x0, x0, 0x123                      /* 0x12300013 */
2:  li TEST_EXP, 0x12300013
    TEST_CHECK(a3)

    li TEST_NUM, 87                         /* two base registers, one address */
    la a1, ls_scratch+32
    la a2, ls_scratch+40
    li a3, 0x1234abcd
    sw a3, 8(a1)
    lw a4, 0(a2)
    mv TEST_EXP, a3
    TEST_CHECK(a4)

TEST_END

    .data
    .align 4
ls_bytes:
    .byte 0xff, 0x00, 0xf0, 0x0f, 0x80, 0x7f, 0x01, 0xfe
    .align 4
ls_halves:
    .half 0x00ff, 0xff00, 0x0ff0, 0xf00f, 0x8000, 0x7fff
    .align 4
ls_words:
    .word 0x00ff00ff, 0xff00ff00, 0x0ff00ff0, 0xf00ff00f, 0x80000000, 0x7fffffff
    .align 4
ls_scratch:
    .space 64
    .word 0x5a5a5a5a
ls_lanes:
    .word 0, 0
    .word 0xa5a5a5a5
    .align 4
ls_far:
    .word 0
