package org.softmax4j;

/** The shape of a matrix view, for the shape checks of {@link Shapes}. */
interface Shaped {

    int rows();

    int cols();

    /** @return {@code "rows x cols"} as {@code "3x4"} */
    default String shape() {
        return rows() + "x" + cols();
    }
}
