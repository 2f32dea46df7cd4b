package org.softmax4j.conformance;

import org.softmax4j.SoftmaxOps;
import org.softmax4j.plain.PlainSoftmaxOps;

/** The differential fuzz kit on the plain backend. */
class PlainFuzzTest extends DifferentialFuzzKit {

    private static final SoftmaxOps OPS = new PlainSoftmaxOps();

    @Override
    protected SoftmaxOps ops() {
        return OPS;
    }
}
