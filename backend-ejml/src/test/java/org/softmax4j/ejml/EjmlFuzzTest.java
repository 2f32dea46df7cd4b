package org.softmax4j.ejml;

import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;
import org.softmax4j.conformance.DifferentialFuzzKit;

/**
 * The differential fuzz kit on the EJML backend: against the exact reference and any other backend on this module's
 * test class path (conformance-all compares all the backends of this repository with each other).
 */
class EjmlFuzzTest extends DifferentialFuzzKit {

    @Override
    protected SoftmaxOps ops() {
        return Softmax.ops("ejml");
    }
}
