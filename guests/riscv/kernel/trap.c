/*
 * trap.c — what happens after entry.S has saved a trap frame:
 *
 *   supervisor software interrupt   the event channel upcall (sip.SSIP cleared first, per ABI)
 *   supervisor timer interrupt      the tick: re-arm, and preempt a U-mode thread
 *   ecall from U-mode               a system call of the running thread (syscall.h)
 *   any other trap from U-mode      the thread is killed, the reason kept in its output
 *   any other trap from S-mode      a kernel bug: scause/sepc/stval printed, shutdown(crash)
 *
 * Interrupts are taken from U-mode at any time and from S-mode only inside local_irq_window,
 * so a handler never interrupts kernel code that holds state it touches. Threads are switched
 * only on the way back to U-mode (preemption) or from a system call.
 */
#include "kernel.h"
#include "csr.h"
#include "frame.h"
#include "syscall.h"

static int from_user(const struct trap_frame *f)
{
    return (f->sstatus & SSTATUS_SPP) == 0;
}

void local_irq_window(void)
{
    __asm__ volatile("csrsi sstatus, %0\n\tnop\n\tcsrci sstatus, %0" : : "i"(SSTATUS_SIE) : "memory");
}

void kernel_idle(void)
{
    hv_sched_block();
    local_irq_window();
}

static int syscall(struct trap_frame *f)
{
    uint32_t a0 = f->regs[REG_A0];
    uint32_t a1 = f->regs[REG_A1];
    switch (f->regs[REG_A7]) {
    case SYS_write:
        return thread_sys_write((const char *) (uintptr_t) a0, a1);
    case SYS_yield:
        schedule();
        return 0;
    case SYS_exit:
        thread_exit((int) a0);
    case SYS_ticks:
        return (int) timer_ticks();
    default:
        return -XEN_ENOSYS;
    }
}

static __attribute__((noreturn)) void kernel_trap(const struct trap_frame *f)
{
    printk("kernel: unexpected trap in S-mode: scause=%08x sepc=%08x stval=%08x ra=%08x sp=%08x\n",
           f->scause, f->regs[0], f->stval, f->regs[REG_RA], f->regs[REG_SP]);
    kernel_shutdown(SHUTDOWN_crash, 1);
}

void trap_handler(struct trap_frame *f)
{
    uint32_t cause = f->scause;
    if (cause & CAUSE_INTERRUPT) {
        if (cause == CAUSE_SSI) {
            __asm__ volatile("csrc sip, %0" : : "r"(SIP_SSIP) : "memory");
            evtchn_upcall();
        } else if (cause == CAUSE_STI) {
            timer_interrupt();
        } else {
            kernel_trap(f);
        }
        if (from_user(f) && need_resched) {
            need_resched = 0;
            schedule();
        }
        return;
    }
    if (from_user(f)) {
        if (cause == CAUSE_ECALL_U) {
            f->regs[0] += 4;
            f->regs[REG_A0] = (uint32_t) syscall(f);
            return;
        }
        thread_kill(f);
    }
    kernel_trap(f);
}
