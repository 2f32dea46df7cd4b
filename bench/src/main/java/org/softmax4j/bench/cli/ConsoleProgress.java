package org.softmax4j.bench.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.softmax4j.bench.train.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training progress on stderr: a progress bar on an interactive terminal, one plain line per epoch otherwise
 * (a pipe, a file, CI), where a redrawn bar would leave carriage returns and escape codes in the log.
 */
final class ConsoleProgress implements TrainingListener {

    private final boolean interactive;
    private final PrintStream err;
    private ProgressBar bar;
    private String backend;
    private int epochs;

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
