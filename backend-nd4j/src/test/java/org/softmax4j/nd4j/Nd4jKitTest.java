package org.softmax4j.nd4j;

import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.SoftmaxOpsConformanceKit;

/** The whole conformance kit on the ND4J backend, run in this module so a change here is checked here. */
class Nd4jKitTest extends SoftmaxOpsConformanceKit {

    private static final SoftmaxOps OPS = new Nd4jSoftmaxOps();

    @Override
    protected SoftmaxOps ops() {
        return OPS;
    }
}
