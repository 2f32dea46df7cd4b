package org.softmax4j.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.softmax4j.bench.Dtype;

/**
 * ND4J's own ops and the INDArray entry point run in the dtype the bench asks for (a float64 reference that ran in
 * float32 would flatter the float64 ratios), and on the same inputs they agree: softmax and log-softmax to a few
 * ulps of the dtype, the sparse loss gradient likewise.
 */
class Nd4jReferenceDtypeTest {

    @ParameterizedTest
    @EnumSource(Dtype.class)
    void nativeOpsAndTheEntryPointRunInTheDtypeAndAgree(Dtype dtype) {
        Nd4jNativeOpsBench reference = new Nd4jNativeOpsBench();
        reference.shape = "100x10";
        reference.dtype = dtype;
        reference.setUp();
        Nd4jSoftmaxBench entryPoint = new Nd4jSoftmaxBench();
        entryPoint.shape = "100x10";
        entryPoint.dtype = dtype;
        entryPoint.setUp();
        DataType expected = dtype == Dtype.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
        double tolerance = dtype == Dtype.FLOAT32 ? 1e-5 : 1e-13;

        INDArray ours = entryPoint.softmax().dup();
        INDArray theirs = reference.softmax().dup();
        assertEquals(expected, ours.dataType());
        assertEquals(expected, theirs.dataType());
        assertEquals(0, ours.sub(theirs).amaxNumber().doubleValue(), tolerance, "softmax");

        ours = entryPoint.logSoftmax().dup();
        theirs = reference.logSoftmax().dup();
        assertEquals(expected, theirs.dataType());
        assertEquals(0, ours.sub(theirs).amaxNumber().doubleValue(), 8 * tolerance, "log-softmax");

        double loss = entryPoint.sparseCrossEntropy();
        INDArray gradient = reference.sparseCrossEntropy();
        assertEquals(expected, gradient.dataType());
        // ND4J's gradient op is that of the summed loss; the entry point's that of the mean over the 100 rows
        assertEquals(0, entryPoint.gradient().mul(100).sub(gradient).amaxNumber().doubleValue(), 8 * tolerance,
                "sparse cross-entropy gradient");
        assertEquals(reference.rowLoss().meanNumber().doubleValue(), loss, 8 * tolerance, "mean loss");
    }
}
