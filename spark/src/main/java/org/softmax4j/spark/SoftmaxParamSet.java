package org.softmax4j.spark;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The parameter objects of one {@link SoftmaxRegression} or {@link SoftmaxRegressionModel}, created once per owner
 * (Spark ML checks that every parameter belongs to the instance it is set on, by uid). Names, defaults and meanings
 * follow MLlib's {@code LogisticRegression} where it has the same option. Read them through
 * {@link SoftmaxRegressionParams}.
 */
public final class SoftmaxParamSet {

    /** {@code "float"}: blocks and weights in float32 on the executors (the fast default). */
    static final String FLOAT = "float";
    /** {@code "double"}: blocks and weights in float64 (for agreement with MLlib to many digits). */
    static final String DOUBLE = "double";

    final Param<String> featuresCol;
    final Param<String> labelCol;
    final Param<String> weightCol;
    final Param<String> predictionCol;
    final Param<String> rawPredictionCol;
    final Param<String> probabilityCol;
    final Param<String> topKCol;
    final IntParam topK;
    final IntParam maxIter;
    final DoubleParam tol;
    final DoubleParam regParam;
    final BooleanParam fitIntercept;
    final IntParam expectedClasses;
    final IntParam blockSize;
    final Param<String> precision;
    final IntParam aggregationDepth;

    SoftmaxParamSet(String uid) {
        featuresCol = new Param<>(uid, "featuresCol", "features column name (an ML Vector)");
        labelCol = new Param<>(uid, "labelCol", "label column name (class indices 0, 1, ... as numbers)");
        weightCol = new Param<>(uid, "weightCol", "weight column name; empty: every row has weight 1");
        predictionCol = new Param<>(uid, "predictionCol", "prediction column name; empty: not written");
        rawPredictionCol = new Param<>(uid, "rawPredictionCol",
                "raw prediction (logits) column name; empty: not written");
        probabilityCol = new Param<>(uid, "probabilityCol",
                "class probabilities column name; empty: not written");
        topKCol = new Param<>(uid, "topKCol", "top-k column name (array<int>: the k most probable classes, most "
                + "probable first, ties to the lower class); empty: not written");
        topK = new IntParam(uid, "topK", "k of the top-k column (>= 1, at most the number of classes)",
                ParamValidators.gtEq(1));
        maxIter = new IntParam(uid, "maxIter", "maximum number of L-BFGS iterations (>= 0)",
                ParamValidators.gtEq(0));
        tol = new DoubleParam(uid, "tol", "L-BFGS convergence tolerance (>= 0)", ParamValidators.gtEq(0));
        regParam = new DoubleParam(uid, "regParam",
                "L2 regularisation strength on the coefficients of the original features (>= 0)",
                ParamValidators.gtEq(0));
        fitIntercept = new BooleanParam(uid, "fitIntercept", "whether to fit an intercept per class");
        expectedClasses = new IntParam(uid, "expectedClasses",
                "number of classes the labels must fall in; 0: one more than the largest training label",
                ParamValidators.gtEq(0));
        blockSize = new IntParam(uid, "blockSize", "rows per block on the executors (> 0)",
                ParamValidators.gt(0));
        precision = new Param<>(uid, "precision", "precision of the blocks on the executors: float or double",
                ParamValidators.inArray(new String[] {FLOAT, DOUBLE}));
        aggregationDepth = new IntParam(uid, "aggregationDepth", "depth of Spark's tree aggregation (>= 2)",
                ParamValidators.gtEq(2));
    }

    /** Sets the defaults on {@code owner}, whose parameters these are. */
    void setDefaults(Params owner) {
        owner.setDefault(featuresCol, "features");
        owner.setDefault(labelCol, "label");
        owner.setDefault(weightCol, "");
        owner.setDefault(predictionCol, "prediction");
        owner.setDefault(rawPredictionCol, "rawPrediction");
        owner.setDefault(probabilityCol, "probability");
        owner.setDefault(topKCol, "");
        owner.setDefault(topK, 3);
        owner.setDefault(maxIter, 100);
        owner.setDefault(tol, 1e-6);
        owner.setDefault(regParam, 0.0);
        owner.setDefault(fitIntercept, true);
        owner.setDefault(expectedClasses, 0);
        owner.setDefault(blockSize, 1024);
        owner.setDefault(precision, FLOAT);
        owner.setDefault(aggregationDepth, 2);
    }
}
