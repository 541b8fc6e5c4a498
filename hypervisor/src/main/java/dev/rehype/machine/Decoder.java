package dev.rehype.machine;

/**
 * Decodes one RV32IMA + Zicsr + Zifencei instruction word (plus sret, wfi and sfence.vma) into
 * a packed operation word and an immediate (see {@link Op}). Anything it does not recognise
 * decodes to {@link Op#ILLEGAL} with the instruction bits as immediate, so that the hart raises
 * an illegal-instruction exception with them in stval.
 */
final class Decoder {
    private Decoder() {
    }

    /** Returns {@code {packed, imm}} for {@code insn}. */
    static long decode(int insn) {
        int opcode = insn & 0x7f;
        int rd = (insn >>> 7) & 0x1f;
        int f3 = (insn >>> 12) & 7;
        int rs1 = (insn >>> 15) & 0x1f;
        int rs2 = (insn >>> 20) & 0x1f;
        int f7 = insn >>> 25;
        int immI = insn >> 20;
        int immS = ((insn >> 25) << 5) | ((insn >>> 7) & 0x1f);
        int immB = ((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5)
                | (((insn >>> 8) & 0xf) << 1);
        int immU = insn & 0xfffff000;
        int immJ = ((insn >> 31) << 20) | (((insn >>> 12) & 0xff) << 12) | (((insn >>> 20) & 1) << 11)
                | (((insn >>> 21) & 0x3ff) << 1);
        switch (opcode) {
            case 0x37:
                return of(Op.LUI, rd, 0, 0, immU);
            case 0x17:
                return of(Op.AUIPC, rd, 0, 0, immU);
            case 0x6f:
                return of(Op.JAL, rd, 0, 0, immJ);
            case 0x67:
                return f3 == 0 ? of(Op.JALR, rd, rs1, 0, immI) : illegal(insn);
            case 0x63: {
                int op = switch (f3) {
                    case 0 -> Op.BEQ;
                    case 1 -> Op.BNE;
                    case 4 -> Op.BLT;
                    case 5 -> Op.BGE;
                    case 6 -> Op.BLTU;
                    case 7 -> Op.BGEU;
                    default -> Op.ILLEGAL;
                };
                return op == Op.ILLEGAL ? illegal(insn) : of(op, 0, rs1, rs2, immB);
            }
            case 0x03: {
                int op = switch (f3) {
                    case 0 -> Op.LB;
                    case 1 -> Op.LH;
                    case 2 -> Op.LW;
                    case 4 -> Op.LBU;
                    case 5 -> Op.LHU;
                    default -> Op.ILLEGAL;
                };
                return op == Op.ILLEGAL ? illegal(insn) : of(op, rd, rs1, 0, immI);
            }
            case 0x23: {
                int op = switch (f3) {
                    case 0 -> Op.SB;
                    case 1 -> Op.SH;
                    case 2 -> Op.SW;
                    default -> Op.ILLEGAL;
                };
                return op == Op.ILLEGAL ? illegal(insn) : of(op, 0, rs1, rs2, immS);
            }
            case 0x13: {
                switch (f3) {
                    case 0: return of(Op.ADDI, rd, rs1, 0, immI);
                    case 2: return of(Op.SLTI, rd, rs1, 0, immI);
                    case 3: return of(Op.SLTIU, rd, rs1, 0, immI);
                    case 4: return of(Op.XORI, rd, rs1, 0, immI);
                    case 6: return of(Op.ORI, rd, rs1, 0, immI);
                    case 7: return of(Op.ANDI, rd, rs1, 0, immI);
                    case 1: return f7 == 0 ? of(Op.SLLI, rd, rs1, 0, rs2) : illegal(insn);
                    case 5:
                        if (f7 == 0) {
                            return of(Op.SRLI, rd, rs1, 0, rs2);
                        }
                        return f7 == 0x20 ? of(Op.SRAI, rd, rs1, 0, rs2) : illegal(insn);
                    default: return illegal(insn);
                }
            }
            case 0x33: {
                if (f7 == 0) {
                    int op = switch (f3) {
                        case 0 -> Op.ADD;
                        case 1 -> Op.SLL;
                        case 2 -> Op.SLT;
                        case 3 -> Op.SLTU;
                        case 4 -> Op.XOR;
                        case 5 -> Op.SRL;
                        case 6 -> Op.OR;
                        default -> Op.AND;
                    };
                    return of(op, rd, rs1, rs2, 0);
                }
                if (f7 == 0x20 && (f3 == 0 || f3 == 5)) {
                    return of(f3 == 0 ? Op.SUB : Op.SRA, rd, rs1, rs2, 0);
                }
                if (f7 == 1) {
                    return of(Op.MUL + f3, rd, rs1, rs2, 0);
                }
                return illegal(insn);
            }
            case 0x0f:
                if (f3 == 0) {
                    return of(Op.FENCE, 0, 0, 0, 0);
                }
                return f3 == 1 ? of(Op.FENCE_I, 0, 0, 0, 0) : illegal(insn);
            case 0x73:
                return decodeSystem(insn, rd, f3, rs1, rs2, f7);
            case 0x2f:
                return f3 == 2 ? decodeAtomic(insn, rd, rs1, rs2) : illegal(insn);
            default:
                return illegal(insn);
        }
    }

    private static long decodeSystem(int insn, int rd, int f3, int rs1, int rs2, int f7) {
        int csr = insn >>> 20;
        switch (f3) {
            case 0:
                if (insn == 0x00000073) {
                    return of(Op.ECALL, 0, 0, 0, insn);
                }
                if (insn == 0x00100073) {
                    return of(Op.EBREAK, 0, 0, 0, insn);
                }
                if (insn == 0x10200073) {
                    return of(Op.SRET, 0, 0, 0, insn);
                }
                if (insn == 0x10500073) {
                    return of(Op.WFI, 0, 0, 0, insn);
                }
                if (f7 == 0x09 && rd == 0) {
                    return of(Op.SFENCE_VMA, 0, rs1, rs2, insn);
                }
                return illegal(insn);
            case 1: return of(Op.CSRRW, rd, rs1, 0, csr);
            case 2: return of(Op.CSRRS, rd, rs1, 0, csr);
            case 3: return of(Op.CSRRC, rd, rs1, 0, csr);
            case 5: return of(Op.CSRRWI, rd, rs1, 0, csr);
            case 6: return of(Op.CSRRSI, rd, rs1, 0, csr);
            case 7: return of(Op.CSRRCI, rd, rs1, 0, csr);
            default: return illegal(insn);
        }
    }

    private static long decodeAtomic(int insn, int rd, int rs1, int rs2) {
        int f5 = insn >>> 27;
        int op = switch (f5) {
            case 0x02 -> rs2 == 0 ? Op.LR_W : Op.ILLEGAL;
            case 0x03 -> Op.SC_W;
            case 0x01 -> Op.AMOSWAP_W;
            case 0x00 -> Op.AMOADD_W;
            case 0x04 -> Op.AMOXOR_W;
            case 0x0c -> Op.AMOAND_W;
            case 0x08 -> Op.AMOOR_W;
            case 0x10 -> Op.AMOMIN_W;
            case 0x14 -> Op.AMOMAX_W;
            case 0x18 -> Op.AMOMINU_W;
            case 0x1c -> Op.AMOMAXU_W;
            default -> Op.ILLEGAL;
        };
        return op == Op.ILLEGAL ? illegal(insn) : of(op, rd, rs1, rs2, insn);
    }

    private static long illegal(int insn) {
        return of(Op.ILLEGAL, 0, 0, 0, insn);
    }

    private static long of(int op, int rd, int rs1, int rs2, int imm) {
        return ((long) imm << 32) | (Op.pack(op, rd, rs1, rs2) & 0xffffffffL);
    }
}
