package org.softmax4j.nd4j;

import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.SoftmaxOpsConformanceKit;

/** The whole conformance kit on the ND4J backend, as an outside backend runs it. */
class Nd4jConformanceTest extends SoftmaxOpsConformanceKit {

    private static final SoftmaxOps OPS = new Nd4jSoftmaxOps();

    @Override
    protected SoftmaxOps ops() {
        return OPS;
    }
}
