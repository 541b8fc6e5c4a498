package dev.rehype.hypervisor.system;

/**
 * Expected digests of the standard system's workloads with their standard parameters (the
 * workloads' defaults; mem with 64 of 128 pages; dom0 managing domains 0..4 and pausing dom1).
 * Each is a function of the workload's work only, so every seed and every CPU count must
 * reproduce it. `compute` is also computed by the host build of the same kernels
 * (guests/riscv/workloads/native/compute_expected.c); the others were first obtained by running
 * the workloads against a mock hypervisor written in C on the bare monitor, then on this core.
 */
final class Digests {
    private Digests() {
    }

    static final String DOM0 = "115b5917";
    static final String COMPUTE = "855f6da0";
    static final String HYPERCALL = "1109c5dc";
    static final String MEM = "20b043b3";
}
