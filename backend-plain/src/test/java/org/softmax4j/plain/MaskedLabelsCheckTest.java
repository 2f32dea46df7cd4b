package org.softmax4j.plain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.softmax4j.CrossEntropyOptions;
import org.softmax4j.Reduction;

/**
 * The masked dense cross-entropy's label check (the SIMD scan in the Vector API run, the scalar one otherwise; on the
 * calling thread and on the row team) finds a non-zero label on a masked class wherever it is: in every lane of the
 * vector loop and in the scalar tail, with labels and mask at different offsets, for tiny, negative, subnormal and
 * NaN labels; it names that entry and writes nothing. A {@code -0} label on a masked class is allowed.
 */
class MaskedLabelsCheckTest {

    private static final int LABELS_OFFSET = 3;
    private static final int MASK_OFFSET = 5;
    private static final int GRADIENT_OFFSET = 2;
    private static final float CANARY = 12345f;
    private static final CrossEntropyOptions NONE = CrossEntropyOptions.DEFAULT.withReduction(Reduction.NONE);
    /** Every position of the vector loop (up to 16 lanes and two vectors) and a tail, for rows x cols. */
    private static final int[][] SHAPES = {{1, 7}, {3, 13}, {2, 37}, {5, 17}};
    private static final double[] BAD = {1e-30, -1, Double.MIN_VALUE, Double.NaN, 1};

    private final PlainSoftmaxOps ops = new PlainSoftmaxOps(1);

    private static boolean[] mask(int n, SplittableRandom random) {
        boolean[] mask = new boolean[MASK_OFFSET + n];
        for (int i = 0; i < n; i++) {
            mask[MASK_OFFSET + i] = random.nextBoolean();
        }
        return mask;
    }

    @Test
    void everyMaskedPositionIsCheckedInFloat32() {
        SplittableRandom random = new SplittableRandom(17);
        for (int[] shape : SHAPES) {
            checkFloat32(ops, shape[0], shape[1], null, random);
        }
    }

    @Test
    void everyMaskedPositionIsCheckedInFloat64() {
        SplittableRandom random = new SplittableRandom(19);
        for (int[] shape : SHAPES) {
            checkFloat64(ops, shape[0], shape[1], null, random);
        }
    }

    /**
     * On the row team the blocks are scanned in parallel: an offending label in any block, the first row of a later
     * block included, is named by its row in the whole call (not in its block), and nothing is written.
     */
    @Test
    void theTeamsBlocksNameTheRowOfTheWholeCall() {
        PlainSoftmaxOps team = new PlainSoftmaxOps(2, null, 1);
        int rows = TEAM_ROWS;
        int cols = TEAM_COLS;
        checkFloat32(team, rows, cols, TEAM_CHECKED_ROWS, new SplittableRandom(23));
        checkFloat64(team, rows, cols, TEAM_CHECKED_ROWS, new SplittableRandom(29));
    }

    /**
     * Rows x cols of {@link #theTeamsBlocksNameTheRowOfTheWholeCall}: {@link RowTeam#run} makes blocks of
     * {@code max(ceil(rows / 16), ceil(2^14 / cols))} rows, here 443, so three blocks.
     */
    private static final int TEAM_ROWS = 1000;
    private static final int TEAM_COLS = 37;
    /** The first and last rows of the first block, the first of the second and the last row of the call. */
    private static final int[] TEAM_CHECKED_ROWS = {0, 442, 443, 999};

    /** Each masked position of the rows listed ({@code checkedRows}, or every row if null) with each bad label. */
    private static void checkFloat32(PlainSoftmaxOps ops, int rows, int cols, int[] checkedRows,
                                     SplittableRandom random) {
        int n = rows * cols;
        boolean[] mask = mask(n, random);
        float[] logits = new float[n];
        float[] labels = new float[LABELS_OFFSET + n];
        float[] loss = new float[rows];
        float[] gradient = new float[GRADIENT_OFFSET + n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) random.nextDouble(-3, 3);
            labels[LABELS_OFFSET + i] = mask[MASK_OFFSET + i] ? 0.25f : (i % 2 == 0 ? -0f : 0f);
        }
        // the clean input passes (-0 on masked classes included)
        ops.softmaxCrossEntropyWithLogits(rows, cols, logits, 0, mask, MASK_OFFSET, labels, LABELS_OFFSET, NONE,
                loss, 0, gradient, GRADIENT_OFFSET);
        for (int i = 0; i < n; i++) {
            if (mask[MASK_OFFSET + i] || !checked(i / cols, checkedRows)) {
                continue;
            }
            for (double bad : BAD) {
                float kept = labels[LABELS_OFFSET + i];
                labels[LABELS_OFFSET + i] = (float) bad == 0 ? Float.MIN_VALUE : (float) bad;
                Arrays.fill(loss, CANARY);
                Arrays.fill(gradient, CANARY);
                String where = "labels[" + (LABELS_OFFSET + i) + "] (row " + i / cols + ", class " + i % cols + ")";
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ops.softmaxCrossEntropyWithLogits(rows, cols, logits, 0, mask, MASK_OFFSET, labels,
                                LABELS_OFFSET, NONE, loss, 0, gradient, GRADIENT_OFFSET),
                        where + " = " + bad);
                assertTrue(e.getMessage().contains(where), e.getMessage() + "; expected " + where);
                assertCanaries(loss, gradient);
                labels[LABELS_OFFSET + i] = kept;
            }
        }
    }

    private static void checkFloat64(PlainSoftmaxOps ops, int rows, int cols, int[] checkedRows,
                                     SplittableRandom random) {
        int n = rows * cols;
        boolean[] mask = mask(n, random);
        double[] logits = new double[n];
        double[] labels = new double[LABELS_OFFSET + n];
        double[] loss = new double[rows];
        double[] gradient = new double[GRADIENT_OFFSET + n];
        for (int i = 0; i < n; i++) {
            logits[i] = random.nextDouble(-3, 3);
            labels[LABELS_OFFSET + i] = mask[MASK_OFFSET + i] ? 0.25 : (i % 2 == 0 ? -0.0 : 0.0);
        }
        ops.softmaxCrossEntropyWithLogits(rows, cols, logits, 0, mask, MASK_OFFSET, labels, LABELS_OFFSET, NONE,
                loss, 0, gradient, GRADIENT_OFFSET);
        for (int i = 0; i < n; i++) {
            if (mask[MASK_OFFSET + i] || !checked(i / cols, checkedRows)) {
                continue;
            }
            for (double bad : BAD) {
                double kept = labels[LABELS_OFFSET + i];
                labels[LABELS_OFFSET + i] = bad;
                Arrays.fill(loss, CANARY);
                Arrays.fill(gradient, CANARY);
                String where = "labels[" + (LABELS_OFFSET + i) + "] (row " + i / cols + ", class " + i % cols + ")";
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ops.softmaxCrossEntropyWithLogits(rows, cols, logits, 0, mask, MASK_OFFSET, labels,
                                LABELS_OFFSET, NONE, loss, 0, gradient, GRADIENT_OFFSET),
                        where + " = " + bad);
                assertTrue(e.getMessage().contains(where), e.getMessage() + "; expected " + where);
                assertCanaries(loss, gradient);
                labels[LABELS_OFFSET + i] = kept;
            }
        }
    }

    private static boolean checked(int row, int[] checkedRows) {
        return checkedRows == null || Arrays.stream(checkedRows).anyMatch(r -> r == row);
    }

    private static void assertCanaries(float[] loss, float[] gradient) {
        float[] l = new float[loss.length];
        float[] g = new float[gradient.length];
        Arrays.fill(l, CANARY);
        Arrays.fill(g, CANARY);
        assertArrayEquals(l, loss, "loss written before the error");
        assertArrayEquals(g, gradient, "gradient written before the error");
    }

    private static void assertCanaries(double[] loss, double[] gradient) {
        double[] l = new double[loss.length];
        double[] g = new double[gradient.length];
        Arrays.fill(l, CANARY);
        Arrays.fill(g, CANARY);
        assertArrayEquals(l, loss, "loss written before the error");
        assertArrayEquals(g, gradient, "gradient written before the error");
    }
}
