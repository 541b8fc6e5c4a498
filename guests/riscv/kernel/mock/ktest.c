/*
 * ktest.c — a self-test of the kernel itself, built only as a mock image (build/mock/ktest.elf,
 * run on the bare monitor): the paths no workload takes on purpose. U-mode threads that execute
 * a privileged instruction or a misaligned load must be killed (and the rest go on); system
 * calls with bad arguments must fail cleanly; thread slots must be reused; a sleep must last
 * until its deadline. Last, a deliberate `ebreak` in S-mode must end in the kernel's crash path.
 *
 * Pass: the console shows "ktest: ok" followed by the kernel's "unexpected trap in S-mode:
 * scause=00000003" line, and the run ends with shutdown(crash) — the mock exits with 103.
 * Any failed check ends the run with shutdown(poweroff, 1) instead.
 */
#include "kernel.h"
#include "user.h"

static int failures;

static void check(int cond, const char *what, int value)
{
    if (!cond) {
        failures++;
        printk("ktest: %s: unexpected %d\n", what, value);
    }
}

static int privileged_thread(void *arg)
{
    (void) arg;
    uint32_t v;
    __asm__ volatile("csrr %0, sstatus" : "=r"(v));
    return (int) v;
}

static int misaligned_thread(void *arg)
{
    volatile uint32_t *p = (volatile uint32_t *) ((uintptr_t) arg + 1);
    return (int) *p;
}

static int raw_syscall(uint32_t nr)
{
    register uint32_t a0 __asm__("a0") = 0;
    register uint32_t a7 __asm__("a7") = nr;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return (int) a0;
}

static int syscall_thread(void *arg)
{
    int *results = arg;
    results[0] = sys_write((const char *) (uintptr_t) 0x1000u, 4);
    results[1] = sys_write("x", CONSOLEIO_MAX_BYTES + 1);
    results[2] = raw_syscall(77);
    uint32_t t0 = sys_ticks();
    results[3] = sys_yield();
    results[4] = sys_ticks() >= t0;
    results[5] = sys_write("ktest: hello from U-mode\n", 25);
    sys_exit(7);
}

static int spin_thread(void *arg)
{
    volatile uint32_t *counter = arg;
    for (uint32_t i = 0; i < 200000; i++) {
        (*counter)++;
    }
    return 0;
}

static int ktest_main(void)
{
    static uint32_t word[2];
    static int results[6];
    static volatile uint32_t counters[3];

    int t = thread_create("privileged", privileged_thread, 0);
    check(thread_join(t) == -1, "a thread reading sstatus is killed", 0);
    t = thread_create("misaligned", misaligned_thread, word);
    check(thread_join(t) == -1, "a thread loading misaligned is killed", 0);

    t = thread_create("syscalls", syscall_thread, results);
    int code = thread_join(t);
    check(code == 7, "exit code", code);
    check(results[0] == -XEN_EFAULT, "write from outside RAM", results[0]);
    check(results[1] == -XEN_EINVAL, "write of more than 4096 bytes", results[1]);
    check(results[2] == -XEN_ENOSYS, "unknown system call", results[2]);
    check(results[3] == 0, "yield", results[3]);
    check(results[4] == 1, "ticks do not go back", results[4]);
    check(results[5] == 25, "write", results[5]);

    /* Three spinning threads fill every slot; a fourth does not fit. They are preempted. */
    int ids[3];
    for (int i = 0; i < 3; i++) {
        ids[i] = thread_create("spin", spin_thread, (void *) (uintptr_t) &counters[i]);
        check(ids[i] > 0, "thread_create", ids[i]);
    }
    int extra = thread_create("extra", spin_thread, 0);
    check(extra == -XEN_EAGAIN, "a fourth thread", extra);
    for (int i = 0; i < 3; i++) {
        check(thread_join(ids[i]) == 0, "spin thread", i);
        check(counters[i] == 200000, "spin count", (int) counters[i]);
    }
    check(thread_join(ids[0]) == -XEN_EINVAL, "joining a freed thread", 0);

    uint64_t deadline = time_now() + 100000;
    int rc = timer_sleep_until(deadline);
    check(rc == 0 && time_now() >= deadline, "sleep", rc);

    struct evtchn_status st;
    rc = hv_evtchn_status(DOMID_SELF, 0, &st);
    check(rc == -XEN_EINVAL, "status of port 0, never valid", rc);

    if (failures != 0) {
        printk("ktest: FAIL: %d failures\n", failures);
        return 1;
    }
    printk("ktest: ok; now an ebreak in S-mode, which must crash the kernel\n");
    __asm__ volatile("ebreak");
    printk("ktest: FAIL: the kernel survived an ebreak in S-mode\n");
    return 1;
}

const struct workload workload = { .name = "ktest", .main = ktest_main };
