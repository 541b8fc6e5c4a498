package dev.rehype.hypervisor.system;

import dev.rehype.guests.GuestImage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A small real guest for snapshot tests, assembled here so that no cross compiler is needed: it
 * computes (a multiply-add loop of {@code spin} rounds), writes one letter derived from its running
 * hash and a newline to its console, yields, sets a timer {@code delayCycles} ahead and blocks on
 * it; {@code iterations} times, then powers off with code 0. Every hypercall goes through the real
 * hart and the real hypervisor, so a run exercises the scheduler (run queues, slices, ticks),
 * timers, blocking and the console.
 */
final class ProbeGuest {
    static final int RAM = 0x8000_0000;
    private static final int ZERO = 0, T0 = 5, T1 = 6, T2 = 7, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A7 = 17,
            S2 = 18, S3 = 19, S4 = 20, T3 = 28;
    private static final int CSR_TIME = 0xC01, CSR_TIMEH = 0xC81;

    private final List<Integer> words = new ArrayList<>();

    private ProbeGuest() {
    }

    /** The guest image: code at RAM, its console buffer at RAM + 0x1000. */
    static GuestImage image(String name, int spin, int iterations, int delayCycles) {
        ProbeGuest p = new ProbeGuest();
        p.li(S1, RAM + 0x1000);
        p.emit(addi(S2, ZERO, 0));
        p.emit(addi(S3, ZERO, 1));
        p.emit(addi(S4, ZERO, 31));
        int loop = p.here();
        p.li(T0, spin);
        int spinLoop = p.here();
        p.emit(r(0x33, S3, 0, S3, S4, 1)); // mul s3, s3, s4
        p.emit(r(0x33, S3, 0, S3, T0, 0)); // add s3, s3, t0
        p.emit(addi(T0, T0, -1));
        p.bne(T0, ZERO, spinLoop);
        p.emit(i(0x13, T1, 7, S3, 15)); // andi t1, s3, 15
        p.emit(addi(T1, T1, 'a'));
        p.emit(sb(T1, S1, 0));
        p.emit(addi(T1, ZERO, '\n'));
        p.emit(sb(T1, S1, 1));
        p.hypercall(18, () -> { // console_io(write, 2, buffer)
            p.emit(addi(A0, ZERO, 0));
            p.emit(addi(A1, ZERO, 2));
            p.emit(r(0x33, A2, 0, S1, ZERO, 0));
        });
        p.hypercall(29, () -> p.emit(addi(A0, ZERO, 0))); // sched_op(yield)
        p.hypercall(15, () -> { // set_timer_op(time + delay)
            p.emit(i(0x73, T2, 2, ZERO, CSR_TIME));
            p.emit(i(0x73, A1, 2, ZERO, CSR_TIMEH));
            p.li(T3, delayCycles);
            p.emit(r(0x33, A0, 0, T2, T3, 0));
        });
        p.hypercall(29, () -> p.emit(addi(A0, ZERO, 1))); // sched_op(block)
        p.emit(addi(S2, S2, 1));
        p.li(T0, iterations);
        p.bne(S2, T0, loop);
        p.emit(sw(ZERO, S1, 8)); // reason: poweroff
        p.emit(sw(ZERO, S1, 12)); // code 0
        p.hypercall(29, () -> { // sched_op(shutdown, &{reason, code})
            p.emit(addi(A0, ZERO, 2));
            p.emit(addi(A1, S1, 8));
        });
        p.emit(jal(ZERO, 0));
        ByteBuffer code = ByteBuffer.allocate(p.words.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        p.words.forEach(code::putInt);
        return new GuestImage(name, RAM, List.of(new GuestImage.Segment(RAM, 0x2000, code.array(), true, true, true)),
                List.of());
    }

    private int here() {
        return words.size();
    }

    private void emit(int word) {
        words.add(word);
    }

    private void hypercall(int number, Runnable arguments) {
        arguments.run();
        emit(addi(A7, ZERO, number));
        emit(0x00000073); // ecall
    }

    private void li(int rd, int value) {
        int hi = (value + 0x800) >>> 12;
        emit((hi << 12) | (rd << 7) | 0x37);
        emit(addi(rd, rd, value - (hi << 12)));
    }

    private void bne(int rs1, int rs2, int targetIndex) {
        int offset = (targetIndex - here()) * 4;
        emit(((offset >> 12) & 1) << 31 | ((offset >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | 1 << 12
                | ((offset >> 1) & 0xf) << 8 | ((offset >> 11) & 1) << 7 | 0x63);
    }

    private static int i(int opcode, int rd, int f3, int rs1, int imm) {
        return ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
    }

    private static int addi(int rd, int rs1, int imm) {
        return i(0x13, rd, 0, rs1, imm);
    }

    private static int r(int opcode, int rd, int f3, int rs1, int rs2, int f7) {
        return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
    }

    private static int store(int f3, int rs2, int rs1, int imm) {
        return ((imm >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | 0x23;
    }

    private static int sb(int rs2, int rs1, int imm) {
        return store(0, rs2, rs1, imm);
    }

    private static int sw(int rs2, int rs1, int imm) {
        return store(2, rs2, rs1, imm);
    }

    private static int jal(int rd, int offset) {
        return ((offset >> 20) & 1) << 31 | ((offset >> 1) & 0x3ff) << 21 | ((offset >> 11) & 1) << 20
                | ((offset >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
    }
}
