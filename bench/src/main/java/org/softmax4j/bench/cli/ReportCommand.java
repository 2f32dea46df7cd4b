package org.softmax4j.bench.cli;

import org.softmax4j.bench.report.ReportWriter;
import org.softmax4j.bench.report.ResultsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The {@code report} command: renders report.md and the chart again from a results folder. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Renders report.md and throughput.png again from the jmh.json, training.json and run.json"
                + " of a results folder.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The results folder.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        ResultsFolder folder = new ResultsFolder(dir);
        ReportWriter.write(folder, folder.readRunInfo(), folder.readMeasurements(), folder.readAllocations(),
                folder.readTraining());
        spec.commandLine().getOut().println("Wrote " + folder.report().toAbsolutePath());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
