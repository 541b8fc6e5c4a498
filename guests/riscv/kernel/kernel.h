/*
 * kernel.h — the paravirtual kernel's interface: what the workloads (riscv/workloads/) and the
 * kernel's own files use. The kernel is a small unikernel-like PV kernel: it runs in S-mode
 * with satp = 0 on vCPU 0, its threads run in U-mode in the same address space, and it talks
 * to the hypervisor only through hypercalls (hypercall.h) and the shared_info page.
 *
 * Interrupt discipline: kernel code (S-mode) runs with sstatus.SIE = 0 and lets interrupts in
 * only at chosen points (local_irq_window, kernel_idle); U-mode threads always take them.
 * Interrupt handlers (the event upcall and the timer) therefore never race with kernel code.
 */
#ifndef REHYPE_KERNEL_KERNEL_H
#define REHYPE_KERNEL_KERNEL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "hypercall.h"
#include "public/start_info.h"
#include "public/shared_info.h"

struct trap_frame;

/* ---- boot (main.c) ---- */

/* The boot information and the shared page, valid after kernel_main's checks. */
extern const struct start_info *start_info;
extern struct shared_info *shared_info;

/* Shuts the domain down (SCHEDOP_shutdown); never returns. */
__attribute__((noreturn)) void kernel_shutdown(uint32_t reason, uint32_t code);

/* Prints the message and shuts down with reason crash. */
__attribute__((noreturn)) void kernel_panic(const char *fmt, ...);

/* ---- console (console.c) ---- */

/* Writes n bytes to the console (console_io, in chunks of at most 4096). */
void console_write(const char *s, uint32_t n);

/* Formats to the console: %s %d %u %x %c %%, with an optional '0' flag and width (%08x).
   Every numeric argument is 32-bit. (No format attribute: uint32_t is `long` in this ABI and
   gcc would insist on %lx.) */
int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);

/* Formats into buf (at most size - 1 characters and a NUL); returns the length written. */
int snprintk(char *buf, uint32_t size, const char *fmt, ...);
int vsnprintk(char *buf, uint32_t size, const char *fmt, va_list ap);

/* ---- interrupts (trap.c) ---- */

/* Lets pending interrupts (event upcall, timer) in: SIE on for one instruction, then off. */
void local_irq_window(void);

/* Blocks the vCPU until an event or the timer (SCHEDOP_block), then opens an irq window. */
void kernel_idle(void);

/* The trap handler entry.S calls with the saved frame. */
void trap_handler(struct trap_frame *frame);

/* ---- timer (timer.c) ---- */

/* The kernel tick: the timer interrupt re-arms itself this many virtual cycles later. */
#define TICK_CYCLES 50000u

/* Virtual time in cycles (the `time` CSR). */
uint64_t time_now(void);

/* Ticks since boot. Depends on timing: never feed it into a result. */
uint32_t timer_ticks(void);

void timer_init(void);

/* Handles a timer interrupt: counts expired ticks, fires the one-shot, re-arms. */
void timer_interrupt(void);

/* Sleeps (blocking the vCPU) until virtual time reaches deadline, using a one-shot deadline
   next to the tick. Returns the set_timer_op result of arming it (0 = fine). */
int timer_sleep_until(uint64_t deadline);

/* Set by the tick; a U-mode thread is preempted when it is set. */
extern volatile int need_resched;

/* ---- threads (thread.c) ---- */

#define MAX_THREADS 4   /* the kernel context (thread 0) and three U-mode threads */

/* Starts fn(arg) in a new U-mode thread; returns its id (1..MAX_THREADS-1) or -XEN_EAGAIN. */
int thread_create(const char *name, int (*fn)(void *), void *arg);

/* Waits (from the kernel context) for thread tid to exit, prints what it wrote, frees it and
   returns its exit code (-1 if it was killed, -XEN_EINVAL for a bad id). */
int thread_join(int tid);

void sched_init(void);

/* Switches to the next runnable thread (round robin over U-mode threads; the kernel context
   when none is runnable). Returns when the caller is chosen again. */
void schedule(void);

/* System call from the current U-mode thread (trap.c decodes, thread.c implements). */
int thread_sys_write(const char *buf, uint32_t len);
__attribute__((noreturn)) void thread_exit(int code);

/* Kills the current U-mode thread after a fault, recording why. */
__attribute__((noreturn)) void thread_kill(const struct trap_frame *frame);

/* Whether the current context is a U-mode thread. */
int thread_is_user(void);

/* ---- event channels (evtchn.c) ---- */

typedef void (*evtchn_handler_t)(evtchn_port_t port, void *data);

void evtchn_init(void);

/* Registers fn(port, data) for port (NULL removes it). -XEN_EINVAL for a bad port. */
int evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn, void *data);

/* The upcall: the two-level scan of shared_info, per the ABI. Called on SSIP. */
void evtchn_upcall(void);

/* Guest-side bit operations on shared_info (atomic). */
void evtchn_mask(evtchn_port_t port);
int evtchn_is_pending(evtchn_port_t port);
/* Clears the port's pending bit; returns whether it was set. */
int evtchn_test_and_clear_pending(evtchn_port_t port);

/* Upcalls taken and ports found pending without a handler (statistics; timing-dependent). */
uint32_t evtchn_upcalls(void);
uint32_t evtchn_unhandled(void);

/* ---- memory (memory.c) ---- */

/* The kernel image's end (linker symbol) and the first gfn after the initial RAM. */
uint32_t memory_image_end(void);
uint32_t memory_first_free_gfn(void);

/* Address of guest frame gfn (satp = 0: virtual = guest-physical). */
static inline void *gfn_to_virt(uint32_t gfn)
{
    return (void *) (uintptr_t) (gfn << 12);
}

int memory_populate(const uint32_t *gfns, uint32_t nr);
int memory_increase(const uint32_t *gfns, uint32_t nr);
int memory_decrease(const uint32_t *gfns, uint32_t nr);
int memory_current_pages(void);
int memory_max_pages(void);

/* Whether [p, p + n) lies inside the initial RAM below start_info (kernel image, stacks). */
int memory_is_kernel_range(const void *p, uint32_t n);

/* ---- library (lib.c) ---- */

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strnlen(const char *s, size_t max);
/* 0 when the NUL-terminated a equals b, b's NUL included within its first max bytes. */
int strncmp_bounded(const char *a, const char *b, size_t max);

/* Digests: FNV-1a over the four little-endian bytes of w, chained from d. */
#define DIGEST_INIT 0x811c9dc5u
uint32_t digest_word(uint32_t d, uint32_t w);

/* Index of the lowest set bit of x (x != 0), without libgcc. */
uint32_t lowest_bit(uint32_t x);

/* ---- the workload linked into this image (riscv/workloads/<name>.c) ---- */

struct workload {
    const char *name;   /* what start_info.cmdline must say (or be empty) */
    int (*main)(void);  /* runs in the kernel context; 0 = its self-checks passed */
};

extern const struct workload workload;

#endif /* REHYPE_KERNEL_KERNEL_H */
