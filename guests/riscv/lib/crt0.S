/*
 * crt0.S — entry point of test programs written in C (riscv/tests/<group>/<name>.c): stack,
 * case number 1, the default trap handler of test_rt.S in stvec, then main(). main returns 0
 * when every case passed or the number of the case that failed (see test.h).
 */
#include "test.h"


    .section .text.start, "ax"
    .globl _start
    .type _start, @function
    .align 2
_start:
    la sp, _stack_top
    li TEST_NUM, 1
    TEST_INIT_TRAPS
    call main
    beqz a0, 1f
    j test_fail_at
1:  j test_pass
