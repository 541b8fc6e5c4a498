package dev.rehype.recovery;

/**
 * One detected hypervisor failure: how it was noticed, on which CPU, in which trap (cause name),
 * the hypercall in progress on that CPU (its number, -1 none), the interrupt in progress on it (the
 * interrupt-controller source claimed and not completed, -1 none), when (virtual cycles: the
 * trap's time plus what the hypervisor spent in it until detection), and what was said.
 */
public record Detection(DetectionKind kind, int cpu, String trap, int hypercall, int interrupt, long atCycles,
                        String message) {
}
