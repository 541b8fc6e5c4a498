package dev.rehype.hypervisor.probe;

import dev.rehype.hypervisor.image.ClassTransformer;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.List;

/**
 * Inserts {@code Probes.hit(id)} calls at fault points as the hypervisor image loads its classes,
 * with the JDK's class-file API: at a method's entry, or around the n-th call to a named method.
 * A point whose method or call does not exist is reported when the image is built, never silently
 * skipped.
 */
public final class PointTransformer implements ClassTransformer {
    private static final ClassDesc PROBES = ClassDesc.of(Probes.class.getName());
    private static final MethodTypeDesc HIT = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_int);

    private final List<FaultPoint> points;
    private final boolean[] placed;

    public PointTransformer(List<FaultPoint> points) {
        this.points = List.copyOf(points);
        this.placed = new boolean[points.size()];
    }

    public List<FaultPoint> points() {
        return points;
    }

    /** Points not placed yet (their class not loaded, or the method or call missing). */
    public List<FaultPoint> unplaced() {
        java.util.ArrayList<FaultPoint> out = new java.util.ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (!placed[i]) {
                out.add(points.get(i));
            }
        }
        return out;
    }

    @Override
    public byte[] transform(String binaryName, byte[] bytes) {
        byte[] out = bytes;
        for (int i = 0; i < points.size(); i++) {
            FaultPoint p = points.get(i);
            if (p.className().equals(binaryName)) {
                out = place(out, p, i);
            }
        }
        return out;
    }

    private byte[] place(byte[] bytes, FaultPoint p, int id) {
        ClassFile cf = ClassFile.of();
        ClassModel model = cf.parse(bytes);
        boolean[] done = {false};
        CodeTransform probe = CodeTransform.ofStateful(() -> new CodeTransform() {
            private int calls;

            @Override
            public void atStart(CodeBuilder b) {
                if (p.anchor() == FaultPoint.Anchor.ENTRY) {
                    emit(b);
                }
            }

            @Override
            public void accept(CodeBuilder b, CodeElement e) {
                boolean match = p.anchor() != FaultPoint.Anchor.ENTRY && e instanceof InvokeInstruction inv
                        && matches(inv) && ++calls == p.occurrence();
                if (match && p.anchor() == FaultPoint.Anchor.BEFORE_CALL) {
                    emit(b);
                }
                b.with(e);
                if (match && p.anchor() == FaultPoint.Anchor.AFTER_CALL) {
                    emit(b);
                }
            }

            private boolean matches(InvokeInstruction inv) {
                String owner = inv.owner().asInternalName();
                String simple = owner.substring(owner.lastIndexOf('/') + 1);
                return (simple + "." + inv.name().stringValue()).equals(p.target());
            }

            private void emit(CodeBuilder b) {
                b.loadConstant(id);
                b.invokestatic(PROBES, "hit", HIT);
                done[0] = true;
            }
        });
        byte[] out = cf.transformClass(model, ClassTransform.transformingMethodBodies(
                m -> m.methodName().equalsString(p.methodName()), probe));
        if (!done[0]) {
            throw new IllegalArgumentException("fault point " + p + ": no such method or call in " + p.className());
        }
        placed[id] = true;
        return out;
    }
}
