package dev.rehype.fault.hv;

/**
 * One instruction of the hypervisor core where a fault can go: its id in the {@link SiteCatalog},
 * its class, method (name and descriptor) and bytecode index in the class as built, its source
 * line (-1 unknown), the opcode, the kind of value it produces ({@code I J F D}, or {@code -}
 * for none) with its width in bits, how a code fault would mutate it, and for calls the callee
 * ({@code Owner.method}, simple owner name). {@link #key()} is how plans name it.
 */
public record Site(int id, String className, String methodName, String methodDescriptor, String key, int bci,
                   int line, String opcode, char valueKind, int valueBits, Mutation mutation, String callee) {

    public boolean producesValue() {
        return valueKind != '-';
    }

    public boolean mutable() {
        return mutation != Mutation.NONE;
    }

    public String simpleClassName() {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** {@code Class.method@bci:line}, as activation records name a place. */
    public String where() {
        return simpleClassName() + "." + methodName + "@" + bci + ":" + line;
    }
}
