package org.softmax4j.bench.train;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** One SGD step of the training job, on every backend, against the formula worked out here in float64. */
class SoftmaxRegressionTest {

    private static final float[] X = {
            0.0f, 0.5f, 1.0f, 0.25f,
            1.0f, 0.0f, 0.5f, 0.75f,
            0.2f, 0.9f, 0.1f, 0.0f};
    private static final int[] Y = {2, 0, 1};
    private static final int N = 3;
    private static final int F = 4;
    private static final int C = 3;
    private static final double LR = 0.5;
    /** float32 rounding of a handful of products and sums. */
    private static final double TOLERANCE = 1e-6;

    @TestFactory
    Stream<DynamicTest> oneFullBatchStepMatchesTheFormula() {
        List<SoftmaxOps> backends = Softmax.available();
        assertFalse(backends.isEmpty(), "no backend found: " + Softmax.skipped());
        return backends.stream().map(ops -> DynamicTest.dynamicTest(ops.name(), () -> check(ops)));
    }

    private static void check(SoftmaxOps ops) {
        Dataset data = new Dataset(N, F, C, X.clone(), Y.clone());
        SoftmaxRegression model = new SoftmaxRegression(ops, F, C);
        TrainingResult result = model.train(data, data, new TrainingConfig(1, LR, N, 7), TrainingListener.NONE);

        // From W = 0, b = 0 every softmax is uniform, so G[r, c] = (1/C - [c == y_r]) / N (the batch is the whole set,
        // whatever the shuffle) and one step gives W = -lr X^T G, b = -lr 1^T G.
        double[] g = new double[N * C];
        for (int r = 0; r < N; r++) {
            for (int c = 0; c < C; c++) {
                g[r * C + c] = (1.0 / C - (c == Y[r] ? 1 : 0)) / N;
            }
        }
        for (int f = 0; f < F; f++) {
            for (int c = 0; c < C; c++) {
                double dw = 0;
                for (int r = 0; r < N; r++) {
                    dw += X[r * F + f] * g[r * C + c];
                }
                int i = f * C + c;
                assertEquals(-LR * dw, model.weights()[i], TOLERANCE, () -> ops.name() + ": W[" + i + "]");
            }
        }
        for (int c = 0; c < C; c++) {
            double db = 0;
            for (int r = 0; r < N; r++) {
                db += g[r * C + c];
            }
            int i = c;
            assertEquals(-LR * db, model.bias()[c], TOLERANCE, () -> ops.name() + ": b[" + i + "]");
        }
        assertEquals(Math.log(C), result.finalTrainLoss(), TOLERANCE, () -> ops.name() + ": loss of the first step");

        // The reported test figures are those of the model after the step.
        SoftmaxRegression.Evaluation evaluation = model.evaluate(data);
        assertEquals(evaluation.accuracy(), result.testAccuracy(), () -> ops.name() + ": accuracy");
        assertEquals(evaluation.loss(), result.testLoss(), () -> ops.name() + ": loss");
        assertEquals(N, result.trainExamples());
    }
}
