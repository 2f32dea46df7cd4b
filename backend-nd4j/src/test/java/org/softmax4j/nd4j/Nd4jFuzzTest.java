package org.softmax4j.nd4j;

import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.DifferentialFuzzKit;

/** The differential fuzz kit on the ND4J backend. */
class Nd4jFuzzTest extends DifferentialFuzzKit {

    private static final SoftmaxOps OPS = new Nd4jSoftmaxOps();

    @Override
    protected SoftmaxOps ops() {
        return OPS;
    }
}
