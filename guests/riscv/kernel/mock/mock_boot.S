/*
 * mock_boot.S — entry of a mock image (see mockhv.c): a stack of its own, mock_setup() (which
 * writes start_info and shared_info as a domain builder would), then the kernel's real entry
 * _start with a0 = start_info gpa and a1 = vcpu 0, exactly as the ABI boots a guest.
 */
    .text
    .globl mock_boot
    .type mock_boot, @function
    .align 2
mock_boot:
    li sp, 0x80300000
    call mock_setup                 /* a0 = start_info gpa */
    li a1, 0
    j _start
    .size mock_boot, . - mock_boot
