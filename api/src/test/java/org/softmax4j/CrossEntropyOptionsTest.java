package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CrossEntropyOptionsTest {

    @Test
    void defaultsFollowPyTorch() {
        CrossEntropyOptions d = CrossEntropyOptions.DEFAULT;
        assertEquals(Reduction.MEAN, d.reduction());
        assertEquals(-100, d.ignoreIndex());
        assertEquals(0.0, d.labelSmoothing());
        assertFalse(d.hasClassWeights());
        assertNull(d.classWeights());
        assertEquals(1.0, d.classWeight(7));
        assertEquals(-1, d.classWeightCount());
    }

    @Test
    void withMethodsReturnChangedCopiesAndLeaveTheOriginal() {
        double[] w = {1, 2, 3};
        CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM).withClassWeights(w)
                .withLabelSmoothing(0.1).withIgnoreIndex(2);
        w[0] = 99; // the options keep their own copy
        assertArrayEquals(new double[] {1, 2, 3}, o.classWeights());
        assertEquals(2.0, o.classWeight(1));
        assertEquals(Reduction.SUM, o.reduction());
        assertEquals(0.1, o.labelSmoothing());
        assertEquals(2, o.ignoreIndex());
        assertTrue(o.hasClassWeights());
        assertEquals(Reduction.MEAN, CrossEntropyOptions.DEFAULT.reduction());
        assertNotEquals(CrossEntropyOptions.DEFAULT, o);
        assertEquals(o, CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM).withClassWeights(1, 2, 3)
                .withLabelSmoothing(0.1).withIgnoreIndex(2));
        assertEquals(CrossEntropyOptions.DEFAULT, o.withReduction(Reduction.MEAN).withClassWeights((double[]) null)
                .withLabelSmoothing(0).withIgnoreIndex(-100));
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(NullPointerException.class, () -> CrossEntropyOptions.DEFAULT.withReduction(null));
        assertThrows(IllegalArgumentException.class, () -> CrossEntropyOptions.DEFAULT.withLabelSmoothing(1.5));
        assertThrows(IllegalArgumentException.class,
                () -> CrossEntropyOptions.DEFAULT.withClassWeights(1, Double.POSITIVE_INFINITY));
    }
}
