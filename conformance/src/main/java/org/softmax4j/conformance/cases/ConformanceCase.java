package org.softmax4j.conformance.cases;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.softmax4j.conformance.Dtype;
import org.softmax4j.conformance.Op;

/**
 * One conformance case read from a JSON case file (the format is described in {@code conformance/CASES.md}): an op,
 * its sizes, named inputs and options, and either the expected named outputs or the exception it must throw.
 * Numbers are kept as the decimal text of the file and rounded once to the dtype the case runs in.
 *
 * @param source          the file (or resource) the case came from
 * @param id              the case id, unique within its file
 * @param op              a {@link org.softmax4j.SoftmaxOps} method name, or {@code softmaxTemperature} for the
 *                        temperature overload of {@code softmax}
 * @param dtypes          the dtypes it runs in
 * @param rows            batch size (rows of {@code x}); 1 when not given
 * @param cols            classes; for {@code jacobian} the size {@code C}
 * @param m               rows of the product {@code C} ({@code matmul}, {@code matmulTransA}, {@code matmulTransB}; else 0)
 * @param k               inner dimension of the product (or the {@code k} of top-k, from the options)
 * @param n               columns of the product
 * @param inputs          named inputs, each flattened row-major as decimal texts (booleans as "true"/"false")
 * @param options         named scalar options as decimal texts ({@code reduction} as its name); class weights are
 *                        in {@code classWeights}
 * @param classWeights    the class weights as decimal texts, or null
 * @param expected        named expected outputs, flattened row-major as decimal texts
 * @param tolerance       the tolerance ({@link CaseTolerance#DEFAULT} when the file gives none)
 * @param expectError     the simple name of the exception the call must throw, or null
 * @param messageContains text the exception message must contain, or null
 * @param note            free text from the file, or null
 */
public record ConformanceCase(String source, String id, String op, List<Dtype> dtypes, int rows, int cols,
                              int m, int k, int n, Map<String, List<String>> inputs, Map<String, String> options,
                              List<String> classWeights, Map<String, List<String>> expected,
                              CaseTolerance tolerance, String expectError, String messageContains, String note) {

    /** The op names a case may use: those of the op table. */
    public static final List<String> OPS = Arrays.stream(Op.values()).map(Op::jsonName).toList();

    /** @return "[backend] id op dtype", the name every report uses */
    public String displayName(String backend, Dtype dtype) {
        return "[" + backend + "] " + id + " " + op + " " + dtype.jsonName();
    }

    /** @return the size the op's stated error bound depends on: the inner dimension for products, else cols */
    public int boundSize() {
        return OPS.contains(op) && Op.named(op).isProduct() ? k : cols;
    }

    /** @return the option's text, or {@code fallback} when the case does not set it */
    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }
}
