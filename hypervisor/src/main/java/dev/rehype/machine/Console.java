package dev.rehype.machine;

import dev.rehype.machine.snapshot.ConsoleState;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The machine's console: a byte sink that guests (through the hypervisor) write their output to.
 * It keeps the most recent {@link #DEFAULT_CAPACITY_BYTES} bytes (older bytes are dropped, the
 * total count is kept) so that a runaway guest cannot exhaust the heap, and can copy everything to
 * an {@link OutputStream} (a terminal, a log file) as it arrives.
 *
 * <p>The kept bytes are hardware state: they survive a hypervisor crash. The tee is not state; if
 * it fails, the console stops teeing and keeps the error in {@link #teeError()}, because a closed
 * terminal must not stop a simulation.
 */
public final class Console implements StateHashable, dev.rehype.machine.port.ConsolePort {
    /** Bytes kept by a console made with {@link #Console()}: 4 MiB. */
    public static final int DEFAULT_CAPACITY_BYTES = 4 << 20;

    private static final int INITIAL_BYTES = 4096;

    private final int capacityBytes;
    /** Circular once full: the oldest kept byte is at {@code start}. */
    private byte[] buffer;
    private int start;
    private int kept;
    private long bytesWritten;
    private OutputStream tee;
    private IOException teeError;

    /** A console keeping the last {@value #DEFAULT_CAPACITY_BYTES} bytes. */
    public Console() {
        this(DEFAULT_CAPACITY_BYTES);
    }

    /** A console keeping the last {@code capacityBytes} bytes. */
    public Console(int capacityBytes) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("console capacity must be positive, got " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        this.buffer = new byte[Math.min(INITIAL_BYTES, capacityBytes)];
    }

    /** Appends the low 8 bits of {@code b}. */
    public void write(int b) {
        append((byte) b);
        bytesWritten++;
        if (tee != null) {
            try {
                tee.write(b);
                if ((b & 0xff) == '\n') {
                    tee.flush();
                }
            } catch (IOException e) {
                dropTee(e);
            }
        }
    }

    /** Appends {@code len} bytes of {@code b} from {@code off}. */
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        for (int i = 0; i < len; i++) {
            append(b[off + i]);
        }
        bytesWritten += len;
        if (tee != null && len > 0) {
            try {
                tee.write(b, off, len);
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        tee.flush();
                        break;
                    }
                }
            } catch (IOException e) {
                dropTee(e);
            }
        }
    }

    /** The kept bytes decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** A copy of the kept bytes, oldest first. */
    public byte[] bytes() {
        byte[] out = new byte[kept];
        int firstPart = Math.min(kept, buffer.length - start);
        System.arraycopy(buffer, start, out, 0, firstPart);
        System.arraycopy(buffer, 0, out, firstPart, kept - firstPart);
        return out;
    }

    /** Every byte ever written, including those no longer kept. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** How many bytes this console keeps at most. */
    public int capacityBytes() {
        return capacityBytes;
    }

    /** Copies every later write to {@code out}; null stops teeing. Clears {@link #teeError()}. */
    public void setTee(OutputStream out) {
        this.tee = out;
        this.teeError = null;
    }

    /** The error that made the console stop teeing, or null. */
    public IOException teeError() {
        return teeError;
    }

    /** This console's state (the kept bytes and the count), for a snapshot; the tee is not state. */
    public ConsoleState exportState() {
        return new ConsoleState(capacityBytes, bytes(), bytesWritten);
    }

    /** Takes the state of a snapshot of a console of the same capacity; the tee stays as it is. */
    public void importState(ConsoleState state) {
        if (state.capacityBytes() != capacityBytes) {
            throw new IllegalArgumentException("snapshot of a console keeping " + state.capacityBytes()
                    + " bytes; this one keeps " + capacityBytes);
        }
        byte[] keptBytes = state.keptBytes();
        buffer = Arrays.copyOf(keptBytes, Math.max(keptBytes.length, Math.min(INITIAL_BYTES, capacityBytes)));
        start = 0;
        kept = keptBytes.length;
        bytesWritten = state.bytesWritten();
    }

    private void append(byte b) {
        if (kept < capacityBytes) {
            if (kept == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, capacityBytes));
            }
            buffer[kept++] = b;
        } else {
            buffer[start] = b;
            start = (start + 1) % capacityBytes;
        }
    }

    private void dropTee(IOException e) {
        tee = null;
        teeError = e;
    }

    @Override
    public void hashInto(StateHasher hasher) {
        hasher.putTag("console").putLong(bytesWritten).putBytes(bytes());
    }
}
