package org.softmax4j.bench.report;

import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;

/**
 * The exact heap bytes one call of a benchmark method allocates on the calling thread.
 *
 * @param op           the op
 * @param dtype        its element type
 * @param shape        {@code rows x cols} of a row op, null for a matrix product
 * @param backend      the backend's name
 * @param bytesPerCall mean allocated bytes per call (0 for an allocation-free op)
 */
public record Allocation(Op op, Dtype dtype, String shape, String backend, double bytesPerCall) {
}
