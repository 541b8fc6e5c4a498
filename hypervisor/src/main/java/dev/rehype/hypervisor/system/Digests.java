package dev.rehype.hypervisor.system;

/**
 * Expected digests of the standard system's workloads with their standard parameters (the
 * workloads' defaults; mem with 64 of 128 pages; dom0io building the seven modules of
 * {@link StandardSystem#vms()}). Each is a function of the workload's work only, so every seed
 * and every CPU count must reproduce it. `compute` and `net` are also computed by host builds of
 * the same code (workloads/native/compute_expected.c, `make net-test`), `service` from the
 * peer's side (NetPeerTest);
 * the others were first obtained by running the workloads against a mock hypervisor written in C
 * on the bare monitor (hypercall, mem, dom0), or on this core (dom0io, whose digest covers the
 * sizes and segments of the images it loads: it changes when an image is rebuilt differently).
 */
final class Digests {
    private Digests() {
    }

    static final String DOM0 = "115b5917";
    /** dom0io building the standard system's seven modules (images included in its digest). */
    static final String DOM0IO = "53edda4c";
    static final String COMPUTE = "855f6da0";
    static final String HYPERCALL = "1109c5dc";
    static final String MEM = "20b043b3";
    /** net with default parameters (400 packets; `make -C guests net-test` prints it too). */
    static final String NET = "1bb114e6";
    /** service with default parameters (240 packets; NetPeerTest computes it from the peer's side too). */
    static final String SERVICE = "2a3c68cd";
}
