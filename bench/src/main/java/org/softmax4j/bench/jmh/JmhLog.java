package org.softmax4j.bench.jmh;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;

/**
 * JMH's output: its usual text (the forks' output included) into a log file, and each benchmark and iteration to a
 * {@link BenchListener}, so the console can show a progress bar instead of thousands of lines.
 */
final class JmhLog implements OutputFormat {

    private final OutputFormat file;
    private final BenchListener listener;

    /** @param log the open log file; this format writes to it and does not close it */
    JmhLog(PrintStream log, BenchListener listener) {
        this.file = OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL);
        this.listener = listener;
    }

    /** @return "softmax plain FLOAT32 100x10": the method and the parameter values */
    static String label(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        StringBuilder s = new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.') + 1));
        for (String key : params.getParamsKeys()) {
            s.append(' ').append(params.getParam(key));
        }
        return s.toString();
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        file.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration,
                                IterationResult data) {
        file.iterationResult(benchParams, params, iteration, data);
        listener.iterationDone();
    }

    @Override
    public void startBenchmark(BenchmarkParams benchParams) {
        file.startBenchmark(benchParams);
        listener.benchmark(label(benchParams));
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        file.endBenchmark(result);
    }

    @Override
    public void startRun() {
        file.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        file.endRun(result);
    }

    @Override
    public void print(String s) {
        file.print(s);
    }

    @Override
    public void println(String s) {
        file.println(s);
    }

    @Override
    public void flush() {
        file.flush();
    }

    @Override
    public void close() {
        file.flush(); // the log stays open for the next group; BenchRunner closes it
    }

    @Override
    public void verbosePrintln(String s) {
        file.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        file.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        file.write(b);
    }
}
