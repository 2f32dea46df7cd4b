package org.softmax4j.bench;

/** The element types the benchmarks run in. */
public enum Dtype {
    FLOAT32("float32", Float.BYTES),
    FLOAT64("float64", Double.BYTES);

    private final String label;
    private final int bytes;

    Dtype(String label, int bytes) {
        this.label = label;
        this.bytes = bytes;
    }

    /** @return "float32" or "float64" */
    public String label() {
        return label;
    }

    /** @return the size of one element in bytes */
    public int bytes() {
        return bytes;
    }

    /** @return the dtype with this label, case-insensitive */
    public static Dtype parse(String text) {
        for (Dtype d : values()) {
            if (d.label.equalsIgnoreCase(text.trim()) || d.name().equalsIgnoreCase(text.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("dtype: expected float32 or float64, got '" + text + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}
