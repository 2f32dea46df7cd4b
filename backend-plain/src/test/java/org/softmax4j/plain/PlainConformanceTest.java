package org.softmax4j.plain;

import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.SoftmaxOpsConformanceKit;

/**
 * The whole conformance kit on the plain backend, run as an outside backend runs it (a test dependency on
 * softmax4j-conformance); twice, without and with the Vector API (this module's pom).
 */
class PlainConformanceTest extends SoftmaxOpsConformanceKit {

    @Override
    protected SoftmaxOps ops() {
        return Softmax.ops("plain");
    }
}
