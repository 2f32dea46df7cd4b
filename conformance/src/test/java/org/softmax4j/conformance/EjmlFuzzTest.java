package org.softmax4j.conformance;

import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

/** The differential fuzz kit on the EJML backend (compared with the reference and with every other backend). */
class EjmlFuzzTest extends DifferentialFuzzKit {

    @Override
    protected SoftmaxOps ops() {
        return Softmax.ops("ejml");
    }
}
