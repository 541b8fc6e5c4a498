package dev.rehype.fault.hv;

import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.probe.FaultPoint;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.ArrayLoadInstruction;
import java.lang.classfile.instruction.ArrayStoreInstruction;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.ConvertInstruction;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LineNumber;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.OperatorInstruction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every instruction of the hypervisor core where a register or code fault can go, read from the
 * class files as built with the JDK's class-file API: value-producing instructions (primitive
 * loads, arithmetic, conversions, primitive field reads, calls returning a primitive) and
 * mutable ones (operators, conditional branches, integer constants, stores, calls). Ids are
 * positions in a fixed order (class name, method order in the class file, bytecode index), so the
 * same build always gives the same ids.
 */
public final class SiteCatalog {
    private static volatile SiteCatalog core;

    static final Map<Opcode, Opcode> SWAP = new EnumMap<>(Opcode.class);
    static final Map<Opcode, Opcode> NEGATE = new EnumMap<>(Opcode.class);

    static {
        pair(SWAP, Opcode.IADD, Opcode.ISUB, true);
        pair(SWAP, Opcode.LADD, Opcode.LSUB, true);
        pair(SWAP, Opcode.FADD, Opcode.FSUB, true);
        pair(SWAP, Opcode.DADD, Opcode.DSUB, true);
        pair(SWAP, Opcode.IMUL, Opcode.IDIV, true);
        pair(SWAP, Opcode.LMUL, Opcode.LDIV, true);
        pair(SWAP, Opcode.FMUL, Opcode.FDIV, true);
        pair(SWAP, Opcode.DMUL, Opcode.DDIV, true);
        pair(SWAP, Opcode.IREM, Opcode.IMUL, false);
        pair(SWAP, Opcode.LREM, Opcode.LMUL, false);
        pair(SWAP, Opcode.IAND, Opcode.IOR, true);
        pair(SWAP, Opcode.LAND, Opcode.LOR, true);
        pair(SWAP, Opcode.IXOR, Opcode.IAND, false);
        pair(SWAP, Opcode.LXOR, Opcode.LAND, false);
        pair(SWAP, Opcode.ISHL, Opcode.ISHR, true);
        pair(SWAP, Opcode.LSHL, Opcode.LSHR, true);
        pair(SWAP, Opcode.IUSHR, Opcode.ISHL, false);
        pair(SWAP, Opcode.LUSHR, Opcode.LSHL, false);
        pair(NEGATE, Opcode.IFEQ, Opcode.IFNE, true);
        pair(NEGATE, Opcode.IFLT, Opcode.IFGE, true);
        pair(NEGATE, Opcode.IFGT, Opcode.IFLE, true);
        pair(NEGATE, Opcode.IF_ICMPEQ, Opcode.IF_ICMPNE, true);
        pair(NEGATE, Opcode.IF_ICMPLT, Opcode.IF_ICMPGE, true);
        pair(NEGATE, Opcode.IF_ICMPGT, Opcode.IF_ICMPLE, true);
        pair(NEGATE, Opcode.IF_ACMPEQ, Opcode.IF_ACMPNE, true);
        pair(NEGATE, Opcode.IFNULL, Opcode.IFNONNULL, true);
    }

    private static void pair(Map<Opcode, Opcode> m, Opcode a, Opcode b, boolean both) {
        if (both) {
            m.put(b, a);
        }
        m.putIfAbsent(a, b);
    }

    private final List<Site> sites;
    private final Map<String, Site> byKey = new HashMap<>();
    private final List<String> methods;

    private SiteCatalog(List<Site> sites, List<String> methods) {
        this.sites = List.copyOf(sites);
        this.methods = List.copyOf(methods);
        for (Site s : sites) {
            byKey.put(s.key(), s);
        }
    }

    /** The catalog of the hypervisor core on the class path (built once). */
    public static SiteCatalog core() {
        SiteCatalog c = core;
        if (c == null) {
            synchronized (SiteCatalog.class) {
                c = core;
                if (c == null) {
                    List<String> names = HypervisorImage.coreClassNames();
                    List<byte[]> bytes = new ArrayList<>();
                    for (String n : names) {
                        bytes.add(HypervisorImage.originalBytes(n));
                    }
                    c = scan(names, bytes);
                    core = c;
                }
            }
        }
        return c;
    }

    /** Scans classes {@code names} with class files {@code bytes} (same order). */
    static SiteCatalog scan(List<String> names, List<byte[]> bytes) {
        List<Site> out = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        ClassFile cf = ClassFile.of();
        for (int i = 0; i < names.size(); i++) {
            String className = names.get(i);
            ClassModel cm = cf.parse(bytes.get(i));
            String simple = className.substring(className.lastIndexOf('.') + 1);
            Map<String, Integer> overloads = new HashMap<>();
            for (MethodModel m : cm.methods()) {
                overloads.merge(m.methodName().stringValue(), 1, Integer::sum);
            }
            for (MethodModel m : cm.methods()) {
                Optional<CodeModel> code = m.code();
                if (code.isEmpty()) {
                    continue;
                }
                String name = m.methodName().stringValue();
                String desc = m.methodType().stringValue();
                String prefix = simple + "." + name + (overloads.get(name) > 1 ? desc : "");
                boolean mutableMethod = !name.equals("<init>") && !name.equals("<clinit>");
                if (mutableMethod) {
                    methods.add(className + "#" + name);
                }
                int bci = 0;
                int line = -1;
                for (CodeElement e : code.get()) {
                    if (e instanceof LineNumber ln) {
                        line = ln.line();
                    } else if (e instanceof Instruction ins) {
                        Site s = classify(out.size(), className, name, desc, prefix + "@" + bci, bci, line, ins,
                                mutableMethod);
                        if (s != null) {
                            out.add(s);
                        }
                        bci += ins.sizeInBytes();
                    }
                }
            }
        }
        return new SiteCatalog(out, methods);
    }

    private static Site classify(int id, String cls, String method, String desc, String key, int bci, int line,
                                 Instruction ins, boolean mutableMethod) {
        char kind = '-';
        int bits = 0;
        Mutation mutation = Mutation.NONE;
        String callee = "";
        Opcode op = ins.opcode();
        switch (ins) {
            case LoadInstruction li -> {
                kind = kindOf(li.typeKind());
                bits = bitsOf(li.typeKind());
            }
            case ArrayLoadInstruction al -> {
                kind = kindOf(al.typeKind());
                bits = bitsOf(al.typeKind());
            }
            case OperatorInstruction oi -> {
                boolean compare = op == Opcode.LCMP || op == Opcode.FCMPL || op == Opcode.FCMPG
                        || op == Opcode.DCMPL || op == Opcode.DCMPG;
                TypeKind t = compare ? TypeKind.INT : oi.typeKind();
                kind = kindOf(t);
                bits = bitsOf(t);
                if (SWAP.containsKey(op)) {
                    mutation = Mutation.SWAP_OPERATOR;
                }
            }
            case ConvertInstruction ci -> {
                kind = kindOf(ci.toType());
                bits = bitsOf(ci.toType());
            }
            case FieldInstruction fi -> {
                if (op == Opcode.GETFIELD || op == Opcode.GETSTATIC) {
                    TypeKind t = TypeKind.from(fi.typeSymbol());
                    kind = kindOf(t);
                    bits = bitsOf(t);
                } else {
                    mutation = Mutation.REMOVE_STORE;
                }
            }
            case ArrayStoreInstruction as -> mutation = Mutation.REMOVE_STORE;
            case InvokeInstruction inv -> {
                TypeKind t = TypeKind.from(inv.typeSymbol().returnType());
                kind = kindOf(t);
                bits = bitsOf(t);
                String owner = inv.owner().asInternalName();
                callee = owner.substring(owner.lastIndexOf('/') + 1) + "." + inv.name().stringValue();
                if (!inv.name().equalsString("<init>")) {
                    mutation = Mutation.REMOVE_CALL;
                }
            }
            case BranchInstruction br -> {
                if (NEGATE.containsKey(op)) {
                    mutation = Mutation.NEGATE_BRANCH;
                }
            }
            case ConstantInstruction ci -> {
                Object v = ci.constantValue();
                if (v instanceof Integer || v instanceof Long) {
                    mutation = Mutation.CHANGE_CONSTANT;
                }
            }
            default -> {
            }
        }
        if (!mutableMethod) {
            mutation = Mutation.NONE;
        }
        if (kind == '-' && mutation == Mutation.NONE && callee.isEmpty()) {
            return null;
        }
        return new Site(id, cls, method, desc, key, bci, line, op.name().toLowerCase(java.util.Locale.ROOT), kind, bits,
                mutation, callee);
    }

    private static char kindOf(TypeKind t) {
        return switch (t) {
            case BOOLEAN, BYTE, CHAR, SHORT, INT -> 'I';
            case LONG -> 'J';
            case FLOAT -> 'F';
            case DOUBLE -> 'D';
            default -> '-';
        };
    }

    private static int bitsOf(TypeKind t) {
        return switch (t) {
            case BOOLEAN -> 1;
            case BYTE -> 8;
            case CHAR, SHORT -> 16;
            case INT, FLOAT -> 32;
            case LONG, DOUBLE -> 64;
            default -> 0;
        };
    }

    public List<Site> sites() {
        return sites;
    }

    public Site site(int id) {
        return sites.get(id);
    }

    /** The site named {@code key} ({@code Class.method@bci}), if any. */
    public Optional<Site> byKey(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public List<Site> valueSites() {
        return sites.stream().filter(Site::producesValue).toList();
    }

    public List<Site> mutableSites() {
        return sites.stream().filter(Site::mutable).toList();
    }

    /** Every method of the core with code (constructors and initialisers aside), as {@code binaryClass#method}. */
    public List<String> methods() {
        return Collections.unmodifiableList(methods);
    }

    /**
     * Where a probe point sits in the class as built: the first site of its method for an entry
     * point, the call for a call point; empty when the point names no such method or call.
     */
    public Optional<Site> locate(FaultPoint point) {
        int calls = 0;
        for (Site s : sites) {
            if (!s.className().equals(point.className()) || !s.methodName().equals(point.methodName())) {
                continue;
            }
            if (point.anchor() == FaultPoint.Anchor.ENTRY) {
                return Optional.of(s);
            }
            if (s.callee().equals(point.target()) && ++calls == point.occurrence()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
