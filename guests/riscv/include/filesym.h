/*
 * filesym.h — forced into every guest source by the Makefile (-include riscv/include/filesym.h).
 * For an assembly source it emits `.file "<source path>"`, so that the symbol table's file symbol
 * names the source. Without it the linker makes one up from the assembler's temporary object file
 * (ccXXXXXX.o), a random name, and the image would not be reproducible. C sources get their
 * .file from the compiler, so the header is empty for them.
 */
#ifndef REHYPE_GUEST_FILESYM_H
#define REHYPE_GUEST_FILESYM_H
#ifdef __ASSEMBLER__
    .file __BASE_FILE__
#endif
#endif
