package org.softmax4j.bench.cli;

import org.softmax4j.bench.spark.SparkComparison;
import org.softmax4j.bench.train.MnistData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The {@code spark} command: MLlib's LogisticRegression against softmax4j on Spark. Spark is not in the shaded jar
 * (it is the cluster's); run it with Spark on the class path, as the README shows.
 */
@Command(name = "spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fits MLlib's multinomial LogisticRegression and softmax4j's SoftmaxRegression (both L-BFGS) on"
                + " Fashion-MNIST in one Spark session for each iteration count, and prints fit time, test accuracy,"
                + " seconds per iteration, time to 0.83/0.84 test accuracy and scoring time as a Markdown table."
                + " Needs Spark 4.0 on the class path.")
final class SparkCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the four MNIST-format files"
            + " (default: ${DEFAULT-VALUE}).")
    Path data = MnistData.DEFAULT_DIR;

    @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--iterations", split = ",", defaultValue = "10,15,20,25,30",
            description = "Iteration counts to fit, ascending (default: ${DEFAULT-VALUE}).")
    int[] iterations;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the table to this Markdown file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        String table = SparkComparison.run(MnistData.load(data), master, iterations);
        System.out.println(table);
        if (out != null) {
            Files.writeString(out, table);
        }
        return 0;
    }
}
