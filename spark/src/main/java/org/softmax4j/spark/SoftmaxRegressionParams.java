package org.softmax4j.spark;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The parameters shared by {@link SoftmaxRegression} and {@link SoftmaxRegressionModel}, with their getters. Spark ML
 * finds parameters through the public no-argument methods that return a {@link Param}; these are they.
 */
public interface SoftmaxRegressionParams extends Params {

    /** @return this instance's parameter objects */
    SoftmaxParamSet paramSet();

    /** @return the features column: an ML {@code Vector} per row (default {@code "features"}) */
    default Param<String> featuresCol() {
        return paramSet().featuresCol;
    }

    /** @return the label column: class indices {@code 0, 1, ...} as numbers (default {@code "label"}) */
    default Param<String> labelCol() {
        return paramSet().labelCol;
    }

    /** @return the weight column; empty (the default) gives every row weight 1 */
    default Param<String> weightCol() {
        return paramSet().weightCol;
    }

    /** @return the predicted class column, a double (default {@code "prediction"}); empty: not written */
    default Param<String> predictionCol() {
        return paramSet().predictionCol;
    }

    /** @return the logits column, a dense Vector (default {@code "rawPrediction"}); empty: not written */
    default Param<String> rawPredictionCol() {
        return paramSet().rawPredictionCol;
    }

    /** @return the class probabilities column, a dense Vector (default {@code "probability"}); empty: not written */
    default Param<String> probabilityCol() {
        return paramSet().probabilityCol;
    }

    /**
     * @return the top-k column, an {@code array<int>} of the {@link #topK()} most probable classes, most probable
     * first, ties to the lower class (default empty: not written)
     */
    default Param<String> topKCol() {
        return paramSet().topKCol;
    }

    /** @return k of the top-k column, {@code 1 <= k <=} the number of classes (default 3) */
    default IntParam topK() {
        return paramSet().topK;
    }

    /** @return the maximum number of L-BFGS iterations (default 100) */
    default IntParam maxIter() {
        return paramSet().maxIter;
    }

    /** @return the L-BFGS convergence tolerance (default 1e-6, as MLlib) */
    default DoubleParam tol() {
        return paramSet().tol;
    }

    /**
     * @return the L2 strength {@code lambda}: the objective adds {@code lambda/2 * sum w_jk^2} over the coefficients of
     * the original (unscaled) features, not the intercepts, as MLlib does with {@code standardization = false}
     * (default 0)
     */
    default DoubleParam regParam() {
        return paramSet().regParam;
    }

    /** @return whether to fit an intercept per class (default true) */
    default BooleanParam fitIntercept() {
        return paramSet().fitIntercept;
    }

    /**
     * @return the number of classes the labels must fall in, {@code [0, expectedClasses)}; 0 (the default) takes one
     * more than the largest training label (MLlib's inference)
     */
    default IntParam expectedClasses() {
        return paramSet().expectedClasses;
    }

    /** @return rows per block on the executors, in training and scoring (default 1024) */
    default IntParam blockSize() {
        return paramSet().blockSize;
    }

    /** @return {@code "float"} (the default) or {@code "double"}: the precision of the blocks on the executors */
    default Param<String> precision() {
        return paramSet().precision;
    }

    /** @return the depth of Spark's tree aggregation of the gradient (default 2) */
    default IntParam aggregationDepth() {
        return paramSet().aggregationDepth;
    }

    /** @return the value of {@link #featuresCol()} */
    default String getFeaturesCol() {
        return getOrDefault(featuresCol());
    }

    /** @return the value of {@link #labelCol()} */
    default String getLabelCol() {
        return getOrDefault(labelCol());
    }

    /** @return the value of {@link #weightCol()} */
    default String getWeightCol() {
        return getOrDefault(weightCol());
    }

    /** @return the value of {@link #predictionCol()} */
    default String getPredictionCol() {
        return getOrDefault(predictionCol());
    }

    /** @return the value of {@link #rawPredictionCol()} */
    default String getRawPredictionCol() {
        return getOrDefault(rawPredictionCol());
    }

    /** @return the value of {@link #topKCol()} */
    default String getTopKCol() {
        return getOrDefault(topKCol());
    }

    /** @return the value of {@link #topK()} */
    default int getTopK() {
        return (Integer) getOrDefault(topK());
    }

    /** @return the value of {@link #probabilityCol()} */
    default String getProbabilityCol() {
        return getOrDefault(probabilityCol());
    }

    /** @return the value of {@link #maxIter()} */
    default int getMaxIter() {
        return (Integer) getOrDefault(maxIter());
    }

    /** @return the value of {@link #tol()} */
    default double getTol() {
        return (Double) getOrDefault(tol());
    }

    /** @return the value of {@link #regParam()} */
    default double getRegParam() {
        return (Double) getOrDefault(regParam());
    }

    /** @return the value of {@link #fitIntercept()} */
    default boolean getFitIntercept() {
        return (Boolean) getOrDefault(fitIntercept());
    }

    /** @return the value of {@link #expectedClasses()} */
    default int getExpectedClasses() {
        return (Integer) getOrDefault(expectedClasses());
    }

    /** @return the value of {@link #blockSize()} */
    default int getBlockSize() {
        return (Integer) getOrDefault(blockSize());
    }

    /** @return the value of {@link #precision()} */
    default String getPrecision() {
        return getOrDefault(precision());
    }

    /** @return the value of {@link #aggregationDepth()} */
    default int getAggregationDepth() {
        return (Integer) getOrDefault(aggregationDepth());
    }
}
