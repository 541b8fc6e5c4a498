/*
 * sys_native.c — the bench's environment on the host, through libc: the same program as the
 * RISC-V image, built with `gcc -O2 cpu.c sys_native.c`, so that the bench command can compare
 * the machine's speed with native execution of the same work. It times the work with
 * CLOCK_MONOTONIC and prints "native_nanos=N" on a line after the result.
 */
#define _POSIX_C_SOURCE 200112L

#include "sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static struct timespec work_begin;
static struct timespec work_end;

void sys_write(const char *buf, unsigned long len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n <= 0) {
            return;
        }
        buf += n;
        len -= (unsigned long) n;
    }
}

void sys_exit(int code)
{
    exit(code);
}

void sys_work_begin(void)
{
    clock_gettime(CLOCK_MONOTONIC, &work_begin);
}

void sys_work_end(void)
{
    clock_gettime(CLOCK_MONOTONIC, &work_end);
}

void sys_report(void)
{
    long long nanos = (long long) (work_end.tv_sec - work_begin.tv_sec) * 1000000000LL
            + (work_end.tv_nsec - work_begin.tv_nsec);
    char line[48];
    int n = snprintf(line, sizeof line, "native_nanos=%lld\n", nanos);
    sys_write(line, (unsigned long) n);
}
