/*
 * user.h — what U-mode thread code may call: the system calls of syscall.h (stubs in usys.S).
 * Thread code must not use hypercalls or CSRs (they trap) and must not print with printk
 * (that is a hypercall too); it writes with sys_write, which the kernel collects per thread.
 */
#ifndef REHYPE_KERNEL_USER_H
#define REHYPE_KERNEL_USER_H

#include <stdint.h>

int sys_write(const char *buf, uint32_t len);
int sys_yield(void);
__attribute__((noreturn)) void sys_exit(int code);
uint32_t sys_ticks(void);

#endif /* REHYPE_KERNEL_USER_H */
