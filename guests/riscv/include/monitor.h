/*
 * monitor.h — the call interface between a standalone guest program and the bare monitor
 * (dev.rehype.machine.monitor.BareMonitor) that runs it. A call is an `ecall` from S-mode
 * with the call number in a7, arguments in a0..a2 and the result in a0. The first two numbers
 * are Linux's, so that a program using only write and exit also runs unchanged under
 * `qemu-riscv32` (user mode). Usable from assembly (.S, numbers only) and from C (inline
 * wrappers).
 *
 *   a7     call        arguments                      result
 *   64     write       a0 = fd, a1 = buf, a2 = len    a0 = len (bytes appended to the console)
 *   93     exit        a0 = code                      does not return; 0 = pass
 *   0x100  set_virq    a0 = mask (SSIP/STIP/SEIP)     assert virtual interrupt pending bits
 *   0x101  clear_virq  a0 = mask                      de-assert them
 *   0x102  set_timer   a0 = delta cycles              STIP is asserted when the timer fires
 *   0x103  protect     a0 = gpa, a1 = perms (R|W|X)   second-stage permissions of gpa's page
 *   0x104  faults      -                              a0 = count, a1 = last gpa, a2 = last cause
 *
 * `wfi` in S-mode is not a call: it traps to the monitor, which halts the hart until its timer
 * fires (or ends the run as idle forever when no timer is set).
 */
#ifndef REHYPE_GUEST_MONITOR_H
#define REHYPE_GUEST_MONITOR_H

#define MON_WRITE       64
#define MON_EXIT        93
#define MON_SET_VIRQ    0x100
#define MON_CLEAR_VIRQ  0x101
#define MON_SET_TIMER   0x102
#define MON_PROTECT     0x103
#define MON_FAULTS      0x104

/* Virtual interrupt pending bits (sip layout). */
#define MON_VIRQ_SSIP   (1 << 1)
#define MON_VIRQ_STIP   (1 << 5)
#define MON_VIRQ_SEIP   (1 << 9)

/* Second-stage permissions for MON_PROTECT; 0 = unmapped. */
#define MON_PERM_R      1
#define MON_PERM_W      2
#define MON_PERM_X      4

/* File descriptor of the console for MON_WRITE. */
#define MON_STDOUT      1

#ifndef __ASSEMBLER__

/* Result of MON_FAULTS: the guest-page faults the monitor has seen on protected pages. */
struct mon_faults {
    unsigned long count;
    unsigned long last_gpa;
    unsigned long last_cause;
};

static inline long mon_call3(long nr, long a0, long a1, long a2)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a7 __asm__("a7") = nr;
    __asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1), "+r"(r_a2) : "r"(r_a7) : "memory");
    return r_a0;
}

static inline long mon_write(const void *buf, unsigned long len)
{
    return mon_call3(MON_WRITE, MON_STDOUT, (long) buf, (long) len);
}

__attribute__((noreturn)) static inline void mon_exit(int code)
{
    mon_call3(MON_EXIT, code, 0, 0);
    for (;;) {
    }
}

static inline void mon_set_virq(unsigned long mask) { mon_call3(MON_SET_VIRQ, (long) mask, 0, 0); }
static inline void mon_clear_virq(unsigned long mask) { mon_call3(MON_CLEAR_VIRQ, (long) mask, 0, 0); }
static inline void mon_set_timer(unsigned long delta_cycles) { mon_call3(MON_SET_TIMER, (long) delta_cycles, 0, 0); }

static inline void mon_protect(unsigned long gpa, unsigned long perms)
{
    mon_call3(MON_PROTECT, (long) gpa, (long) perms, 0);
}

static inline struct mon_faults mon_faults(void)
{
    register long r_a0 __asm__("a0") = 0;
    register long r_a1 __asm__("a1") = 0;
    register long r_a2 __asm__("a2") = 0;
    register long r_a7 __asm__("a7") = MON_FAULTS;
    __asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1), "+r"(r_a2) : "r"(r_a7) : "memory");
    struct mon_faults f = { (unsigned long) r_a0, (unsigned long) r_a1, (unsigned long) r_a2 };
    return f;
}

#endif /* !__ASSEMBLER__ */
#endif /* REHYPE_GUEST_MONITOR_H */
