package org.softmax4j.bench.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.softmax4j.bench.jmh.BenchListener;
import org.softmax4j.bench.train.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows the progress of the benchmarks and of training on stderr with me.tongfei's progressbar: a bar on an
 * interactive terminal, one plain line per benchmark or epoch otherwise (a pipe, a file, CI), where a redrawn bar
 * would leave carriage returns and escape codes in the log.
 */
final class ConsoleProgress implements TrainingListener, BenchListener {

    private final boolean interactive;
    private final PrintStream err;
    private ProgressBar bar;
    private String backend;
    private int epochs;
    private int benchmarks;
    private int benchmark;

    private ConsoleProgress(boolean interactive, PrintStream err) {
        this.interactive = interactive;
        this.err = err;
    }

    /** @return a bar on a terminal, epoch lines elsewhere */
    static ConsoleProgress forThisConsole() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        return new ConsoleProgress(System.console() != null && !ci, System.err);
    }

    @Override
    public void started(long iterations, int benchmarks) {
        this.benchmarks = benchmarks;
        this.benchmark = 0;
        if (interactive) {
            bar = new ProgressBarBuilder().setTaskName("bench").setInitialMax(iterations)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" iterations", 1).setUpdateIntervalMillis(250)
                    .clearDisplayOnFinish().build();
        } else {
            err.println("bench: " + benchmarks + " benchmarks, JMH's log in jmh.log of the results folder");
        }
    }

    @Override
    public void benchmark(String label) {
        benchmark++;
        if (bar != null) {
            bar.setExtraMessage(label);
        } else {
            err.println("bench " + benchmark + "/" + benchmarks + ": " + label);
        }
    }

    @Override
    public void iterationDone() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void remeasuring(String label, String reason, long moreIterations) {
        benchmarks++;
        if (bar != null) {
            bar.maxHint(bar.getMax() + moreIterations);
        } else {
            err.println("bench: " + label + ": " + reason + "; measuring again with a longer warm-up");
        }
    }

    @Override
    public void started(String backend, int epochs, int batchesPerEpoch) {
        this.backend = backend;
        this.epochs = epochs;
        if (interactive) {
            bar = new ProgressBarBuilder().setTaskName("train " + backend).setInitialMax((long) epochs * batchesPerEpoch)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).setUpdateIntervalMillis(250)
                    .clearDisplayOnFinish().build();
        } else {
            err.println("train " + backend + ": " + epochs + " epochs of " + batchesPerEpoch + " steps");
        }
    }

    @Override
    public void stepDone() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void epochDone(int epoch, double meanLoss) {
        String text = String.format(Locale.ROOT, "epoch %d/%d loss %.4f", epoch, epochs, meanLoss);
        if (bar != null) {
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f", meanLoss)); // short: the bar shrinks to fit
        } else {
            err.println("train " + backend + ": " + text);
        }
    }

    @Override
    public void finished() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
