package dev.rehype.machine;

/**
 * Thrown inside a hart's interpreter by the slow paths (translation, CSR access, atomics) to
 * abandon the current instruction and take a trap. One preallocated, stackless instance per
 * hart: it is control flow, never an error that escapes the machine.
 */
final class GuestTrap extends RuntimeException {
    int cause;
    int tval;
    long gpa;

    GuestTrap() {
        super(null, null, false, false);
    }

    GuestTrap set(int cause, int tval, long gpa) {
        this.cause = cause;
        this.tval = tval;
        this.gpa = gpa;
        return this;
    }
}
