package org.softmax4j.ejml;

import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.SoftmaxOpsConformanceKit;

/**
 * The whole conformance kit on the EJML backend, run as an outside backend runs it (a test dependency on
 * softmax4j-conformance).
 */
class EjmlConformanceTest extends SoftmaxOpsConformanceKit {

    @Override
    protected SoftmaxOps ops() {
        return Softmax.ops("ejml");
    }
}
