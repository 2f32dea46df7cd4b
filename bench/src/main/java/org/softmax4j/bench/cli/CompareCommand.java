package org.softmax4j.bench.cli;

import org.softmax4j.bench.report.RankingComparison;
import org.softmax4j.bench.report.ResultsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The {@code compare} command: do two runs (the quick and the full profile) rank the backends the same way? */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compares the backend rankings of two results folders, e.g. a --quick run against a full one:"
                + " for every op, dtype and shape in both, the order of the backends in each, then every pair of"
                + " backends they order differently, with its time ratio in both and whether each run separates the"
                + " two beyond its 99.9% confidence intervals. Exit code 0 when every group is ranked the same way,"
                + " 1 otherwise.")
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CANDIDATE", description = "The run being checked (e.g. --quick).")
    Path candidate;

    @Parameters(index = "1", paramLabel = "REFERENCE", description = "The run whose order counts (the full profile).")
    Path reference;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the comparison to this Markdown file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        var groups = RankingComparison.compare(new ResultsFolder(candidate).readMeasurements(),
                new ResultsFolder(reference).readMeasurements());
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("compare: expected two results folders with at least two backends"
                    + " measured on the same op, dtype and shape in both, got none in " + candidate + " and "
                    + reference);
        }
        String md = RankingComparison.render(groups, name(candidate), name(reference));
        PrintWriter console = spec.commandLine().getOut();
        console.print(md);
        console.flush();
        if (out != null) {
            Files.writeString(out, md, StandardCharsets.UTF_8);
        }
        return groups.stream().allMatch(RankingComparison.Group::sameOrder) ? 0 : 1;
    }

    private static String name(Path dir) {
        Path file = dir.toAbsolutePath().normalize().getFileName();
        return file == null ? dir.toString() : file.toString();
    }
}
