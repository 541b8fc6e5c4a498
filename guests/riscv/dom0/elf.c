/*
 * elf.c — the toolstack's ELF32 reader (elf.h). Fields are read byte by byte (little endian),
 * so that a module at any address and a hostile header never fault; every offset and size is
 * checked against the file before it is used, in 64-bit arithmetic so that nothing wraps.
 */
#include "elf.h"

#define EI_NIDENT      16
#define EHDR_BYTES     52
#define PHDR_BYTES     32
#define ELFCLASS32     1
#define ELFDATA2LSB    1
#define ET_EXEC        2
#define EM_RISCV       243
#define PT_LOAD        1
#define PF_X           1

static uint32_t u16_at(const uint8_t *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8;
}

static uint32_t u32_at(const uint8_t *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static int refuse(const char **why, const char *reason)
{
    *why = reason;
    return -1;
}

int elf_parse(const uint8_t *bytes, uint32_t size, uint32_t lowest_gpa, uint32_t limit_gpa,
              struct elf_image *image, const char **why)
{
    if (size < EHDR_BYTES) {
        return refuse(why, "truncated: shorter than an ELF header");
    }
    if (bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
        return refuse(why, "not an ELF file (bad magic)");
    }
    if (bytes[4] != ELFCLASS32) {
        return refuse(why, "not a 32-bit ELF file");
    }
    if (bytes[5] != ELFDATA2LSB) {
        return refuse(why, "not little endian");
    }
    if (u16_at(bytes + 16) != ET_EXEC) {
        return refuse(why, "not an executable (e_type)");
    }
    if (u16_at(bytes + 18) != EM_RISCV) {
        return refuse(why, "not a RISC-V file (e_machine)");
    }
    uint32_t entry = u32_at(bytes + 24);
    uint32_t phoff = u32_at(bytes + 28);
    uint32_t phentsize = u16_at(bytes + 42);
    uint32_t phnum = u16_at(bytes + 44);
    if (phnum == 0 || phentsize < PHDR_BYTES) {
        return refuse(why, "no program headers");
    }
    if ((uint64_t) phoff + (uint64_t) phentsize * phnum > size) {
        return refuse(why, "program headers outside the file");
    }
    image->entry = entry;
    image->nr_segments = 0;
    image->lowest = 0xffffffffu;
    image->end = 0;
    int entry_ok = 0;
    for (uint32_t i = 0; i < phnum; i++) {
        const uint8_t *ph = bytes + phoff + i * phentsize;
        if (u32_at(ph) != PT_LOAD) {
            continue;
        }
        struct elf_segment s = {
            .offset = u32_at(ph + 4), .vaddr = u32_at(ph + 8), .filesz = u32_at(ph + 16),
            .memsz = u32_at(ph + 20), .flags = u32_at(ph + 24),
        };
        if (s.memsz == 0) {
            continue;
        }
        if (image->nr_segments == ELF_MAX_SEGMENTS) {
            return refuse(why, "too many PT_LOAD segments");
        }
        if ((uint64_t) s.offset + s.filesz > size) {
            return refuse(why, "a segment's bytes lie outside the file");
        }
        if (s.filesz > s.memsz) {
            return refuse(why, "a segment's file size is above its memory size");
        }
        uint64_t end = (uint64_t) s.vaddr + s.memsz;
        if (end > 0x100000000ull) {
            return refuse(why, "a segment wraps around the address space");
        }
        if (s.vaddr < lowest_gpa || end > limit_gpa) {
            return refuse(why, "a segment lies outside the domain's usable RAM");
        }
        for (uint32_t k = 0; k < image->nr_segments; k++) {
            const struct elf_segment *o = &image->segments[k];
            if (s.vaddr < (uint64_t) o->vaddr + o->memsz && o->vaddr < end) {
                return refuse(why, "segments overlap");
            }
        }
        if ((s.flags & PF_X) != 0 && entry >= s.vaddr && entry < end) {
            entry_ok = 1;
        }
        image->segments[image->nr_segments++] = s;
        if (s.vaddr < image->lowest) {
            image->lowest = s.vaddr;
        }
        if (end > image->end) {
            image->end = (uint32_t) end;
        }
    }
    if (image->nr_segments == 0) {
        return refuse(why, "no PT_LOAD segment");
    }
    if (!entry_ok) {
        return refuse(why, "the entry point is outside executable code");
    }
    return 0;
}

int elf_byte_at(const struct elf_image *image, const uint8_t *bytes, uint32_t gpa)
{
    for (uint32_t i = 0; i < image->nr_segments; i++) {
        const struct elf_segment *s = &image->segments[i];
        if (gpa >= s->vaddr && gpa - s->vaddr < s->memsz) {
            uint32_t off = gpa - s->vaddr;
            return off < s->filesz ? bytes[s->offset + off] : 0;
        }
    }
    return -1;
}
