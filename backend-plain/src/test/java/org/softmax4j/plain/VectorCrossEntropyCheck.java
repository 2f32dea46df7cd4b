package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@link VectorFloatKernels}' cross-entropy from probabilities against the scalar kernel (which the conformance kit
 * holds to the exact bounds) row by row, on rows the kit's random inputs rarely make: confident rows whose loss is
 * tiny ({@code 1 - p} down to 1e-30, where {@code log(p)} computed from {@code p} would lose every digit),
 * probabilities below {@code eps}, unnormalised rows, zero, soft and negative labels, and widths around whole vectors
 * and tails. Within one float ulp of the scalar kernel's loss: the SIMD kernel's float logs (rows without a negative
 * label) are claimed to 4 ulps of the exact loss, but on these rows they stay within one of the scalar kernel's double
 * logs; a log 2^-20 off fails. In a class of its own so that only the SIMD test run loads the Vector API.
 */
final class VectorCrossEntropyCheck {

    private VectorCrossEntropyCheck() {
    }

    static void assertCloseToScalar() {
        int l = VectorExp.L;
        FloatKernels simd = new VectorFloatKernels();
        SplittableRandom random = new SplittableRandom(15);
        float eps = 1e-7f;
        for (int cols : new int[] {2 * l, 2 * l + 1, 3 * l - 1, 5 * l + 3, 1000}) {
            int rows = 40;
            float[] p = new float[rows * cols];
            float[] labels = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                int o = r * cols;
                int top = random.nextInt(cols);
                double tiny = Math.pow(10, -1 - random.nextInt(30)); // the mass left to the others
                for (int c = 0; c < cols; c++) {
                    p[o + c] = switch (r % 4) {
                        case 0 -> (float) (c == top ? 1 : tiny / (cols - 1) * random.nextDouble(0.5, 1.5));
                        case 1 -> (float) random.nextDouble(); // unnormalised
                        case 2 -> (float) (c == top ? 0.75 : random.nextDouble() * 1e-9); // below eps
                        default -> (float) (c == top ? 2 * cols : random.nextDouble());
                    };
                    labels[o + c] = switch (r % 3) {
                        case 0 -> c == top ? (r == 0 ? Float.POSITIVE_INFINITY : 1) : 0; // row 0: an infinite label
                        case 1 -> (float) random.nextDouble(r % 2 == 0 ? 0 : -0.1, 1); // soft; odd rows: some negative
                        default -> c == (top + 1) % cols ? 1 : 0;
                    };
                }
            }
            // a NaN label in row 4 (row 0 has an infinite label on its confident entry)
            labels[4 * cols + 1] = Float.NaN;
            float[] expected = new float[rows];
            float[] actual = new float[rows];
            FloatKernels.SCALAR.crossEntropy(rows, cols, p, 0, labels, 0, eps, expected, 0);
            simd.crossEntropy(rows, cols, p, 0, labels, 0, eps, actual, 0);
            for (int r = 0; r < rows; r++) {
                float e = expected[r];
                assertEquals(e, actual[r], Float.isFinite(e) ? Math.ulp(e) : 0, "cross-entropy, " + cols
                        + " classes, row " + r + ": "
                        + Arrays.toString(Arrays.copyOfRange(p, r * cols, Math.min(r * cols + 8, (r + 1) * cols))));
            }
        }
    }
}
