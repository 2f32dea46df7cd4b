package org.softmax4j.plain;

import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.DifferentialFuzzKit;

/**
 * The differential fuzz kit on the plain backend, against the exact reference (the comparison with the other
 * backends runs in conformance-all, where they are all on the class path).
 */
class PlainFuzzTest extends DifferentialFuzzKit {

    private static final SoftmaxOps OPS = new PlainSoftmaxOps();

    @Override
    protected SoftmaxOps ops() {
        return OPS;
    }
}
