/*
 * thread.c — threads and the round-robin scheduler.
 *
 * Thread 0 is the kernel context: kernel_main and the workload's main run in it, in S-mode, on
 * the boot stack. Threads 1..MAX_THREADS-1 run in U-mode, each with a user stack and a kernel
 * stack that holds its trap frame while the kernel works for it (entry.S). A switch saves only
 * the callee-saved registers (switch_context); the rest of a U-mode thread's state is in the
 * trap frame on its kernel stack.
 *
 * Policy: round robin over the runnable U-mode threads; the kernel context runs when none is
 * runnable (it then waits in thread_join, blocking the vCPU with SCHEDOP_block when nothing is
 * runnable at all). A U-mode thread is switched on each tick (preemption), on yield and on exit.
 * The kernel context is never preempted; it switches only in thread_join.
 *
 * Output: sys_write appends to the thread's own buffer, and thread_join prints it, so the
 * console reads the same whatever the preemption timing (a full buffer is printed early).
 */
#include "kernel.h"
#include "csr.h"
#include "frame.h"

#define KSTACK_BYTES   2048
#define USTACK_BYTES   4096
#define OUTPUT_BYTES   1024

enum thread_state { T_FREE, T_RUNNABLE, T_EXITED };

struct thread {
    struct context ctx;
    enum thread_state state;
    int exit_code;
    const char *name;
    uint32_t output_len;
    char output[OUTPUT_BYTES];
};

void switch_context(struct context *old, struct context *new);
void trap_exit(void);
void user_thread_entry(void);

static struct thread threads[MAX_THREADS];
static uint8_t kernel_stacks[MAX_THREADS][KSTACK_BYTES] __attribute__((aligned(16)));
static uint8_t user_stacks[MAX_THREADS][USTACK_BYTES] __attribute__((aligned(16)));
static struct thread *current = &threads[0];
static int last_user;   /* index of the U-mode thread picked last, for round robin */

static int thread_id(const struct thread *t)
{
    return (int) (t - threads);
}

void sched_init(void)
{
    threads[0].state = T_RUNNABLE;
    threads[0].name = "kernel";
    current = &threads[0];
    last_user = 0;
}

int thread_is_user(void)
{
    return current != &threads[0];
}

int thread_create(const char *name, int (*fn)(void *), void *arg)
{
    for (int i = 1; i < MAX_THREADS; i++) {
        struct thread *t = &threads[i];
        if (t->state != T_FREE) {
            continue;
        }
        uint32_t kstack_top = (uint32_t) (uintptr_t) (kernel_stacks[i] + KSTACK_BYTES);
        struct trap_frame *f = (struct trap_frame *) (uintptr_t) (kstack_top - FRAME_SIZE);
        memset(f, 0, sizeof *f);
        f->regs[0] = (uint32_t) (uintptr_t) user_thread_entry;       /* sepc */
        f->regs[REG_SP] = (uint32_t) (uintptr_t) (user_stacks[i] + USTACK_BYTES);
        f->regs[REG_A0] = (uint32_t) (uintptr_t) arg;
        f->regs[REG_A1] = (uint32_t) (uintptr_t) fn;
        f->sstatus = SSTATUS_SPIE;                                   /* SPP = U */
        memset(&t->ctx, 0, sizeof t->ctx);
        t->ctx.ra = (uint32_t) (uintptr_t) trap_exit;
        t->ctx.sp = (uint32_t) (uintptr_t) f;
        t->name = name;
        t->exit_code = 0;
        t->output_len = 0;
        t->state = T_RUNNABLE;
        return i;
    }
    return -XEN_EAGAIN;
}

/* The next U-mode thread after the last one picked that is runnable, or NULL. */
static struct thread *pick_user(void)
{
    for (int n = 1; n < MAX_THREADS; n++) {
        int i = (last_user - 1 + n) % (MAX_THREADS - 1) + 1;
        if (threads[i].state == T_RUNNABLE) {
            last_user = i;
            return &threads[i];
        }
    }
    return 0;
}

void schedule(void)
{
    struct thread *next = pick_user();
    if (next == 0) {
        next = &threads[0];
    }
    if (next == current) {
        return;
    }
    struct thread *prev = current;
    current = next;
    switch_context(&prev->ctx, &next->ctx);
}

static void flush_output(struct thread *t)
{
    if (t->output_len > 0) {
        console_write(t->output, t->output_len);
        t->output_len = 0;
    }
}

static void append_output(struct thread *t, const char *s, uint32_t n)
{
    while (n > 0) {
        if (t->output_len == OUTPUT_BYTES) {
            flush_output(t);
        }
        uint32_t room = OUTPUT_BYTES - t->output_len;
        uint32_t chunk = n < room ? n : room;
        memcpy(t->output + t->output_len, s, chunk);
        t->output_len += chunk;
        s += chunk;
        n -= chunk;
    }
}

int thread_sys_write(const char *buf, uint32_t len)
{
    if (len > CONSOLEIO_MAX_BYTES) {
        return -XEN_EINVAL;
    }
    if (!memory_is_kernel_range(buf, len)) {
        return -XEN_EFAULT;
    }
    append_output(current, buf, len);
    return (int) len;
}

void thread_exit(int code)
{
    current->exit_code = code;
    current->state = T_EXITED;
    schedule();
    kernel_panic("kernel: exited thread %d was scheduled again\n", thread_id(current));
}

void thread_kill(const struct trap_frame *f)
{
    char line[160];
    int n = snprintk(line, sizeof line,
                     "kernel: thread %d (%s) killed: scause=%08x sepc=%08x stval=%08x\n",
                     thread_id(current), current->name, f->scause, f->regs[0], f->stval);
    append_output(current, line, (uint32_t) n);
    thread_exit(-1);
}

int thread_join(int tid)
{
    if (tid <= 0 || tid >= MAX_THREADS || threads[tid].state == T_FREE || current != &threads[0]) {
        return -XEN_EINVAL;
    }
    struct thread *t = &threads[tid];
    while (t->state != T_EXITED) {
        int runnable = 0;
        for (int i = 1; i < MAX_THREADS; i++) {
            runnable |= threads[i].state == T_RUNNABLE;
        }
        if (runnable) {
            schedule();
        } else {
            kernel_idle();
        }
        local_irq_window();
    }
    flush_output(t);
    t->state = T_FREE;
    return t->exit_code;
}
