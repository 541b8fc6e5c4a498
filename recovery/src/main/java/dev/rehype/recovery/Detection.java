package dev.rehype.recovery;

/**
 * One detected hypervisor failure: how it was noticed, on which CPU, in which trap (cause name),
 * which hypercall was in progress on that CPU (-1 none), when (virtual cycles), and what was said.
 */
public record Detection(DetectionKind kind, int cpu, String trap, int hypercall, long atCycles, String message) {
}
