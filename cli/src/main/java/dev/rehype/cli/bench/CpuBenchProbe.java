/*
 * Where the CPU benchmark's measurements come from. The real probe runs the guest program on our
 * interpreter, builds and runs the native program, and runs qemu-riscv32; tests use a fake, so the
 * benchmark's arithmetic is checked without running guests or timing anything.
 */
package dev.rehype.cli.bench;

/** The source of the CPU benchmark's measurements; opened for one plan, closed after it. */
public interface CpuBenchProbe extends AutoCloseable {

    /** Runs the plan's image once on our interpreter; throws CheckFailure unless it exits 0 after printing its ok line. */
    InterpreterSample runInterpreter();

    /** Times the plan's measured runs of the natively compiled program after its warm-up runs, or says why it cannot. */
    ReferenceTiming timeNative();

    /** Times the plan's measured runs of the image under qemu-riscv32 after its warm-up runs, or says why it cannot. */
    ReferenceTiming timeQemu();

    /** Releases what the probe created (temporary files). */
    @Override
    void close();
}
