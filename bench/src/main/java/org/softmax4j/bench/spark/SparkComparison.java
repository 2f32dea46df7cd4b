package org.softmax4j.bench.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.softmax4j.Softmax;
import org.softmax4j.bench.train.MnistData;
import org.softmax4j.spark.SoftmaxRegression;

/**
 * MLlib's multinomial {@code LogisticRegression} against softmax4j's {@link SoftmaxRegression} on Fashion-MNIST in
 * one Spark session: for each iteration count, the wall time of {@code fit()} (after {@value #WARMUP_FITS} warm-up
 * fits of each) and the test accuracy; then the seconds per iteration, the time to 0.83 and 0.84 test accuracy (the fit time of the first
 * listed iteration count that reaches it), and the time to score the 60,000 training rows. Writes a Markdown table.
 */
public final class SparkComparison {

    private static final StructType SCHEMA = new StructType()
            .add("features", SQLDataTypes.VectorType(), false)
            .add("label", DataTypes.DoubleType, false);

    /** One fit: iterations asked, seconds, test accuracy, iterations run. */
    record Fit(int maxIter, double seconds, double accuracy, int iterations) {
    }

    /** Warm-up fits of each, of the first iteration count, before the measured ones. */
    static final int WARMUP_FITS = 3;

    private SparkComparison() {
    }

    /**
     * @param split      the data
     * @param master     Spark's master, e.g. {@code local[2]}
     * @param iterations the iteration counts to fit, ascending
     * @return the Markdown report
     */
    public static String run(MnistData.Split split, String master, int[] iterations) {
        SparkSession spark = SparkSession.builder().master(master).appName("softmax4j-vs-mllib")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            long t0 = System.nanoTime();
            Dataset<Row> train = frame(spark, split.train());
            Dataset<Row> test = frame(spark, split.test());
            double loadSeconds = seconds(t0);

            Function<Integer, LogisticRegression> mllib = n -> new LogisticRegression().setFamily("multinomial")
                    .setRegParam(0).setStandardization(false).setMaxIter(n);
            Function<Integer, SoftmaxRegression> ours = n -> new SoftmaxRegression().setMaxIter(n);
            // JIT warm-up: C2 compiles the Vector API kernels only after some seconds of calls on 2 busy cores (one
            // 2-iteration fit left softmax4j's per-iteration time 1.5-2x its warm value); MLlib gets the same
            for (int i = 0; i < WARMUP_FITS; i++) {
                mllib.apply(iterations[0]).fit(train);
                ours.apply(iterations[0]).fit(train);
            }

            List<Fit> theirs = new ArrayList<>();
            List<Fit> mine = new ArrayList<>();
            for (int n : iterations) {
                long s = System.nanoTime();
                var m = mllib.apply(n).fit(train);
                double sec = seconds(s);
                theirs.add(new Fit(n, sec, accuracy(m.transform(test)), m.summary().totalIterations()));
                s = System.nanoTime();
                var o = ours.apply(n).fit(train);
                sec = seconds(s);
                mine.add(new Fit(n, sec, accuracy(o.transform(test)), o.objectiveHistory().length - 1));
            }
            var mllibModel = mllib.apply(iterations[0]).fit(train);
            var ourModel = ours.apply(iterations[0]).fit(train);
            double[] scoreMllib = new double[3];
            double[] scoreOurs = new double[3];
            for (int i = 0; i < 3; i++) {
                long s = System.nanoTime();
                mllibModel.transform(train).write().format("noop").mode("overwrite").save();
                scoreMllib[i] = seconds(s);
                s = System.nanoTime();
                ourModel.transform(train).write().format("noop").mode("overwrite").save();
                scoreOurs[i] = seconds(s);
            }
            return report(master, loadSeconds, theirs, mine, min(scoreMllib), min(scoreOurs));
        } finally {
            spark.stop();
        }
    }

    /** @return the data set as a DataFrame of (features, label), checkpointed in memory once */
    static Dataset<Row> frame(SparkSession spark, org.softmax4j.bench.train.Dataset data) {
        List<Row> rows = new ArrayList<>(data.count());
        float[] images = data.images();
        for (int i = 0; i < data.count(); i++) {
            double[] x = new double[data.features()];
            for (int j = 0; j < x.length; j++) {
                x[j] = images[i * data.features() + j];
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) data.labels()[i]));
        }
        return spark.createDataFrame(rows, SCHEMA).repartition(spark.sparkContext().defaultParallelism())
                .localCheckpoint();
    }

    static double accuracy(Dataset<Row> scored) {
        long n = scored.count();
        long right = scored.filter("prediction = label").count();
        return (double) right / n;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static String timeTo(List<Fit> fits, double target) {
        for (Fit f : fits) {
            if (f.accuracy() >= target) {
                return String.format(Locale.ROOT, "%.1f s (%d it.)", f.seconds(), f.maxIter());
            }
        }
        return "not reached";
    }

    private static double perIteration(List<Fit> fits) {
        Fit first = fits.get(0);
        Fit last = fits.get(fits.size() - 1);
        return (last.seconds() - first.seconds()) / Math.max(1, last.iterations() - first.iterations());
    }

    static String report(String master, double loadSeconds, List<Fit> theirs, List<Fit> mine, double scoreMllib,
                         double scoreOurs) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Spark %s, %s, JDK %s, softmax4j backend %s; Fashion-MNIST (pixels / 255),"
                        + " 60,000 training and 10,000 test rows; loading both DataFrames took %.1f s.%n%n",
                org.apache.spark.package$.MODULE$.SPARK_VERSION(), master, System.getProperty("java.version"),
                Softmax.ops().name(), loadSeconds));
        md.append("| maxIter | MLlib fit | MLlib test acc. | softmax4j fit | softmax4j test acc. | fit speed-up |\n");
        md.append("|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < theirs.size(); i++) {
            Fit t = theirs.get(i);
            Fit m = mine.get(i);
            md.append(String.format(Locale.ROOT, "| %d | %.2f s | %.4f | %.2f s | %.4f | %.1fx |%n", t.maxIter(),
                    t.seconds(), t.accuracy(), m.seconds(), m.accuracy(), t.seconds() / m.seconds()));
        }
        md.append('\n');
        md.append("| | MLlib | softmax4j | ratio |\n|---|---:|---:|---:|\n");
        double pt = perIteration(theirs);
        double pm = perIteration(mine);
        md.append(String.format(Locale.ROOT, "| seconds per L-BFGS iteration | %.3f | %.3f | %.1fx |%n", pt, pm,
                pt / pm));
        md.append(String.format(Locale.ROOT, "| time to 0.83 test accuracy | %s | %s | |%n", timeTo(theirs, 0.83),
                timeTo(mine, 0.83)));
        md.append(String.format(Locale.ROOT, "| time to 0.84 test accuracy | %s | %s | |%n", timeTo(theirs, 0.84),
                timeTo(mine, 0.84)));
        md.append(String.format(Locale.ROOT, "| scoring 60,000 rows (transform + noop write, best of 3) | %.2f s |"
                + " %.2f s | %.1fx |%n", scoreMllib, scoreOurs, scoreMllib / scoreOurs));
        return md.toString();
    }
}
