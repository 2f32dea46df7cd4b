package org.example.consumer;

import java.util.Arrays;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

/**
 * The README's example as a user's program: the one backend on the class path is found by {@code Softmax.ops()} and
 * gives the README's numbers. Exits with 1 (the build fails) on any difference.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        String expected = args[0];
        SoftmaxOps ops = Softmax.ops();
        check(ops.name().equals(expected), "Softmax.ops() is " + ops + ", expected the " + expected + " backend; found "
                + Softmax.available() + ", skipped " + Softmax.skipped());

        double[] p = ops.softmax(1.0, 2, 3, 4, 5);
        double[] readme = {0.011656, 0.031685, 0.086129, 0.234122, 0.636409};
        for (int i = 0; i < p.length; i++) {
            check(Math.abs(p[i] - readme[i]) < 1e-6, "softmax(1..5) = " + Arrays.toString(p));
        }
        double[] big = ops.softmax(1000.0, 2000, 3000, 4000, 5000);
        check(Arrays.equals(big, new double[] {0, 0, 0, 0, 1}), "softmax(1000..5000) = " + Arrays.toString(big));
        double[] grad = new double[3];
        double loss = ops.sparseSoftmaxCrossEntropyWithLogits(new double[] {4, -4, 3}, 2, grad);
        check(Math.abs(loss - 1.3135069) < 1e-7, "sparse cross-entropy = " + loss);
        int best = ops.argmax(0.2, 0.1, 0.05, 0.1, 0.2, 0.02, 0.08, 0.01, 0.01, 0.23);
        check(best == 9, "argmax = " + best);
        System.out.println("consumer: " + ops + " gives the README's results");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            System.err.println("consumer FAILED: " + message);
            System.exit(1);
        }
    }
}
