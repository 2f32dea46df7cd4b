package org.softmax4j.conformance;

/** The two precisions every op comes in. */
public enum Dtype {
    FLOAT32(0x1p-24),
    FLOAT64(0x1p-53);

    private final double unitRoundoff;

    Dtype(double unitRoundoff) {
        this.unitRoundoff = unitRoundoff;
    }

    /** @return u, half the distance from 1 to the next value: 2^-24 or 2^-53 */
    public double unitRoundoff() {
        return unitRoundoff;
    }

    /** @return {@code v} rounded to this dtype (identity for float64) */
    public double round(double v) {
        return this == FLOAT32 ? (float) v : v;
    }

    /** @return the ulp of this dtype at {@code v} rounded to it (the spacing of subnormals below the normal range) */
    public double ulp(double v) {
        return this == FLOAT32 ? Math.ulp((float) v) : Math.ulp(v);
    }

    /** @return the JSON name: "float32" or "float64" */
    public String jsonName() {
        return this == FLOAT32 ? "float32" : "float64";
    }

    public static Dtype fromJson(String name) {
        return switch (name) {
            case "float32" -> FLOAT32;
            case "float64" -> FLOAT64;
            default -> throw new IllegalArgumentException("dtype: expected \"float32\" or \"float64\", actual \"" + name + "\"");
        };
    }

    /** @return the accuracy class {@code ops} declares for this dtype */
    public org.softmax4j.Accuracy accuracyOf(org.softmax4j.SoftmaxOps ops) {
        return ops.accuracy(this == FLOAT64 ? double.class : float.class);
    }
}
