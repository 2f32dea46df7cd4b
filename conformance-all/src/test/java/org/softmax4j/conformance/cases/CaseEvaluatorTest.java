package org.softmax4j.conformance.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.Dtype;

/**
 * The evaluator must catch what it claims to catch: results off by more than the bound, unwritten outputs, writes
 * outside the region, modified inputs, missing or late exceptions. Each test runs a shipped case against the plain
 * backend wrapped in a saboteur that breaks exactly one thing after the real call.
 */
class CaseEvaluatorTest {

    private static final SoftmaxOps PLAIN = Softmax.ops("plain");

    /** plain, except that after every call named {@code method} with {@code arity} arguments, {@code sabotage} runs. */
    private static SoftmaxOps saboteur(String method, int arity, Consumer<Object[]> sabotage) {
        return (SoftmaxOps) Proxy.newProxyInstance(SoftmaxOps.class.getClassLoader(), new Class<?>[] {SoftmaxOps.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("name")) {
                        return "saboteur";
                    }
                    try {
                        Object result = m.invoke(PLAIN, args);
                        if (m.getName().equals(method) && args != null && args.length == arity) {
                            sabotage.accept(args);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static ConformanceCase seed(String id) {
        return CaseFiles.resource("/org/softmax4j/conformance/cases/seed.json").stream()
                .filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static ConformanceCase parse(String json) throws IOException {
        return CaseFiles.parse(JsonTree.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))),
                "test").get(0);
    }

    @Test
    void theUnbrokenBackendPasses() {
        for (Dtype dtype : Dtype.values()) {
            CaseResult r = CaseEvaluator.evaluate(PLAIN, seed("S1"), dtype);
            assertTrue(r.passed(), r::message);
        }
    }

    @Test
    void aResultBeyondTheBoundFailsWithBackendDtypeCaseIndexAndUlps() {
        SoftmaxOps off = saboteur("softmax", 6, a -> {
            if (!(a[4] instanceof double[] y)) {
                return;
            }
            int i = (int) a[5] + 2;
            y[i] *= 1 + 1e-9; // beyond the 5e-12 relative allowance of the 12-digit seed values
        });
        CaseResult r = CaseEvaluator.evaluate(off, seed("S1"), Dtype.FLOAT64);
        assertFalse(r.passed());
        assertTrue(r.message().contains("[saboteur] S1 softmax float64"), r.message());
        assertTrue(r.message().contains("y[2] (row 0, col 2)"), r.message());
        assertTrue(r.message().contains("expected 0.0861285444363"), r.message());
        assertTrue(r.message().contains("ulp"), r.message());
        // the float32 path was not touched
        assertTrue(CaseEvaluator.evaluate(off, seed("S1"), Dtype.FLOAT32).passed());
    }

    @Test
    void aFewUlpsOffFailsTheFullPrecisionCases() {
        ConformanceCase c = CaseFiles.resource("/org/softmax4j/conformance/cases/reference.json").stream()
                .filter(k -> k.id().equals("random softmax 3x5 float64")).findFirst().orElseThrow();
        assertTrue(CaseEvaluator.evaluate(PLAIN, c, Dtype.FLOAT64).passed());
        SoftmaxOps off = saboteur("softmax", 6, a -> {
            double[] y = (double[]) a[4];
            int i = (int) a[5] + 7;
            y[i] += 16 * Math.ulp(y[i]); // the bound for 5 classes is 4 + 3 = 7 ulp
        });
        CaseResult r = CaseEvaluator.evaluate(off, c, Dtype.FLOAT64);
        assertFalse(r.passed());
        assertTrue(r.message().contains("y[7] (row 1, col 2)"), r.message());
    }

    @Test
    void anUnwrittenOutputFails() {
        SoftmaxOps lazy = saboteur("softmax", 6, a -> {
            double[] y = (double[]) a[4];
            y[(int) a[5] + 4] = Double.NaN; // what the evaluator's canary was: as if never written
        });
        CaseResult r = CaseEvaluator.evaluate(lazy, seed("S1"), Dtype.FLOAT64);
        assertFalse(r.passed());
        assertTrue(r.message().contains("y[4]"), r.message());
    }

    @Test
    void anUnwrittenNaNOutputFails() throws IOException {
        ConformanceCase c = parse("[{\"id\": \"nan\", \"op\": \"softmax\", \"dtype\": \"float64\", \"rows\": 1,"
                + " \"inputs\": {\"x\": [1, \"NaN\"]}, \"expected\": {\"y\": [\"NaN\", NaN]}}]");
        assertTrue(CaseEvaluator.evaluate(PLAIN, c, Dtype.FLOAT64).passed());
        SoftmaxOps skip = saboteur("softmax", 6, a -> ((double[]) a[4])[(int) a[5]] = 31415.92653589793);
        assertFalse(CaseEvaluator.evaluate(skip, c, Dtype.FLOAT64).passed());
    }

    @Test
    void aWriteOutsideTheRegionFails() {
        SoftmaxOps sloppy = saboteur("softmax", 6, a -> ((float[]) a[4])[(int) a[5] + 5] = 0f);
        CaseResult r = CaseEvaluator.evaluate(sloppy, seed("S1"), Dtype.FLOAT32);
        assertFalse(r.passed());
        assertTrue(r.message().contains("written outside its region"), r.message());
    }

    @Test
    void aModifiedInputFails() {
        SoftmaxOps destructive = saboteur("logSumExp", 6, a -> ((double[]) a[2])[(int) a[3]] = 0);
        ConformanceCase c = CaseFiles.resource("/org/softmax4j/conformance/cases/edge.json").stream()
                .filter(k -> k.id().equals("large 1e4 logSumExp")).findFirst().orElseThrow();
        CaseResult r = CaseEvaluator.evaluate(destructive, c, Dtype.FLOAT64);
        assertFalse(r.passed());
        assertTrue(r.message().contains("input x was modified"), r.message());
    }

    @Test
    void anErrorCaseFailsWhenNothingIsThrownOrAfterAWrite() throws IOException {
        ConformanceCase c = parse("{\"cases\": [{\"id\": \"bad class\", \"op\": \"sparseSoftmaxCrossEntropyWithLogits\","
                + " \"rows\": 1, \"cols\": 2, \"inputs\": {\"logits\": [1, 2], \"classes\": [2]},"
                + " \"expectError\": \"IllegalArgumentException\", \"messageContains\": \"row 0\"}]}");
        assertTrue(CaseEvaluator.evaluate(PLAIN, c, Dtype.FLOAT64).passed());
        ConformanceCase wrongMessage = parse("[{\"id\": \"bad class\", \"op\": \"sparseSoftmaxCrossEntropyWithLogits\","
                + " \"rows\": 1, \"cols\": 2, \"inputs\": {\"logits\": [1, 2], \"classes\": [2]},"
                + " \"expectError\": \"IllegalArgumentException\", \"messageContains\": \"no such text\"}]");
        assertFalse(CaseEvaluator.evaluate(PLAIN, wrongMessage, Dtype.FLOAT64).passed());
        ConformanceCase valid = parse("[{\"id\": \"good class\", \"op\": \"sparseSoftmaxCrossEntropyWithLogits\","
                + " \"rows\": 1, \"cols\": 2, \"inputs\": {\"logits\": [1, 2], \"classes\": [1]},"
                + " \"expectError\": \"IllegalArgumentException\"}]");
        CaseResult r = CaseEvaluator.evaluate(PLAIN, valid, Dtype.FLOAT32);
        assertFalse(r.passed());
        assertTrue(r.message().contains("nothing was thrown"), r.message());
    }

    @Test
    void numbersAreRoundedOnceToTheDtype() throws IOException {
        // 1 + 2^-24 + 2^-60: straight to float32 it rounds up; via double it would hit the midpoint and round to 1
        String text = BigDecimal.ONE.add(new BigDecimal(0x1p-24)).add(new BigDecimal(0x1p-60)).toPlainString();
        assertEquals(Math.nextUp(1f), Values.toFloat(text, "t"));
        assertEquals(1f, (float) Values.toDouble(text, "t"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Values.toDouble("-0.0", "t")));
        assertTrue(Double.isNaN(Values.toDouble("nan", "t")));
        assertEquals(Double.NEGATIVE_INFINITY, Values.toDouble("-inf", "t"));
        ConformanceCase c = parse("[{\"id\": \"numpy\", \"op\": \"softmax\", \"dtype\": \"float32\", \"rows\": 2,"
                + " \"inputs\": {\"x\": [[1.0, -Infinity], [-0.0, 0.0]]},"
                + " \"expected\": {\"y\": [[1.0, 0.0], [\"0.5\", 0.5]]}, \"tolerance\": \"exact\"}]");
        assertEquals(2, c.cols());
        assertEquals(List.of("1.0", "-Infinity", "-0.0", "0.0"), c.inputs().get("x"));
        assertTrue(CaseEvaluator.evaluate(PLAIN, c, Dtype.FLOAT32).passed());
    }

    @Test
    void malformedFilesFailNamingTheFileTheCaseAndTheField() {
        IllegalArgumentException typo = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> parse("[{\"id\": \"t\", \"op\": \"softmax\", \"input\": {\"x\": [1]}}]"));
        assertTrue(typo.getMessage().startsWith("test case #0: unknown field \"input\"; expected one of [cols, "),
                typo.getMessage());
        IllegalArgumentException op = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> parse("[{\"id\": \"t\", \"op\": \"softmaxx\", \"inputs\": {\"x\": [1]}}]"));
        assertTrue(op.getMessage().contains("test case t.op"), op.getMessage());
        IllegalArgumentException dup = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> parse("[{\"id\": \"t\", \"op\": \"argmax\", \"inputs\": {\"x\": [1]}, "
                        + "\"expected\": {\"indices\": [0]}}, {\"id\": \"t\", \"op\": \"argmax\", "
                        + "\"inputs\": {\"x\": [1]}, \"expected\": {\"indices\": [0]}}]"));
        assertTrue(dup.getMessage().contains("duplicate id \"t\""), dup.getMessage());
        IllegalArgumentException number = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Values.toDouble("0x1p3", "inputs.x[0]"));
        assertTrue(number.getMessage().startsWith("inputs.x[0]: expected a number"), number.getMessage());
    }
}
