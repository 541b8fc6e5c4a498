/*
 * fence.S — memory ordering and instruction-fetch ordering: fence in its usual forms (including
 * fence.tso and the pause hint, which a base-ISA hart executes as an ordinary fence), and fence.i
 * after self-modifying code. Code is changed with ordinary stores, then fence.i, then executed:
 * a function already run (so a decoded copy may be cached) must show its new behaviour, changed
 * again it must change again, code patched in a hot loop's callee must be seen, and an
 * instruction on the very page being executed, just after the fence.i, must be seen too.
 * New instruction words are copied from templates assembled in .text, never hand-encoded.
 */
#include "test.h"

#ifdef TEST_USER_MODE
#define LINUX_MPROTECT 226
#endif

TEST_BEGIN

#ifdef TEST_USER_MODE
    /* Linux maps the text segment read-only: make the test's code writable as well. */
    la a0, _image_start
    la a1, fence_text_end
    sub a1, a1, a0
    li a2, 7                                /* PROT_READ | PROT_WRITE | PROT_EXEC */
    li a7, LINUX_MPROTECT
    ecall
    bnez a0, test_fail
#endif

    /* ---- fence forms ---- */
    li TEST_NUM, 2
    la a1, fence_data
    li a2, 0x1234
    sw a2, 0(a1)
    fence
    fence rw, rw
    fence r, r
    fence w, w
    fence r, rw
    fence iorw, iorw
    fence.tso
    .word 0x0100000f                        /* pause = fence w, 0 (Zihintpause hint) */
    lw a3, 0(a1)
    li TEST_EXP, 0x1234
    TEST_CHECK(a3)
    li TEST_EXP, 0x1234
    TEST_CHECK(a2)

    li TEST_NUM, 3                          /* fence.i alone has no visible effect */
    li a3, 77
    fence.i
    fence.i
    li TEST_EXP, 77
    TEST_CHECK(a3)

    /* ---- self-modifying code ---- */
    li TEST_NUM, 4                          /* run the function as built */
    call smc_func
    li TEST_EXP, 1
    TEST_CHECK(a0)

    li TEST_NUM, 5                          /* patch it: addi a0, x0, 2 */
    la a1, smc_func
    la a2, smc_tpl_2
    lw a2, 0(a2)
    sw a2, 0(a1)
    fence.i
    call smc_func
    li TEST_EXP, 2
    TEST_CHECK(a0)

    li TEST_NUM, 6                          /* patch it again: addi a0, x0, 3 */
    la a1, smc_func
    la a2, smc_tpl_3
    lw a2, 0(a2)
    sw a2, 0(a1)
    fence.i
    call smc_func
    li TEST_EXP, 3
    TEST_CHECK(a0)

    li TEST_NUM, 7                          /* a hot callee, patched after 200 calls */
    li s1, 200
    li s2, 0
1:  call smc_func
    add s2, s2, a0
    addi s1, s1, -1
    bnez s1, 1b
    li TEST_EXP, 600
    TEST_CHECK(s2)
    la a1, smc_func
    la a2, smc_tpl_ret9
    lw a2, 0(a2)
    sw a2, 0(a1)
    fence.i
    li s1, 3
    li s2, 0
1:  call smc_func
    add s2, s2, a0
    addi s1, s1, -1
    bnez s1, 1b
    li TEST_EXP, 27
    TEST_CHECK(s2)

    li TEST_NUM, 8                          /* patch the instruction after the fence.i itself */
    la a1, 1f
    la a2, smc_tpl_5
    lw a2, 0(a2)
    li a0, 0
    sw a2, 0(a1)
    fence.i
1:  addi a0, x0, 4                          /* becomes addi a0, x0, 5 */
    li TEST_EXP, 5
    TEST_CHECK(a0)

    li TEST_NUM, 9                          /* a byte store into an instruction: 4 -> 6 ... */
    la a1, 1f
    li a2, 0x00600513                       /* low byte unchanged, imm in bits 31:20 */
    srli a2, a2, 16
    sh a2, 2(a1)                            /* rewrite the upper half: imm 4 -> 6 */
    fence.i
1:  addi a0, x0, 4
    li TEST_EXP, 6
    TEST_CHECK(a0)

    li TEST_NUM, 10                         /* a whole two-instruction body replaced */
    la a1, smc_body
    la a2, smc_tpl_body
    lw a3, 0(a2)
    sw a3, 0(a1)
    lw a3, 4(a2)
    sw a3, 4(a1)
    fence.i
    li a0, 20
    call smc_body
    li TEST_EXP, 41
    TEST_CHECK(a0)

TEST_END

    .text
    .align 2
    .type smc_func, @function
smc_func:                                   /* patched by cases 5..7 */
    addi a0, x0, 1
    ret

    .type smc_body, @function
smc_body:                                   /* replaced by smc_tpl_body in case 10 */
    addi a0, a0, 1
    nop
    ret

/* Templates: never executed, only copied. */
smc_tpl_2:
    addi a0, x0, 2
smc_tpl_3:
    addi a0, x0, 3
smc_tpl_5:
    addi a0, x0, 5
smc_tpl_ret9:
    addi a0, x0, 9
smc_tpl_body:
    slli a0, a0, 1
    addi a0, a0, 1
fence_text_end:

    .data
    .align 2
fence_data:
    .word 0
