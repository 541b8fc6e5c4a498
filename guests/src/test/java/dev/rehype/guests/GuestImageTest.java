package dev.rehype.guests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ELF reader on the real images built by guests/Makefile and on damaged copies of one of
 * them: every malformed input is refused with one message naming the image, the problem and the
 * offset.
 */
class GuestImageTest {
    private static final String ALU = "tests/isa/alu.elf";

    static byte[] resource(String path) {
        try (InputStream in = GuestImageTest.class.getClassLoader().getResourceAsStream("guests/" + path)) {
            assertThat(in).as("guests/%s on the class path", path).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> allImages() {
        return GuestCatalog.images();
    }

    @Nested
    class RealImages {
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.rehype.guests.GuestImageTest#allImages")
        void everyPackagedImageLoads(String path) throws GuestImageException {
            GuestImage image = GuestImage.load(path);

            assertThat(image.name()).isEqualTo(path);
            assertThat(image.symbol("_start")).hasValue(image.entry());
            assertThat(image.segments()).isNotEmpty();
            GuestImage.Segment text = image.segments().getFirst();
            assertThat(text.vaddr()).isEqualTo(0x8000_0000);
            assertThat(text.readable()).isTrue();
            assertThat(text.executable()).isTrue();
            assertThat(text.writable()).isFalse();
            assertThat(text.contains(image.entry())).isTrue();
        }

        @Test
        void aTestProgramHasATextAndADataSegment() throws GuestImageException {
            GuestImage image = GuestImage.load(ALU);

            assertThat(image.segments()).hasSize(2);
            GuestImage.Segment data = image.segments().get(1);
            assertThat(data.vaddr() & 0xfff).isZero();
            assertThat(data.readable()).isTrue();
            assertThat(data.writable()).isTrue();
            assertThat(data.executable()).isFalse();
            assertThat(data.memSizeBytes()).isGreaterThan(data.fileSizeBytes()); // .bss and the stack
            int stackTop = image.symbol("_stack_top").orElseThrow();
            assertThat(Integer.toUnsignedLong(stackTop))
                    .isEqualTo(Integer.toUnsignedLong(data.vaddr()) + data.memSizeBytes());
        }

        @Test
        void segmentDataIsTheFileContents() throws GuestImageException {
            byte[] elf = resource(ALU);
            GuestImage image = GuestImage.parse("alu", elf);
            GuestImage.Segment text = image.segments().getFirst();

            // The first instruction of every test: auipc sp, ... (la sp, _stack_top), opcode 0x17, rd = x2.
            int first = (text.data()[0] & 0xff) | (text.data()[1] & 0xff) << 8;
            assertThat(first & 0x7f).isEqualTo(0x17);
            assertThat((first >>> 7) & 0x1f).isEqualTo(2);
        }

        @Test
        void segmentDataIsACopy() throws GuestImageException {
            GuestImage image = GuestImage.load(ALU);
            byte[] data = image.segments().getFirst().data();
            data[0] ^= (byte) 0xff;

            assertThat(image.segments().getFirst().data()[0]).isNotEqualTo(data[0]);
        }

        @Test
        void parsingTheSameBytesTwiceGivesEqualImages() throws GuestImageException {
            assertThat(GuestImage.parse("a", resource(ALU))).isEqualTo(GuestImage.parse("a", resource(ALU)));
        }

        @Test
        void theBenchHasItsFunctionsWithSizes() throws GuestImageException {
            GuestImage image = GuestImage.load("bench/cpu.elf");

            GuestImage.Symbol main = image.symbols().stream().filter(s -> s.name().equals("main"))
                    .findFirst().orElseThrow();
            assertThat(main.kind()).isEqualTo(GuestImage.Symbol.Kind.FUNCTION);
            assertThat(main.global()).isTrue();
            assertThat(main.sizeBytes()).isPositive();
            assertThat(image.symbol("sys_write")).isPresent();
            assertThat(image.symbol("crc_table")).isPresent();
            assertThat(image.symbolize(main.address() + 8)).hasValue("main+0x8");
        }
    }

    @Nested
    class Symbols {
        @Test
        void aPcIsNamedByTheNearestSymbolAtOrBelowIt() throws GuestImageException {
            GuestImage image = GuestImage.load(ALU);
            int pass = image.symbol("test_pass").orElseThrow();

            assertThat(image.symbolize(image.entry())).hasValue("_start");
            assertThat(image.symbolize(image.entry() + 0x10)).hasValue("_start+0x10");
            assertThat(image.symbolize(pass)).hasValue("test_pass");
            assertThat(image.symbolize(pass + 4)).hasValue("test_pass+0x4");
        }

        @Test
        void aFunctionIsPreferredToALabelAtTheSameAddress() throws GuestImageException {
            GuestImage image = GuestImage.load(ALU);

            // _image_start (a linker-script label) and _start (a function) share 0x80000000.
            assertThat(image.symbol("_image_start")).hasValue(image.entry());
            assertThat(image.symbolize(image.entry())).hasValue("_start");
        }

        @Test
        void addressesOutsideTheImageHaveNoName() throws GuestImageException {
            GuestImage image = GuestImage.load(ALU);

            assertThat(image.symbolize(0)).isEmpty();
            assertThat(image.symbolize(0x7fff_fffc)).isEmpty();
            assertThat(image.symbolize(0xffff_fff0)).isEmpty();
        }

        @Test
        void aPcPastASizedFunctionIsNotAttributedToIt() {
            GuestImage.Segment text = new GuestImage.Segment(0x1000, 0x100, new byte[0x100], true, false, true);
            GuestImage image = new GuestImage("synthetic", 0x1000, List.of(text), List.of(
                    new GuestImage.Symbol("f", 0x1000, 0x10, GuestImage.Symbol.Kind.FUNCTION, true)));

            assertThat(image.symbolize(0x100c)).hasValue("f+0xc");
            assertThat(image.symbolize(0x1010)).isEmpty();
        }

        @Test
        void mappingSymbolsAndFileSymbolsAreLeftOut() throws GuestImageException {
            GuestImage image = GuestImage.load(ALU);

            assertThat(image.symbols()).noneMatch(s -> s.name().startsWith("$"));
            assertThat(image.symbols()).noneMatch(s -> s.name().endsWith(".S"));
            assertThat(image.symbol("no_such_symbol")).isEmpty();
        }

        @Test
        void symbolsAreOrderedByUnsignedAddress() throws GuestImageException {
            List<GuestImage.Symbol> symbols = GuestImage.load(ALU).symbols();

            for (int i = 1; i < symbols.size(); i++) {
                assertThat(Integer.compareUnsigned(symbols.get(i - 1).address(), symbols.get(i).address()))
                        .isLessThanOrEqualTo(0);
            }
        }

        @Test
        void anImageWithoutSectionHeadersHasNoSymbols() throws GuestImageException {
            byte[] elf = resource(ALU);
            putU32(elf, 32, 0);  // e_shoff
            putU16(elf, 48, 0);  // e_shnum

            GuestImage image = GuestImage.parse("stripped", elf);

            assertThat(image.symbols()).isEmpty();
            assertThat(image.symbolize(image.entry())).isEmpty();
            assertThat(image.segments()).hasSize(2);
        }
    }

    @Nested
    class MalformedInput {
        @Test
        void anEmptyFile() {
            assertRefused(new byte[0], "guest image bad.elf: truncated: 0 bytes, shorter than the 52-byte ELF header (at offset 0x0)");
        }

        @Test
        void aFileTruncatedInsideTheHeader() {
            assertRefused(Arrays.copyOf(resource(ALU), 20), "truncated: 20 bytes", "offset 0x14");
        }

        @Test
        void aFileTruncatedInsideTheProgramHeaders() {
            assertRefused(Arrays.copyOf(resource(ALU), 60),
                    "program header table [0x34, 0x94) extends past the end of the file (0x3c bytes)", "offset 0x1c");
        }

        @Test
        void aFileTruncatedInsideASegment() {
            byte[] elf = resource(ALU);
            assertRefused(Arrays.copyOf(elf, 0x1010), "segment 1 (PT_LOAD at 0x80000000) data", "extends past the end of the file");
        }

        @Test
        void badMagic() {
            assertRefused(mutate(elf -> elf[1] = 'X'), "not an ELF file (magic 7f 58 4c 46, expected 7f 45 4c 46)", "offset 0x0");
        }

        @Test
        void aShellScriptIsNotAnImage() {
            byte[] script = "#!/bin/sh\necho this is not an ELF file, but it is long enough to have a header\n".getBytes();
            assertRefused(script, "not an ELF file (magic 23 21 2f 62");
        }

        @Test
        void a64BitImage() {
            assertRefused(mutate(elf -> elf[4] = 2), "ELF class 2 (64-bit), expected ELFCLASS32", "offset 0x4");
        }

        @Test
        void aBigEndianImage() {
            assertRefused(mutate(elf -> elf[5] = 2), "data encoding 2 (big endian), expected little endian", "offset 0x5");
        }

        @Test
        void anUnknownElfVersion() {
            assertRefused(mutate(elf -> elf[6] = 7), "ELF version 7, expected 1", "offset 0x6");
        }

        @Test
        void anObjectFileInsteadOfAnExecutable() {
            assertRefused(mutate(elf -> putU16(elf, 16, 1)), "ELF type ET_REL (an object file, not linked), expected an executable", "offset 0x10");
        }

        @Test
        void aSharedObject() {
            assertRefused(mutate(elf -> putU16(elf, 16, 3)), "ELF type ET_DYN", "offset 0x10");
        }

        @Test
        void anX86Image() {
            assertRefused(mutate(elf -> putU16(elf, 18, 62)), "built for x86-64 (EM_X86_64), expected RISC-V (EM_RISCV = 243)", "offset 0x12");
        }

        @Test
        void anUnknownMachine() {
            assertRefused(mutate(elf -> putU16(elf, 18, 999)), "built for machine 999", "offset 0x12");
        }

        @Test
        void noProgramHeaders() {
            assertRefused(mutate(elf -> putU16(elf, 44, 0)), "no program headers: nothing to load", "offset 0x2c");
        }

        @Test
        void aWrongProgramHeaderSize() {
            assertRefused(mutate(elf -> putU16(elf, 42, 56)), "program header size 56, expected 32", "offset 0x2a");
        }

        @Test
        void programHeadersPastTheEndOfTheFile() {
            assertRefused(mutate(elf -> putU32(elf, 28, 0x7fff_0000)), "program header table [0x7fff0000,", "offset 0x1c");
        }

        @Test
        void noLoadableSegment() {
            assertRefused(mutate(elf -> {
                for (int i = 0; i < phnum(elf); i++) {
                    putU32(elf, phdr(elf, i), 6); // PT_PHDR
                }
            }), "no loadable (PT_LOAD) segment among 3 program headers", "offset 0x34");
        }

        @Test
        void segmentDataOutOfBounds() {
            int text = loadPhdr(resource(ALU), 0);
            assertRefused(mutate(elf -> putU32(elf, text + 4, 0x0010_0000)),
                    "segment 1 (PT_LOAD at 0x80000000) data [0x100000, ", "extends past the end of the file",
                    "offset 0x" + Integer.toHexString(text + 4));
        }

        @Test
        void segmentFileSizeBeyondItsMemorySize() {
            int data = loadPhdr(resource(ALU), 1);
            assertRefused(mutate(elf -> putU32(elf, data + 20, 1)),
                    "segment 2 (PT_LOAD at 0x80002000): file size 0x4 exceeds memory size 0x1",
                    "offset 0x" + Integer.toHexString(data + 16));
        }

        @Test
        void aSegmentWrappingPastFourGigabytes() {
            int data = loadPhdr(resource(ALU), 1);
            assertRefused(mutate(elf -> putU32(elf, data + 8, 0xffff_f000)),
                    "segment 2 (PT_LOAD at 0xfffff000): [0xfffff000, 0x", "wraps past the end of the 32-bit address space");
        }

        @Test
        void overlappingSegments() {
            int data = loadPhdr(resource(ALU), 1);
            assertRefused(mutate(elf -> putU32(elf, data + 8, 0x8000_0100)),
                    "segment 2 (PT_LOAD at 0x80000100) overlaps segment 1 at 0x80000000");
        }

        @Test
        void anEntryPointOutsideTheCode() {
            assertRefused(mutate(elf -> putU32(elf, 24, 0x8000_2000)),
                    "entry point 0x80002000 lies in no executable segment", "offset 0x18");
        }

        @Test
        void sectionHeadersPastTheEndOfTheFile() {
            assertRefused(mutate(elf -> putU32(elf, 32, elf.length - 8)), "section header table", "extends past the end of the file", "offset 0x20");
        }

        @Test
        void aSymbolTableLinkedToANonSection() {
            assertRefused(mutate(elf -> putU32(elf, symtabHeader(elf) + 24, 99)),
                    "string table index 99 is not a section", "there are 9");
        }

        @Test
        void aSymbolNameOutsideTheStringTable() {
            assertRefused(mutate(elf -> {
                int symtab = symtabHeader(elf);
                int firstSymbol = u32(elf, symtab + 16) + 16;   // entry 1; entry 0 is the null symbol
                putU32(elf, firstSymbol, 0x00ff_ffff);
            }), "symbol 1: name offset 0xffffff lies outside the string table");
        }

        @Test
        void aSymbolTableWithAWrongEntrySize() {
            assertRefused(mutate(elf -> putU32(elf, symtabHeader(elf) + 36, 24)), "entry size 24, expected 16");
        }

        @Test
        void everyMessageIsOneLineNamingTheImage() {
            GuestImageException e = refuse(mutate(elf -> elf[4] = 2));
            assertThat(e.getMessage()).startsWith("guest image bad.elf: ").doesNotContain("\n");
            assertThat(e.imageName()).isEqualTo("bad.elf");
        }
    }

    @Test
    void aMissingResourceIsNamed() {
        assertThatThrownBy(() -> GuestImage.load("tests/isa/no-such-program.elf"))
                .isInstanceOf(GuestImageException.class)
                .hasMessage("guest image tests/isa/no-such-program.elf: not found on the class path "
                        + "(looked for guests/tests/isa/no-such-program.elf)");
    }

    // ---- helpers: damaged copies of the alu image ----

    private static byte[] mutate(Consumer<byte[]> damage) {
        byte[] elf = resource(ALU);
        damage.accept(elf);
        return elf;
    }

    private static GuestImageException refuse(byte[] elf) {
        try {
            GuestImage.parse("bad.elf", elf);
        } catch (GuestImageException e) {
            return e;
        }
        throw new AssertionError("the damaged image was accepted");
    }

    private static void assertRefused(byte[] elf, String... fragments) {
        GuestImageException e = refuse(elf);
        assertThat(e.getMessage()).startsWith("guest image bad.elf: ");
        for (String fragment : fragments) {
            assertThat(e.getMessage()).contains(fragment);
        }
    }

    private static int phnum(byte[] elf) {
        return u16(elf, 44);
    }

    private static int phdr(byte[] elf, int index) {
        return u32(elf, 28) + index * 32;
    }

    /** Offset of the program header of the n-th PT_LOAD segment. */
    private static int loadPhdr(byte[] elf, int n) {
        for (int i = 0, seen = 0; i < phnum(elf); i++) {
            if (u32(elf, phdr(elf, i)) == 1 && seen++ == n) {
                return phdr(elf, i);
            }
        }
        throw new AssertionError("no PT_LOAD number " + n);
    }

    private static int symtabHeader(byte[] elf) {
        int shoff = u32(elf, 32);
        for (int i = 0; i < u16(elf, 48); i++) {
            if (u32(elf, shoff + i * 40 + 4) == 2) {
                return shoff + i * 40;
            }
        }
        throw new AssertionError("no symbol table");
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static int u32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    private static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    private static void putU32(byte[] b, int off, int v) {
        putU16(b, off, v);
        putU16(b, off + 2, v >>> 16);
    }
}
