package org.softmax4j.spark;

import static org.apache.xbean.asm9.Opcodes.ACC_FINAL;
import static org.apache.xbean.asm9.Opcodes.ACC_PRIVATE;
import static org.apache.xbean.asm9.Opcodes.ACC_PUBLIC;
import static org.apache.xbean.asm9.Opcodes.ACC_SUPER;
import static org.apache.xbean.asm9.Opcodes.ACONST_NULL;
import static org.apache.xbean.asm9.Opcodes.ALOAD;
import static org.apache.xbean.asm9.Opcodes.ARETURN;
import static org.apache.xbean.asm9.Opcodes.CHECKCAST;
import static org.apache.xbean.asm9.Opcodes.GETFIELD;
import static org.apache.xbean.asm9.Opcodes.INVOKEINTERFACE;
import static org.apache.xbean.asm9.Opcodes.INVOKESPECIAL;
import static org.apache.xbean.asm9.Opcodes.PUTFIELD;
import static org.apache.xbean.asm9.Opcodes.RETURN;
import static org.apache.xbean.asm9.Opcodes.V1_8;

import java.lang.invoke.MethodHandles;
import java.util.function.Function;

import breeze.linalg.DenseVector;
import breeze.optimize.DiffFunction;
import org.apache.xbean.asm9.ClassWriter;
import org.apache.xbean.asm9.MethodVisitor;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * Breeze's {@link DiffFunction} over a Java function. Java source cannot implement that Scala trait: its
 * {@code apply} returns {@code double} where {@code scala.Function1}'s returns {@code Object} (Scala adds a bridge
 * method that javac and Janino both reject), and Breeze's generic signatures do not match the erased ones. So the
 * one class that does is written here as bytecode, with the ASM that Spark ships (and uses for its closure
 * cleaner): a final subclass of Breeze's {@code CachedDiffFunction} whose {@code calculate} calls the Java function.
 * <pre>
 * public final class JavaDiffFunction extends breeze.optimize.CachedDiffFunction {
 *     private final java.util.function.Function target;
 *     public JavaDiffFunction(Function target, CanCopy copy) { super(null, copy); this.target = target; }
 *     public scala.Tuple2 calculate(Object x) { return (scala.Tuple2) target.apply(x); }
 * }
 * </pre>
 */
final class BreezeFunctions {

    private static final String NAME = "org/softmax4j/spark/JavaDiffFunction";
    private static final String SUPER = "breeze/optimize/CachedDiffFunction";
    private static final String FUNCTION = "java/util/function/Function";

    private BreezeFunctions() {
    }

    /** Initialization-on-demand holder: defined once per class loader, on first use. */
    private static final class Holder {
        static final Class<?> TYPE = define();
    }

    private static Class<?> define() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, NAME, null, SUPER, null);
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "target", "L" + FUNCTION + ";", null, null).visitEnd();

        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>",
                "(L" + FUNCTION + ";Lbreeze/linalg/support/CanCopy;)V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitInsn(ACONST_NULL);
        init.visitVarInsn(ALOAD, 2);
        init.visitMethodInsn(INVOKESPECIAL, SUPER, "<init>",
                "(Lbreeze/optimize/DiffFunction;Lbreeze/linalg/support/CanCopy;)V", false);
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(ALOAD, 1);
        init.visitFieldInsn(PUTFIELD, NAME, "target", "L" + FUNCTION + ";");
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor calculate = cw.visitMethod(ACC_PUBLIC, "calculate", "(Ljava/lang/Object;)Lscala/Tuple2;",
                null, null);
        calculate.visitCode();
        calculate.visitVarInsn(ALOAD, 0);
        calculate.visitFieldInsn(GETFIELD, NAME, "target", "L" + FUNCTION + ";");
        calculate.visitVarInsn(ALOAD, 1);
        calculate.visitMethodInsn(INVOKEINTERFACE, FUNCTION, "apply", "(Ljava/lang/Object;)Ljava/lang/Object;", true);
        calculate.visitTypeInsn(CHECKCAST, "scala/Tuple2");
        calculate.visitInsn(ARETURN);
        calculate.visitMaxs(0, 0);
        calculate.visitEnd();
        cw.visitEnd();
        try {
            return MethodHandles.lookup().defineClass(cw.toByteArray());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot define the bridge to Breeze's DiffFunction", e);
        }
    }

    /** @return {@code f} as Breeze's differentiable function over dense double vectors */
    @SuppressWarnings("unchecked") // the defined class is a DiffFunction<DenseVector<Double>> by construction
    static DiffFunction<DenseVector<Object>> of(Function<DenseVector<Object>, Tuple2<Object, DenseVector<Object>>> f) {
        try {
            return (DiffFunction<DenseVector<Object>>) Holder.TYPE
                    .getConstructor(Function.class, breeze.linalg.support.CanCopy.class)
                    .newInstance(f, DenseVector.canCopyDenseVector(ClassTag$.MODULE$.Double()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the bridge to Breeze's DiffFunction", e);
        }
    }
}
