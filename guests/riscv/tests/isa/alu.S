/*
 * alu.S — integer computational instructions of RV32I: add/sub, the logical operations,
 * slt/sltu, their immediate forms (with sign extension of the 12-bit immediate, including
 * sltiu's "sign-extend then compare unsigned"), lui and auipc, and the register forms that
 * name x0 or reuse a source as the destination.
 */
#include "test.h"

TEST_BEGIN

    /* ---- add ---- */
    TEST_RR_OP( 2, add, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR_OP( 3, add, 0x00000002, 0x00000001, 0x00000001)
    TEST_RR_OP( 4, add, 0x0000000a, 0x00000003, 0x00000007)
    TEST_RR_OP( 5, add, 0xffff8000, 0x00000000, 0xffff8000)
    TEST_RR_OP( 6, add, 0x80000000, 0x80000000, 0x00000000)
    TEST_RR_OP( 7, add, 0x7fff8000, 0x80000000, 0xffff8000)
    TEST_RR_OP( 8, add, 0x80000000, 0x7fffffff, 0x00000001)      /* signed overflow wraps */
    TEST_RR_OP( 9, add, 0x00000000, 0x80000000, 0x80000000)
    TEST_RR_OP(10, add, 0xfffffffe, 0xffffffff, 0xffffffff)
    TEST_RR_OP(11, add, 0x00000000, 0xffffffff, 0x00000001)      /* carry out is lost */
    TEST_RR_OP(12, add, 0xfffffffe, 0x7fffffff, 0x7fffffff)
    TEST_RR_SRC1_EQ_DEST(13, add, 24, 13, 11)
    TEST_RR_SRC2_EQ_DEST(14, add, 25, 14, 11)
    TEST_RR_SRC12_EQ_DEST(15, add, 26, 13)
    TEST_RR_ZERO_SRC1(16, add, 15, 15)
    TEST_RR_ZERO_SRC2(17, add, 32, 32)
    TEST_RR_ZERO_DEST(18, add, 16, 30)
    TEST_CASE(19, a3, 0, li a3, 5; add a3, x0, x0)

    /* ---- sub ---- */
    TEST_RR_OP(20, sub, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR_OP(21, sub, 0x00000000, 0x00000001, 0x00000001)
    TEST_RR_OP(22, sub, 0xfffffffc, 0x00000003, 0x00000007)
    TEST_RR_OP(23, sub, 0x00008000, 0x00000000, 0xffff8000)
    TEST_RR_OP(24, sub, 0x80000000, 0x80000000, 0x00000000)
    TEST_RR_OP(25, sub, 0x80008000, 0x80000000, 0xffff8000)
    TEST_RR_OP(26, sub, 0x7fffffff, 0x80000000, 0x00000001)      /* signed overflow wraps */
    TEST_RR_OP(27, sub, 0x80000001, 0x00000000, 0x7fffffff)
    TEST_RR_OP(28, sub, 0x80000000, 0x00000000, 0x80000000)      /* -MIN == MIN */
    TEST_RR_OP(29, sub, 0x00000001, 0x00000000, 0xffffffff)
    TEST_RR_OP(30, sub, 0xffffffff, 0x7ffffffe, 0x7fffffff)
    TEST_RR_SRC1_EQ_DEST(31, sub, 2, 13, 11)
    TEST_RR_SRC2_EQ_DEST(32, sub, 3, 14, 11)
    TEST_RR_SRC12_EQ_DEST(33, sub, 0, 13)
    TEST_RR_ZERO_SRC1(34, sub, 0xfffffff1, 15)
    TEST_RR_ZERO_SRC2(35, sub, 32, 32)
    TEST_RR_ZERO_DEST(36, sub, 16, 30)

    /* ---- and / or / xor ---- */
    TEST_RR_OP(37, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR_OP(38, and, 0x00f000f0, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_RR_OP(39, and, 0x000f000f, 0x00ff00ff, 0x0f0f0f0f)
    TEST_RR_OP(40, and, 0xf000f000, 0xf00ff00f, 0xf0f0f0f0)
    TEST_RR_OP(41, and, 0x00000000, 0xaaaaaaaa, 0x55555555)
    TEST_RR_SRC12_EQ_DEST(42, and, 0xff00ff00, 0xff00ff00)
    TEST_RR_ZERO_SRC1(43, and, 0, 0xffffffff)
    TEST_RR_ZERO_DEST(44, and, 0xffffffff, 0xffffffff)
    TEST_RR_OP(45, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR_OP(46, or, 0xfff0fff0, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_RR_OP(47, or, 0x0fff0fff, 0x00ff00ff, 0x0f0f0f0f)
    TEST_RR_OP(48, or, 0xffffffff, 0xaaaaaaaa, 0x55555555)
    TEST_RR_SRC1_EQ_DEST(49, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR_ZERO_SRC2(50, or, 0x12345678, 0x12345678)
    TEST_RR_ZERO_DEST(51, or, 0x11111111, 0x22222222)
    TEST_RR_OP(52, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR_OP(53, xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_RR_OP(54, xor, 0x0ff00ff0, 0x00ff00ff, 0x0f0f0f0f)
    TEST_RR_OP(55, xor, 0xffffffff, 0xaaaaaaaa, 0x55555555)
    TEST_RR_SRC12_EQ_DEST(56, xor, 0, 0xdeadbeef)
    TEST_RR_SRC2_EQ_DEST(57, xor, 0x00ff00ff, 0xff00ff00, 0xffffffff)
    TEST_RR_ZERO_DEST(58, xor, 1, 2)

    /* ---- slt / sltu ---- */
    TEST_RR_OP(59, slt, 0, 0x00000000, 0x00000000)
    TEST_RR_OP(60, slt, 0, 0x00000001, 0x00000001)
    TEST_RR_OP(61, slt, 1, 0x00000003, 0x00000007)
    TEST_RR_OP(62, slt, 0, 0x00000007, 0x00000003)
    TEST_RR_OP(63, slt, 1, 0x80000000, 0x00000000)              /* MIN < 0 signed */
    TEST_RR_OP(64, slt, 0, 0x7fffffff, 0x80000000)
    TEST_RR_OP(65, slt, 1, 0x80000000, 0x7fffffff)
    TEST_RR_OP(66, slt, 1, 0xffffffff, 0x00000000)              /* -1 < 0 */
    TEST_RR_OP(67, slt, 0, 0x00000000, 0xffffffff)
    TEST_RR_OP(68, slt, 1, 0xfffffffe, 0xffffffff)
    TEST_RR_SRC12_EQ_DEST(69, slt, 0, 0x80000000)
    TEST_RR_ZERO_SRC1(70, slt, 1, 5)
    TEST_RR_ZERO_SRC2(71, slt, 1, -5)
    TEST_RR_ZERO_DEST(72, slt, -1, 1)
    TEST_RR_OP(73, sltu, 0, 0x00000000, 0x00000000)
    TEST_RR_OP(74, sltu, 1, 0x00000003, 0x00000007)
    TEST_RR_OP(75, sltu, 0, 0x80000000, 0x00000000)             /* MIN is large unsigned */
    TEST_RR_OP(76, sltu, 1, 0x7fffffff, 0x80000000)
    TEST_RR_OP(77, sltu, 0, 0xffffffff, 0x00000000)
    TEST_RR_OP(78, sltu, 1, 0x00000000, 0xffffffff)
    TEST_RR_OP(79, sltu, 1, 0xfffffffe, 0xffffffff)
    TEST_RR_OP(80, sltu, 0, 0xffffffff, 0xffffffff)
    TEST_RR_SRC1_EQ_DEST(81, sltu, 1, 11, 13)
    TEST_RR_ZERO_SRC1(82, sltu, 1, 1)                           /* snez idiom */
    TEST_RR_ZERO_SRC1(83, sltu, 0, 0)
    TEST_RR_ZERO_SRC2(84, sltu, 0, 0xffffffff)

    /* ---- addi (12-bit immediates are sign-extended) ---- */
    TEST_IMM_OP( 85, addi, 0x00000000, 0x00000000, 0x000)
    TEST_IMM_OP( 86, addi, 0x00000002, 0x00000001, 0x001)
    TEST_IMM_OP( 87, addi, 0x0000000a, 0x00000003, 0x007)
    TEST_IMM_OP( 88, addi, 0xfffff800, 0x00000000, 0x800)       /* -2048 */
    TEST_IMM_OP( 89, addi, 0x000007ff, 0x00000000, 0x7ff)       /* +2047 */
    TEST_IMM_OP( 90, addi, 0xffffffff, 0x00000000, 0xfff)       /* -1 */
    TEST_IMM_OP( 91, addi, 0x7fffffff, 0x80000000, 0xfff)       /* wraps */
    TEST_IMM_OP( 92, addi, 0x80000000, 0x7fffffff, 0x001)
    TEST_IMM_OP( 93, addi, 0x800007fe, 0x7fffffff, 0x7ff)
    TEST_IMM_OP( 94, addi, 0x7ffff7ff, 0x7fffffff, 0x800)
    TEST_IMM_OP( 95, addi, 0x00000000, 0x00000800, 0x800)
    TEST_IMM_SRC1_EQ_DEST( 96, addi, 24, 13, 11)
    TEST_IMM_ZERO_SRC1( 97, addi, 0xfffff800, 0x800)            /* li of a negative constant */
    TEST_IMM_ZERO_DEST( 98, addi, 33, 50)

    /* ---- andi / ori / xori ---- */
    TEST_IMM_OP( 99, andi, 0xff00ff00, 0xff00ff00, 0xf0f)       /* imm = 0xffffff0f */
    TEST_IMM_OP(100, andi, 0x000000f0, 0x0ff00ff0, 0x0f0)
    TEST_IMM_OP(101, andi, 0x0000000f, 0x00ff00ff, 0x70f)
    TEST_IMM_OP(102, andi, 0x00000000, 0xf00ff00f, 0x0f0)
    TEST_IMM_OP(103, andi, 0x12345678, 0x12345678, 0xfff)
    TEST_IMM_OP(104, andi, 0x12345000, 0x12345678, 0x800)       /* imm = 0xfffff800 */
    TEST_IMM_SRC1_EQ_DEST(105, andi, 0x00000000, 0xff00ff00, 0x0f0)
    TEST_IMM_ZERO_SRC1(106, andi, 0, 0xfff)
    TEST_IMM_OP(107, ori, 0xffffff0f, 0xff00ff00, 0xf0f)
    TEST_IMM_OP(108, ori, 0x0ff00ff0, 0x0ff00ff0, 0x0f0)
    TEST_IMM_OP(109, ori, 0x00ff07ff, 0x00ff00ff, 0x70f)
    TEST_IMM_OP(110, ori, 0xf00ff0ff, 0xf00ff00f, 0x0f0)
    TEST_IMM_OP(111, ori, 0xfffff800, 0x00000000, 0x800)
    TEST_IMM_SRC1_EQ_DEST(112, ori, 0xff00fff0, 0xff00ff00, 0x0f0)
    TEST_IMM_ZERO_SRC1(113, ori, 0x000007ff, 0x7ff)
    TEST_IMM_OP(114, xori, 0xff00f00f, 0x00ff0f00, 0xf0f)
    TEST_IMM_OP(115, xori, 0x0ff00f00, 0x0ff00ff0, 0x0f0)
    TEST_IMM_OP(116, xori, 0x00ff0ff0, 0x00ff08ff, 0x70f)
    TEST_IMM_OP(117, xori, 0xf00ff0ff, 0xf00ff00f, 0x0f0)
    TEST_IMM_OP(118, xori, 0xedcba987, 0x12345678, 0xfff)       /* not */
    TEST_IMM_SRC1_EQ_DEST(119, xori, 0xff00f80f, 0xff00ff00, 0x70f)
    TEST_IMM_ZERO_DEST(120, xori, 7, 7)

    /* ---- slti / sltiu ---- */
    TEST_IMM_OP(121, slti, 0, 0x00000000, 0x000)
    TEST_IMM_OP(122, slti, 0, 0x00000001, 0x001)
    TEST_IMM_OP(123, slti, 1, 0x00000003, 0x007)
    TEST_IMM_OP(124, slti, 0, 0x00000007, 0x003)
    TEST_IMM_OP(125, slti, 0, 0x00000000, 0x800)                /* 0 < -2048 ? no */
    TEST_IMM_OP(126, slti, 1, 0x80000000, 0x000)
    TEST_IMM_OP(127, slti, 1, 0x80000000, 0x800)
    TEST_IMM_OP(128, slti, 0, 0x7fffffff, 0x7ff)
    TEST_IMM_OP(129, slti, 1, 0xfffff7ff, 0x800)                /* -2049 < -2048 */
    TEST_IMM_OP(130, slti, 0, 0xfffff800, 0x800)
    TEST_IMM_OP(131, slti, 1, 0xffffffff, 0x000)
    TEST_IMM_OP(132, slti, 0, 0xffffffff, 0xfff)
    TEST_IMM_SRC1_EQ_DEST(133, slti, 1, 11, 13)
    TEST_IMM_ZERO_SRC1(134, slti, 0, 0xfff)
    TEST_IMM_OP(135, sltiu, 0, 0x00000000, 0x000)
    TEST_IMM_OP(136, sltiu, 1, 0x00000003, 0x007)
    TEST_IMM_OP(137, sltiu, 1, 0x00000000, 0x800)               /* imm = 0xfffff800 unsigned */
    TEST_IMM_OP(138, sltiu, 1, 0x80000000, 0x800)
    TEST_IMM_OP(139, sltiu, 0, 0xfffff800, 0x800)
    TEST_IMM_OP(140, sltiu, 1, 0xfffff7ff, 0x800)
    TEST_IMM_OP(141, sltiu, 1, 0x00000000, 0xfff)               /* x < 0xffffffff */
    TEST_IMM_OP(142, sltiu, 1, 0xfffffffe, 0xfff)
    TEST_IMM_OP(143, sltiu, 0, 0xffffffff, 0xfff)
    TEST_IMM_OP(144, sltiu, 1, 0x00000000, 0x001)               /* seqz idiom */
    TEST_IMM_OP(145, sltiu, 0, 0x00000005, 0x001)
    TEST_IMM_OP(146, sltiu, 0, 0x7fffffff, 0x7ff)
    TEST_IMM_SRC1_EQ_DEST(147, sltiu, 0, 13, 11)
    TEST_IMM_ZERO_DEST(148, sltiu, 0, 1)

    /* ---- lui ---- */
    TEST_CASE(149, a3, 0x00000000, lui a3, 0x00000)
    TEST_CASE(150, a3, 0x00001000, lui a3, 0x00001)
    TEST_CASE(151, a3, 0xfffff000, lui a3, 0xfffff)
    TEST_CASE(152, a3, 0x80000000, lui a3, 0x80000)
    TEST_CASE(153, a3, 0x7ffff000, lui a3, 0x7ffff)
    TEST_CASE(154, a3, 0x12345000, li a3, -1; lui a3, 0x12345)      /* low 12 bits cleared */
    TEST_CASE(155, a3, 0x12345678, lui a3, 0x12345; addi a3, a3, 0x678)
    TEST_CASE(156, a3, 0x12344fff, lui a3, 0x12345; addi a3, a3, -1)
    TEST_CASE(157, x0, 0, lui x0, 0x80000)

    /* ---- auipc: rd = address of the auipc + (imm << 12) ---- */
    li TEST_NUM, 158
    la a1, 1f
1:  auipc a3, 0
    li TEST_EXP, 0
    sub a3, a3, a1
    TEST_CHECK(a3)

    li TEST_NUM, 159
    la a1, 1f
1:  auipc a3, 0x00001
    sub a3, a3, a1
    li TEST_EXP, 0x1000
    TEST_CHECK(a3)

    li TEST_NUM, 160
    la a1, 1f
1:  auipc a3, 0xfffff                               /* -4096: one page back */
    sub a3, a3, a1
    li TEST_EXP, 0xfffff000
    TEST_CHECK(a3)

    li TEST_NUM, 161
    la a1, 1f
1:  auipc a3, 0x80000                               /* wraps around the address space */
    sub a3, a3, a1
    li TEST_EXP, 0x80000000
    TEST_CHECK(a3)

    li TEST_NUM, 162                                /* auipc + addi reaches a label */
    la a1, alu_marker
1:  auipc a3, %pcrel_hi(alu_marker)
    addi a3, a3, %pcrel_lo(1b)
    sub a3, a3, a1
    li TEST_EXP, 0
    TEST_CHECK(a3)

    li TEST_NUM, 163                                /* ... and the word there */
    la a1, alu_marker
    lw a3, 0(a1)
    li TEST_EXP, 0x600dc0de
    TEST_CHECK(a3)

    TEST_CASE(164, x0, 0, auipc x0, 0x12345)

    /* ---- a chain of dependent operations ---- */
    TEST_CASE(165, a3, 0x0000000f, li a3, 1; slli a3, a3, 4; addi a3, a3, -1; andi a3, a3, 0x0f; ori a3, a3, 1; xori a3, a3, 0)

TEST_END

    .data
    .align 2
alu_marker:
    .word 0x600dc0de
