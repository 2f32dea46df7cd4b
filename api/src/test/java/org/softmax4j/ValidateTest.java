package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ValidateTest {

    private static void assertMessage(IllegalArgumentException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should contain '" + part + "'");
        }
    }

    @Test
    void negativeSizesNameTheArgument() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Validate.shape(-1, 3)), "rows", ">= 0", "-1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Validate.shape(3, -2)), "cols", ">= 0", "-2");
    }

    @Test
    void overflowingProductIsRejectedWithBothFactors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Validate.shape(65536, 65536));
        assertMessage(e, "rows * cols", "2147483647", "65536 * 65536 = 4294967296");
        assertEquals(0, Validate.shape(0, Integer.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE, Validate.shape(1, Integer.MAX_VALUE));
    }

    @Test
    void allocationsBeyondTheMaximumHeapAreRejectedWithTheirSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Validate.allocatable("jacobian", Integer.MAX_VALUE, 8));
        assertMessage(e, "jacobian", "maximum heap", "2147483647 elements = 17179869176 bytes");
        assertEquals(1000, Validate.allocatable("y", 1000, 8));
    }

    @Test
    void shortArrayGivesOffsetCountAndLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Validate.region("x", new double[12], 2, 15));
        assertMessage(e, "x: expected length >= xOffset + count = 2 + 15 = 17, actual 12");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Validate.region("y", new float[4], -1, 1)),
                "yOffset", ">= 0", "-1");
        Validate.region("z", new int[5], 5, 0); // an empty region at the end is fine
    }

    @Test
    void regionOffsetPlusCountDoesNotOverflow() {
        assertThrows(IllegalArgumentException.class,
                () -> Validate.region("x", new boolean[10], Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void nullArraysGiveNullPointerExceptionNamingTheArgument() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> Validate.region("labels", (double[]) null, 0, 1));
        assertEquals("labels must not be null", e.getMessage());
    }

    @Test
    void overlapRules() {
        double[] a = new double[10];
        Validate.noOverlap("y", a, 0, 5, "x", a, 5, 5, false); // disjoint
        Validate.noOverlap("y", a, 2, 5, "x", a, 2, 5, true); // same region, in place allowed
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Validate.noOverlap("y", a, 2, 5, "x", a, 2, 5, false)), "y[2..7)", "x[2..7)", "cannot run in place");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Validate.noOverlap("y", a, 3, 5, "x", a, 2, 5, true)), "y[3..8)", "overlaps x[2..7)");
        Validate.noOverlap("y", a, 3, 5, "x", new double[10], 2, 5, false); // different arrays
    }

    @Test
    void scalarOptions() {
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> Validate.temperature(t)), "temperature",
                    "finite and > 0", String.valueOf(t));
        }
        Validate.temperature(Double.MIN_VALUE);
        for (double eps : new double[] {-1e-9, 0.5, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> Validate.epsilon(eps));
        }
        Validate.epsilon(0);
        for (double e : new double[] {-0.1, 1.1, Double.NaN}) {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> Validate.labelSmoothing(e)),
                    "labelSmoothing", "[0, 1]");
        }
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Validate.topK(4, 3)), "k", "[0, 3]", "4");
        assertThrows(IllegalArgumentException.class, () -> Validate.topK(-1, 3));
    }

    @Test
    void classesOutOfRangeNameTheRowAndValue() {
        int[] classes = {0, 2, -100, 3};
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Validate.classes(classes, 0, 4, 3, -100)),
                "classes[3] (row 3)", "[0, 3)", "ignore index -100", "actual 3");
        Validate.classes(classes, 0, 3, 3, -100);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Validate.classes(classes, 1, 2, 3, 7)),
                "classes[2] (row 1)", "-100");
    }

    @Test
    void classesAreCheckedAsTheirDefinitionSaysAtEveryEdgeAndPosition() {
        int[] edges = {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -101, -100, -2, -1, 0, 1, 2, 3, 4, 6, 7,
                Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
        for (int cols : new int[] {1, 3, 7, Integer.MAX_VALUE}) {
            for (int ignore : edges) {
                for (int t : edges) {
                    boolean wrong = (t < 0 || t >= cols) && t != ignore;
                    for (int at : new int[] {0, 15, 16, 36}) { // the scan's vector body and its tail
                        int[] classes = new int[37];
                        classes[at] = t;
                        if (wrong) {
                            assertMessage(assertThrows(IllegalArgumentException.class,
                                    () -> Validate.classes(classes, 0, 37, cols, ignore)),
                                    "classes[" + at + "] (row " + at + ")", "actual " + t);
                        } else {
                            Validate.classes(classes, 0, 37, cols, ignore);
                        }
                    }
                }
            }
        }
    }

    @Test
    void classWeightsMustBeFiniteNonNegativeAndOnePerClass() {
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> CrossEntropyOptions.DEFAULT.withClassWeights(1, -0.5)), "classWeights[1]", "-0.5");
        assertThrows(IllegalArgumentException.class, () -> CrossEntropyOptions.DEFAULT.withClassWeights(Double.NaN));
        CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withClassWeights(1, 2);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Validate.options(o, 3)),
                "classWeights.length", "cols = 3", "actual 2");
        assertEquals(o, Validate.options(o, 2));
    }

    @Test
    void nullOptionsMeanTheDefaults() {
        assertEquals(CrossEntropyOptions.DEFAULT, Validate.options(null, 3));
    }

    @Test
    void singleVectorLabelIsNamedAsTheCallerPassedIt() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Validate.label(3, 3, -100)),
                "label: expected a class in [0, 3) or the ignore index -100, actual 3");
        Validate.label(-100, 3, -100);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Validate.nonEmpty("logits", 0)),
                "logits: expected at least one entry, actual an empty array");
    }
}
