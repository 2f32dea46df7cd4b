/**
 * <b>Internal, not an API:</b> the exact scalar row kernels shared by the pure-Java backends of this repository
 * ({@code softmax4j-backend-plain}, {@code softmax4j-backend-ejml}), held once so that a fix reaches every backend.
 * Classes and signatures may change in any release; applications call {@link org.softmax4j.SoftmaxOps}, and a new
 * backend extends {@link org.softmax4j.AbstractSoftmaxOps} (or {@link org.softmax4j.kernels.ScalarSoftmaxOps} from
 * inside this repository).
 *
 * <p>The kernels by op family: {@link org.softmax4j.kernels.RowSoftmax} (softmax, temperature, masked, log-softmax,
 * logsumexp), {@link org.softmax4j.kernels.SoftmaxGradients} (both backward ops, the Jacobian),
 * {@link org.softmax4j.kernels.CrossEntropyKernels} (Keras' cross-entropy, the fused softmax cross-entropy with its
 * gradient), {@link org.softmax4j.kernels.Selection} (argmax, top-k) and {@link org.softmax4j.kernels.MatrixProducts}.
 * Each takes valid arguments only (validation is {@link org.softmax4j.AbstractSoftmaxOps}'), works on whole rows (a
 * row's result never depends on the rows around it, so callers may split rows over threads), allocates nothing after
 * a thread's first call at a given width, and is thread-safe. The numerics (shift by the first maximum, the
 * {@code 1 - p_max} tail kept as the sum of the others, TwoSum-corrected shifts and compensated sums in float64,
 * float32 computed in float64 and rounded once) are described on each class.
 */
package org.softmax4j.kernels;
