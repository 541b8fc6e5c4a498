package dev.rehype.guests;

/**
 * The parts of the ELF32 format that {@link GuestImage} reads: field offsets of the file header,
 * the program header, the section header and the symbol table entry, and the constant values it
 * checks. All fields are little endian (ELFDATA2LSB); the reader refuses anything else.
 *
 * <pre>
 * File header (52 bytes)
 *   0 +-------------+-------+------+---------+---------------------+
 *     | 7f 45 4c 46 | class | data | version | padding (e_ident)   |
 *  16 +-------------+-------+------+---------+---------------------+
 *     | e_type (2)  | e_machine (2)| e_version (4) | e_entry (4)   |
 *  28 +-------------+--------------+---------------+---------------+
 *     | e_phoff (4) | e_shoff (4)  | e_flags (4)   | e_ehsize (2)  |
 *  42 +-------------+--------------+---------------+---------------+
 *     | e_phentsize | e_phnum      | e_shentsize   | e_shnum | e_shstrndx |  (2 bytes each)
 *  52 +-------------+--------------+---------------+---------+------------+
 *
 * Program header (32 bytes)     Section header (40 bytes)     Symbol (16 bytes)
 *   0 p_type    16 p_filesz       0 sh_name   20 sh_size        0 st_name   12 st_info
 *   4 p_offset  20 p_memsz        4 sh_type   24 sh_link        4 st_value  13 st_other
 *   8 p_vaddr   24 p_flags        8 sh_flags  28 sh_info        8 st_size   14 st_shndx (2)
 *  12 p_paddr   28 p_align       12 sh_addr   32 sh_addralign
 *                                16 sh_offset 36 sh_entsize
 * </pre>
 */
final class Elf32 {
    private Elf32() {
    }

    // ---- file header ----
    static final int EI_CLASS = 4;
    static final int EI_DATA = 5;
    static final int EI_VERSION = 6;
    static final int E_TYPE = 16;
    static final int E_MACHINE = 18;
    static final int E_VERSION = 20;
    static final int E_ENTRY = 24;
    static final int E_PHOFF = 28;
    static final int E_SHOFF = 32;
    static final int E_PHENTSIZE = 42;
    static final int E_PHNUM = 44;
    static final int E_SHENTSIZE = 46;
    static final int E_SHNUM = 48;
    static final int HEADER_BYTES = 52;

    static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    static final int ELFCLASS32 = 1;
    static final int ELFDATA2LSB = 1;
    static final int EV_CURRENT = 1;
    static final int ET_EXEC = 2;
    static final int EM_RISCV = 243;

    // ---- program header ----
    static final int P_TYPE = 0;
    static final int P_OFFSET = 4;
    static final int P_VADDR = 8;
    static final int P_FILESZ = 16;
    static final int P_MEMSZ = 20;
    static final int P_FLAGS = 24;
    static final int PHDR_BYTES = 32;

    static final int PT_LOAD = 1;
    static final int PF_X = 1;
    static final int PF_W = 2;
    static final int PF_R = 4;

    // ---- section header ----
    static final int SH_TYPE = 4;
    static final int SH_OFFSET = 16;
    static final int SH_SIZE = 20;
    static final int SH_LINK = 24;
    static final int SH_ENTSIZE = 36;
    static final int SHDR_BYTES = 40;

    static final int SHT_SYMTAB = 2;
    static final int SHT_STRTAB = 3;

    // ---- symbol ----
    static final int ST_NAME = 0;
    static final int ST_VALUE = 4;
    static final int ST_SIZE = 8;
    static final int ST_INFO = 12;
    static final int ST_SHNDX = 14;
    static final int SYM_BYTES = 16;

    static final int STB_LOCAL = 0;
    static final int STT_NOTYPE = 0;
    static final int STT_OBJECT = 1;
    static final int STT_FUNC = 2;
    static final int SHN_UNDEF = 0;
    /** Section indexes from here up are reserved (ABS, COMMON, ...), not real sections. */
    static final int SHN_LORESERVE = 0xff00;

    static String machineName(int machine) {
        return switch (machine) {
            case 3 -> "x86 (EM_386)";
            case 40 -> "ARM (EM_ARM)";
            case 62 -> "x86-64 (EM_X86_64)";
            case 183 -> "AArch64 (EM_AARCH64)";
            case EM_RISCV -> "RISC-V (EM_RISCV)";
            default -> "machine " + machine;
        };
    }

    static String typeName(int type) {
        return switch (type) {
            case 0 -> "ET_NONE";
            case 1 -> "ET_REL (an object file, not linked)";
            case ET_EXEC -> "ET_EXEC";
            case 3 -> "ET_DYN (position independent)";
            case 4 -> "ET_CORE";
            default -> "type " + type;
        };
    }
}
