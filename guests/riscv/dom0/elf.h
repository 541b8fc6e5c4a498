/*
 * elf.h — the toolstack's reader of boot modules: an ELF32 little-endian RISC-V executable
 * (what guests/Makefile builds) checked and reduced to what the domain builder needs, its
 * PT_LOAD segments and entry point. Pure: the same checks run on the host in the native test,
 * against the committed images. Like the host's GuestImage reader, it refuses a truncated file,
 * a bad magic, a 64-bit or big-endian or non-RISC-V or non-executable file, program headers or
 * segments outside the file, a file size above the memory size, wrapping or overlapping
 * segments, and an entry point outside executable code; and, for a domain, a segment outside
 * [lowest_gpa, limit_gpa).
 */
#ifndef REHYPE_DOM0_ELF_H
#define REHYPE_DOM0_ELF_H

#include <stdint.h>

#define ELF_MAX_SEGMENTS 8

struct elf_segment {
    uint32_t vaddr;     /* = guest-physical address (the guests run with satp = 0) */
    uint32_t offset;    /* of its bytes in the file */
    uint32_t filesz;
    uint32_t memsz;     /* bytes past filesz are zero */
    uint32_t flags;     /* PF_X 1, PF_W 2, PF_R 4 */
};

struct elf_image {
    uint32_t entry;
    uint32_t nr_segments;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
    uint32_t lowest;    /* the lowest segment address */
    uint32_t end;       /* the first byte after the highest segment */
};

/* Checks the ELF file bytes[0..size) and fills *image; its segments must lie inside
   [lowest_gpa, limit_gpa). Returns 0, or -1 with a one-line reason in *why. */
int elf_parse(const uint8_t *bytes, uint32_t size, uint32_t lowest_gpa, uint32_t limit_gpa,
              struct elf_image *image, const char **why);

/* The byte a loaded image has at gpa: from its segment's file bytes, 0 past filesz; -1 if no
   segment covers gpa. */
int elf_byte_at(const struct elf_image *image, const uint8_t *bytes, uint32_t gpa);

#endif /* REHYPE_DOM0_ELF_H */
