/**
 * softmax4j: softmax, log-softmax, cross-entropy and their gradients for the JVM, with pluggable backends.
 *
 * <p>{@link org.softmax4j.SoftmaxOps} is the SPI (and the user API), {@link org.softmax4j.Softmax} finds backends on
 * the class path, {@link org.softmax4j.Validate} holds the argument checks every backend shares and
 * {@link org.softmax4j.AbstractSoftmaxOps} applies them before a backend's kernels run.
 *
 * <h2>Numeric semantics (every backend; checked by the conformance kit)</h2>
 * <table>
 * <caption>Edge cases</caption>
 * <tr><th>situation</th><th>behaviour</th></tr>
 * <tr><td>large finite logits (1e4, float max)</td><td>exact to rounding: every row is shifted by its maximum, and
 *     a temperature divides the shifted value ({@code exp((x - max) / T)}), never {@code x / T} first</td></tr>
 * <tr><td>some {@code -inf} entries</td><td>probability exactly 0, log-softmax {@code -inf}, gradient exactly 0
 *     there</td></tr>
 * <tr><td>a row of all {@code -inf}</td><td>softmax and log-softmax NaN; logSumExp {@code -inf}; masked softmax of a
 *     fully masked row: zeros, and a zero gradient; masked softmax whose kept entries are all {@code -inf} or hold
 *     {@code +inf} or NaN: those entries NaN (the softmax rules), masked entries 0</td></tr>
 * <tr><td>masks ({@code boolean[]}, {@code rows x cols} with its own offset, {@code true} = the entry or class takes
 *     part)</td><td>masked entries are ignored whatever their value (NaN, infinities): masked softmax 0, masked
 *     log-softmax {@code -inf} ({@code ops.maskedLogSoftmax(1, 5, x, 0, legal, 0, y, 0)}), excluded from the masked
 *     logSumExp ({@code ops.maskedLogSumExp(1, 5, x, 0, legal, 0, out, 0)}); a fully masked row gives softmax
 *     zeros, log-softmax {@code -inf} everywhere and logSumExp {@code -inf}, never NaN. Where the kept entries have
 *     a finite maximum, each masked op equals the unmasked one with the masked logits set to {@code -inf}</td></tr>
 * <tr><td>masked cross-entropies with logits (the overloads taking a mask after the logits)</td><td>a masked class
 *     takes no probability and gets a gradient of exactly 0
 *     ({@code ops.sparseSoftmaxCrossEntropyWithLogits(B, C, z, 0, legal, 0, y, 0, opts, null, 0, dz, 0)}); label
 *     smoothing spreads {@code e / K} over the {@code K} kept classes of the row; a row with no kept class has loss
 *     0 and gradient 0; a target class that is masked (sparse), or a non-zero label on a masked class (dense), is an
 *     error naming the row, thrown before any write; the mean's denominator is the unmasked op's</td></tr>
 * <tr><td>cross-entropy with logits on a row with no finite maximum (all {@code -inf}, {@code +inf}, NaN)</td>
 *     <td>that row's loss and gradient NaN, whatever the labels</td></tr>
 * <tr><td>NaN in a row</td><td>that row all NaN, other rows untouched; argmax counts NaN as the maximum (the first
 *     NaN)</td></tr>
 * <tr><td>{@code +inf} in a row</td><td>softmax and log-softmax NaN; logSumExp {@code +inf}</td></tr>
 * <tr><td>rows = 0</td><td>nothing written, no error; a reduction gives 0 (sum, none) or NaN (mean)</td></tr>
 * <tr><td>cols = 0</td><td>softmax, log-softmax: nothing written; logSumExp {@code -inf}; every cross-entropy: an
 *     error (no class can be a target); argmax: an error when rows &gt; 0</td></tr>
 * <tr><td>cols = 1</td><td>softmax 1, log-softmax 0, loss 0 (for a label of 1)</td></tr>
 * <tr><td>dense labels not summing to 1</td><td>loss {@code -sum(l * log p)}, no renormalisation; gradient
 *     {@code sum(l) * softmax - l}</td></tr>
 * <tr><td>dense label 0 on a {@code -inf} logit</td><td>contributes 0 (not NaN); a positive label there gives
 *     {@code +inf}</td></tr>
 * <tr><td>class index out of range</td><td>an error naming the row and the value (unless it is the ignore
 *     index)</td></tr>
 * <tr><td>ignore index (default -100)</td><td>ignored rows add nothing, get a zero gradient and are not counted by
 *     the mean; a mean over nothing (every row ignored, or every target's class weight 0): NaN, and a zero gradient
 *     (no update)</td></tr>
 * <tr><td>class weights with mean</td><td>class indices: {@code sum(w[t] * loss) / sum(w[t])} (PyTorch); dense
 *     labels: each term weighted, divided by the number of rows</td></tr>
 * <tr><td>label smoothing e</td><td>PyTorch's formula: {@code (1 - e) * nll + e / C * sum over classes}, weights
 *     included, ignored rows excluded; e outside [0, 1] or NaN is an error</td></tr>
 * <tr><td>reduced cross-entropy from probabilities</td><td>{@link org.softmax4j.Reduction#MEAN} (Keras'
 *     default {@code sum_over_batch_size}): the sum of the row losses over {@code rows}; {@code SUM} the sum;
 *     {@code NONE} the per-row losses and their sum returned
 *     ({@code double mean = ops.crossEntropy(B, C, p, 0, t, 0, SoftmaxOps.DEFAULT_EPSILON, Reduction.MEAN, null, 0)});
 *     a NaN row loss makes the sum and the mean NaN</td></tr>
 * <tr><td>cross-entropy from probabilities</td><td>Keras: each row divided by its sum, clipped to
 *     {@code [eps, 1 - eps]} (eps and {@code 1 - eps} rounded to the dtype), then {@code -sum(t * log p)}; an all-zero
 *     row gives NaN; with eps = 0 a zero probability gives {@code log 0 = -inf}, so a zero label there gives NaN
 *     ({@code 0 * -inf}, as Keras)</td></tr>
 * <tr><td>argmax, top-k</td><td>ties to the lowest index; top-k sorted descending and stable; k &gt; C is an error,
 *     k = 0 an empty result</td></tr>
 * <tr><td>subnormal results</td><td>kept, never flushed: {@code softmax([-745, 0])} in float64 gives
 *     {@code 4.9e-324} first</td></tr>
 * <tr><td>tiny gradient tails</td><td>kept: {@code 1 - p_max} is computed as the sum of the other probabilities, so
 *     logits {@code [37.43, 0]} with class 0 give a gradient of about {@code -+5.55e-17}, not 0</td></tr>
 * </table>
 *
 * <h2>Accuracy</h2>
 * Results are compared with the exact result of the given inputs (computed at high precision). Float32 row ops
 * accumulate in float64 (or in compensated float lanes added in float64, which is as exact), so a float32 row of
 * 32000 classes is as accurate as a short one; the float32 matrix products accumulate in float32, as BLAS does. The
 * bounds each backend meets are stated per op in the conformance kit ({@code ErrorBounds}) and the README.
 *
 * <p>A backend declares an accuracy class per dtype ({@link org.softmax4j.SoftmaxOps#accuracy(Class)}):
 * {@link org.softmax4j.Accuracy#EXACT}, a few ulps of the exact result, or {@link org.softmax4j.Accuracy#STANDARD},
 * the error of a backward-stable algorithm (a naive row sum and a rounded shift {@code x - max}). Every semantic rule
 * above holds in both classes.
 */
package org.softmax4j;
