package dev.rehype.hypervisor.image;

/** Rewrites a hypervisor class as the image loads it (the fault injector's hook). */
@FunctionalInterface
public interface ClassTransformer {
    ClassTransformer IDENTITY = (name, bytes) -> bytes;

    /** The bytes to define for class {@code binaryName}, given the original {@code bytes}. */
    byte[] transform(String binaryName, byte[] bytes);
}
