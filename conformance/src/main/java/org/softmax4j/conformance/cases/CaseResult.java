package org.softmax4j.conformance.cases;

/**
 * The outcome of running one case in one dtype against one backend.
 *
 * @param name    the display name, "[backend] id op dtype"
 * @param passed  true if every check passed
 * @param message null when passed; otherwise what failed, naming backend, dtype, case, output, index, expected,
 *                actual and the error in ulps
 */
public record CaseResult(String name, boolean passed, String message) {

    static CaseResult pass(String name) {
        return new CaseResult(name, true, null);
    }

    static CaseResult fail(String name, String message) {
        return new CaseResult(name, false, name + ": " + message);
    }
}
