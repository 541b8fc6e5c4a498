package dev.rehype.guests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A guest program as the machine loads it: the entry point, the loadable segments of an ELF32
 * RISC-V executable, and its symbol table so that a pc can be named ("main+0x1c"). Images are
 * built by guests/Makefile into guests/images/ and packaged on the class path under
 * {@code guests/}; {@link #load} reads one from there, {@link #parse} reads any byte array.
 *
 * <p>Only what the machine needs is accepted: ELFCLASS32, little endian, EM_RISCV, ET_EXEC, program
 * headers and every PT_LOAD segment's file data inside the file, file size no larger than memory
 * size, segments that neither wrap around the 32-bit address space nor overlap, and an entry point
 * inside an executable segment. Anything else is a {@link GuestImageException} naming the image,
 * the problem and the byte offset where it lies. Section headers are optional; without a symbol
 * table the image simply has no symbols.
 *
 * <p>Addresses are 32-bit guest addresses held in {@code int}s and compared unsigned.
 *
 * @param name     the image's name (its class-path path for loaded images), used in messages
 * @param entry    e_entry, the address of the first instruction
 * @param segments the PT_LOAD segments in file order
 * @param symbols  functions, objects and code/data labels defined in a section, ordered by address
 *                 (then function before object before label, global before local, by name)
 */
public record GuestImage(String name, int entry, List<Segment> segments, List<Symbol> symbols) {

    /** Where {@link #load} looks: class-path resources under this prefix. */
    public static final String RESOURCE_ROOT = "guests/";

    private static final Comparator<Symbol> SYMBOL_ORDER = Comparator
            .comparing((Symbol s) -> Integer.toUnsignedLong(s.address()))
            .thenComparing(Symbol::kind)
            .thenComparing(s -> !s.global())
            .thenComparing(Symbol::name);

    public GuestImage {
        Objects.requireNonNull(name, "name");
        segments = List.copyOf(segments);
        symbols = symbols.stream().sorted(SYMBOL_ORDER).toList();
    }

    /**
     * One PT_LOAD segment: {@code memSizeBytes} bytes at {@code vaddr}, of which the first
     * {@code data.length} come from the file and the rest are zero.
     */
    public record Segment(int vaddr, int memSizeBytes, byte[] data,
                          boolean readable, boolean writable, boolean executable) {
        public Segment {
            Objects.requireNonNull(data, "data");
            if (memSizeBytes < 0 || data.length > memSizeBytes) {
                throw new IllegalArgumentException("segment at 0x" + Integer.toHexString(vaddr) + ": "
                        + data.length + " bytes of data do not fit in " + memSizeBytes + " bytes");
            }
            data = data.clone();
        }

        /** The bytes from the file (a copy); the remaining memSizeBytes - fileSizeBytes are zero. */
        @Override
        public byte[] data() {
            return data.clone();
        }

        public int fileSizeBytes() {
            return data.length;
        }

        /** True when {@code address} lies in [vaddr, vaddr + memSizeBytes). */
        public boolean contains(int address) {
            long offset = Integer.toUnsignedLong(address) - Integer.toUnsignedLong(vaddr);
            return offset >= 0 && offset < memSizeBytes;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment s && s.vaddr == vaddr && s.memSizeBytes == memSizeBytes
                    && Arrays.equals(s.data, data) && s.readable == readable && s.writable == writable
                    && s.executable == executable;
        }

        @Override
        public int hashCode() {
            return Objects.hash(vaddr, memSizeBytes, Arrays.hashCode(data), readable, writable, executable);
        }

        @Override
        public String toString() {
            return "Segment[0x" + Integer.toHexString(vaddr) + "+0x" + Integer.toHexString(memSizeBytes)
                    + " file 0x" + Integer.toHexString(data.length) + " " + (readable ? "r" : "-")
                    + (writable ? "w" : "-") + (executable ? "x" : "-") + "]";
        }
    }

    /** A named address from the symbol table; {@code sizeBytes} is 0 for plain labels. */
    public record Symbol(String name, int address, int sizeBytes, Kind kind, boolean global) {
        /** In order of preference when several symbols share an address. */
        public enum Kind { FUNCTION, OBJECT, LABEL }

        public Symbol {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * Reads the image at class-path resource {@code guests/<resourcePath>}, for example
     * {@code load("tests/isa/alu.elf")}. The image is named {@code resourcePath}.
     */
    public static GuestImage load(String resourcePath) throws GuestImageException {
        Objects.requireNonNull(resourcePath, "resourcePath");
        String resource = RESOURCE_ROOT + resourcePath;
        byte[] bytes;
        try (InputStream in = GuestImage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new GuestImageException(resourcePath, "not found on the class path (looked for " + resource + ")");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new GuestImageException(resourcePath, "cannot be read from " + resource, e);
        }
        return parse(resourcePath, bytes);
    }

    /** Parses and validates an ELF32 RISC-V executable; {@code name} is used in messages. */
    public static GuestImage parse(String name, byte[] elf) throws GuestImageException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(elf, "elf");
        return new Parser(name, elf).parse();
    }

    /** The nearest symbol at or below {@code pc}, as "name" or "name+0x1c"; empty when none covers it. */
    public Optional<String> symbolize(int pc) {
        if (segments.stream().noneMatch(s -> s.contains(pc))) {
            return Optional.empty();
        }
        int lo = 0;
        int hi = symbols.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.compareUnsigned(symbols.get(mid).address(), pc) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return Optional.empty();
        }
        int address = symbols.get(found).address();
        while (found > 0 && symbols.get(found - 1).address() == address) {
            found--;
        }
        Symbol symbol = symbols.get(found);
        long offset = Integer.toUnsignedLong(pc) - Integer.toUnsignedLong(address);
        if (symbol.sizeBytes() != 0 && offset >= Integer.toUnsignedLong(symbol.sizeBytes())) {
            return Optional.empty();
        }
        return Optional.of(offset == 0 ? symbol.name() : symbol.name() + "+0x" + Long.toHexString(offset));
    }

    /** The address of the symbol called {@code name} (a global one when several share the name). */
    public OptionalInt symbol(String name) {
        Symbol best = null;
        for (Symbol s : symbols) {
            if (s.name().equals(name) && (best == null || (s.global() && !best.global()))) {
                best = s;
            }
        }
        return best == null ? OptionalInt.empty() : OptionalInt.of(best.address());
    }

    /** The segment containing {@code address}, if any. */
    public Optional<Segment> segmentAt(int address) {
        return segments.stream().filter(s -> s.contains(address)).findFirst();
    }

    /** Reads and checks one ELF file; every read is bounds-checked against the file. */
    private static final class Parser {
        private final String name;
        private final byte[] elf;

        Parser(String name, byte[] elf) {
            this.name = name;
            this.elf = elf;
        }

        GuestImage parse() throws GuestImageException {
            checkHeader();
            int entry = (int) u32(Elf32.E_ENTRY);
            List<Segment> segments = readSegments();
            if (segments.stream().noneMatch(s -> s.executable() && s.contains(entry))) {
                throw fail("entry point 0x" + Integer.toHexString(entry) + " lies in no executable segment",
                        Elf32.E_ENTRY);
            }
            return new GuestImage(name, entry, segments, readSymbols());
        }

        private void checkHeader() throws GuestImageException {
            if (elf.length < Elf32.HEADER_BYTES) {
                throw fail("truncated: " + elf.length + " bytes, shorter than the " + Elf32.HEADER_BYTES
                        + "-byte ELF header", elf.length);
            }
            if (!Arrays.equals(elf, 0, 4, Elf32.MAGIC, 0, 4)) {
                throw fail("not an ELF file (magic " + HexFormat.ofDelimiter(" ").formatHex(elf, 0, 4)
                        + ", expected 7f 45 4c 46)", 0);
            }
            int elfClass = u8(Elf32.EI_CLASS);
            if (elfClass != Elf32.ELFCLASS32) {
                throw fail("ELF class " + elfClass + (elfClass == 2 ? " (64-bit)" : "")
                        + ", expected ELFCLASS32 (1): the machine runs RV32 images", Elf32.EI_CLASS);
            }
            int data = u8(Elf32.EI_DATA);
            if (data != Elf32.ELFDATA2LSB) {
                throw fail("data encoding " + data + (data == 2 ? " (big endian)" : "")
                        + ", expected little endian (ELFDATA2LSB = 1)", Elf32.EI_DATA);
            }
            if (u8(Elf32.EI_VERSION) != Elf32.EV_CURRENT) {
                throw fail("ELF version " + u8(Elf32.EI_VERSION) + ", expected 1", Elf32.EI_VERSION);
            }
            int type = u16(Elf32.E_TYPE);
            if (type != Elf32.ET_EXEC) {
                throw fail("ELF type " + Elf32.typeName(type) + ", expected an executable (ET_EXEC)", Elf32.E_TYPE);
            }
            int machine = u16(Elf32.E_MACHINE);
            if (machine != Elf32.EM_RISCV) {
                throw fail("built for " + Elf32.machineName(machine) + ", expected RISC-V (EM_RISCV = 243)",
                        Elf32.E_MACHINE);
            }
            if (u32(Elf32.E_VERSION) != Elf32.EV_CURRENT) {
                throw fail("ELF version " + u32(Elf32.E_VERSION) + ", expected 1", Elf32.E_VERSION);
            }
        }

        private List<Segment> readSegments() throws GuestImageException {
            long phoff = u32(Elf32.E_PHOFF);
            int phentsize = u16(Elf32.E_PHENTSIZE);
            int phnum = u16(Elf32.E_PHNUM);
            if (phnum == 0) {
                throw fail("no program headers: nothing to load", Elf32.E_PHNUM);
            }
            if (phentsize != Elf32.PHDR_BYTES) {
                throw fail("program header size " + phentsize + ", expected " + Elf32.PHDR_BYTES, Elf32.E_PHENTSIZE);
            }
            checkRange("program header table", phoff, (long) phnum * Elf32.PHDR_BYTES, Elf32.E_PHOFF);
            List<Segment> segments = new ArrayList<>();
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < phnum; i++) {
                int ph = (int) (phoff + (long) i * Elf32.PHDR_BYTES);
                if (u32(ph + Elf32.P_TYPE) != Elf32.PT_LOAD) {
                    continue;
                }
                long offset = u32(ph + Elf32.P_OFFSET);
                long vaddr = u32(ph + Elf32.P_VADDR);
                long filesz = u32(ph + Elf32.P_FILESZ);
                long memsz = u32(ph + Elf32.P_MEMSZ);
                int flags = (int) u32(ph + Elf32.P_FLAGS);
                String what = "segment " + i + " (PT_LOAD at 0x" + Long.toHexString(vaddr) + ")";
                if (filesz > memsz) {
                    throw fail(what + ": file size 0x" + Long.toHexString(filesz) + " exceeds memory size 0x"
                            + Long.toHexString(memsz), ph + Elf32.P_FILESZ);
                }
                if (memsz > Integer.MAX_VALUE) {
                    throw fail(what + ": memory size 0x" + Long.toHexString(memsz) + " is too large", ph + Elf32.P_MEMSZ);
                }
                if (vaddr + memsz > 1L << 32) {
                    throw fail(what + ": [0x" + Long.toHexString(vaddr) + ", 0x" + Long.toHexString(vaddr + memsz)
                            + ") wraps past the end of the 32-bit address space", ph + Elf32.P_VADDR);
                }
                checkRange(what + " data", offset, filesz, ph + Elf32.P_OFFSET);
                Segment segment = new Segment((int) vaddr, (int) memsz,
                        Arrays.copyOfRange(elf, (int) offset, (int) (offset + filesz)),
                        (flags & Elf32.PF_R) != 0, (flags & Elf32.PF_W) != 0, (flags & Elf32.PF_X) != 0);
                for (int j = 0; j < segments.size(); j++) {
                    Segment other = segments.get(j);
                    if (memsz > 0 && other.memSizeBytes() > 0
                            && vaddr < Integer.toUnsignedLong(other.vaddr()) + other.memSizeBytes()
                            && Integer.toUnsignedLong(other.vaddr()) < vaddr + memsz) {
                        throw fail(what + " overlaps segment " + indexes.get(j) + " at 0x"
                                + Integer.toHexString(other.vaddr()), ph + Elf32.P_VADDR);
                    }
                }
                segments.add(segment);
                indexes.add(i);
            }
            if (segments.isEmpty()) {
                throw fail("no loadable (PT_LOAD) segment among " + phnum + " program headers", phoff);
            }
            return segments;
        }

        private List<Symbol> readSymbols() throws GuestImageException {
            long shoff = u32(Elf32.E_SHOFF);
            int shnum = u16(Elf32.E_SHNUM);
            if (shoff == 0 || shnum == 0) {
                return List.of();
            }
            int shentsize = u16(Elf32.E_SHENTSIZE);
            if (shentsize != Elf32.SHDR_BYTES) {
                throw fail("section header size " + shentsize + ", expected " + Elf32.SHDR_BYTES, Elf32.E_SHENTSIZE);
            }
            checkRange("section header table", shoff, (long) shnum * Elf32.SHDR_BYTES, Elf32.E_SHOFF);
            for (int i = 0; i < shnum; i++) {
                int sh = (int) (shoff + (long) i * Elf32.SHDR_BYTES);
                if (u32(sh + Elf32.SH_TYPE) == Elf32.SHT_SYMTAB) {
                    return readSymbolTable(i, sh, shoff, shnum);
                }
            }
            return List.of();
        }

        private List<Symbol> readSymbolTable(int index, int sh, long shoff, int shnum) throws GuestImageException {
            long symOffset = u32(sh + Elf32.SH_OFFSET);
            long symSize = u32(sh + Elf32.SH_SIZE);
            long entsize = u32(sh + Elf32.SH_ENTSIZE);
            long link = u32(sh + Elf32.SH_LINK);
            String what = "symbol table (section " + index + ")";
            if (entsize != Elf32.SYM_BYTES) {
                throw fail(what + ": entry size " + entsize + ", expected " + Elf32.SYM_BYTES, sh + Elf32.SH_ENTSIZE);
            }
            checkRange(what, symOffset, symSize, sh + Elf32.SH_OFFSET);
            if (link >= shnum) {
                throw fail(what + ": string table index " + link + " is not a section (there are " + shnum + ")",
                        sh + Elf32.SH_LINK);
            }
            int strSh = (int) (shoff + link * Elf32.SHDR_BYTES);
            if (u32(strSh + Elf32.SH_TYPE) != Elf32.SHT_STRTAB) {
                throw fail(what + ": linked section " + link + " is not a string table", sh + Elf32.SH_LINK);
            }
            long strOffset = u32(strSh + Elf32.SH_OFFSET);
            long strSize = u32(strSh + Elf32.SH_SIZE);
            checkRange("string table (section " + link + ")", strOffset, strSize, strSh + Elf32.SH_OFFSET);

            List<Symbol> symbols = new ArrayList<>();
            long count = symSize / Elf32.SYM_BYTES;
            for (int i = 1; i < count; i++) {
                int sym = (int) (symOffset + (long) i * Elf32.SYM_BYTES);
                int info = u8(sym + Elf32.ST_INFO);
                int type = info & 0xf;
                int bind = info >>> 4;
                int shndx = u16(sym + Elf32.ST_SHNDX);
                String symbolName = string(strOffset, strSize, u32(sym + Elf32.ST_NAME), "symbol " + i,
                        sym + Elf32.ST_NAME);
                Symbol.Kind kind = switch (type) {
                    case Elf32.STT_FUNC -> Symbol.Kind.FUNCTION;
                    case Elf32.STT_OBJECT -> Symbol.Kind.OBJECT;
                    case Elf32.STT_NOTYPE -> Symbol.Kind.LABEL;
                    default -> null;
                };
                if (kind == null || shndx == Elf32.SHN_UNDEF || shndx >= Elf32.SHN_LORESERVE) {
                    continue;
                }
                if (symbolName.isEmpty() || symbolName.startsWith("$")) {
                    continue; // unnamed, or a RISC-V mapping symbol ($x, $d)
                }
                symbols.add(new Symbol(symbolName, (int) u32(sym + Elf32.ST_VALUE), (int) u32(sym + Elf32.ST_SIZE),
                        kind, bind != Elf32.STB_LOCAL));
            }
            return symbols;
        }

        private String string(long tableOffset, long tableSize, long nameOffset, String owner, int field)
                throws GuestImageException {
            if (nameOffset >= tableSize) {
                throw fail(owner + ": name offset 0x" + Long.toHexString(nameOffset)
                        + " lies outside the string table (0x" + Long.toHexString(tableSize) + " bytes)", field);
            }
            int start = (int) (tableOffset + nameOffset);
            int end = start;
            int limit = (int) (tableOffset + tableSize);
            while (end < limit && elf[end] != 0) {
                end++;
            }
            if (end == limit) {
                throw fail(owner + ": name is not terminated inside the string table", field);
            }
            return new String(elf, start, end - start, StandardCharsets.UTF_8);
        }

        /** Requires [offset, offset + length) to lie inside the file. */
        private void checkRange(String what, long offset, long length, long field) throws GuestImageException {
            if (offset + length > elf.length) {
                throw fail(what + " [0x" + Long.toHexString(offset) + ", 0x" + Long.toHexString(offset + length)
                        + ") extends past the end of the file (0x" + Integer.toHexString(elf.length) + " bytes)", field);
            }
        }

        private int u8(int offset) {
            return elf[offset] & 0xff;
        }

        private int u16(int offset) {
            return (elf[offset] & 0xff) | (elf[offset + 1] & 0xff) << 8;
        }

        private long u32(int offset) {
            return Integer.toUnsignedLong((elf[offset] & 0xff) | (elf[offset + 1] & 0xff) << 8
                    | (elf[offset + 2] & 0xff) << 16 | (elf[offset + 3] & 0xff) << 24);
        }

        private GuestImageException fail(String problem, long offset) {
            return new GuestImageException(name, problem, offset);
        }
    }
}
