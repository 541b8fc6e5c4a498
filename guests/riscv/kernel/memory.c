/*
 * memory.c — the domain's memory as the kernel sees it. The initial RAM is start_info.nr_pages
 * frames from gfn 0x80000: the kernel image at its link address (0x8000_0000), then unused
 * frames, then start_info and shared_info in the last two. Frames above it, up to max_pages,
 * can be populated and released with memory_op; these helpers wrap it for this domain
 * (DOMID_SELF, single pages).
 */
#include "kernel.h"

extern char _image_start[];
extern char _end[];

uint32_t memory_image_end(void)
{
    return (uint32_t) (uintptr_t) _end;
}

uint32_t memory_first_free_gfn(void)
{
    return XEN_RAM_BASE_GFN + start_info->nr_pages;
}

int memory_is_kernel_range(const void *p, uint32_t n)
{
    uint32_t start = (uint32_t) (uintptr_t) p;
    uint32_t limit = start_info->ram_base_gpa + (start_info->nr_pages - 2) * XEN_PAGE_SIZE;
    return start >= start_info->ram_base_gpa && start <= limit && n <= limit - start;
}

int memory_populate(const uint32_t *gfns, uint32_t nr)
{
    return hv_memory_reservation(XENMEM_populate_physmap, gfns, nr, 0, DOMID_SELF);
}

int memory_increase(const uint32_t *gfns, uint32_t nr)
{
    return hv_memory_reservation(XENMEM_increase_reservation, gfns, nr, 0, DOMID_SELF);
}

int memory_decrease(const uint32_t *gfns, uint32_t nr)
{
    return hv_memory_reservation(XENMEM_decrease_reservation, gfns, nr, 0, DOMID_SELF);
}

int memory_current_pages(void)
{
    return hv_memory_current_reservation(DOMID_SELF);
}

int memory_max_pages(void)
{
    return hv_memory_maximum_reservation(DOMID_SELF);
}
