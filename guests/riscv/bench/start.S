/*
 * start.S — entry of the CPU bench image: zero .bss (the stack included: nothing lives there
 * yet), point sp at the stack at the end of .bss (riscv/link/bare.ld), call main, and exit with
 * main's result through the exit call (a7 = 93), which the ReHype monitor and qemu-riscv32's
 * Linux emulation both understand.
 */
    .section .text.start, "ax"
    .globl _start
    .type _start, @function
    .align 2
_start:
    la t0, _bss_start
    la t1, _bss_end
1:  bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 1b
2:  la sp, _stack_top
    call main
    li a7, 93
    ecall
3:  j 3b
    .size _start, . - _start
