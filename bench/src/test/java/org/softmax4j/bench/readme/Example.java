package org.softmax4j.bench.readme;

import java.util.Arrays;
import org.softmax4j.ClassLabels;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.FloatMatrix;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

public class Example {
    public static void main(String[] args) {
        SoftmaxOps ops = Softmax.ops();                             // plain, if nothing else is named

        double[] p = ops.softmax(1.0, 2, 3, 4, 5);                  // [0.011656, 0.031685, 0.086129, 0.234122, 0.636409]
        double[] big = ops.softmax(1000.0, 2000, 3000, 4000, 5000); // [0, 0, 0, 0, 1], no NaN
        double[] grad = new double[3];
        double loss = ops.sparseSoftmaxCrossEntropyWithLogits(new double[] {4, -4, 3}, 2, grad);
                                                                    // 1.3135069, grad = softmax - onehot(2)
        int best = ops.argmax(0.2, 0.1, 0.05, 0.1, 0.2, 0.02, 0.08, 0.01, 0.01, 0.23); // 9

        // a batch, no allocation per call: views of row-major arrays, the gradient in the same pass
        FloatMatrix logits = FloatMatrix.zeros(100, 10);
        FloatMatrix gradient = FloatMatrix.zeros(100, 10);
        ClassLabels classes = ClassLabels.zeros(100);
        float mean = ops.sparseSoftmaxCrossEntropyWithLogits(logits, classes,
                CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1), gradient); // log(10) = 2.3025851

        System.out.printf("%s%n%s%n%.7f %s%n%d%n%.7f%n", Arrays.toString(p), Arrays.toString(big), loss,
                Arrays.toString(grad), best, mean);
    }
}
