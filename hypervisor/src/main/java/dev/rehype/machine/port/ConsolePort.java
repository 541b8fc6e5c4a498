package dev.rehype.machine.port;

/** The machine's console as the hypervisor writes it (implemented by {@link dev.rehype.machine.Console}). */
public interface ConsolePort {
    void write(int b);

    void write(byte[] b, int off, int len);
}
