package org.softmax4j.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Each direct call of {@link LegacyOps} against ND4J's own op through its executioner, bit for bit, on a float64
 * matrix with a -inf, a large and a small entry: the op numbers (two of them libnd4j's legacy numbers, not ND4J
 * op classes') select the intended kernels and the dimension lists the intended axes.
 */
class LegacyOpsTest {

    private static final int ROWS = 5;
    private static final int COLS = 7;

    private static INDArray matrix(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray m = Nd4j.randn(DataType.DOUBLE, ROWS, COLS).muli(3);
        m.putScalar(1, 2, Double.NEGATIVE_INFINITY);
        m.putScalar(3, 4, 700);
        m.putScalar(4, 0, -1e-300);
        return m;
    }

    private static INDArray out(long... shape) {
        return Nd4j.zeros(DataType.DOUBLE, shape);
    }

    @Test
    void rowReductionsAreNd4jsMaxMinAndSum() {
        INDArray x = matrix(1);
        INDArray out = out(ROWS);
        LegacyOps.reduceRows(LegacyOps.MAX, x, out);
        assertEquals(x.max(1), out);
        LegacyOps.reduceRows(LegacyOps.MIN, x, out);
        assertEquals(x.min(1), out);
        LegacyOps.reduceRows(LegacyOps.SUM, x, out);
        assertEquals(x.sum(1), out);
    }

    @Test
    void rowDotsAreTheRowSumsOfTheProducts() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, ROWS, COLS);
        INDArray y = Nd4j.randn(DataType.DOUBLE, ROWS, COLS);
        INDArray out = out(ROWS);
        LegacyOps.dotRows(x, y, out);
        for (int r = 0; r < ROWS; r++) {
            assertEquals(x.getRow(r).mul(y.getRow(r)).sumNumber().doubleValue(), out.getDouble(r), 1e-12);
        }
    }

    @Test
    void broadcastsAlongColumnsAndRows() {
        INDArray x = matrix(2);
        INDArray column = Nd4j.randn(DataType.DOUBLE, ROWS);
        INDArray row = Nd4j.randn(DataType.DOUBLE, COLS);
        INDArray z = out(ROWS, COLS);
        LegacyOps.broadcastColumn(LegacyOps.BROADCAST_SUBTRACT, x, column, z);
        assertEquals(x.subColumnVector(column.reshape(ROWS, 1)), z);
        LegacyOps.broadcastColumn(LegacyOps.BROADCAST_MULTIPLY, x, column, z);
        assertEquals(x.mulColumnVector(column.reshape(ROWS, 1)), z);
        LegacyOps.broadcastRow(LegacyOps.BROADCAST_SUBTRACT, x, row, z);
        assertEquals(x.subRowVector(row.reshape(1, COLS)), z);
        LegacyOps.broadcastRow(LegacyOps.BROADCAST_MULTIPLY, x, row, z);
        assertEquals(x.mulRowVector(row.reshape(1, COLS)), z);
    }

    @Test
    void pairwiseArithmeticUsesLibnd4jsLegacyNumbers() {
        INDArray x = matrix(3);
        INDArray y = Nd4j.randn(DataType.DOUBLE, ROWS, COLS); // no -inf where x has one: -inf - -inf is NaN, != NaN
        INDArray z = out(ROWS, COLS);
        LegacyOps.pairwise(LegacyOps.PAIRWISE_MULTIPLY, x, y, z);
        assertEquals(x.mul(y), z);
        LegacyOps.pairwise(LegacyOps.PAIRWISE_SUBTRACT, x, y, z);
        assertEquals(x.sub(y), z);
    }

    @Test
    void scalarArithmeticAndExp() {
        INDArray x = matrix(5);
        INDArray scalar = Nd4j.scalar(0.0);
        INDArray z = out(ROWS, COLS);
        LegacyOps.scalar(LegacyOps.SCALAR_ADD, x, 0.25, scalar, z);
        assertEquals(x.add(0.25), z);
        LegacyOps.scalar(LegacyOps.SCALAR_MULTIPLY, x, -3, scalar, z);
        assertEquals(x.mul(-3), z);
        LegacyOps.scalar(LegacyOps.SCALAR_DIVIDE, x, 7, scalar, z);
        assertEquals(x.div(7), z);
        LegacyOps.exp(x, z);
        assertEquals(Transforms.exp(x, true), z);
    }

    @Test
    void zeroWhereAtLeastOneIsAnExactComparison() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1.0, Math.nextDown(1.0), 2.0, -1, 0.5}});
        LegacyOps.zeroWhereAtLeastOne(x);
        assertEquals(Nd4j.createFromArray(new double[][] {{0.0, Math.nextDown(1.0), 0.0, -1, 0.5}}), x);
    }

    @Test
    void assignWidensExactlyAndRoundsToNearestLikeNd4jsAssign() {
        double[] values = {Math.PI, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1e300, 1e-46, Float.MAX_VALUE * 2.0,
                1 + 0x1p-24, 1 + 0x1p-24 + 0x1p-50, -3.4e38};
        INDArray x = Nd4j.createFromArray(new double[][] {values});
        INDArray ours = Nd4j.zeros(DataType.FLOAT, 1, values.length);
        INDArray theirs = Nd4j.zeros(DataType.FLOAT, 1, values.length);
        LegacyOps.assign(x, ours);
        theirs.assign(x);
        float[] o = ours.toFloatVector();
        float[] t = theirs.toFloatVector();
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToIntBits((float) values[i]), Float.floatToIntBits(o[i]), "entry " + i);
            assertEquals(Float.floatToIntBits(t[i]), Float.floatToIntBits(o[i]), "ND4J's assign, entry " + i);
        }
        INDArray back = Nd4j.zeros(DataType.DOUBLE, 1, values.length);
        LegacyOps.assign(ours, back);
        double[] b = back.toDoubleVector();
        for (int i = 0; i < values.length; i++) {
            assertEquals(Double.doubleToLongBits(o[i]), Double.doubleToLongBits(b[i]), "widened entry " + i);
        }
        // a strided view (a column of a c-ordered matrix) into a dense vector
        INDArray m = matrix(7);
        INDArray column = Nd4j.zeros(DataType.DOUBLE, ROWS, 1);
        LegacyOps.assign(m.getColumn(2, true), column);
        for (int r = 0; r < ROWS; r++) {
            assertEquals(m.getDouble(r, 2), column.getDouble(r, 0));
        }
    }

    @Test
    void countFiniteIsNd4jsMatchConditionInBothDtypes() {
        INDArray count = Nd4j.scalar(0L);
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray m = matrix(11).castTo(type);
            m.putScalar(0, 0, Double.NaN);
            m.putScalar(2, 3, Double.POSITIVE_INFINITY);
            long expected = Nd4j.getExecutioner().exec(new MatchCondition(m, Conditions.isFinite())).getLong(0);
            assertEquals(ROWS * COLS - 3, expected, "ND4J's own count, " + type); // -inf, NaN, +inf
            assertEquals(expected, LegacyOps.countFinite(m, count), type.toString());
            assertEquals(ROWS * COLS, LegacyOps.countFinite(Nd4j.ones(type, ROWS, COLS), count), type.toString());
        }
    }
}
