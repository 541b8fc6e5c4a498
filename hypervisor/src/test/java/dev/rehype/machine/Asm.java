package dev.rehype.machine;

/**
 * A tiny RV32 assembler for tests that need a few instructions without the cross compiler:
 * each method returns one encoded instruction word.
 */
final class Asm {
    private Asm() {
    }

    static final int ZERO = 0, RA = 1, SP = 2, T0 = 5, T1 = 6, T2 = 7, A0 = 10, A1 = 11, A2 = 12, A7 = 17;

    static int i(int opcode, int rd, int f3, int rs1, int imm) {
        return (imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
    }

    static int r(int opcode, int rd, int f3, int rs1, int rs2, int f7) {
        return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
    }

    static int addi(int rd, int rs1, int imm) {
        return i(0x13, rd, 0, rs1, imm & 0xfff);
    }

    static int add(int rd, int rs1, int rs2) {
        return r(0x33, rd, 0, rs1, rs2, 0);
    }

    static int lui(int rd, int imm20) {
        return (imm20 << 12) | (rd << 7) | 0x37;
    }

    static int lw(int rd, int rs1, int imm) {
        return i(0x03, rd, 2, rs1, imm & 0xfff);
    }

    static int sw(int rs2, int rs1, int imm) {
        return ((imm >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (2 << 12) | ((imm & 0x1f) << 7) | 0x23;
    }

    static int branch(int f3, int rs1, int rs2, int offset) {
        return ((offset >> 12) & 1) << 31 | ((offset >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
                | ((offset >> 1) & 0xf) << 8 | ((offset >> 11) & 1) << 7 | 0x63;
    }

    static int bne(int rs1, int rs2, int offset) {
        return branch(1, rs1, rs2, offset);
    }

    static int jal(int rd, int offset) {
        return ((offset >> 20) & 1) << 31 | ((offset >> 1) & 0x3ff) << 21 | ((offset >> 11) & 1) << 20
                | ((offset >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
    }

    static int ecall() {
        return 0x00000073;
    }

    static int csrr(int rd, int csr) {
        return i(0x73, rd, 2, 0, csr);
    }
}
