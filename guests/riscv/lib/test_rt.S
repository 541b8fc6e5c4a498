/*
 * test_rt.S — the runtime linked into every test program: the pass and fail exits and the
 * default trap handler (see test.h for the convention). It uses no stack and no data the test
 * could have damaged except one message buffer in .bss, because it runs after something went
 * wrong. Messages go to the console through the monitor's write call, then exit reports:
 *
 *   pass:             "PASS\n", exit 0
 *   fail:             "FAIL: test N\n", exit N
 *   unexpected trap:  "FAIL: test N: unexpected trap scause=0x... sepc=0x... stval=0x...\n", exit N
 *
 * N is TEST_NUM (s11); a failure with TEST_NUM = 0 is reported as case 1, so a failing program
 * never exits 0.
 */
#include "test.h"


    .text
    .align 2

/* ---- exits ---- */

    .globl test_pass
    .type test_pass, @function
test_pass:
    la a1, rt_msg_pass
    li a2, 5
    li a0, MON_STDOUT
    li a7, MON_WRITE
    ecall
    li a0, 0
    li a7, MON_EXIT
    ecall
1:  j 1b

    .globl test_fail_at
    .type test_fail_at, @function
test_fail_at:                       /* C entry: a0 = case number */
    mv TEST_NUM, a0
    /* fall through */

    .globl test_fail
    .type test_fail, @function
test_fail:
    bnez TEST_NUM, 1f
    li TEST_NUM, 1
1:  la t0, rt_buf
    la a1, rt_msg_fail
    jal rt_append_str
    mv a1, TEST_NUM
    jal rt_append_dec
    j rt_finish

/* The default S-mode trap handler (stvec, direct mode: 4-byte aligned). */
    .align 2
    .globl test_trap
    .type test_trap, @function
test_trap:
    bnez TEST_NUM, 1f
    li TEST_NUM, 1
1:  la t0, rt_buf
    la a1, rt_msg_fail
    jal rt_append_str
    mv a1, TEST_NUM
    jal rt_append_dec
    la a1, rt_msg_trap
    jal rt_append_str
    csrr a1, scause
    jal rt_append_hex
    la a1, rt_msg_sepc
    jal rt_append_str
    csrr a1, sepc
    jal rt_append_hex
    la a1, rt_msg_stval
    jal rt_append_str
    csrr a1, stval
    jal rt_append_hex
    /* fall through */

/* Append "\n", write the buffer, exit with TEST_NUM. */
    .type rt_finish, @function
rt_finish:
    li t1, '\n'
    sb t1, 0(t0)
    addi t0, t0, 1
    la a1, rt_buf
    sub a2, t0, a1
    li a0, MON_STDOUT
    li a7, MON_WRITE
    ecall
    mv a0, TEST_NUM
    li a7, MON_EXIT
    ecall
1:  j 1b

/* ---- message building: t0 = cursor into rt_buf; leaf routines, return through ra ---- */

/* Append the NUL-terminated string at a1. Clobbers a1, t1. */
    .type rt_append_str, @function
rt_append_str:
    lbu t1, 0(a1)
    beqz t1, 2f
    sb t1, 0(t0)
    addi t0, t0, 1
    addi a1, a1, 1
    j rt_append_str
2:  ret

/* Append a1 as 8 hexadecimal digits. Clobbers t1, t2, t3. */
    .type rt_append_hex, @function
rt_append_hex:
    li t2, 28
1:  srl t1, a1, t2
    andi t1, t1, 15
    li t3, 10
    bltu t1, t3, 2f
    addi t1, t1, 'a' - 10 - '0'
2:  addi t1, t1, '0'
    sb t1, 0(t0)
    addi t0, t0, 1
    addi t2, t2, -4
    bgez t2, 1b
    ret

/* Append a1 (unsigned) in decimal without leading zeros, by repeated subtraction of powers of
   ten (no M extension needed). Clobbers a1, t1..t4. */
    .type rt_append_dec, @function
rt_append_dec:
    la t3, rt_pow10
    li t4, 0                        /* non-zero once a digit has been written */
1:  lw t2, 0(t3)
    beqz t2, 4f
    li t1, 0
2:  bltu a1, t2, 3f
    sub a1, a1, t2
    addi t1, t1, 1
    j 2b
3:  or t4, t4, t1
    addi t3, t3, 4
    li a0, 1
    beq t2, a0, 5f                  /* the units digit is always written */
    beqz t4, 1b
5:  addi t1, t1, '0'
    sb t1, 0(t0)
    addi t0, t0, 1
    j 1b
4:  ret

    .section .rodata
    .align 2
rt_pow10:
    .word 1000000000, 100000000, 10000000, 1000000, 100000, 10000, 1000, 100, 10, 1, 0
rt_msg_pass:
    .ascii "PASS\n"
rt_msg_fail:
    .asciz "FAIL: test "
rt_msg_trap:
    .asciz ": unexpected trap scause=0x"
rt_msg_sepc:
    .asciz " sepc=0x"
rt_msg_stval:
    .asciz " stval=0x"

    .bss
    .align 2
rt_buf:
    .space 128
