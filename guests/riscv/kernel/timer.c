/*
 * timer.c — virtual time and the one timer the hypervisor gives each vCPU (set_timer_op, an
 * absolute deadline; STIP when it passes). Two deadlines share it: the kernel tick, every
 * TICK_CYCLES, which drives preemption of U-mode threads, and at most one one-shot deadline for
 * timer_sleep_until. The hardware deadline is always the earlier of the two.
 *
 * Re-arming never relies on the hypervisor firing a deadline that is already past: timer_update
 * first expires whatever is due, programs the earliest remaining deadline, and repeats if time
 * has meanwhile reached it. Ticks are counted for pacing only; they depend on timing and never
 * enter a workload's result.
 */
#include "kernel.h"
#include "csr.h"

volatile int need_resched;

static uint64_t tick_deadline;
static uint64_t oneshot_deadline;   /* 0 = none armed */
static volatile uint32_t ticks;
static volatile uint32_t oneshot_fired;

uint64_t time_now(void)
{
    uint32_t hi;
    uint32_t lo;
    uint32_t hi2;
    do {
        __asm__ volatile("rdtimeh %0" : "=r"(hi));
        __asm__ volatile("rdtime %0" : "=r"(lo));
        __asm__ volatile("rdtimeh %0" : "=r"(hi2));
    } while (hi != hi2);
    return ((uint64_t) hi << 32) | lo;
}

uint32_t timer_ticks(void)
{
    return ticks;
}

/* Expires the deadlines that time `now` has reached. */
static void timer_expire(uint64_t now)
{
    if (now >= tick_deadline) {
        ticks++;
        need_resched = 1;
        tick_deadline += TICK_CYCLES;
        if (tick_deadline <= now) {
            tick_deadline = now + TICK_CYCLES;   /* we were away for several ticks: skip them */
        }
    }
    if (oneshot_deadline != 0 && now >= oneshot_deadline) {
        oneshot_deadline = 0;
        oneshot_fired++;
    }
}

/* Expires what is due and programs the earliest pending deadline; returns the last
   set_timer_op result. */
static int timer_update(void)
{
    int rc;
    for (;;) {
        timer_expire(time_now());
        uint64_t deadline = tick_deadline;
        if (oneshot_deadline != 0 && oneshot_deadline < deadline) {
            deadline = oneshot_deadline;
        }
        rc = hv_set_timer(deadline);
        if (rc != 0 || deadline > time_now()) {
            return rc;
        }
    }
}

void timer_init(void)
{
    tick_deadline = time_now() + TICK_CYCLES;
    int rc = timer_update();
    if (rc != 0) {
        kernel_panic("kernel: set_timer_op failed: %d\n", rc);
    }
}

void timer_interrupt(void)
{
    int rc = timer_update();
    if (rc != 0) {
        kernel_panic("kernel: set_timer_op failed in the tick: %d\n", rc);
    }
}

int timer_sleep_until(uint64_t deadline)
{
    uint32_t fired = oneshot_fired;
    oneshot_deadline = deadline == 0 ? 1 : deadline;
    int rc = timer_update();
    if (rc != 0) {
        oneshot_deadline = 0;
        return rc;
    }
    while (oneshot_fired == fired) {
        kernel_idle();
    }
    return 0;
}
