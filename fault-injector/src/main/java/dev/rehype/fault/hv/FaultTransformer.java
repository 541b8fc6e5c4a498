package dev.rehype.fault.hv;

import dev.rehype.hypervisor.image.ClassTransformer;
import dev.rehype.hypervisor.image.HypervisorImage;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.ArrayStoreInstruction;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.OperatorInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites hypervisor classes as the image loads them (java.lang.classfile): after each chosen
 * value-producing instruction, a probe {@code FaultRuntime.valueX(value, site)} that returns the
 * value, or the value with one bit flipped when its countdown reaches zero (register faults);
 * around each chosen mutable instruction, a guard {@code FaultRuntime.mutant(site)} choosing
 * between the instruction and its mutant (code faults), so that a mutation takes effect from the
 * chosen execution on and stays in this image. Sites are matched by method and bytecode index of
 * the class as built; classes without chosen sites pass unchanged.
 */
public final class FaultTransformer implements ClassTransformer {
    private static final ClassDesc RUNTIME = ClassDesc.of(FaultRuntime.class.getName());
    private static final MethodTypeDesc MUTANT = MethodTypeDesc.of(ConstantDescs.CD_boolean, ConstantDescs.CD_int);
    private static final MethodTypeDesc COUNT = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_int);

    private final SiteCatalog catalog;
    private final BitSet valueSites;
    private final BitSet mutantSites;
    private final BitSet countSites;
    private final Set<String> classes = new HashSet<>();

    /** Probes after every site of {@code valueSites}, guards around every site of {@code mutantSites}. */
    public FaultTransformer(SiteCatalog catalog, BitSet valueSites, BitSet mutantSites) {
        this(catalog, valueSites, mutantSites, new BitSet());
    }

    /** As above, and a counter {@code FaultRuntime.count(site)} before every site of {@code countSites}. */
    public FaultTransformer(SiteCatalog catalog, BitSet valueSites, BitSet mutantSites, BitSet countSites) {
        this.catalog = catalog;
        this.valueSites = (BitSet) valueSites.clone();
        this.mutantSites = (BitSet) mutantSites.clone();
        this.countSites = (BitSet) countSites.clone();
        for (Site s : catalog.sites()) {
            if (valueSites.get(s.id()) && s.producesValue() || mutantSites.get(s.id()) && s.mutable()
                    || countSites.get(s.id())) {
                classes.add(s.className());
            }
        }
    }

    /** An image that counts the executions of every site (a profile of which code runs). */
    public static FaultTransformer countingEverySite(SiteCatalog catalog) {
        BitSet all = new BitSet();
        all.set(0, catalog.sites().size());
        return new FaultTransformer(catalog, new BitSet(), new BitSet(), all);
    }

    /** An image with a probe after every value-producing instruction of the core (the fully instrumented image). */
    public static FaultTransformer everyValue(SiteCatalog catalog) {
        BitSet all = new BitSet();
        for (Site s : catalog.valueSites()) {
            all.set(s.id());
        }
        return new FaultTransformer(catalog, all, new BitSet());
    }

    @Override
    public byte[] transform(String binaryName, byte[] bytes) {
        if (!classes.contains(binaryName)) {
            return bytes;
        }
        Map<String, Site> here = new HashMap<>();
        for (Site s : catalog.sites()) {
            if (s.className().equals(binaryName)) {
                here.put(s.methodName() + s.methodDescriptor() + "@" + s.bci(), s);
            }
        }
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                ClassHierarchyResolver.ofResourceParsing(HypervisorImage.class.getClassLoader())
                        .orElse(ClassHierarchyResolver.defaultResolver())));
        ClassModel model = cf.parse(bytes);
        return cf.transformClass(model, (cb, ce) -> {
            if (ce instanceof MethodModel mm && mm.code().isPresent()) {
                String method = mm.methodName().stringValue() + mm.methodType().stringValue();
                cb.transformMethod(mm, MethodTransform.transformingCode(new SiteRewriter(method, here)));
            } else {
                cb.with(ce);
            }
        });
    }

    /** Rewrites one method, counting bytecode indexes of the original instructions. */
    private final class SiteRewriter implements CodeTransform {
        private final String method;
        private final Map<String, Site> sites;
        private int bci;

        SiteRewriter(String method, Map<String, Site> sites) {
            this.method = method;
            this.sites = sites;
        }

        @Override
        public void accept(CodeBuilder b, CodeElement e) {
            if (!(e instanceof Instruction ins)) {
                b.with(e);
                return;
            }
            Site s = sites.get(method + "@" + bci);
            bci += ins.sizeInBytes();
            boolean mutate = s != null && s.mutable() && mutantSites.get(s.id());
            boolean probe = s != null && s.producesValue() && valueSites.get(s.id());
            if (s != null && countSites.get(s.id())) {
                b.loadConstant(s.id());
                b.invokestatic(RUNTIME, "count", COUNT);
            }
            if (mutate) {
                Label original = b.newLabel();
                Label end = b.newLabel();
                b.loadConstant(s.id());
                b.invokestatic(RUNTIME, "mutant", MUTANT);
                b.branch(Opcode.IFEQ, original);
                emitMutant(b, ins, s);
                b.goto_(end);
                b.labelBinding(original);
                b.with(ins);
                b.labelBinding(end);
            } else {
                b.with(ins);
            }
            if (probe) {
                emitProbe(b, s);
            }
        }
    }

    private static void emitProbe(CodeBuilder b, Site s) {
        ClassDesc t = switch (s.valueKind()) {
            case 'J' -> ConstantDescs.CD_long;
            case 'F' -> ConstantDescs.CD_float;
            case 'D' -> ConstantDescs.CD_double;
            default -> ConstantDescs.CD_int;
        };
        b.loadConstant(s.id());
        b.invokestatic(RUNTIME, "value" + (s.valueKind() == 'I' ? 'I' : s.valueKind()),
                MethodTypeDesc.of(t, t, ConstantDescs.CD_int));
    }

    /** The mutant of {@code ins}: same operands consumed, same kind of result produced. */
    static void emitMutant(CodeBuilder b, Instruction ins, Site s) {
        switch (ins) {
            case OperatorInstruction oi -> b.with(OperatorInstruction.of(SiteCatalog.SWAP.get(oi.opcode())));
            case BranchInstruction br -> b.branch(SiteCatalog.NEGATE.get(br.opcode()), br.target());
            case ConstantInstruction ci -> {
                if (ci.constantValue() instanceof Long l) {
                    b.loadConstant(l ^ 1L);
                } else {
                    b.loadConstant(((Integer) ci.constantValue()) ^ 1);
                }
            }
            case FieldInstruction fi -> {
                pop(b, TypeKind.from(fi.typeSymbol()));
                if (fi.opcode() == Opcode.PUTFIELD) {
                    b.pop();
                }
            }
            case ArrayStoreInstruction as -> {
                pop(b, as.typeKind());
                b.pop();
                b.pop();
            }
            case InvokeInstruction inv -> {
                var type = inv.typeSymbol();
                for (int i = type.parameterCount() - 1; i >= 0; i--) {
                    pop(b, TypeKind.from(type.parameterType(i)));
                }
                if (inv.opcode() != Opcode.INVOKESTATIC) {
                    b.pop();
                }
                switch (TypeKind.from(type.returnType())) {
                    case VOID -> {
                    }
                    case LONG -> b.lconst_0();
                    case FLOAT -> b.fconst_0();
                    case DOUBLE -> b.dconst_0();
                    case REFERENCE -> b.aconst_null();
                    default -> b.iconst_0();
                }
            }
            default -> throw new IllegalStateException("site " + s.key() + " (" + s.opcode() + ") cannot be mutated");
        }
    }

    private static void pop(CodeBuilder b, TypeKind t) {
        if (t.slotSize() == 2) {
            b.pop2();
        } else {
            b.pop();
        }
    }
}
