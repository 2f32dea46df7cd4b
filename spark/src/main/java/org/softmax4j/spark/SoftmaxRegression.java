package org.softmax4j.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;

import breeze.linalg.DenseVector;
import breeze.optimize.FirstOrderMinimizer;
import breeze.optimize.LBFGS;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.softmax4j.Validate;

/**
 * Multinomial softmax regression for Spark ML, trained like MLlib's {@code LogisticRegression(family =
 * "multinomial", standardization = false)} — the same objective, scaled space, initial point and Breeze L-BFGS
 * (memory 10) — with the gradient work done by softmax4j on the executors: each partition's rows are packed once into
 * cached blocks (float32 by default, {@link #setPrecision(String) double} on request), and every evaluation runs per
 * block {@code matmul}, the fused {@code sparseSoftmaxCrossEntropyWithLogits} with its gradient, and
 * {@code matmulTransA}, summed with Spark's {@code treeAggregate}. The backend is chosen on each executor as
 * everywhere else ({@code -Dsoftmax4j.backend}, class path).
 *
 * <pre>{@code
 * SoftmaxRegressionModel model = new SoftmaxRegression().setMaxIter(25).fit(train); // columns features, label
 * Dataset<Row> scored = model.transform(test);   // + rawPrediction, probability, prediction
 * }</pre>
 *
 * <p>Bad rows (a features vector of another size, a NaN or infinite feature, a label that is not a whole number in
 * {@code [0, expectedClasses)}, a negative weight) fail the fit with the library's {@link IllegalArgumentException}
 * (the cause of Spark's job failure) in the first pass, before the optimiser starts.
 */
public class SoftmaxRegression extends Estimator<SoftmaxRegressionModel>
        implements SoftmaxRegressionParams, MLWritable {

    private static final long serialVersionUID = 1L;
    /** L-BFGS memory, as MLlib's. */
    private static final int LBFGS_MEMORY = 10;

    private final String uid;
    private final SoftmaxParamSet paramSet;

    /** A new estimator with a random uid and the defaults. */
    public SoftmaxRegression() {
        this(Identifiable.randomUID("softmax4jReg"));
    }

    /** A new estimator with the given uid (Spark ML's persistence and copies call this). */
    public SoftmaxRegression(String uid) {
        this.uid = uid;
        this.paramSet = new SoftmaxParamSet(uid);
        paramSet.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public SoftmaxParamSet paramSet() {
        return paramSet;
    }

    /** @param value the features column (an ML Vector) */
    public SoftmaxRegression setFeaturesCol(String value) {
        return (SoftmaxRegression) set(featuresCol(), value);
    }

    /** @param value the label column (class indices as numbers) */
    public SoftmaxRegression setLabelCol(String value) {
        return (SoftmaxRegression) set(labelCol(), value);
    }

    /** @param value the weight column, or empty for weight 1 everywhere */
    public SoftmaxRegression setWeightCol(String value) {
        return (SoftmaxRegression) set(weightCol(), value);
    }

    /** @param value the prediction column of the model, or empty */
    public SoftmaxRegression setPredictionCol(String value) {
        return (SoftmaxRegression) set(predictionCol(), value);
    }

    /** @param value the logits column of the model, or empty */
    public SoftmaxRegression setRawPredictionCol(String value) {
        return (SoftmaxRegression) set(rawPredictionCol(), value);
    }

    /** @param value the probabilities column of the model, or empty */
    public SoftmaxRegression setProbabilityCol(String value) {
        return (SoftmaxRegression) set(probabilityCol(), value);
    }

    /** @param value the top-k column ({@code array<int>}, most probable class first), or empty */
    public SoftmaxRegression setTopKCol(String value) {
        return (SoftmaxRegression) set(topKCol(), value);
    }

    /** @param value k of the top-k column, {@code >= 1} and at most the number of classes */
    public SoftmaxRegression setTopK(int value) {
        return (SoftmaxRegression) set(topK(), value);
    }

    /** @param value the maximum number of L-BFGS iterations, {@code >= 0} */
    public SoftmaxRegression setMaxIter(int value) {
        return (SoftmaxRegression) set(maxIter(), value);
    }

    /** @param value the L-BFGS convergence tolerance, {@code >= 0} */
    public SoftmaxRegression setTol(double value) {
        return (SoftmaxRegression) set(tol(), value);
    }

    /** @param value the L2 strength on the original features' coefficients, {@code >= 0} */
    public SoftmaxRegression setRegParam(double value) {
        return (SoftmaxRegression) set(regParam(), value);
    }

    /** @param value whether to fit intercepts */
    public SoftmaxRegression setFitIntercept(boolean value) {
        return (SoftmaxRegression) set(fitIntercept(), value);
    }

    /** @param value the number of classes the labels must fall in, or 0 to infer it from the largest label */
    public SoftmaxRegression setExpectedClasses(int value) {
        return (SoftmaxRegression) set(expectedClasses(), value);
    }

    /** @param value rows per block on the executors, {@code > 0} */
    public SoftmaxRegression setBlockSize(int value) {
        return (SoftmaxRegression) set(blockSize(), value);
    }

    /** @param value {@code "float"} or {@code "double"} */
    public SoftmaxRegression setPrecision(String value) {
        return (SoftmaxRegression) set(precision(), value);
    }

    /** @param value the depth of the tree aggregation, {@code >= 2} */
    public SoftmaxRegression setAggregationDepth(int value) {
        return (SoftmaxRegression) set(aggregationDepth(), value);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireTraining(this, schema);
        return Columns.scored(this, schema);
    }

    @Override
    public SoftmaxRegressionModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        boolean hasWeights = !getWeightCol().isEmpty();
        List<Column> columns = new ArrayList<>(List.of(col(getFeaturesCol()), col(getLabelCol()).cast("double")));
        if (hasWeights) {
            columns.add(col(getWeightCol()).cast("double"));
        }
        Dataset<Row> input = dataset.select(columns.toArray(new Column[0]));
        List<Row> first = input.select(col(getFeaturesCol())).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw Validate.bad("dataset", "at least one row", "0 rows");
        }
        Object firstFeatures = first.get(0).get(0);
        if (!(firstFeatures instanceof Vector)) {
            throw Validate.bad("features of row 0", "an ML Vector", firstFeatures);
        }
        int features = ((Vector) firstFeatures).size();
        int fixedClasses = getExpectedClasses();
        boolean inFloat = SoftmaxParamSet.FLOAT.equals(getPrecision());
        JavaRDD<InstanceBlock> blocks = input.toJavaRDD()
                .mapPartitionsWithIndex(new BlockPacker(features, fixedClasses > 0 ? fixedClasses : Integer.MAX_VALUE,
                        getBlockSize(), inFloat, hasWeights), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            TrainingStats stats = blocks.treeAggregate(new TrainingStats(features), (s, block) -> {
                block.addTo(s);
                return s;
            }, TrainingStats::merge, getAggregationDepth());
            if (!(stats.weightSum > 0)) {
                throw Validate.bad("weights", "a positive sum", stats.weightSum);
            }
            int classes = fixedClasses > 0 ? fixedClasses : stats.histogram.length;
            return train(blocks, stats, features, classes);
        } finally {
            blocks.unpersist(false);
        }
    }

    private SoftmaxRegressionModel train(JavaRDD<InstanceBlock> blocks, TrainingStats stats, int features,
                                         int classes) {
        double[] std = stats.std();
        double[] mean = stats.mean();
        double[] inverseStd = new double[features];
        double[] scaledMean = new double[features];
        for (int j = 0; j < features; j++) {
            inverseStd[j] = std[j] != 0 ? 1.0 / std[j] : 0.0;
            scaledMean[j] = inverseStd[j] * mean[j];
        }
        boolean intercept = getFitIntercept();
        double[] x0 = new double[SoftmaxObjective.size(features, classes, intercept)];
        if (intercept) {
            // MLlib's start: intercepts that give the class frequencies, centred (log1p smooths empty classes);
            // with zero coefficients the centred space needs no adjustment
            double meanLog = 0;
            for (int k = 0; k < classes; k++) {
                double count = k < stats.histogram.length ? stats.histogram[k] : 0;
                x0[features * classes + k] = Math.log1p(count);
                meanLog += Math.log1p(count) / classes;
            }
            for (int k = 0; k < classes; k++) {
                x0[features * classes + k] -= meanLog;
            }
        }
        SoftmaxObjective objective = new SoftmaxObjective(blocks, features, classes, inverseStd, scaledMean,
                intercept, getRegParam(), getAggregationDepth());
        LBFGS<DenseVector<Object>> lbfgs = new LBFGS<>(getMaxIter(), LBFGS_MEMORY, getTol(),
                DenseVector.space_Double());
        scala.collection.Iterator<FirstOrderMinimizer.State<DenseVector<Object>, Object, Object>> states =
                lbfgs.iterations(BreezeFunctions.of(objective), SoftmaxObjective.vector(x0));
        List<Double> history = new ArrayList<>();
        FirstOrderMinimizer.State<DenseVector<Object>, Object, Object> state = null;
        while (states.hasNext()) {
            state = states.next();
            history.add(state.adjustedValue());
        }
        double[] solution = state == null ? x0 : SoftmaxObjective.values(state.x());
        EffectiveCoefficients original = objective.effective(solution);
        double[] coefficients = original.weights;
        double[] intercepts = original.intercepts;
        if (getRegParam() == 0) {
            centreOverClasses(coefficients, features, classes);
        }
        if (intercept) {
            centreOverClasses(intercepts, 1, classes);
        }
        SoftmaxRegressionModel model = new SoftmaxRegressionModel(uid, features, classes, coefficients, intercepts);
        model.setObjectiveHistory(history.stream().mapToDouble(Double::doubleValue).toArray());
        copyValues(model, ParamMap.empty());
        return model.setParent(this);
    }

    /**
     * Subtracts from each of {@code rows} rows its mean over the classes: without regularisation the softmax model
     * is the same for any shift per feature, and MLlib reports this one (as glmnet does).
     */
    private static void centreOverClasses(double[] values, int rows, int classes) {
        for (int j = 0; j < rows; j++) {
            double m = 0;
            for (int k = 0; k < classes; k++) {
                m += values[j * classes + k];
            }
            m /= classes;
            for (int k = 0; k < classes; k++) {
                values[j * classes + k] -= m;
            }
        }
    }

    @Override
    public SoftmaxRegression copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    /** @return the reader of saved estimators */
    public static MLReader<SoftmaxRegression> read() {
        return new DefaultParamsReader<>();
    }

    /** @return the estimator saved at {@code path} */
    public static SoftmaxRegression load(String path) {
        return read().load(path);
    }
}
