package org.softmax4j.ejml;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.softmax4j.kernels.MatrixProducts;
import org.softmax4j.kernels.RowSoftmax;
import org.softmax4j.kernels.SoftmaxGradients;

/**
 * The JMH microbenchmark behind this backend's kernel choices: EJML's kernel against the shared scalar kernel for
 * the same result, one EJML call per benchmark on operands at offset 0 (no copies). Not a test; run by hand:
 * <pre>
 * ./mvnw -B -q -o -pl backend-ejml -am test-compile
 * java -cp "backend-ejml/target/test-classes:backend-ejml/target/classes:kernels/target/classes:api/target/classes:\
 * $(ls ~/.m2/repository/org/ejml/ejml-{core,ddense,fdense}/0.46.1/*.jar | tr '\n' :)\
 * $(ls ~/.m2/repository/org/openjdk/jmh/jmh-core/1.37/*.jar ~/.m2/repository/net/sf/jopt-simple/jopt-simple/5.0.4/*.jar \
 *   ~/.m2/repository/org/apache/commons/commons-math3/3.6.1/*.jar | tr '\n' :)" \
 *   org.openjdk.jmh.Main EjmlKernelChoice
 * </pre>
 * The inputs are seeded Gaussians built once per trial; every benchmark returns its output so no work is dead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class EjmlKernelChoice {

    /** {@code C = A B} ({@code m x k} times {@code k x n}) and {@code C = A^T B} ({@code A} stored {@code k x m}). */
    @State(Scope.Thread)
    public static class Products {
        /** {@code m x k x n}: the softmax-regression logits and gradient (n = 10), EJML's switch (16), cubes. */
        @Param({"100x784x10", "784x100x10", "100x784x16", "64x64x64", "128x128x128"})
        public String shape;
        int m;
        int k;
        int n;
        DMatrixRMaj a64;
        DMatrixRMaj at64;
        DMatrixRMaj b64;
        DMatrixRMaj c64;
        FMatrixRMaj a32;
        FMatrixRMaj at32;
        FMatrixRMaj b32;
        FMatrixRMaj c32;

        @Setup
        public void setUp() {
            String[] s = shape.split("x");
            m = Integer.parseInt(s[0]);
            k = Integer.parseInt(s[1]);
            n = Integer.parseInt(s[2]);
            Random rnd = new Random(42);
            a64 = gaussian(rnd, m, k);
            at64 = gaussian(rnd, k, m);
            b64 = gaussian(rnd, k, n);
            c64 = new DMatrixRMaj(m, n);
            a32 = toFloat(a64);
            at32 = toFloat(at64);
            b32 = toFloat(b64);
            c32 = new FMatrixRMaj(m, n);
        }
    }

    /** Softmax rows and the Jacobian of one row. */
    @State(Scope.Thread)
    public static class Rows {
        @Param({"100x10", "256x1000"})
        public String shape;
        int rows;
        int cols;
        DMatrixRMaj x;
        DMatrixRMaj y;
        DMatrixRMaj max;
        DMatrixRMaj sums;
        DMatrixRMaj column;
        DMatrixRMaj rowVector;
        DMatrixRMaj jacobian;

        @Setup
        public void setUp() {
            String[] s = shape.split("x");
            rows = Integer.parseInt(s[0]);
            cols = Integer.parseInt(s[1]);
            x = gaussian(new Random(7), rows, cols);
            CommonOps_DDRM.scale(3, x);
            y = new DMatrixRMaj(rows, cols);
            max = new DMatrixRMaj(rows, 1);
            sums = new DMatrixRMaj(rows, 1);
            RowSoftmax.softmax(1, cols, x.data, 0, y.data, 0);
            column = new DMatrixRMaj(cols, 1);
            System.arraycopy(y.data, 0, column.data, 0, cols);
            rowVector = DMatrixRMaj.wrap(1, cols, column.data);
            jacobian = new DMatrixRMaj(cols, cols);
        }
    }

    static DMatrixRMaj gaussian(Random rnd, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rnd.nextGaussian();
        }
        return m;
    }

    static FMatrixRMaj toFloat(DMatrixRMaj d) {
        FMatrixRMaj f = new FMatrixRMaj(d.numRows, d.numCols);
        for (int i = 0; i < f.data.length; i++) {
            f.data[i] = (float) d.data[i];
        }
        return f;
    }

    // ---------------------------------------------------------------------------------------------- products

    @Benchmark
    public DMatrixRMaj multEjmlF64(Products p) {
        CommonOps_DDRM.mult(p.a64, p.b64, p.c64);
        return p.c64;
    }

    @Benchmark
    public DMatrixRMaj multSharedF64(Products p) {
        MatrixProducts.matmul(p.m, p.k, p.n, 1.0, p.a64.data, 0, p.b64.data, 0, 0.0, p.c64.data, 0);
        return p.c64;
    }

    @Benchmark
    public DMatrixRMaj multConcurrentEjmlF64(Products p) {
        CommonOps_MT_DDRM.mult(p.a64, p.b64, p.c64);
        return p.c64;
    }

    @Benchmark
    public DMatrixRMaj multTransAEjmlF64(Products p) {
        CommonOps_DDRM.multTransA(p.at64, p.b64, p.c64);
        return p.c64;
    }

    @Benchmark
    public DMatrixRMaj multTransASharedF64(Products p) {
        MatrixProducts.matmulTransA(p.m, p.k, p.n, 1.0, p.at64.data, 0, p.b64.data, 0, 0.0, p.c64.data, 0);
        return p.c64;
    }

    @Benchmark
    public FMatrixRMaj multEjmlF32(Products p) {
        CommonOps_FDRM.mult(p.a32, p.b32, p.c32);
        return p.c32;
    }

    @Benchmark
    public FMatrixRMaj multSharedF32(Products p) {
        MatrixProducts.matmul(p.m, p.k, p.n, 1f, p.a32.data, 0, p.b32.data, 0, 0f, p.c32.data, 0);
        return p.c32;
    }

    @Benchmark
    public FMatrixRMaj multTransAEjmlF32(Products p) {
        CommonOps_FDRM.multTransA(p.at32, p.b32, p.c32);
        return p.c32;
    }

    @Benchmark
    public FMatrixRMaj multTransASharedF32(Products p) {
        MatrixProducts.matmulTransA(p.m, p.k, p.n, 1f, p.at32.data, 0, p.b32.data, 0, 0f, p.c32.data, 0);
        return p.c32;
    }

    // ------------------------------------------------------------------------------------------ rows, jacobian

    /** Softmax from EJML ops: {@code maxRows}, an own shift loop (EJML has no broadcast subtract), exp, sum, divide. */
    @Benchmark
    public DMatrixRMaj softmaxEjmlOpsF64(Rows r) {
        CommonOps_DDRM.maxRows(r.x, r.max);
        double[] x = r.x.data;
        double[] y = r.y.data;
        for (int i = 0; i < r.rows; i++) {
            double m = r.max.data[i];
            for (int c = i * r.cols; c < (i + 1) * r.cols; c++) {
                y[c] = x[c] - m;
            }
        }
        CommonOps_DDRM.elementExp(r.y, r.y);
        CommonOps_DDRM.sumRows(r.y, r.sums);
        CommonOps_DDRM.divideRows(r.sums.data, r.y);
        return r.y;
    }

    @Benchmark
    public DMatrixRMaj softmaxSharedF64(Rows r) {
        RowSoftmax.softmax(r.rows, r.cols, r.x.data, 0, r.y.data, 0);
        return r.y;
    }

    /** The Jacobian of the first row: EJML's outer product {@code -y y^T}, the diagonal then {@code y (1 - y)}. */
    @Benchmark
    public DMatrixRMaj jacobianEjmlF64(Rows r) {
        CommonOps_DDRM.mult(-1, r.column, r.rowVector, r.jacobian);
        double[] d = r.jacobian.data;
        for (int i = 0; i < r.cols; i++) {
            double yi = r.column.data[i];
            d[i * (r.cols + 1)] = yi * (1 - yi);
        }
        return r.jacobian;
    }

    @Benchmark
    public DMatrixRMaj jacobianSharedF64(Rows r) {
        SoftmaxGradients.jacobian(r.cols, r.column.data, 0, r.jacobian.data, 0);
        return r.jacobian;
    }
}
