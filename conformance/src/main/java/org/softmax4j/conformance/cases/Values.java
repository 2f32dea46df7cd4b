package org.softmax4j.conformance.cases;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * The number texts of a case file, rounded once to a dtype. Non-finite values are the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"} (also {@code "nan"}, {@code "inf"}, {@code "-inf"} as numpy prints them).
 */
final class Values {

    private Values() {
    }

    /** @return the decimal text rounded to float64 ({@link Double#parseDouble} rounds correctly, once) */
    static double toDouble(String text, String where) {
        try {
            return Double.parseDouble(special(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": expected a number, actual \"" + text + "\"", e);
        }
    }

    /** @return the decimal text rounded to float32 directly (never via double, which could round twice) */
    static float toFloat(String text, String where) {
        try {
            return Float.parseFloat(special(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": expected a number, actual \"" + text + "\"", e);
        }
    }

    static int toInt(String text, String where) {
        try {
            return new BigDecimal(text.trim()).intValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(where + ": expected an int, actual \"" + text + "\"", e);
        }
    }

    static boolean toBoolean(String text, String where) {
        return switch (text.trim()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException(where + ": expected true/false, actual \"" + text + "\"");
        };
    }

    static double[] doubles(List<String> texts, String where) {
        double[] a = new double[texts.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = toDouble(texts.get(i), where + "[" + i + "]");
        }
        return a;
    }

    /**
     * Rejects what {@link Double#parseDouble} would accept but JSON does not mean (hex floats, "f"/"d" suffixes,
     * surrounding blanks) and maps the non-finite spellings to Java's.
     */
    private static String special(String text) {
        String t = text.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan":
                return "NaN";
            case "infinity", "+infinity", "inf", "+inf":
                return "Infinity";
            case "-infinity", "-inf":
                return "-Infinity";
            default:
                break;
        }
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (!(ch >= '0' && ch <= '9') && ch != '.' && ch != 'e' && ch != 'E' && ch != '+' && ch != '-') {
                throw new NumberFormatException("not a decimal number: \"" + text + "\"");
            }
        }
        return t;
    }
}
