package dev.rehype.machine;

/**
 * Operation numbers of decoded instructions: what {@link Decoder} writes into a
 * {@link DecodedPage} and what the hart's interpreter loop switches on. Zero means "not decoded
 * yet". The numbers are internal to the machine and never stored outside the decode cache.
 */
final class Op {
    private Op() {
    }

    static final int UNDECODED = 0;
    static final int ILLEGAL = 1;
    // RV32I
    static final int LUI = 2, AUIPC = 3, JAL = 4, JALR = 5;
    static final int BEQ = 6, BNE = 7, BLT = 8, BGE = 9, BLTU = 10, BGEU = 11;
    static final int LB = 12, LH = 13, LW = 14, LBU = 15, LHU = 16;
    static final int SB = 17, SH = 18, SW = 19;
    static final int ADDI = 20, SLTI = 21, SLTIU = 22, XORI = 23, ORI = 24, ANDI = 25;
    static final int SLLI = 26, SRLI = 27, SRAI = 28;
    static final int ADD = 29, SUB = 30, SLL = 31, SLT = 32, SLTU = 33, XOR = 34, SRL = 35, SRA = 36;
    static final int OR = 37, AND = 38;
    static final int FENCE = 39, FENCE_I = 40, ECALL = 41, EBREAK = 42;
    // privileged
    static final int SRET = 43, WFI = 44, SFENCE_VMA = 45;
    // Zicsr
    static final int CSRRW = 46, CSRRS = 47, CSRRC = 48, CSRRWI = 49, CSRRSI = 50, CSRRCI = 51;
    // M
    static final int MUL = 52, MULH = 53, MULHSU = 54, MULHU = 55, DIV = 56, DIVU = 57, REM = 58, REMU = 59;
    // A
    static final int LR_W = 60, SC_W = 61, AMOSWAP_W = 62, AMOADD_W = 63, AMOXOR_W = 64, AMOAND_W = 65;
    static final int AMOOR_W = 66, AMOMIN_W = 67, AMOMAX_W = 68, AMOMINU_W = 69, AMOMAXU_W = 70;

    /** Register number used as the destination when an instruction names x0: a sink. */
    static final int SINK = 32;

    // Packing of a decoded instruction word: op | rd << 8 | rs1 << 16 | rs2 << 24.
    static int pack(int op, int rd, int rs1, int rs2) {
        return op | (rd == 0 ? SINK : rd) << 8 | rs1 << 16 | rs2 << 24;
    }

    static int op(int w) {
        return w & 0xff;
    }

    static int rd(int w) {
        return (w >>> 8) & 0x3f;
    }

    static int rs1(int w) {
        return (w >>> 16) & 0x1f;
    }

    static int rs2(int w) {
        return (w >>> 24) & 0x1f;
    }
}
