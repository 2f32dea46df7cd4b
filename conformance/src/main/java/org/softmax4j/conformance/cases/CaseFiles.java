package org.softmax4j.conformance.cases;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.softmax4j.conformance.Dtype;
import org.softmax4j.conformance.Op;
import org.softmax4j.conformance.Tolerance;

/**
 * Loads JSON case files (format: {@code conformance/CASES.md}) into {@link ConformanceCase}s. A malformed file fails
 * with a message naming the file, the case and the field, so a hand-edited file never silently loses a case.
 */
public final class CaseFiles {

    /** The case files shipped in this artifact, as absolute class-path resource names. */
    public static final List<String> SHIPPED = List.of(
            "/org/softmax4j/conformance/cases/seed.json",
            "/org/softmax4j/conformance/cases/edge.json",
            "/org/softmax4j/conformance/cases/reference.json",
            "/org/softmax4j/conformance/cases/fuzz-found.json");

    private static final Set<String> CASE_KEYS = Set.of("id", "op", "dtype", "rows", "cols", "m", "k", "n",
            "inputs", "options", "expected", "tolerance", "expectError", "messageContains", "note");
    private static final Set<String> TOLERANCE_KEYS = Set.of("ulps", "scaleUlps", "relative");

    private CaseFiles() {
    }

    /** @return the cases of every shipped file, in file order */
    public static List<ConformanceCase> shipped() {
        List<ConformanceCase> all = new ArrayList<>();
        for (String resource : SHIPPED) {
            all.addAll(resource(resource));
        }
        return all;
    }

    /** @return the cases of a class-path resource (an absolute name such as {@code /org/.../seed.json}) */
    public static List<ConformanceCase> resource(String name) {
        try (InputStream in = CaseFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("case resource " + name + " is not on the class path");
            }
            return parse(JsonTree.read(in), name);
        } catch (IOException e) {
            throw new UncheckedIOException("case resource " + name + ": " + e.getMessage(), e);
        }
    }

    /** @return the cases of a file */
    public static List<ConformanceCase> file(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return parse(JsonTree.read(in), path.toString());
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("file not found: " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("case file " + path + ": " + e.getMessage(), e);
        }
    }

    static List<ConformanceCase> parse(Object root, String source) {
        Object cases = root;
        if (root instanceof Map<?, ?> map) {
            cases = map.get("cases");
        }
        if (!(cases instanceof List<?> list)) {
            throw new IllegalArgumentException(source + ": expected a JSON array of cases or {\"cases\": [...]}");
        }
        List<ConformanceCase> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = source + " case #" + i;
            if (!(list.get(i) instanceof Map<?, ?> c)) {
                throw new IllegalArgumentException(where + ": expected a JSON object");
            }
            ConformanceCase parsed = parseCase(c, source, where);
            if (!ids.add(parsed.id())) {
                throw new IllegalArgumentException(where + ": duplicate id \"" + parsed.id() + "\"");
            }
            out.add(parsed);
        }
        return out;
    }

    private static ConformanceCase parseCase(Map<?, ?> c, String source, String where) {
        for (Object key : c.keySet()) {
            if (!CASE_KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown field \"" + key + "\"; expected one of "
                        + new java.util.TreeSet<>(CASE_KEYS));
            }
        }
        String id = text(c.get("id"), where + ".id");
        where = source + " case " + id;
        String op = text(c.get("op"), where + ".op");
        if (!ConformanceCase.OPS.contains(op)) {
            throw new IllegalArgumentException(where + ".op: expected one of " + ConformanceCase.OPS + ", actual \""
                    + op + "\"");
        }
        List<Dtype> dtypes = dtypes(c.get("dtype"), where + ".dtype");
        Map<String, List<String>> inputs = arrays(c.get("inputs"), where + ".inputs");
        Map<String, List<String>> expected = arrays(c.get("expected"), where + ".expected");
        Map<String, String> options = new LinkedHashMap<>();
        List<String> classWeights = null;
        if (c.get("options") != null) {
            if (!(c.get("options") instanceof Map<?, ?> o)) {
                throw new IllegalArgumentException(where + ".options: expected a JSON object");
            }
            for (Map.Entry<?, ?> e : o.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals("classWeights")) {
                    classWeights = flatten(e.getValue(), where + ".options.classWeights");
                } else {
                    options.put(name, text(e.getValue(), where + ".options." + name));
                }
            }
        }
        boolean product = Op.named(op).isProduct();
        int rows = integer(c.get("rows"), 1, where + ".rows");
        int m = integer(c.get("m"), 0, where + ".m");
        int k = product ? integer(c.get("k"), -1, where + ".k") : 0;
        int n = integer(c.get("n"), 0, where + ".n");
        int cols = integer(c.get("cols"), -1, where + ".cols");
        if (product) {
            if (c.get("m") == null || c.get("k") == null || c.get("n") == null) {
                throw new IllegalArgumentException(where + ": a matrix product needs m, k and n");
            }
            cols = k;
        } else if (cols < 0) {
            cols = inferCols(op, rows, inputs, where);
        }
        CaseTolerance tolerance = tolerance(c.get("tolerance"), where + ".tolerance");
        String expectError = c.get("expectError") == null ? null : text(c.get("expectError"), where + ".expectError");
        String messageContains = c.get("messageContains") == null ? null
                : text(c.get("messageContains"), where + ".messageContains");
        long outputs = product ? (long) m * n : (long) rows * cols;
        if (expectError == null && expected.isEmpty() && outputs != 0) {
            throw new IllegalArgumentException(where + ": a case needs \"expected\" outputs or \"expectError\"");
        }
        String note = c.get("note") == null ? null : text(c.get("note"), where + ".note");
        return new ConformanceCase(source, id, op, dtypes, rows, cols, m, k, n, inputs, options, classWeights,
                expected, tolerance, expectError, messageContains, note);
    }

    private static int inferCols(String op, int rows, Map<String, List<String>> inputs, String where) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(where + ": give \"cols\" (there are no inputs to infer it from)");
        }
        int length = inputs.values().iterator().next().size();
        if (Op.named(op).dims() == Op.Dims.COLS) {
            return length;
        }
        if (rows == 0 || length % rows != 0) {
            throw new IllegalArgumentException(where + ": give \"cols\" (the first input has " + length
                    + " values for " + rows + " rows)");
        }
        return length / rows;
    }

    private static List<Dtype> dtypes(Object v, String where) {
        if (v == null || "both".equals(v)) {
            return List.of(Dtype.FLOAT32, Dtype.FLOAT64);
        }
        if (v instanceof String s) {
            return List.of(Dtype.fromJson(s));
        }
        if (v instanceof List<?> list) {
            List<Dtype> out = new ArrayList<>();
            for (Object o : list) {
                out.add(Dtype.fromJson(text(o, where)));
            }
            return List.copyOf(out);
        }
        throw new IllegalArgumentException(where + ": expected \"float32\", \"float64\", \"both\" or a list");
    }

    private static CaseTolerance tolerance(Object v, String where) {
        if (v == null) {
            return CaseTolerance.DEFAULT;
        }
        if ("exact".equals(v)) {
            return new CaseTolerance(Tolerance.EXACT, 0);
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + ": expected \"exact\" or {\"ulps\": .., \"scaleUlps\": .., "
                    + "\"relative\": ..}");
        }
        for (Object key : map.keySet()) {
            if (!TOLERANCE_KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown field \"" + key + "\"; expected one of "
                        + new java.util.TreeSet<>(TOLERANCE_KEYS));
            }
        }
        Tolerance bound = null;
        if (map.containsKey("ulps") || map.containsKey("scaleUlps")) {
            bound = new Tolerance(number(map.get("ulps"), where + ".ulps"),
                    number(map.get("scaleUlps"), where + ".scaleUlps"));
        }
        double relative = number(map.get("relative"), where + ".relative");
        if (!(relative >= 0) || (bound != null && !(bound.ulps() >= 0 && bound.scaleUlps() >= 0))) {
            throw new IllegalArgumentException(where + ": expected non-negative numbers, actual " + map);
        }
        return new CaseTolerance(bound, relative);
    }

    private static double number(Object v, String where) {
        return v == null ? 0 : Values.toDouble(text(v, where), where);
    }

    private static int integer(Object v, int fallback, String where) {
        return v == null ? fallback : Values.toInt(text(v, where), where);
    }

    private static Map<String, List<String>> arrays(Object v, String where) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + ": expected a JSON object of named arrays");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.put((String) e.getKey(), flatten(e.getValue(), where + "." + e.getKey()));
        }
        return out;
    }

    /** Flattens nested arrays row-major (numpy's {@code tolist()} of a matrix loads as it is). */
    private static List<String> flatten(Object v, String where) {
        List<String> out = new ArrayList<>();
        flattenInto(v, where, out);
        return List.copyOf(out);
    }

    private static void flattenInto(Object v, String where, List<String> out) {
        if (v instanceof List<?> list) {
            for (Object o : list) {
                flattenInto(o, where, out);
            }
        } else {
            out.add(text(v, where));
        }
    }

    private static String text(Object v, String where) {
        if (v instanceof JsonTree.Num num) {
            return num.text();
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        throw new IllegalArgumentException(where + ": expected a number, string or boolean, actual "
                + (v == null ? "null" : v.getClass().getSimpleName()));
    }
}
