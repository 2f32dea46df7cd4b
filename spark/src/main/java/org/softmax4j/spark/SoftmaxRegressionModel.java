package org.softmax4j.spark;

import java.util.List;

import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import org.softmax4j.Validate;

/**
 * A softmax regression model: {@code logits = x B + c}, {@code p = softmax(logits)}, prediction
 * {@code argmax p}. {@link #transform} scores each partition in blocks through softmax4j ({@code matmul},
 * {@code softmax}, {@code argmax}) and appends MLlib's columns: {@code rawPrediction} (logits), {@code probability}
 * and {@code prediction}; a column whose name is set empty is not written. Rows with a features vector of another
 * size or a NaN or infinite feature fail the job with the library's {@link IllegalArgumentException} before any
 * output row of their block is made. Saves and loads with Spark ML's persistence.
 *
 * <pre>{@code
 * model.write().overwrite().save("/models/fashion");
 * SoftmaxRegressionModel same = SoftmaxRegressionModel.load("/models/fashion");
 * }</pre>
 */
public class SoftmaxRegressionModel extends Model<SoftmaxRegressionModel>
        implements SoftmaxRegressionParams, MLWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final SoftmaxParamSet paramSet;
    private final int numFeatures;
    private final int numClasses;
    /** {@code numFeatures x numClasses}, row-major. */
    private final double[] coefficients;
    private final double[] intercepts;
    private double[] objectiveHistory = new double[0];

    SoftmaxRegressionModel(String uid, int numFeatures, int numClasses, double[] coefficients,
                           double[] intercepts) {
        this.uid = uid;
        this.paramSet = new SoftmaxParamSet(uid);
        paramSet.setDefaults(this);
        this.numFeatures = numFeatures;
        this.numClasses = numClasses;
        this.coefficients = coefficients;
        this.intercepts = intercepts;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public SoftmaxParamSet paramSet() {
        return paramSet;
    }

    /** @return the number of features */
    public int numFeatures() {
        return numFeatures;
    }

    /** @return the number of classes */
    public int numClasses() {
        return numClasses;
    }

    /** @return the coefficients as MLlib gives them: {@code numClasses x numFeatures} */
    public Matrix coefficientMatrix() {
        // column-major numClasses x numFeatures is exactly the row-major numFeatures x numClasses array
        return new DenseMatrix(numClasses, numFeatures, coefficients.clone());
    }

    /** @return the intercepts, {@code numClasses} values (zeros without an intercept) */
    public Vector interceptVector() {
        return Vectors.dense(intercepts.clone());
    }

    /**
     * @return the objective (mean weighted cross-entropy plus the L2 term) at the start and after each L-BFGS
     * iteration, as MLlib's {@code summary.objectiveHistory}; empty for a loaded model
     */
    public double[] objectiveHistory() {
        return objectiveHistory.clone();
    }

    void setObjectiveHistory(double[] history) {
        this.objectiveHistory = history.clone();
    }

    /** @param value the features column */
    public SoftmaxRegressionModel setFeaturesCol(String value) {
        return (SoftmaxRegressionModel) set(featuresCol(), value);
    }

    /** @param value the prediction column, or empty */
    public SoftmaxRegressionModel setPredictionCol(String value) {
        return (SoftmaxRegressionModel) set(predictionCol(), value);
    }

    /** @param value the logits column, or empty */
    public SoftmaxRegressionModel setRawPredictionCol(String value) {
        return (SoftmaxRegressionModel) set(rawPredictionCol(), value);
    }

    /** @param value the probabilities column, or empty */
    public SoftmaxRegressionModel setProbabilityCol(String value) {
        return (SoftmaxRegressionModel) set(probabilityCol(), value);
    }

    /** @param value the top-k column ({@code array<int>}, most probable class first), or empty */
    public SoftmaxRegressionModel setTopKCol(String value) {
        return (SoftmaxRegressionModel) set(topKCol(), value);
    }

    /** @param value k of the top-k column, {@code >= 1} and at most the number of classes */
    public SoftmaxRegressionModel setTopK(int value) {
        return (SoftmaxRegressionModel) set(topK(), value);
    }

    /** @param value rows per scoring block, {@code > 0} */
    public SoftmaxRegressionModel setBlockSize(int value) {
        return (SoftmaxRegressionModel) set(blockSize(), value);
    }

    /** @param value {@code "float"} or {@code "double"}: the precision of scoring */
    public SoftmaxRegressionModel setPrecision(String value) {
        return (SoftmaxRegressionModel) set(precision(), value);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!getTopKCol().isEmpty() && getTopK() > numClasses) {
            throw Validate.bad("topK", "at most the model's " + numClasses + " classes", getTopK());
        }
        return Columns.scored(this, schema);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> rows = dataset.toDF();
        BlockScorer scorer = new BlockScorer(numFeatures, numClasses, coefficients, intercepts,
                SoftmaxParamSet.FLOAT.equals(getPrecision()), getBlockSize(),
                rows.schema().fieldIndex(getFeaturesCol()), !getRawPredictionCol().isEmpty(),
                !getProbabilityCol().isEmpty(), !getPredictionCol().isEmpty(),
                getTopKCol().isEmpty() ? 0 : getTopK());
        return rows.mapPartitions(scorer, Encoders.row(out));
    }

    @Override
    public SoftmaxRegressionModel copy(ParamMap extra) {
        SoftmaxRegressionModel copy = new SoftmaxRegressionModel(uid, numFeatures, numClasses, coefficients,
                intercepts);
        copy.objectiveHistory = objectiveHistory;
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** @return the reader of saved models */
    public static MLReader<SoftmaxRegressionModel> read() {
        return new Reader();
    }

    /** @return the model saved at {@code path} */
    public static SoftmaxRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "SoftmaxRegressionModel: uid=" + uid + ", numClasses=" + numClasses + ", numFeatures=" + numFeatures;
    }

    private static final StructType DATA = new StructType()
            .add("numClasses", DataTypes.IntegerType, false)
            .add("numFeatures", DataTypes.IntegerType, false)
            .add("interceptVector", SQLDataTypes.VectorType(), false)
            .add("coefficientMatrix", SQLDataTypes.MatrixType(), false);

    /** Saves the parameters as Spark ML's metadata and the coefficients as one Parquet row under {@code data}. */
    private static final class Writer extends MLWriter {
        private final SoftmaxRegressionModel model;

        Writer(SoftmaxRegressionModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            Row row = RowFactory.create(model.numClasses, model.numFeatures, model.interceptVector(),
                    model.coefficientMatrix());
            sparkSession().createDataFrame(List.of(row), DATA).repartition(1).write()
                    .parquet(new Path(path, "data").toString());
        }
    }

    /** Reads what {@link Writer} saved. */
    private static final class Reader extends MLReader<SoftmaxRegressionModel> {
        @Override
        public SoftmaxRegressionModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    SoftmaxRegressionModel.class.getName());
            Row row = sparkSession().read().parquet(new Path(path, "data").toString())
                    .select("numClasses", "numFeatures", "interceptVector", "coefficientMatrix").head();
            int classes = row.getInt(0);
            int features = row.getInt(1);
            double[] intercepts = ((Vector) row.get(2)).toArray();
            double[] coefficients = ((Matrix) row.get(3)).toArray();
            SoftmaxRegressionModel model = new SoftmaxRegressionModel(metadata.uid(), features, classes,
                    coefficients, intercepts);
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
