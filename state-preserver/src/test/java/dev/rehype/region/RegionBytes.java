package dev.rehype.region;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Test helper that edits a region file's bytes directly, as damage or a crash would, through a
 * little-endian {@link ByteBuffer} over the whole file; {@link #patchAndReseal} also recomputes
 * the header checksum so that only the intended field is wrong.
 */
final class RegionBytes {
    private RegionBytes() {
    }

    static byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    /** Applies {@code edit} to the file's bytes and writes them back; the checksum is left as it was. */
    static void patch(Path file, Consumer<ByteBuffer> edit) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        edit.accept(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        Files.write(file, bytes);
    }

    /** Applies {@code edit}, then recomputes the header checksum over the edited bytes. */
    static void patchAndReseal(Path file, Consumer<ByteBuffer> edit) throws IOException {
        patch(file, buffer -> {
            edit.accept(buffer);
            int checksum = RegionHeader.checksum(MemorySegment.ofArray(buffer.array()),
                    RegionHeaderLayout.HEADER_SIZE_BYTES);
            buffer.putInt(RegionHeaderLayout.CHECKSUM_OFFSET, checksum);
        });
    }
}
