package dev.rehype.guests;

/**
 * A guest image that cannot be used: missing from the class path, unreadable, or not an ELF file
 * the machine can run (ELF32, little endian, RISC-V, executable, with its program headers,
 * segments and symbol table inside the file). The message names the image, what is wrong and,
 * for malformed files, the byte offset where the problem lies, in one line fit for a user.
 */
public final class GuestImageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String imageName;

    /** A problem with the file as a whole, or with finding it. */
    public GuestImageException(String imageName, String problem) {
        super("guest image " + imageName + ": " + problem);
        this.imageName = imageName;
    }

    /** A problem at byte {@code offset} of the file. */
    public GuestImageException(String imageName, String problem, long offset) {
        super("guest image " + imageName + ": " + problem + " (at offset 0x" + Long.toHexString(offset) + ")");
        this.imageName = imageName;
    }

    /** A problem reading the file. */
    public GuestImageException(String imageName, String problem, Throwable cause) {
        super("guest image " + imageName + ": " + problem + ": " + cause.getMessage(), cause);
        this.imageName = imageName;
    }

    /** The name of the image, as given to {@link GuestImage#parse} or {@link GuestImage#load}. */
    public String imageName() {
        return imageName;
    }
}
