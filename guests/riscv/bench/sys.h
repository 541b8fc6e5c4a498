/*
 * sys.h — the little the CPU bench needs from its environment, implemented twice: sys.c for
 * the RISC-V image (monitor calls: write = 64, exit = 93, the Linux numbers, so that the same
 * image runs on the ReHype machine and under qemu-riscv32) and sys_native.c for a host build
 * through libc, which also times the work and reports it.
 */
#ifndef REHYPE_BENCH_SYS_H
#define REHYPE_BENCH_SYS_H

/* Append len bytes at buf to the console (standard output). */
void sys_write(const char *buf, unsigned long len);

/* End the program with status code (0 = pass). */
__attribute__((noreturn)) void sys_exit(int code);

/* Bracket the measured work. The RISC-V variant does nothing: the machine counts instructions
   and virtual cycles itself. The native variant reads CLOCK_MONOTONIC. */
void sys_work_begin(void);
void sys_work_end(void);

/* Report what sys_work_begin/end measured: the native variant prints "native_nanos=N\n"; the
   RISC-V variant prints nothing. */
void sys_report(void);

#endif /* REHYPE_BENCH_SYS_H */
