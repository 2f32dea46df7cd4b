package org.softmax4j.conformance;

import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

/** The whole conformance kit on the ND4J backend (libnd4j native ops). */
class Nd4jConformanceTest extends SoftmaxOpsConformanceKit {

    @Override
    protected SoftmaxOps ops() {
        return Softmax.ops("nd4j");
    }
}
