/*
 * sys.c — the bench's environment on the RISC-V machine: console output and exit through the
 * monitor calls write (a7 = 64) and exit (a7 = 93), the Linux numbers, so that qemu-riscv32 in
 * user mode runs the same image. Also memset and memcpy, which gcc may call even in
 * freestanding code.
 */
#include "sys.h"

#include <stddef.h>

#define SYS_WRITE 64
#define SYS_EXIT  93
#define STDOUT    1

static long ecall3(long nr, long a0, long a1, long a2)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a7 __asm__("a7") = nr;
    __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
    return r_a0;
}

void sys_write(const char *buf, unsigned long len)
{
    ecall3(SYS_WRITE, STDOUT, (long) buf, (long) len);
}

void sys_exit(int code)
{
    ecall3(SYS_EXIT, code, 0, 0);
    for (;;) {
    }
}

void sys_work_begin(void)
{
}

void sys_work_end(void)
{
}

void sys_report(void)
{
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--) {
        *d++ = (unsigned char) c;
    }
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) {
        *d++ = *s++;
    }
    return dst;
}
