package org.softmax4j.bench.cli;

import org.softmax4j.bench.train.DataNotFoundException;
import org.softmax4j.bench.train.IdxFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/** The command line: {@code bench}, {@code train}, {@code report}, {@code compare}, {@code spark}. */
@Command(name = "softmax4j-bench", mixinStandardHelpOptions = true,
        version = {"softmax4j-bench", "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})"},
        subcommands = {BenchCommand.class, TrainCommand.class, ReportCommand.class, CompareCommand.class,
                SparkCommand.class, CommandLine.HelpCommand.class},
        description = "Benchmarks the softmax4j backends found on the class path and writes a report.")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** @return the exit code: 0 done, 1 failed, 2 bad usage or missing data */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, with usage errors and setup problems printed to {@code err}. */
    public static int execute(PrintWriter err, String... args) {
        return execute(new PrintWriter(System.out, true), err, args);
    }

    /** As {@link #execute(PrintWriter, String...)}, with the report and the usage help printed to {@code out}. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        System.setProperty("java.awt.headless", "true");
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).setOut(out)
                .setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Problems of setup, not bugs: a message, not a stack trace.
            if (e instanceof DataNotFoundException || e instanceof IdxFormatException
                    || e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println(commandLine.getColorScheme().errorText(e.getMessage()));
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** @return the command line a (sub)command was started with, for the report */
    static String commandLine(CommandSpec command) {
        CommandLine root = command.commandLine();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        CommandLine.ParseResult parsed = root.getParseResult();
        return "softmax4j-bench" + (parsed == null ? "" : " " + String.join(" ", parsed.originalArgs()));
    }
}
