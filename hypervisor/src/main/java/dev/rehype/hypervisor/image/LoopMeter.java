package dev.rehype.hypervisor.image;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.HashSet;
import java.util.Set;

/**
 * Counts the loops of every hypervisor image (pristine, probed or faulted alike): as a core class
 * is defined, a call to {@link Watchdog#loop} goes before each branch or switch that can jump
 * backward in the method's code — every loop of Java code, whatever the compiler made of it, runs
 * one of them per iteration. It runs after any other transformer, so the loops a mutant makes are
 * counted too. The call takes nothing from the operand stack and leaves nothing on it, so a
 * conditional branch keeps its operands; the meter adds no virtual time (see {@link Watchdog}).
 */
public final class LoopMeter {
    private static final ClassDesc WATCHDOG = ClassDesc.of(Watchdog.class.getName());
    private static final MethodTypeDesc LOOP = MethodTypeDesc.of(ConstantDescs.CD_void);

    private LoopMeter() {
    }

    /** {@code bytes} with every backward branch of every method counted. */
    public static byte[] meter(byte[] bytes) {
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                ClassHierarchyResolver.ofResourceParsing(LoopMeter.class.getClassLoader())
                        .orElse(ClassHierarchyResolver.defaultResolver())));
        ClassModel model = cf.parse(bytes);
        return cf.transformClass(model, ClassTransform.transformingMethodBodies(
                CodeTransform.ofStateful(BackwardBranches::new)));
    }

    /** One method body: labels are bound in code order, so a target already seen is behind the branch. */
    private static final class BackwardBranches implements CodeTransform {
        private final Set<Label> bound = new HashSet<>();

        @Override
        public void accept(CodeBuilder b, CodeElement e) {
            boolean backward = switch (e) {
                case LabelTarget t -> {
                    bound.add(t.label());
                    yield false;
                }
                case BranchInstruction br -> bound.contains(br.target());
                case TableSwitchInstruction sw -> bound.contains(sw.defaultTarget()) || anyBound(sw.cases());
                case LookupSwitchInstruction sw -> bound.contains(sw.defaultTarget()) || anyBound(sw.cases());
                default -> false;
            };
            if (backward) {
                b.invokestatic(WATCHDOG, "loop", LOOP);
            }
            b.with(e);
        }

        private boolean anyBound(java.util.List<SwitchCase> cases) {
            for (SwitchCase c : cases) {
                if (bound.contains(c.target())) {
                    return true;
                }
            }
            return false;
        }
    }
}
