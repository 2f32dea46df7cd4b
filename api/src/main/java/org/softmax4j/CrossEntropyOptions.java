package org.softmax4j;

import java.util.Arrays;

/**
 * The options of the softmax cross-entropy ops, after PyTorch's
 * {@code cross_entropy(input, target, weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)}.
 *
 * <p>Immutable; start from {@link #DEFAULT} and change what you need (an op given null options uses {@link #DEFAULT}):
 * <pre>{@code
 * CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM).withLabelSmoothing(0.1);
 * }</pre>
 *
 * <p>For one row with logits {@code z}, {@code log p = logSoftmax(z)}, {@code C} classes, class weights {@code w}
 * (all 1 when absent) and smoothing {@code e}, the op forms an effective target {@code q} and computes
 * <pre>
 *   loss = -sum_c q_c * log p_c          gradient = p * sum_c q_c - q   (then scaled by the reduction)
 *   class index t : q_c = (1 - e) * w_t * [c == t] + (e / C) * w_c
 *   dense labels l: q_c = w_c * ((1 - e) * l_c + e / C)
 * </pre>
 * which is PyTorch's formula in both cases. A row whose class index equals {@link #ignoreIndex()} has loss 0 and
 * gradient 0 and is not counted by {@link Reduction#MEAN}; the ignore index does not apply to dense labels.
 */
public final class CrossEntropyOptions {

    /** PyTorch's default ignore index. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    /** Mean reduction, no class weights, no smoothing, ignore index -100. */
    public static final CrossEntropyOptions DEFAULT =
            new CrossEntropyOptions(Reduction.MEAN, null, 0.0, DEFAULT_IGNORE_INDEX);

    private final Reduction reduction;
    private final double[] classWeights;
    private final double labelSmoothing;
    private final int ignoreIndex;

    private CrossEntropyOptions(Reduction reduction, double[] classWeights, double labelSmoothing, int ignoreIndex) {
        this.reduction = reduction;
        this.classWeights = classWeights;
        this.labelSmoothing = labelSmoothing;
        this.ignoreIndex = ignoreIndex;
    }

    /** @return a copy with the given reduction; {@code NullPointerException} if null */
    public CrossEntropyOptions withReduction(Reduction reduction) {
        Validate.notNull("reduction", reduction);
        return new CrossEntropyOptions(reduction, classWeights, labelSmoothing, ignoreIndex);
    }

    /**
     * @param classWeights one weight per class, each finite and {@code >= 0} (not modified; copied), or null for none.
     *                     Its length is checked against {@code cols} when the options are used.
     * @return a copy with the given class weights
     * @throws IllegalArgumentException if a weight is negative, NaN or infinite (the message names its index)
     */
    public CrossEntropyOptions withClassWeights(double... classWeights) {
        double[] copy = classWeights == null ? null : classWeights.clone();
        if (copy != null) {
            Validate.classWeights(copy);
        }
        return new CrossEntropyOptions(reduction, copy, labelSmoothing, ignoreIndex);
    }

    /**
     * @param labelSmoothing {@code e} in {@code [0, 1]}
     * @return a copy with the given label smoothing
     * @throws IllegalArgumentException if {@code e} is NaN or outside {@code [0, 1]}
     */
    public CrossEntropyOptions withLabelSmoothing(double labelSmoothing) {
        Validate.labelSmoothing(labelSmoothing);
        return new CrossEntropyOptions(reduction, classWeights, labelSmoothing, ignoreIndex);
    }

    /** @return a copy whose rows with this class index are ignored (any int; a valid class index may be ignored too) */
    public CrossEntropyOptions withIgnoreIndex(int ignoreIndex) {
        return new CrossEntropyOptions(reduction, classWeights, labelSmoothing, ignoreIndex);
    }

    public Reduction reduction() {
        return reduction;
    }

    /** @return true if class weights were given */
    public boolean hasClassWeights() {
        return classWeights != null;
    }

    /** @return the number of class weights, or -1 if there are none */
    public int classWeightCount() {
        return classWeights == null ? -1 : classWeights.length;
    }

    /** @return the weight of class {@code c}, or 1 when there are no class weights (no allocation) */
    public double classWeight(int c) {
        return classWeights == null ? 1.0 : classWeights[c];
    }

    /** @return a copy of the class weights, or null */
    public double[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    public int ignoreIndex() {
        return ignoreIndex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrossEntropyOptions other
                && reduction == other.reduction
                && Arrays.equals(classWeights, other.classWeights)
                && Double.compare(labelSmoothing, other.labelSmoothing) == 0
                && ignoreIndex == other.ignoreIndex;
    }

    @Override
    public int hashCode() {
        return ((reduction.hashCode() * 31 + Arrays.hashCode(classWeights)) * 31
                + Double.hashCode(labelSmoothing)) * 31 + ignoreIndex;
    }

    @Override
    public String toString() {
        return "CrossEntropyOptions[reduction=" + reduction + ", classWeights=" + Arrays.toString(classWeights)
                + ", labelSmoothing=" + labelSmoothing + ", ignoreIndex=" + ignoreIndex + "]";
    }
}
