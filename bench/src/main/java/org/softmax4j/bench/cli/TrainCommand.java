package org.softmax4j.bench.cli;

import org.softmax4j.Softmax;
import org.softmax4j.bench.report.ReportWriter;
import org.softmax4j.bench.report.ResultsFolder;
import org.softmax4j.bench.report.RunInfo;
import org.softmax4j.bench.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** The {@code train} command: softmax regression on Fashion-MNIST (or MNIST) with one backend or all. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains softmax regression (W 784x10 and b from zero, plain SGD, mean sparse cross-entropy with"
                + " logits) with every numeric step on the backend, then prints wall time, examples per second, test"
                + " accuracy and test loss per backend.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME|all", defaultValue = "all",
            description = "A backend name, or all (default) for every backend found.")
    String backend;

    @Mixin
    TrainOptions training;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write training.json, run.json and report.md to this folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<String> names = Backends.resolve(List.of(backend));
        List<TrainingResult> results = TrainingJob.run(names, training.data, training.config(), training.warmupSeconds,
                ConsoleProgress.forThisConsole());
        System.out.println(ReportWriter.trainingTable(results));
        if (out != null) {
            ResultsFolder folder = new ResultsFolder(out).create();
            RunInfo info = RunInfo.here(Main.commandLine(spec), "no microbenchmarks", null,
                    Backends.describeAvailable(), Softmax.skipped());
            folder.writeRunInfo(info);
            folder.writeTraining(results);
            ReportWriter.write(folder, info, List.of(), List.of(), results);
            System.out.println("Results in " + folder.dir().toAbsolutePath());
        }
        return 0;
    }
}
