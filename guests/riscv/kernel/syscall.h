/*
 * syscall.h — the system calls the kernel offers its U-mode threads: `ecall` from U-mode with
 * the number in a7, arguments in a0..a1, result in a0 (negative = -XEN_E* error). Shared by the
 * kernel (trap.c) and the user stubs (usys.S).
 *
 *   a7  call    arguments              result
 *   1   write   a0 = buf, a1 = len     len, or -EFAULT (buffer outside RAM), -EINVAL (len > 4096)
 *   2   yield   -                      0 (the next runnable thread runs)
 *   3   exit    a0 = code              does not return; thread_join() gets the code
 *   4   ticks   -                      timer ticks since boot (for pacing, never for results)
 */
#ifndef REHYPE_KERNEL_SYSCALL_H
#define REHYPE_KERNEL_SYSCALL_H

#define SYS_write   1
#define SYS_yield   2
#define SYS_exit    3
#define SYS_ticks   4

#endif /* REHYPE_KERNEL_SYSCALL_H */
