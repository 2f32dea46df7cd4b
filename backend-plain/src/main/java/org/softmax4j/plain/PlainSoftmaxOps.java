package org.softmax4j.plain;

import java.util.Optional;
import java.util.concurrent.Executor;
import org.softmax4j.AbstractSoftmaxOps;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.kernels.ScalarSoftmaxOps;

/**
 * The reference backend: the whole {@link org.softmax4j.SoftmaxOps} contract in plain Java, float64 and float32, no
 * dependencies, no allocation per call. Validation and degenerate shapes are handled by {@link AbstractSoftmaxOps};
 * the exact scalar kernels are the shared ones of {@code softmax4j-kernels} ({@link ScalarSoftmaxOps}, the same code
 * the ejml backend runs); this class adds the float32 SIMD kernels and the row threading on top.
 *
 * <p>SIMD: when the JVM runs with {@code --add-modules jdk.incubator.vector}, the float32 softmax (with or without a
 * temperature), log-softmax, logsumexp (each masked or not), both backward ops, the Jacobian, the fused sparse and
 * dense-label cross-entropies (masked or not), the cross-entropy from probabilities, argmax, top-k and the three
 * matrix products use the Java Vector API
 * ({@code VectorFloatKernels}, {@code VectorFloatProducts}; the module README lists what stays scalar), and so do the
 * float64 softmax, log-softmax, logsumexp (each masked or not), both backward ops and both fused cross-entropies with
 * logits (masked or not) ({@code VectorDoubleKernels}, exact: its exp is within an ulp); without the flag the scalar
 * kernels run and nothing of the Vector API is loaded. {@link #description()} says which.
 *
 * <p>Threads: the float32 row maps (softmax with or without a temperature, log-softmax and logsumexp, each masked
 * or not, both backward ops), the float64 row ops of {@link DoubleRows}, the float32 cross-entropies (sparse and
 * dense, masked or not, and from probabilities) and the float32 top-k of calls of at
 * least {@link #PARALLEL_THRESHOLD} elements split their rows over {@code parallelism}
 * threads (the caller and helpers); each row is computed whole by one thread,
 * so results are the same bits for any thread count. The {@link java.util.ServiceLoader} instance takes its
 * parallelism from the system property {@value #PARALLELISM_PROPERTY} (default: the available processors).
 *
 * <p>Accuracy: every row is shifted by its first maximum and {@code 1 - p_max} is kept as the sum of the other
 * terms; float64 corrects the rounding of {@code x - max} (and of the division by a temperature) and sums with
 * compensation; float32 computes in float64 and rounds when storing (scalar), or in float lanes with the shift's
 * rounding corrected and compensated sums (SIMD). Thread-safe.
 */
public final class PlainSoftmaxOps extends ScalarSoftmaxOps {

    /** System property: threads per call of the {@link java.util.ServiceLoader} instance ({@code >= 1}). */
    public static final String PARALLELISM_PROPERTY = "softmax4j.plain.parallelism";
    /** System property: the element count from which calls use several threads (for measurements). */
    public static final String THRESHOLD_PROPERTY = "softmax4j.plain.parallelThreshold";
    /** System property: {@code true} turns the SIMD kernels off even where the Vector API is present. */
    public static final String SCALAR_PROPERTY = "softmax4j.plain.scalar";
    /**
     * Calls with at least this many elements ({@code rows * cols}) run on several threads: below it, waking a
     * helper costs more than it saves on a busy machine (measured: see this module's README).
     */
    public static final int PARALLEL_THRESHOLD = 1 << 16;

    private static final FloatKernels FLOAT_KERNELS = detectFloatKernels();
    private static final DoubleKernels DOUBLE_KERNELS = detect("org.softmax4j.plain.VectorDoubleKernels",
            DoubleKernels.SCALAR, DoubleKernels::useful);

    private final FloatKernels f32;
    private final DoubleRows f64;
    private final RowTeam team;
    private final long threshold;
    private final RowMapF32Job rowMapF32 = new RowMapF32Job();
    private final CrossEntropyF32Job crossEntropyF32 = new CrossEntropyF32Job();
    private final ProbabilitiesF32Job probabilitiesF32 = new ProbabilitiesF32Job();
    private final TopKF32Job topKF32 = new TopKF32Job();
    private final JacobianF32Job jacobianF32 = new JacobianF32Job();
    private final LabelsKeptJob labelsKept = new LabelsKeptJob(FLOAT_KERNELS, DOUBLE_KERNELS);

    /**
     * For {@link java.util.ServiceLoader}: parallelism from {@value #PARALLELISM_PROPERTY} (a missing or invalid
     * value means the available processors); cheap, never throws, starts no thread.
     */
    public PlainSoftmaxOps() {
        this(defaultParallelism(), null);
    }

    /**
     * @param parallelism threads per large call ({@code >= 1}; 1 = always single-threaded); helpers are daemon
     *                    threads started on the first large call
     */
    public PlainSoftmaxOps(int parallelism) {
        this(parallelism, null);
    }

    /**
     * @param parallelism threads per large call ({@code >= 1}), the caller included
     * @param executor    runs up to {@code parallelism - 1} helper tasks of a large call; null for the backend's own
     *                    daemon threads. Any executor works: the caller claims the rows no started helper has taken
     *                    (so a busy executor, or a call from inside it, never makes it wait), and one that rejects
     *                    or is shut down leaves the call to the caller alone (same result, one logged warning)
     */
    public PlainSoftmaxOps(int parallelism, Executor executor) {
        this(parallelism, executor, Long.getLong(THRESHOLD_PROPERTY, PARALLEL_THRESHOLD));
    }

    /** With the element count from which calls use several threads (tests, measurements). */
    PlainSoftmaxOps(int parallelism, Executor executor, long threshold) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism: expected >= 1, actual " + parallelism);
        }
        this.f32 = FLOAT_KERNELS;
        this.team = parallelism > 1 ? new RowTeam(parallelism, executor) : null;
        this.threshold = Math.max(1, threshold);
        this.f64 = new DoubleRows(DOUBLE_KERNELS, team, this::acquireTeam);
    }

    private static int defaultParallelism() {
        int processors = Runtime.getRuntime().availableProcessors();
        try {
            int p = Integer.parseInt(System.getProperty(PARALLELISM_PROPERTY, Integer.toString(processors)).trim());
            return p >= 1 ? p : processors;
        } catch (NumberFormatException | SecurityException e) {
            return processors;
        }
    }

    /**
     * The one notice the backend logs (once, when this class is initialised, through {@link System.Logger} at INFO):
     * float32 runs scalar because the Vector API module is absent, and how to enable it.
     *
     * @return the notice, or null when SIMD runs or scalar was chosen with {@value #SCALAR_PROPERTY}
     */
    static String scalarNotice(boolean scalarChosen, boolean vectorModuleInBootLayer) {
        if (scalarChosen || vectorModuleInBootLayer) {
            return null;
        }
        return "softmax4j plain: float32 kernels run scalar because the module jdk.incubator.vector is not in the boot "
                + "layer; start the JVM with --add-modules jdk.incubator.vector for the SIMD kernels (3x to 35x faster "
                + "on float32), or set -D" + SCALAR_PROPERTY + "=true to choose scalar kernels without this notice";
    }

    /** The SIMD kernels if the Vector API module is in the boot layer (and not turned off), else the scalar. */
    private static FloatKernels detectFloatKernels() {
        String notice = scalarNotice(Boolean.getBoolean(SCALAR_PROPERTY),
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        if (notice != null) {
            System.getLogger(PlainSoftmaxOps.class.getName()).log(System.Logger.Level.INFO, notice);
        }
        return detect("org.softmax4j.plain.VectorFloatKernels", FloatKernels.SCALAR, FloatKernels::useful);
    }

    /**
     * An instance of the SIMD kernel class {@code className} (named by string so that this class links without the
     * module) if the Vector API module is in the boot layer, SIMD is not turned off and the kernels are useful here;
     * else {@code scalar}.
     */
    private static <K> K detect(String className, K scalar, java.util.function.Predicate<K> useful) {
        try {
            Optional<Module> vectorApi = ModuleLayer.boot().findModule("jdk.incubator.vector");
            if (Boolean.getBoolean(SCALAR_PROPERTY) || vectorApi.isEmpty()) {
                return scalar;
            }
            // on the module path this module does not read the Vector API until told to (module-info says why);
            // on the class path this is a no-op
            PlainSoftmaxOps.class.getModule().addReads(vectorApi.get());
            @SuppressWarnings("unchecked")
            K kernels = (K) Class.forName(className).getDeclaredConstructor().newInstance();
            return useful.test(kernels) ? kernels : scalar;
        } catch (ReflectiveOperationException | LinkageError | SecurityException | ClassCastException e) {
            return scalar;
        }
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public String description() {
        String threads = team == null ? "single-threaded"
                : "rows over " + team.parallelism() + " threads from " + threshold + " elements";
        return "pure Java; float32: " + f32.describe() + "; float64: " + f64.describe() + "; " + threads;
    }

    /** @return true if float32 kernels run on the Vector API in this JVM */
    public boolean usesSimd() {
        return f32 != FloatKernels.SCALAR;
    }

    /** @return true if this call is large enough for the team and the team is free (then it must be released) */
    private boolean acquireTeam(int rows, int cols) {
        return team != null && rows >= 2 && (long) rows * cols >= threshold && team.tryAcquire();
    }

    // ------------------------------------------------------------------------------------------------ float64

    // every float64 row op below: DoubleRows (SIMD or scalar kernels, rows on the team)

    @Override
    protected void softmaxKernel(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        f64.softmax(rows, cols, x, xOffset, y, yOffset);
    }

    @Override
    protected void logSoftmaxKernel(int rows, int cols, double[] x, int xOffset, double[] y, int yOffset) {
        f64.logSoftmax(rows, cols, x, xOffset, y, yOffset);
    }

    @Override
    protected void logSumExpKernel(int rows, int cols, double[] x, int xOffset, double[] out, int outOffset) {
        f64.logSumExp(rows, cols, x, xOffset, out, outOffset);
    }

    @Override
    protected void maskedSoftmaxKernel(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                       double[] y, int yOffset) {
        f64.maskedSoftmax(rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    @Override
    protected void maskedLogSoftmaxKernel(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                          double[] y, int yOffset) {
        f64.maskedLogSoftmax(rows, cols, x, xOffset, mask, maskOffset, y, yOffset);
    }

    @Override
    protected void maskedLogSumExpKernel(int rows, int cols, double[] x, int xOffset, boolean[] mask, int maskOffset,
                                         double[] out, int outOffset) {
        f64.maskedLogSumExp(rows, cols, x, xOffset, mask, maskOffset, out, outOffset);
    }

    @Override
    protected void softmaxBackwardKernel(int rows, int cols, double[] y, int yOffset, double[] dy, int dyOffset,
                                         double[] dx, int dxOffset) {
        f64.softmaxBackward(rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
    }

    @Override
    protected void logSoftmaxBackwardKernel(int rows, int cols, double[] logp, int logpOffset, double[] dlogp,
                                            int dlogpOffset, double[] dx, int dxOffset) {
        f64.logSoftmaxBackward(rows, cols, logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset);
    }

    @Override
    protected double softmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset,
                                               double[] labels, int labelsOffset, CrossEntropyOptions options,
                                               double gradientScale, double[] loss, int lossOffset,
                                               double[] gradient, int gradientOffset) {
        return f64.dense(rows, cols, logits, logitsOffset, labels, labelsOffset, options, gradientScale, loss,
                lossOffset, gradient, gradientOffset);
    }

    @Override
    protected double sparseSoftmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset,
                                                     int[] classes, int classesOffset, CrossEntropyOptions options,
                                                     double gradientScale, double[] loss, int lossOffset,
                                                     double[] gradient, int gradientOffset) {
        return f64.sparse(rows, cols, logits, logitsOffset, classes, classesOffset, options, gradientScale, loss,
                lossOffset, gradient, gradientOffset);
    }

    @Override
    protected void checkLabelsKept(int rows, int cols, double[] labels, int labelsOffset, boolean[] mask,
                                   int maskOffset) {
        if (!labelsKeptOnTeam(rows, cols, null, labels, labelsOffset, mask, maskOffset)) {
            f64.checkLabelsKept(rows, cols, labels, labelsOffset, mask, maskOffset);
        }
    }

    /**
     * {@link LabelsKeptJob} on the team when the call is large enough and the team is free.
     *
     * @return true if the labels passed there; false if the caller must check them (on its thread, naming the first
     *         offending label)
     */
    private boolean labelsKeptOnTeam(int rows, int cols, float[] floats, double[] doubles, int labelsOffset,
                                     boolean[] mask, int maskOffset) {
        if (!acquireTeam(rows, cols)) {
            return false;
        }
        try {
            return labelsKept.scan(team, rows, cols, floats, doubles, labelsOffset, mask, maskOffset);
        } finally {
            team.release();
        }
    }

    @Override
    protected double maskedSoftmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset,
                                                     boolean[] mask, int maskOffset, double[] labels, int labelsOffset,
                                                     CrossEntropyOptions options, double gradientScale, double[] loss,
                                                     int lossOffset, double[] gradient, int gradientOffset) {
        return f64.maskedDense(rows, cols, logits, logitsOffset, mask, maskOffset, labels, labelsOffset, options,
                gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    @Override
    protected double maskedSparseSoftmaxCrossEntropyKernel(int rows, int cols, double[] logits, int logitsOffset,
                                                           boolean[] mask, int maskOffset, int[] classes,
                                                           int classesOffset, CrossEntropyOptions options,
                                                           double gradientScale, double[] loss, int lossOffset,
                                                           double[] gradient, int gradientOffset) {
        return f64.maskedSparse(rows, cols, logits, logitsOffset, mask, maskOffset, classes, classesOffset, options,
                gradientScale, loss, lossOffset, gradient, gradientOffset);
    }

    // ------------------------------------------------------------------------------------------------ float32

    @Override
    protected void softmaxKernel(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        rowMapF32(RowMap.SOFTMAX, rows, cols, x, xOffset, null, 0, y, yOffset);
    }

    /** Runs a float32 row map on the team if the call is large enough and the team is free, else on this thread. */
    private void rowMapF32(RowMap map, int rows, int cols, float[] a, int aOffset, float[] b, int bOffset,
                           float[] out, int outOffset) {
        rowMapF32(map, rows, cols, a, aOffset, b, bOffset, null, 0, 1f, out, outOffset);
    }

    /** As above, with a mask and a temperature for the maps that take them. */
    private void rowMapF32(RowMap map, int rows, int cols, float[] a, int aOffset, float[] b, int bOffset,
                           boolean[] mask, int maskOffset, float t, float[] out, int outOffset) {
        if (acquireTeam(rows, cols)) {
            try {
                rowMapF32.set(map, cols, a, aOffset, b, bOffset, mask, maskOffset, t, out, outOffset);
                team.run(rowMapF32, rows, cols);
            } finally {
                rowMapF32.set(null, 0, null, 0, null, 0, null, 0, 1f, null, 0);
                team.release();
            }
            return;
        }
        map.run(f32, rows, cols, a, aOffset, b, bOffset, mask, maskOffset, t, out, outOffset);
    }

    @Override
    protected void softmaxKernel(int rows, int cols, float temperature, float[] x, int xOffset, float[] y,
                                 int yOffset) {
        rowMapF32(RowMap.SOFTMAX_TEMPERATURE, rows, cols, x, xOffset, null, 0, null, 0, temperature, y, yOffset);
    }

    @Override
    protected void maskedSoftmaxKernel(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                       float[] y, int yOffset) {
        rowMapF32(RowMap.MASKED_SOFTMAX, rows, cols, x, xOffset, null, 0, mask, maskOffset, 1f, y, yOffset);
    }

    @Override
    protected void logSoftmaxKernel(int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
        rowMapF32(RowMap.LOG_SOFTMAX, rows, cols, x, xOffset, null, 0, y, yOffset);
    }

    @Override
    protected void maskedLogSoftmaxKernel(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                          float[] y, int yOffset) {
        rowMapF32(RowMap.MASKED_LOG_SOFTMAX, rows, cols, x, xOffset, null, 0, mask, maskOffset, 1f, y, yOffset);
    }

    @Override
    protected void maskedLogSumExpKernel(int rows, int cols, float[] x, int xOffset, boolean[] mask, int maskOffset,
                                         float[] out, int outOffset) {
        rowMapF32(RowMap.MASKED_LOG_SUM_EXP, rows, cols, x, xOffset, null, 0, mask, maskOffset, 1f, out, outOffset);
    }

    @Override
    protected void jacobianKernel(int cols, float[] y, int yOffset, float[] jacobian, int jacobianOffset) {
        // the output is cols x cols (4 MB at 1000 classes): its rows go to the team like a row op's
        if (acquireTeam(cols, cols)) {
            try {
                jacobianF32.set(cols, y, yOffset, jacobian, jacobianOffset);
                team.run(jacobianF32, cols, cols);
            } finally {
                jacobianF32.set(0, null, 0, null, 0);
                team.release();
            }
            return;
        }
        f32.jacobian(cols, 0, cols, y, yOffset, jacobian, jacobianOffset);
    }

    @Override
    protected void argmaxKernel(int rows, int cols, float[] x, int xOffset, int[] out, int outOffset) {
        f32.argmax(rows, cols, x, xOffset, out, outOffset);
    }

    @Override
    protected void topKKernel(int rows, int cols, int k, float[] x, int xOffset, float[] values, int valuesOffset,
                              int[] indices, int indicesOffset) {
        if (acquireTeam(rows, cols)) {
            try {
                TopKF32Job job = topKF32;
                job.set(cols, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
                team.run(job, rows, cols);
            } finally {
                topKF32.set(0, 0, null, 0, null, 0, null, 0);
                team.release();
            }
            return;
        }
        f32.topK(rows, cols, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    @Override
    protected void logSumExpKernel(int rows, int cols, float[] x, int xOffset, float[] out, int outOffset) {
        rowMapF32(RowMap.LOG_SUM_EXP, rows, cols, x, xOffset, null, 0, out, outOffset);
    }

    @Override
    protected void softmaxBackwardKernel(int rows, int cols, float[] y, int yOffset, float[] dy, int dyOffset,
                                         float[] dx, int dxOffset) {
        rowMapF32(RowMap.SOFTMAX_BACKWARD, rows, cols, y, yOffset, dy, dyOffset, dx, dxOffset);
    }

    @Override
    protected double crossEntropyKernel(int rows, int cols, float[] probabilities, int probabilitiesOffset,
                                        float[] labels, int labelsOffset, float eps, float[] loss, int lossOffset) {
        if (acquireTeam(rows, cols)) {
            try {
                ProbabilitiesF32Job job = probabilitiesF32;
                job.set(cols, probabilities, probabilitiesOffset, labels, labelsOffset, eps, loss, lossOffset, rows);
                team.run(job, rows, cols);
                return inRowOrder(job.rowLoss, rows);
            } finally {
                probabilitiesF32.set(0, null, 0, null, 0, 0f, null, 0, 0);
                team.release();
            }
        }
        return f32.crossEntropy(rows, cols, probabilities, probabilitiesOffset, labels, labelsOffset, eps, loss,
                lossOffset);
    }

    @Override
    protected void logSoftmaxBackwardKernel(int rows, int cols, float[] logp, int logpOffset, float[] dlogp,
                                            int dlogpOffset, float[] dx, int dxOffset) {
        rowMapF32(RowMap.LOG_SOFTMAX_BACKWARD, rows, cols, logp, logpOffset, dlogp, dlogpOffset, dx, dxOffset);
    }

    @Override
    protected double softmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset, float[] labels,
                                               int labelsOffset, CrossEntropyOptions options, double gradientScale,
                                               float[] loss, int lossOffset, float[] gradient, int gradientOffset) {
        if (acquireTeam(rows, cols)) {
            return crossEntropyOnTeam(rows, cols, logits, logitsOffset, null, 0, labels, labelsOffset, null, 0,
                    options, gradientScale, loss, lossOffset, gradient, gradientOffset);
        }
        return f32.dense(rows, cols, logits, logitsOffset, labels, labelsOffset, options, gradientScale, loss,
                lossOffset, gradient, gradientOffset, null, 0);
    }

    @Override
    protected double sparseSoftmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset,
                                                     int[] classes, int classesOffset, CrossEntropyOptions options,
                                                     double gradientScale, float[] loss, int lossOffset,
                                                     float[] gradient, int gradientOffset) {
        if (acquireTeam(rows, cols)) {
            return crossEntropyOnTeam(rows, cols, logits, logitsOffset, null, 0, null, 0, classes, classesOffset,
                    options, gradientScale, loss, lossOffset, gradient, gradientOffset);
        }
        return f32.sparse(rows, cols, logits, logitsOffset, classes, classesOffset, options, gradientScale, loss,
                lossOffset, gradient, gradientOffset, null, 0);
    }

    @Override
    protected void checkLabelsKept(int rows, int cols, float[] labels, int labelsOffset, boolean[] mask,
                                   int maskOffset) {
        if (!labelsKeptOnTeam(rows, cols, labels, null, labelsOffset, mask, maskOffset)) {
            f32.checkLabelsKept(rows, cols, labels, labelsOffset, mask, maskOffset);
        }
    }

    @Override
    protected double maskedSoftmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset,
                                                     boolean[] mask, int maskOffset, float[] labels, int labelsOffset,
                                                     CrossEntropyOptions options, double gradientScale, float[] loss,
                                                     int lossOffset, float[] gradient, int gradientOffset) {
        if (acquireTeam(rows, cols)) {
            return crossEntropyOnTeam(rows, cols, logits, logitsOffset, mask, maskOffset, labels, labelsOffset, null,
                    0, options, gradientScale, loss, lossOffset, gradient, gradientOffset);
        }
        return f32.maskedDense(rows, cols, logits, logitsOffset, mask, maskOffset, labels, labelsOffset, options,
                gradientScale, loss, lossOffset, gradient, gradientOffset, null, 0);
    }

    @Override
    protected double maskedSparseSoftmaxCrossEntropyKernel(int rows, int cols, float[] logits, int logitsOffset,
                                                           boolean[] mask, int maskOffset, int[] classes,
                                                           int classesOffset, CrossEntropyOptions options,
                                                           double gradientScale, float[] loss, int lossOffset,
                                                           float[] gradient, int gradientOffset) {
        if (acquireTeam(rows, cols)) {
            return crossEntropyOnTeam(rows, cols, logits, logitsOffset, mask, maskOffset, null, 0, classes,
                    classesOffset, options, gradientScale, loss, lossOffset, gradient, gradientOffset);
        }
        return f32.maskedSparse(rows, cols, logits, logitsOffset, mask, maskOffset, classes, classesOffset, options,
                gradientScale, loss, lossOffset, gradient, gradientOffset, null, 0);
    }

    /**
     * The sum of the rows' losses a team job stored, added in row order as the float32 kernels add them on one
     * thread: the same bits for any thread count.
     */
    private static double inRowOrder(double[] rowLoss, int rows) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            total += rowLoss[r];
        }
        return total;
    }

    /** A float32 cross-entropy (dense labels or classes, with a mask or none) on the acquired team; releases it. */
    private double crossEntropyOnTeam(int rows, int cols, float[] logits, int logitsOffset, boolean[] mask,
                                      int maskOffset, float[] labels, int labelsOffset, int[] classes,
                                      int classesOffset, CrossEntropyOptions options, double gradientScale,
                                      float[] loss, int lossOffset, float[] gradient, int gradientOffset) {
        try {
            CrossEntropyF32Job job = crossEntropyF32;
            job.set(cols, logits, logitsOffset, mask, maskOffset, labels, labelsOffset, classes, classesOffset,
                    options, gradientScale, loss, lossOffset, gradient, gradientOffset, rows);
            team.run(job, rows, cols);
            return inRowOrder(job.rowLoss, rows);
        } finally {
            crossEntropyF32.set(0, null, 0, null, 0, null, 0, null, 0, null, 0, null, 0, null, 0, 0);
            team.release();
        }
    }

    @Override
    protected void matmulKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b, int bOffset,
                                float beta, float[] c, int cOffset) {
        f32.matmul(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransAKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b,
                                      int bOffset, float beta, float[] c, int cOffset) {
        f32.matmulTransA(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    protected void matmulTransBKernel(int m, int k, int n, float alpha, float[] a, int aOffset, float[] b,
                                      int bOffset, float beta, float[] c, int cOffset) {
        f32.matmulTransB(m, k, n, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    // ------------------------------------------------------------------------------- jobs of the row team

    /** The float32 ops that map rows of one or two inputs to rows of an output. */
    private enum RowMap {
        SOFTMAX {
            @Override
            void run(FloatKernels k, int rows, int cols, float[] a, int ao, float[] b, int bo, boolean[] mask, int mo,
                     float t, float[] out, int oo) {
                k.softmax(rows, cols, a, ao, out, oo);
            }
        },
        SOFTMAX_TEMPERATURE {
            @Override
            void run(FloatKernels k, int rows, int cols, float[] a, int ao, float[] b, int bo, boolean[] mask, int mo,
                     float t, float[] out, int oo) {
                k.softmax(rows, cols, t, a, ao, out, oo);
            }
        },
        MASKED_SOFTMAX {
            @Override
            void run(FloatKernels k, int rows, int cols, float[] a, int ao, float[] b, int bo, boolean[] mask, int mo,
                     float t, float[] out, int oo) {
                k.maskedSoftmax(rows, cols, a, ao, mask, mo, out, oo);
            }
        },
        LOG_SOFTMAX {
            @Override
            void run(FloatKernels k, int rows, int cols, float[] a, int ao, float[] b, int bo, boolean[] mask, int mo,
                     float t, float[] out, int oo) {
                k.logSoftmax(rows, cols, a, ao, out, oo);
            }
        },
        MASKED_LOG_SOFTMAX {
            @Override
            void run(FloatKernels k, int rows, int cols, float[] a, int ao, float[] b, int bo, boolean[] mask, int mo,
                     float t, float[] out, int oo) {
                k.maskedLogSoftmax(rows, cols, a, ao, mask, mo, out, oo);
            }
        },
        LOG_SUM_EXP {
            @Override
            void run(FloatKernels k, int rows, int cols, float[] a, int ao, float[] b, int bo, boolean[] mask, int mo,
                     float t, float[] out, int oo) {
                k.logSumExp(rows, cols, a, ao, out, oo);
            }

            @Override
            int outWidth(int cols) {
                return 1;
            }
        },
        MASKED_LOG_SUM_EXP {
            @Override
            void run(FloatKernels k, int rows, int cols, float[] a, int ao, float[] b, int bo, boolean[] mask, int mo,
                     float t, float[] out, int oo) {
                k.maskedLogSumExp(rows, cols, a, ao, mask, mo, out, oo);
            }

            @Override
            int outWidth(int cols) {
                return 1;
            }
        },
        /** {@code a} is y, {@code b} is dy. */
        SOFTMAX_BACKWARD {
            @Override
            void run(FloatKernels k, int rows, int cols, float[] a, int ao, float[] b, int bo, boolean[] mask, int mo,
                     float t, float[] out, int oo) {
                k.softmaxBackward(rows, cols, a, ao, b, bo, out, oo);
            }
        },
        /** {@code a} is logp, {@code b} is dlogp. */
        LOG_SOFTMAX_BACKWARD {
            @Override
            void run(FloatKernels k, int rows, int cols, float[] a, int ao, float[] b, int bo, boolean[] mask, int mo,
                     float t, float[] out, int oo) {
                k.logSoftmaxBackward(rows, cols, a, ao, b, bo, out, oo);
            }
        };

        abstract void run(FloatKernels k, int rows, int cols, float[] a, int ao, float[] b, int bo, boolean[] mask,
                          int mo, float t, float[] out, int oo);

        /** The output's elements per row. */
        int outWidth(int cols) {
            return cols;
        }
    }

    /** A float32 row map of a block of rows; fields set by the caller holding the team. */
    private final class RowMapF32Job extends RowTeam.Job {
        private RowMap map;
        private int cols;
        private float[] a;
        private int aOffset;
        private float[] b;
        private int bOffset;
        private boolean[] mask;
        private int maskOffset;
        private float t;
        private float[] out;
        private int outOffset;

        void set(RowMap map, int cols, float[] a, int aOffset, float[] b, int bOffset, boolean[] mask, int maskOffset,
                 float t, float[] out, int outOffset) {
            this.map = map;
            this.cols = cols;
            this.a = a;
            this.aOffset = aOffset;
            this.b = b;
            this.bOffset = bOffset;
            this.mask = mask;
            this.maskOffset = maskOffset;
            this.t = t;
            this.out = out;
            this.outOffset = outOffset;
        }

        @Override
        void run(int from, int to) {
            int skip = from * cols;
            map.run(f32, to - from, cols, a, aOffset + skip, b, b == null ? 0 : bOffset + skip, mask,
                    mask == null ? 0 : maskOffset + skip, t, out, outOffset + from * map.outWidth(cols));
        }
    }

    /**
     * Float32 cross-entropy with logits (dense labels, or class indices when {@link #labels} is null; masked when
     * {@link #mask} is not null) of a block of rows; each row's loss goes to {@link #rowLoss}.
     */
    private final class CrossEntropyF32Job extends RowTeam.Job {
        /** The rows' losses of the current call (null between calls); see {@link #rowLosses}. */
        double[] rowLoss;
        /** Kept up to {@link ScratchArrays#KEPT_BYTES}; a larger batch's array is held weakly (until a GC). */
        private final ScratchArrays rowLosses = new ScratchArrays(1);
        private int cols;
        private float[] x;
        private int xOffset;
        private boolean[] mask;
        private int maskOffset;
        private float[] labels;
        private int labelsOffset;
        private int[] classes;
        private int classesOffset;
        private CrossEntropyOptions options;
        private double scale;
        private float[] loss;
        private int lossOffset;
        private float[] gradient;
        private int gOffset;

        void set(int cols, float[] x, int xOffset, boolean[] mask, int maskOffset, float[] labels, int labelsOffset,
                 int[] classes, int classesOffset, CrossEntropyOptions options, double scale, float[] loss,
                 int lossOffset, float[] gradient, int gOffset, int rows) {
            this.cols = cols;
            this.x = x;
            this.xOffset = xOffset;
            this.mask = mask;
            this.maskOffset = maskOffset;
            this.labels = labels;
            this.labelsOffset = labelsOffset;
            this.classes = classes;
            this.classesOffset = classesOffset;
            this.options = options;
            this.scale = scale;
            this.loss = loss;
            this.lossOffset = lossOffset;
            this.gradient = gradient;
            this.gOffset = gOffset;
            this.rowLoss = rows == 0 ? null : rowLosses.doubles(0, rows);
        }

        @Override
        void run(int from, int to) {
            int skip = from * cols;
            int go = gradient == null ? 0 : gOffset + skip;
            int lo = loss == null ? 0 : lossOffset + from;
            if (mask != null && labels != null) {
                f32.maskedDense(to - from, cols, x, xOffset + skip, mask, maskOffset + skip, labels,
                        labelsOffset + skip, options, scale, loss, lo, gradient, go, rowLoss, from);
            } else if (mask != null) {
                f32.maskedSparse(to - from, cols, x, xOffset + skip, mask, maskOffset + skip, classes,
                        classesOffset + from, options, scale, loss, lo, gradient, go, rowLoss, from);
            } else if (labels != null) {
                f32.dense(to - from, cols, x, xOffset + skip, labels, labelsOffset + skip, options, scale, loss, lo,
                        gradient, go, rowLoss, from);
            } else {
                f32.sparse(to - from, cols, x, xOffset + skip, classes, classesOffset + from, options, scale, loss,
                        lo, gradient, go, rowLoss, from);
            }
        }
    }

    /**
     * The float32 cross-entropy from probabilities of a block of rows, a row at a time: each row's loss (in double,
     * the value a one-row call returns) goes to {@link #rowLoss}.
     */
    private final class ProbabilitiesF32Job extends RowTeam.Job {
        /** The rows' losses of the current call (null between calls). */
        double[] rowLoss;
        /** Kept up to {@link ScratchArrays#KEPT_BYTES}; a larger batch's array is held weakly (until a GC). */
        private final ScratchArrays rowLosses = new ScratchArrays(1);
        private int cols;
        private float[] probabilities;
        private int pOffset;
        private float[] labels;
        private int lOffset;
        private float eps;
        private float[] loss;
        private int lossOffset;

        void set(int cols, float[] probabilities, int pOffset, float[] labels, int lOffset, float eps, float[] loss,
                 int lossOffset, int rows) {
            this.cols = cols;
            this.probabilities = probabilities;
            this.pOffset = pOffset;
            this.labels = labels;
            this.lOffset = lOffset;
            this.eps = eps;
            this.loss = loss;
            this.lossOffset = lossOffset;
            this.rowLoss = rows == 0 ? null : rowLosses.doubles(0, rows);
        }

        @Override
        void run(int from, int to) {
            for (int r = from; r < to; r++) {
                rowLoss[r] = f32.crossEntropy(1, cols, probabilities, pOffset + r * cols, labels, lOffset + r * cols,
                        eps, loss, loss == null ? 0 : lossOffset + r);
            }
        }
    }

    /** Rows of one float32 Jacobian: row {@code i} depends on {@code y} alone. */
    private final class JacobianF32Job extends RowTeam.Job {
        private int cols;
        private float[] y;
        private int yOffset;
        private float[] jacobian;
        private int jacobianOffset;

        void set(int cols, float[] y, int yOffset, float[] jacobian, int jacobianOffset) {
            this.cols = cols;
            this.y = y;
            this.yOffset = yOffset;
            this.jacobian = jacobian;
            this.jacobianOffset = jacobianOffset;
        }

        @Override
        void run(int from, int to) {
            f32.jacobian(cols, from, to, y, yOffset, jacobian, jacobianOffset);
        }
    }

    /** The float32 top-k of a block of rows: each row's k indices (and values) depend on that row alone. */
    private final class TopKF32Job extends RowTeam.Job {
        private int cols;
        private int k;
        private float[] x;
        private int xOffset;
        private float[] values;
        private int valuesOffset;
        private int[] indices;
        private int indicesOffset;

        void set(int cols, int k, float[] x, int xOffset, float[] values, int valuesOffset, int[] indices,
                 int indicesOffset) {
            this.cols = cols;
            this.k = k;
            this.x = x;
            this.xOffset = xOffset;
            this.values = values;
            this.valuesOffset = valuesOffset;
            this.indices = indices;
            this.indicesOffset = indicesOffset;
        }

        @Override
        void run(int from, int to) {
            f32.topK(to - from, cols, k, x, xOffset + from * cols, values, values == null ? 0 : valuesOffset + from * k,
                    indices, indicesOffset + from * k);
        }
    }
}
