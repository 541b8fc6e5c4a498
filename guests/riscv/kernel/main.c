/*
 * main.c — kernel_main: what vCPU 0 runs after entry.S. It checks the boot information page
 * (magic, the layout the ABI promises, that the image fits below it), sets up threads, event
 * channels and the tick, enables the two interrupts it uses (SSIP = event upcall, STIP = timer),
 * prints one banner line, and runs the workload linked into this image in the kernel context.
 * The workload's result becomes the shutdown code: 0 (its self-checks passed) or 1.
 *
 * start_info.cmdline names the workload; it must be empty or the name of the one linked in.
 * A wrong name is a configuration error: the kernel says so and shuts down with reason crash.
 */
#include "kernel.h"
#include "csr.h"

const struct start_info *start_info;
struct shared_info *shared_info;

void kernel_main(uint32_t start_info_gpa, uint32_t vcpu_id);

void kernel_shutdown(uint32_t reason, uint32_t code)
{
    for (;;) {
        hv_sched_shutdown(reason, code);
    }
}

void kernel_panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    kernel_shutdown(SHUTDOWN_crash, 1);
}

/* Why the boot information cannot be used, or NULL. */
static const char *check_start_info(const struct start_info *si, uint32_t gpa)
{
    if (gpa == 0 || (gpa & (XEN_PAGE_SIZE - 1)) != 0) {
        return "start_info address is not page-aligned";
    }
    if (si->magic != START_INFO_MAGIC) {
        return "bad start_info magic";
    }
    if (si->ram_base_gpa != XEN_RAM_BASE_GPA) {
        return "RAM does not start at 0x80000000";
    }
    if (si->nr_pages < 2 || si->max_pages < si->nr_pages) {
        return "bad nr_pages/max_pages";
    }
    if (gpa != si->ram_base_gpa + (si->nr_pages - 2) * XEN_PAGE_SIZE) {
        return "start_info is not the second-to-last page of the initial RAM";
    }
    if (si->shared_info_gpa != gpa + XEN_PAGE_SIZE) {
        return "shared_info is not the last page of the initial RAM";
    }
    if (memory_image_end() > gpa) {
        return "the kernel image does not fit below start_info";
    }
    if (si->nr_vcpus == 0 || si->nr_vcpus > XEN_LEGACY_MAX_VCPUS) {
        return "bad nr_vcpus";
    }
    return 0;
}

void kernel_main(uint32_t start_info_gpa, uint32_t vcpu_id)
{
    const struct start_info *si = (const struct start_info *) (uintptr_t) start_info_gpa;
    if (vcpu_id != 0) {
        kernel_panic("kernel: booted on vcpu %u, expected 0\n", vcpu_id);
    }
    const char *problem = check_start_info(si, start_info_gpa);
    if (problem != 0) {
        kernel_panic("kernel: %s (start_info at %08x)\n", problem, start_info_gpa);
    }
    start_info = si;
    shared_info = (struct shared_info *) (uintptr_t) si->shared_info_gpa;

    sched_init();
    evtchn_init();
    timer_init();
    __asm__ volatile("csrw sie, %0" : : "r"(SIE_SSIE | SIE_STIE) : "memory");

    char name[START_INFO_CMDLINE_BYTES];
    uint32_t n = (uint32_t) strnlen(si->cmdline, START_INFO_CMDLINE_BYTES - 1);
    memcpy(name, si->cmdline, n);
    name[n] = 0;
    printk("kernel: dom%u vcpus=%u pages=%u/%u workload=%s%s\n", si->domid, si->nr_vcpus,
           si->nr_pages, si->max_pages, workload.name, (si->flags & SIF_PRIVILEGED) ? " privileged" : "");
    if (n > 0 && strncmp_bounded(workload.name, si->cmdline, START_INFO_CMDLINE_BYTES) != 0) {
        kernel_panic("kernel: cmdline asks for workload '%s' but this image runs '%s'\n", name, workload.name);
    }

    int result = workload.main();
    kernel_shutdown(SHUTDOWN_poweroff, result == 0 ? 0 : 1);
}
