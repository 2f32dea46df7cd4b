package org.softmax4j.conformance;

import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

/** The whole conformance kit on the EJML backend. */
class EjmlConformanceTest extends SoftmaxOpsConformanceKit {

    @Override
    protected SoftmaxOps ops() {
        return Softmax.ops("ejml");
    }
}
