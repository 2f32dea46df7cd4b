package org.softmax4j.bench;

import java.util.Locale;

/**
 * A {@code rows x cols} matrix shape as the benchmarks name it ("256x1000").
 *
 * @param rows the batch, {@code >= 1}
 * @param cols the classes, {@code >= 1}
 */
public record Shape(int rows, int cols) {

    public Shape {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("shape: expected rows >= 1 and cols >= 1, got " + rows + "x" + cols);
        }
        Math.multiplyExact(rows, cols);
    }

    /**
     * @param text "ROWSxCOLS", e.g. "4096x4096"
     * @throws IllegalArgumentException naming the text if it is not of that form
     */
    public static Shape parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape: expected ROWSxCOLS such as 256x1000, got '" + text + "'");
        }
        try {
            return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape: expected ROWSxCOLS such as 256x1000, got '" + text + "'", e);
        }
    }

    /** @return {@code rows * cols} */
    public int elements() {
        return rows * cols;
    }

    @Override
    public String toString() {
        return rows + "x" + cols;
    }
}
