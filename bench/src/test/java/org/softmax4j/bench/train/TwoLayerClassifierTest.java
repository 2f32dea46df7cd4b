package org.softmax4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.softmax4j.ClassLabels;
import org.softmax4j.FloatMatrix;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

/** The README's training loop learns: the 2-layer classifier on data whose classes it can tell apart. */
class TwoLayerClassifierTest {

    /** {@code n} examples of {@code classes} Gaussian clusters in {@code features} dimensions, class of row r = r % classes. */
    private static float[] clusters(int n, int features, int classes, double noise, long seed, int[] labels) {
        Random centres = new Random(seed);
        float[][] centre = new float[classes][features];
        for (float[] c : centre) {
            for (int j = 0; j < features; j++) {
                c[j] = (float) centres.nextGaussian();
            }
        }
        Random random = new Random(seed + 1);
        float[] data = new float[n * features];
        for (int r = 0; r < n; r++) {
            labels[r] = (int) ((r * 7919L + seed) % classes);
            for (int j = 0; j < features; j++) {
                data[r * features + j] = centre[labels[r]][j] + (float) (random.nextGaussian() * noise);
            }
        }
        return data;
    }

    private static double accuracy(int[] predicted, int[] labels, int n) {
        int right = 0;
        for (int r = 0; r < n; r++) {
            right += predicted[r] == labels[r] ? 1 : 0;
        }
        return (double) right / n;
    }

    @Test
    void theReadmeLoopLearnsClassesItCanTellApart() {
        int n = 2048;
        int[] targets = new int[n];
        int[] testTargets = new int[512];
        float[] features = clusters(n, 32, 10, 1.0, 5, targets);
        FloatMatrix testX = FloatMatrix.of(512, 32, clusters(512, 32, 10, 1.0, 5, testTargets));

        // README: usage begin
        SoftmaxOps ops = Softmax.ops();
        FloatMatrix x = FloatMatrix.of(n, 32, features);                          // n examples of 32 features, row-major
        ClassLabels y = ClassLabels.of(n, targets);                               // their classes in [0, 10)
        TwoLayerClassifier net = new TwoLayerClassifier(ops, 32, 64, 10, 64, 42);
        float before = net.step(x.rows(0, 64), y.rows(0, 64), 0f);                // rate 0: the loss, no update
        float last = net.train(x, y, 10, 0.1f);                                   // 10 epochs of 32 mini-batches
        // README: usage end

        ClassLabels predicted = ClassLabels.zeros(512);
        net.predict(testX, predicted);
        double accuracy = accuracy(predicted.array(), testTargets, 512);
        float after = net.step(x.rows(0, 64), y.rows(0, 64), 0f);
        assertTrue(before > 2.0f, () -> "untrained loss near log(10): " + before);
        assertTrue(after < 0.5f * before && last < 0.5f * before,
                () -> "the loss must fall: before " + before + ", after " + after + ", last batch " + last);
        assertTrue(accuracy >= 0.9, () -> "held-out accuracy " + accuracy);
    }

    @Test
    void theIssuesClassifierShapeTrains() {
        int n = 1024;
        int[] targets = new int[n];
        FloatMatrix x = FloatMatrix.of(n, 256, clusters(n, 256, 1000, 0.5, 13, targets));
        ClassLabels y = ClassLabels.of(n, targets);
        TwoLayerClassifier net = new TwoLayerClassifier(Softmax.ops(), 256, 128, 1000, 256, 7);
        float before = net.step(x.rows(0, 256), y.rows(0, 256), 0f);
        net.train(x, y, 3, 0.5f);
        float after = net.step(x.rows(0, 256), y.rows(0, 256), 0f);
        assertTrue(before > 6.0f, () -> "untrained loss near log(1000): " + before);
        assertTrue(after < 0.9f * before, () -> "the loss must fall: before " + before + ", after " + after);
    }

    @Test
    void theReadmeShowsTheUsageLines() throws IOException {
        String test = Files.readString(Path.of("src/test/java/org/softmax4j/bench/train/TwoLayerClassifierTest.java"));
        String region = test.substring(test.indexOf("// README: usage begin\n") + "// README: usage begin\n".length(),
                test.indexOf("        // README: usage end"));
        String usage = region.replaceAll("(?m)^ {8}", "");
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains(usage), () -> "README.md must show these lines:\n" + usage);
    }
}
