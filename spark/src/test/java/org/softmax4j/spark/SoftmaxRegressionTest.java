package org.softmax4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML integration on {@code local[2,2]} (two threads, a failed task is tried once more): agreement with
 * MLlib's multinomial LogisticRegression, persistence, bad input, and a task failure and retry.
 */
@DisplayName("softmax4j on Spark")
class SoftmaxRegressionTest {

    /**
     * The largest relative difference allowed between MLlib's objective history and ours, iteration by iteration,
     * with double blocks: both run Breeze's L-BFGS from the same point on the same scaled objective, so they differ
     * only by the rounding of sums taken in another order, amplified a little by the line search over 15 iterations.
     */
    static final double OBJECTIVE_TOLERANCE = 1e-9;
    /** The same for float32 blocks (the default): float products, double sums. */
    static final double OBJECTIVE_TOLERANCE_FLOAT = 1e-5;

    /**
     * Two fits of the same data agree to the last bits only: Spark's tree aggregation merges the partitions' sums in
     * the order their tasks finish, so the gradient's rounding differs from run to run (MLlib's too).
     */
    static final double RETRY_TOLERANCE = 1e-12;

    static final int FEATURES = 6;
    static final int CLASSES = 3;
    static final StructType SCHEMA = new StructType()
            .add("features", SQLDataTypes.VectorType(), false)
            .add("label", DataTypes.DoubleType, false)
            .add("weight", DataTypes.DoubleType, false);

    static SparkSession spark;
    static Dataset<Row> data;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2,2]").appName("softmax4j-spark-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        data = spark.createDataFrame(rows(900, 20261205L), SCHEMA).repartition(3).cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /**
     * Three overlapping Gaussian classes in {@code FEATURES} dimensions with features on different scales and one
     * constant feature, weights in {@code [0.5, 2)}: not separable, so the unregularised optimum is finite.
     */
    static List<Row> rows(int n, long seed) {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(CLASSES);
            double[] x = new double[FEATURES];
            for (int j = 0; j < FEATURES - 1; j++) {
                x[j] = (random.nextGaussian() * 1.5 + (j % CLASSES == label ? 1.0 : 0.0)) * (j + 1);
            }
            x[FEATURES - 1] = 3.0;
            rows.add(RowFactory.create(Vectors.dense(x), (double) label, 0.5 + 1.5 * random.nextDouble()));
        }
        return rows;
    }

    static double[] mllibHistory(int iterations, double regParam, boolean weighted) {
        LogisticRegression lr = new LogisticRegression().setFamily("multinomial").setStandardization(false)
                .setRegParam(regParam).setMaxIter(iterations).setTol(0);
        if (weighted) {
            lr.setWeightCol("weight");
        }
        return lr.fit(data).summary().objectiveHistory();
    }

    static void assertHistoriesAgree(double[] expected, double[] actual, double tolerance) {
        for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
            double relative = Math.abs(expected[i] - actual[i]) / Math.abs(expected[i]);
            assertTrue(relative <= tolerance, "iteration " + i + ": MLlib " + expected[i] + ", softmax4j "
                    + actual[i] + ", relative difference " + relative + " > " + tolerance);
        }
        assertEquals(expected.length, actual.length, "iterations");
    }

    @Nested
    @DisplayName("agrees with MLlib's multinomial LogisticRegression (standardization false)")
    class AgreesWithMLlib {

        @Test
        @DisplayName("the same objective after each of 10 iterations, regParam 0, double blocks")
        void unregularised() {
            double[] expected = mllibHistory(10, 0, false);
            SoftmaxRegressionModel model = new SoftmaxRegression().setMaxIter(10).setTol(0).setPrecision("double")
                    .fit(data);
            assertHistoriesAgree(expected, model.objectiveHistory(), OBJECTIVE_TOLERANCE);
        }

        @Test
        @DisplayName("the same objective with a weight column, double blocks")
        void weighted() {
            double[] expected = mllibHistory(8, 0, true);
            SoftmaxRegressionModel model = new SoftmaxRegression().setMaxIter(8).setTol(0).setWeightCol("weight")
                    .setPrecision("double").fit(data);
            assertHistoriesAgree(expected, model.objectiveHistory(), OBJECTIVE_TOLERANCE);
        }

        @Test
        @DisplayName("the same objective with L2 (regParam 0.05), double blocks")
        void regularised() {
            double[] expected = mllibHistory(8, 0.05, false);
            SoftmaxRegressionModel model = new SoftmaxRegression().setMaxIter(8).setTol(0).setRegParam(0.05)
                    .setPrecision("double").fit(data);
            assertHistoriesAgree(expected, model.objectiveHistory(), OBJECTIVE_TOLERANCE);
        }

        @Test
        @DisplayName("the same objective with a varying weight column and L2 together, double blocks")
        void weightedAndRegularised() {
            // the constant feature's deviation must stay exactly 0 under varying weights: a rounding residue gave it a
            // huge scale in the optimiser's space, and L-BFGS stopped at 0.8738 where MLlib reaches 0.8709
            double[] expected = mllibHistory(20, 0.05, true);
            SoftmaxRegressionModel model = new SoftmaxRegression().setMaxIter(20).setTol(0).setRegParam(0.05)
                    .setWeightCol("weight").setPrecision("double").fit(data);
            assertHistoriesAgree(expected, model.objectiveHistory(), OBJECTIVE_TOLERANCE);
        }

        @Test
        @DisplayName("the same objective over 5 iterations in float32 blocks, and the same coefficients and probabilities")
        void floatBlocks() {
            LogisticRegressionModel mllib = new LogisticRegression().setFamily("multinomial")
                    .setStandardization(false).setMaxIter(5).setTol(0).fit(data);
            SoftmaxRegressionModel model = new SoftmaxRegression().setMaxIter(5).setTol(0).fit(data);
            assertHistoriesAgree(mllib.summary().objectiveHistory(), model.objectiveHistory(),
                    OBJECTIVE_TOLERANCE_FLOAT);
            assertArrayEquals(mllib.coefficientMatrix().toArray(), model.coefficientMatrix().toArray(), 1e-3);
            assertArrayEquals(mllib.interceptVector().toArray(), model.interceptVector().toArray(), 1e-3);
            List<Row> theirs = mllib.transform(data).select("probability", "prediction").collectAsList();
            List<Row> ours = model.transform(data).select("probability", "prediction").collectAsList();
            int sameClass = 0;
            for (int i = 0; i < ours.size(); i++) {
                assertArrayEquals(((Vector) theirs.get(i).get(0)).toArray(), ((Vector) ours.get(i).get(0)).toArray(),
                        1e-4, "probabilities of row " + i);
                sameClass += theirs.get(i).getDouble(1) == ours.get(i).getDouble(1) ? 1 : 0;
            }
            assertTrue(sameClass >= ours.size() - 2, sameClass + " of " + ours.size() + " predictions agree");
        }
    }

    @Test
    @DisplayName("the top-k column holds the k most probable classes, most probable first; k is checked")
    void topKColumn() {
        SoftmaxRegressionModel model = new SoftmaxRegression().setMaxIter(5).fit(data).setTopKCol("top")
                .setTopK(CLASSES);
        StructType schema = model.transformSchema(data.schema());
        assertEquals(DataTypes.createArrayType(DataTypes.IntegerType, false), schema.apply("top").dataType());
        List<Row> rows = model.transform(data).select("probability", "prediction", "top").collectAsList();
        assertEquals(900, rows.size());
        for (Row row : rows) {
            double[] p = ((Vector) row.get(0)).toArray();
            List<Integer> top = row.getList(2);
            assertEquals(CLASSES, top.size());
            assertEquals(row.getDouble(1), top.get(0).doubleValue(), "the first is the prediction");
            for (int j = 1; j < CLASSES; j++) {
                assertTrue(p[top.get(j - 1)] >= p[top.get(j)], () -> "not descending: " + top + " for "
                        + Arrays.toString(p));
            }
            assertEquals(Set.of(0, 1, 2), new HashSet<>(top), "every class once");
        }
        // k = 1 is the prediction alone; k above the classes is rejected before any job, naming the parameter
        for (Row row : model.setTopK(1).transform(data).select("prediction", "top").collectAsList()) {
            assertEquals(List.of((int) row.getDouble(0)), row.getList(1));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.setTopK(CLASSES + 1).transform(data));
        assertTrue(e.getMessage().contains("topK") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.setTopK(0));
    }

    @Test
    @DisplayName("a saved model and estimator load with the same coefficients, parameters and scores")
    void persistence(@TempDir Path dir) throws IOException {
        SoftmaxRegression estimator = new SoftmaxRegression().setMaxIter(5).setRegParam(0.01).setBlockSize(64)
                .setProbabilityCol("p");
        SoftmaxRegressionModel model = estimator.fit(data);
        model.write().overwrite().save(dir.resolve("model").toString());
        estimator.write().overwrite().save(dir.resolve("estimator").toString());

        SoftmaxRegressionModel loaded = SoftmaxRegressionModel.load(dir.resolve("model").toString());
        assertEquals(model.uid(), loaded.uid());
        assertArrayEquals(model.coefficientMatrix().toArray(), loaded.coefficientMatrix().toArray(), 0.0);
        assertArrayEquals(model.interceptVector().toArray(), loaded.interceptVector().toArray(), 0.0);
        assertEquals("p", loaded.getProbabilityCol());
        assertEquals(64, loaded.getBlockSize());
        List<Row> before = model.transform(data).select("p", "prediction").collectAsList();
        List<Row> after = loaded.transform(data).select("p", "prediction").collectAsList();
        assertEquals(before, after);

        SoftmaxRegression loadedEstimator = SoftmaxRegression.load(dir.resolve("estimator").toString());
        assertEquals(estimator.uid(), loadedEstimator.uid());
        assertEquals(5, loadedEstimator.getMaxIter());
        assertEquals(0.01, loadedEstimator.getRegParam());
    }

    @Nested
    @DisplayName("bad input is rejected with the library's message before anything is written")
    class BadInput {

        Dataset<Row> withBadRow(Row bad) {
            List<Row> rows = rows(50, 7L);
            rows.set(31, bad);
            return spark.createDataFrame(rows, SCHEMA).repartition(2);
        }

        IllegalArgumentException rootCause(Throwable t) {
            Throwable c = t;
            while (c.getCause() != null && !(c instanceof IllegalArgumentException)) {
                c = c.getCause();
            }
            assertTrue(c instanceof IllegalArgumentException, () -> "expected an IllegalArgumentException, got " + t);
            return (IllegalArgumentException) c;
        }

        @Test
        @DisplayName("a label outside the classes")
        void labelOutsideClasses() {
            Dataset<Row> bad = withBadRow(RowFactory.create(Vectors.dense(new double[FEATURES]), 5.0, 1.0));
            SparkException e = assertThrows(SparkException.class,
                    () -> new SoftmaxRegression().setExpectedClasses(CLASSES).fit(bad));
            String message = rootCause(e).getMessage();
            assertTrue(message.contains("expected a class in [0, 3)") && message.endsWith("actual 5"), message);
        }

        @Test
        @DisplayName("a label that is not a class index")
        void fractionalLabel() {
            Dataset<Row> bad = withBadRow(RowFactory.create(Vectors.dense(new double[FEATURES]), 1.5, 1.0));
            SparkException e = assertThrows(SparkException.class, () -> new SoftmaxRegression().fit(bad));
            String message = rootCause(e).getMessage();
            assertTrue(message.startsWith("label of row ") && message.endsWith("expected a whole-number class index,"
                    + " actual 1.5"), message);
        }

        @Test
        @DisplayName("a features vector of the wrong size, in training and in scoring")
        void wrongFeatureSize(@TempDir Path dir) {
            Dataset<Row> bad = withBadRow(RowFactory.create(Vectors.dense(1, 2), 1.0, 1.0));
            SparkException e = assertThrows(SparkException.class, () -> new SoftmaxRegression().fit(bad));
            String message = rootCause(e).getMessage();
            assertTrue(message.endsWith("expected a vector of 6 values, actual 2 values"), message);

            SoftmaxRegressionModel model = new SoftmaxRegression().setMaxIter(2).fit(data);
            Path out = dir.resolve("scored");
            SparkException s = assertThrows(SparkException.class,
                    () -> model.transform(bad).write().parquet(out.toString()));
            assertTrue(rootCause(s).getMessage().endsWith("expected a vector of 6 values, actual 2 values"));
            assertNothingWritten(out);
        }

        @Test
        @DisplayName("a NaN feature, in training and in scoring")
        void nanFeature(@TempDir Path dir) {
            double[] x = new double[FEATURES];
            x[4] = Double.NaN;
            Dataset<Row> bad = withBadRow(RowFactory.create(Vectors.dense(x), 1.0, 1.0));
            SparkException e = assertThrows(SparkException.class, () -> new SoftmaxRegression().fit(bad));
            String message = rootCause(e).getMessage();
            assertTrue(message.contains("at index 4: expected a finite value, actual NaN"), message);

            SoftmaxRegressionModel model = new SoftmaxRegression().setMaxIter(2).fit(data);
            Path out = dir.resolve("scored");
            SparkException s = assertThrows(SparkException.class,
                    () -> model.transform(bad).write().parquet(out.toString()));
            assertTrue(rootCause(s).getMessage().contains("at index 4: expected a finite value, actual NaN"));
            assertNothingWritten(out);
        }

        @Test
        @DisplayName("a negative weight")
        void negativeWeight() {
            Dataset<Row> bad = withBadRow(RowFactory.create(Vectors.dense(new double[FEATURES]), 1.0, -1.0));
            SparkException e = assertThrows(SparkException.class,
                    () -> new SoftmaxRegression().setWeightCol("weight").fit(bad));
            String message = rootCause(e).getMessage();
            assertTrue(message.endsWith("expected a finite value >= 0, actual -1.0"), message);
        }

        void assertNothingWritten(Path out) {
            if (Files.exists(out)) {
                try (Stream<Path> files = Files.walk(out)) {
                    assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("part-")),
                            "a failed job left output files in " + out);
                } catch (IOException io) {
                    throw new AssertionError(io);
                }
            }
        }
    }

    /** Set by the first attempt of the task that is made to fail. */
    static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

    @Test
    @DisplayName("a task that fails on its first attempt is retried and gives the same model")
    void survivesTaskFailure() {
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows(600, 11L), 3)
                .mapPartitionsWithIndex((partition, it) -> {
                    if (partition == 1 && TaskContext.get().attemptNumber() == 0 && !FAILED_ONCE.getAndSet(true)) {
                        throw new IllegalStateException("injected failure of the first attempt of partition 1");
                    }
                    return it;
                }, true);
        Dataset<Row> flaky = spark.createDataFrame(rows, SCHEMA);
        Dataset<Row> steady = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows(600, 11L), 3), SCHEMA);
        SoftmaxRegression estimator = new SoftmaxRegression().setMaxIter(8).setWeightCol("weight");

        SoftmaxRegressionModel retried = estimator.fit(flaky);
        assertTrue(FAILED_ONCE.get(), "the failure was injected");
        SoftmaxRegressionModel reference = estimator.fit(steady);
        assertArrayEquals(reference.coefficientMatrix().toArray(), retried.coefficientMatrix().toArray(),
                RETRY_TOLERANCE);
        assertArrayEquals(reference.interceptVector().toArray(), retried.interceptVector().toArray(),
                RETRY_TOLERANCE);
        assertArrayEquals(reference.objectiveHistory(), retried.objectiveHistory(), RETRY_TOLERANCE);
    }
}
