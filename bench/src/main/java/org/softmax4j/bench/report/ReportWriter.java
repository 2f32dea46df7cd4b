package org.softmax4j.bench.report;

import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.train.TrainingResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Renders report.md: the machine, per op and shape each backend's time, ns per element, GB/s, ratio to the fastest
 * backend and fraction of the memory-bandwidth reference, the matrix products, and the training table.
 */
public final class ReportWriter {

    private ReportWriter() {
    }

    /**
     * Writes the chart (if there are measurements) and report.md into the folder.
     */
    public static void write(ResultsFolder folder, RunInfo info, List<Measurement> measurements,
                             List<Allocation> allocations, List<TrainingResult> training) throws IOException {
        boolean chart = ChartWriter.writePng(backends(measurements), folder.chart());
        Files.writeString(folder.report(), render(info, measurements, allocations, training,
                chart ? folder.chart().getFileName().toString() : null), StandardCharsets.UTF_8);
    }

    /** @return the whole report as Markdown */
    public static String render(RunInfo info, List<Measurement> measurements, List<Allocation> allocations,
                                List<TrainingResult> training, String chartFile) {
        StringBuilder md = new StringBuilder();
        md.append("# softmax4j benchmark report\n\n");
        machine(md, info);
        if (!measurements.isEmpty()) {
            warmupSummary(md, measurements, allocations);
            md.append(TargetsTable.render(measurements));
            List<Measurement> backends = backends(measurements);
            reference(md, backends, info.cores());
            for (Dtype dtype : Dtype.values()) {
                rowOps(md, backends, dtype, info);
            }
            matrixProducts(md, backends, info);
            kernels(md, measurements, info);
            allocations(md, allocations);
            if (chartFile != null) {
                md.append("![Throughput per backend and shape](").append(chartFile).append(")\n\n");
            }
        }
        if (!training.isEmpty()) {
            md.append("## Training: softmax regression on Fashion-MNIST (float32)\n\n");
            md.append(trainingTable(training)).append('\n');
            md.append("Train time is the SGD loop alone (no loading, no evaluation), after the JIT warm-up in the last"
                    + " column (throwaway models trained first; 0 = a cold JVM, where the Vector API kernels run 10 to"
                    + " 100 times slower until C2 has compiled them); every numeric step goes through"
                    + " the backend (matmul for the logits, the fused sparse cross-entropy for loss and gradient,"
                    + " matmulTransA with alpha = -lr, beta = 1 for the update).\n\n");
        }
        md.append("## How to read this\n\n")
                .append("- **ns/elem**: mean time per call divided by rows x cols. **GB/s**: the least bytes the op must"
                        + " move (softmax, log-softmax, cross-entropy: read the input and write one output, 8 bytes"
                        + " per float32 element; softmax backward: read y and dy, write dx, 12 bytes) over the time.\n")
                .append("- **vs fastest**: time over the fastest backend's time for the same op and shape (1.00 ="
                        + " fastest).\n")
                .append("- **of copy 1T / of copy ").append(info.cores()).append("T**: the op's GB/s as a fraction of"
                        + " a plain copy of the same bytes (System.arraycopy on one thread; the same copy split by"
                        + " rows over one thread per core). 100% means the op runs at the speed memory can move its"
                        + " data; the small shapes live in cache, so there the copy is a cache-speed bound. On 100x10"
                        + " (8 KB) the all-cores copy measures the hand-off to the other threads (microseconds), not"
                        + " bandwidth.\n")
                .append("- **alloc B/op**: bytes allocated per call from JMH's -prof gc (gc.alloc.rate.norm). It"
                        + " includes a few KB of JMH's own allocation per iteration divided by the calls in it, so on"
                        + " slow ops (few calls per iteration) it is an upper bound; the allocation table gives the"
                        + " exact figure per call.\n")
                .append("- ± is JMH's 99.9% confidence half-width (n/a with a single measured iteration).\n")
                .append("- **check**: ok, or ").append(UNRELIABLE).append(" and why the figure was taken before"
                        + " warm-up converged: its measured iterations still drift (a monotone trend of more than")
                .append(String.format(Locale.ROOT, " %.0f%%, or a spread of more than %.0f%%)",
                        100 * WarmupCheck.MAX_TREND, 100 * WarmupCheck.MAX_SPREAD))
                .append(", or a backend whose ops allocate nothing once compiled (")
                .append(String.join(", ", WarmupCheck.ALLOCATION_FREE.stream().sorted().toList()))
                .append(") allocated per call. Such a figure is measured again with twice the warm-up iterations"
                        + " (\"after\" gives the warm-up of the figure shown) before it is marked.\n");
        return md.toString();
    }

    /** @return the figures of the backends, without those of plain's kernels side by side ({@link Measurement#kernels}) */
    static List<Measurement> backends(List<Measurement> all) {
        return all.stream().filter(m -> !m.kernels()).toList();
    }

    /**
     * plain's float32 kernels side by side ({@code Float32OpsBench}): per op and shape the scalar and the SIMD
     * kernel's time, the speed-up, and the SIMD kernel's time over the SIMD softmax's in the same run.
     */
    private static void kernels(StringBuilder md, List<Measurement> all, RunInfo info) {
        List<Measurement> simd = all.stream().filter(m -> Measurement.PLAIN_SIMD.equals(m.backend()))
                .sorted(SHAPE_ORDER.thenComparing(Measurement::op)).toList();
        if (simd.isEmpty()) {
            return;
        }
        md.append("## plain's float32 kernels, SIMD and scalar side by side\n\n");
        md.append("The ops of a training or inference loop beyond the table above, on plain's SIMD kernels and on its"
                + " scalar ones (`-Dsoftmax4j.plain.scalar=true`), each trial in a JVM of its own"
                + " (`Float32OpsBench`: a quarter of the classes masked, never a row's target; soft labels; class"
                + " weights with label smoothing 0.1; top-k with k = 5; the Jacobian of one row).\n\n");
        md.append("| op | shape | scalar µs/op | SIMD µs/op | ± | speed-up | SIMD / SIMD softmax | SIMD alloc B/op |"
                + " check |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Measurement m : simd) {
            Measurement scalar = find(all, m.op(), m.dtype(), m.shapeLabel(), Measurement.PLAIN_SCALAR);
            Measurement softmax = find(all, Op.SOFTMAX, m.dtype(), m.shapeLabel(), Measurement.PLAIN_SIMD);
            md.append("| ").append(m.op().method()).append(" | ").append(m.shapeLabel()).append(" | ")
                    .append(scalar == null ? "n/a" : fmt(scalar.nsPerOp() / 1e3)).append(" | ")
                    .append(fmt(m.nsPerOp() / 1e3)).append(" | ").append(fmt(m.nsError() / 1e3)).append(" | ")
                    .append(scalar == null ? "n/a"
                            : String.format(Locale.ROOT, "%.1fx", scalar.nsPerOp() / m.nsPerOp())).append(" | ")
                    .append(softmax == null ? "n/a"
                            : String.format(Locale.ROOT, "%.2fx", m.nsPerOp() / softmax.nsPerOp())).append(" | ")
                    .append(fmt(m.allocBytesPerOp())).append(" | ").append(check(m, info))
                    .append(scalar == null || scalar.unreliable() == null ? "" : "; scalar: " + check(scalar, info))
                    .append(" |\n");
        }
        md.append('\n');
    }

    /** The marker of a figure taken before warm-up converged. */
    static final String UNRELIABLE = "⚠ unreliable";

    /** A warning at the top when some figures had not converged, so no one ranks backends by them unaware. */
    private static void warmupSummary(StringBuilder md, List<Measurement> all, List<Allocation> allocations) {
        long unreliable = all.stream().filter(m -> m.unreliable() != null).count();
        long allocating = allocations.stream().filter(ReportWriter::unexpected).count();
        if (unreliable == 0 && allocating == 0) {
            return;
        }
        md.append("**Warning: ");
        if (unreliable > 0) {
            md.append(unreliable).append(" of ").append(all.size()).append(" figures were taken before warm-up"
                    + " converged (marked ").append(UNRELIABLE).append(" in the check column)");
        }
        if (allocating > 0) {
            md.append(unreliable > 0 ? "; " : "").append(allocating).append(" allocation figures of backends that"
                    + " allocate nothing once compiled are not 0 (marked ⚠ in the allocation table)");
        }
        md.append(".** Do not rank backends by those figures: re-run on a quieter machine or with a longer warm-up"
                + " (--warmup-iterations, --warmup-ms).\n\n");
    }

    /** @return "ok", or the warm-up verdict, with the warm-up the figure had when it was extended */
    static String check(Measurement m, RunInfo info) {
        String extended = m.warmup() != null && info.warmup() != null && !m.warmup().equals(info.warmup())
                ? " after a warm-up of " + m.warmup() : "";
        return m.unreliable() == null ? "ok" + extended : UNRELIABLE + ": " + m.unreliable() + extended;
    }

    /** @return whether the probe found allocation where the backend allocates nothing once compiled */
    private static boolean unexpected(Allocation a) {
        return a.bytesPerCall() > 0 && WarmupCheck.ALLOCATION_FREE.contains(a.backend());
    }

    private static void machine(StringBuilder md, RunInfo info) {
        md.append("| | |\n|---|---|\n");
        md.append("| date | ").append(info.date()).append(" |\n");
        md.append("| CPU | ").append(info.cpuModel()).append(" |\n");
        md.append("| cores | ").append(info.cores()).append(" |\n");
        if (!Double.isNaN(info.memoryGb())) {
            md.append("| memory | ").append(String.format(Locale.ROOT, "%.1f GiB", info.memoryGb())).append(" |\n");
        }
        if (info.loadAverage() >= 0) {
            md.append("| load average at start | ").append(String.format(Locale.ROOT, "%.2f", info.loadAverage()))
                    .append(info.loadAverage() > info.cores() ? " (more than the cores: other work was running, the"
                            + " figures are noisy)" : "").append(" |\n");
        }
        md.append("| JDK | ").append(info.jdk()).append(" |\n");
        md.append("| OS | ").append(info.os()).append(" |\n");
        md.append("| command | `").append(info.command()).append("` |\n");
        md.append("| JMH | ").append(info.settings()).append(" |\n\n");
        md.append("Backends found: ");
        md.append(info.backends().isEmpty() ? "none" : String.join("; ", info.backends())).append(".");
        if (!info.skipped().isEmpty()) {
            md.append(" Skipped: ").append(String.join("; ", info.skipped())).append(".");
        }
        md.append("\n\n");
    }

    private static void reference(StringBuilder md, List<Measurement> all, int cores) {
        List<Measurement> copies = all.stream().filter(m -> m.op() == Op.COPY_ONE_THREAD).sorted(SHAPE_ORDER).toList();
        if (copies.isEmpty()) {
            return;
        }
        md.append("## Memory-bandwidth reference: copy the same bytes\n\n");
        md.append("| dtype | shape | MB read + written | 1 thread GB/s | ").append(cores).append(" threads GB/s |\n");
        md.append("|---|---|---:|---:|---:|\n");
        for (Measurement one : copies) {
            Measurement many = find(all, Op.COPY_ALL_CORES, one.dtype(), one.shapeLabel(), Measurement.MEMORY);
            md.append("| ").append(one.dtype()).append(" | ").append(one.shapeLabel()).append(" | ")
                    .append(fmt(one.op().bytesPerElement(one.dtype()) * (double) one.shape().elements() / 1e6))
                    .append(" | ").append(fmt(one.gigabytesPerSecond())).append(" | ")
                    .append(many == null ? "n/a" : fmt(many.gigabytesPerSecond())).append(" |\n");
        }
        md.append('\n');
    }

    private static void rowOps(StringBuilder md, List<Measurement> all, Dtype dtype, RunInfo info) {
        int cores = info.cores();
        List<Measurement> rows = all.stream()
                .filter(m -> m.dtype() == dtype && m.op().kind() == Op.Kind.ROW_WISE)
                .sorted(Comparator.comparing(Measurement::op).thenComparing(SHAPE_ORDER)
                        .thenComparing(Measurement::nsPerOp))
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        md.append("## Row ops, ").append(dtype).append("\n\n");
        md.append("| op | shape | backend | ns/op | ± | ns/elem | GB/s | vs fastest | of copy 1T | of copy ")
                .append(cores).append("T | alloc B/op | check |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Measurement m : rows) {
            double fastest = fastest(all, m);
            Measurement one = find(all, Op.COPY_ONE_THREAD, dtype, m.shapeLabel(), Measurement.MEMORY);
            Measurement many = find(all, Op.COPY_ALL_CORES, dtype, m.shapeLabel(), Measurement.MEMORY);
            md.append("| ").append(m.op().method()).append(" | ").append(m.shapeLabel()).append(" | ")
                    .append(m.backend()).append(" | ").append(fmt(m.nsPerOp())).append(" | ")
                    .append(fmt(m.nsError())).append(" | ").append(fmt(m.nsPerElement())).append(" | ")
                    .append(fmt(m.gigabytesPerSecond())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", m.nsPerOp() / fastest)).append(" | ")
                    .append(percent(m, one)).append(" | ").append(percent(m, many)).append(" | ")
                    .append(fmt(m.allocBytesPerOp())).append(" | ").append(check(m, info)).append(" |\n");
        }
        md.append('\n');
    }

    private static void matrixProducts(StringBuilder md, List<Measurement> all, RunInfo info) {
        List<Measurement> rows = all.stream().filter(m -> m.op().kind() == Op.Kind.MATRIX_PRODUCT)
                .sorted(Comparator.comparing(Measurement::op).thenComparing(Measurement::nsPerOp)).toList();
        if (rows.isEmpty()) {
            return;
        }
        md.append("## Matrix products of a training step, float32\n\n");
        md.append("| op | shape | backend | µs/op | ± | GFLOP/s | vs fastest | alloc B/op | check |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Measurement m : rows) {
            md.append("| ").append(m.op().method()).append(" | ").append(m.shapeLabel()).append(" | ")
                    .append(m.backend()).append(" | ").append(fmt(m.nsPerOp() / 1e3)).append(" | ")
                    .append(fmt(m.nsError() / 1e3)).append(" | ").append(fmt(m.gigaflopsPerSecond())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", m.nsPerOp() / fastest(all, m))).append(" | ")
                    .append(fmt(m.allocBytesPerOp())).append(" | ").append(check(m, info)).append(" |\n");
        }
        md.append('\n');
    }

    private static void allocations(StringBuilder md, List<Allocation> allocations) {
        if (allocations.isEmpty()) {
            return;
        }
        List<String> backends = allocations.stream().map(Allocation::backend).distinct().toList();
        md.append("## Heap bytes allocated per call (exact)\n\n");
        md.append("Measured outside JMH with the thread's allocation counter around many calls of the same benchmark"
                + " methods after a 500 ms warm-up: the least of 50 ms rounds over up to 1 s (4 s for a backend"
                + " whose ops allocate nothing once compiled), stopping at the first that allocates nothing;"
                + " 0 = allocation-free. ⚠: such a backend still allocated, so its code had not been compiled"
                + " within that time (the machine was busy) and its JMH figures are suspect too.\n\n");
        md.append("| op | dtype | shape |");
        backends.forEach(b -> md.append(' ').append(b).append(" |"));
        md.append("\n|---|---|---|");
        backends.forEach(b -> md.append("---:|"));
        md.append('\n');
        Map<String, Map<String, Allocation>> rows = new LinkedHashMap<>();
        for (Allocation a : allocations) {
            String key = a.op().method() + " | " + a.dtype() + " | " + (a.shape() == null ? "100x784x10" : a.shape());
            rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(a.backend(), a);
        }
        rows.forEach((key, byBackend) -> {
            md.append("| ").append(key).append(" |");
            backends.forEach(b -> {
                Allocation a = byBackend.get(b);
                md.append(' ').append(a == null ? "n/a" : fmt(a.bytesPerCall()) + (unexpected(a) ? " ⚠" : ""))
                        .append(" |");
            });
            md.append('\n');
        });
        md.append('\n');
    }

    /** @return the training results as a Markdown table (also printed by the train command) */
    public static String trainingTable(List<TrainingResult> training) {
        StringBuilder md = new StringBuilder();
        md.append("| backend | epochs | batch | lr | train s | examples/s | test accuracy | test loss |"
                + " last epoch train loss | JIT warm-up s before |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (TrainingResult t : training) {
            md.append("| ").append(t.backend()).append(" | ").append(t.epochs()).append(" | ").append(t.batch())
                    .append(" | ").append(t.learningRate()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", t.trainSeconds())).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", t.examplesPerSecond())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.4f", t.testAccuracy())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.4f", t.testLoss())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.4f", t.finalTrainLoss())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", t.warmupSeconds())).append(" |\n");
        }
        return md.toString();
    }

    /** Shapes in the order of the benchmark parameters: by element count, then rows. */
    static final Comparator<Measurement> SHAPE_ORDER = Comparator
            .comparing((Measurement m) -> m.shape() == null ? 0 : m.shape().elements())
            .thenComparing(m -> m.shape() == null ? 0 : m.shape().rows());

    private static double fastest(List<Measurement> all, Measurement m) {
        return all.stream().filter(o -> o.op() == m.op() && o.dtype() == m.dtype()
                        && o.shapeLabel().equals(m.shapeLabel()))
                .mapToDouble(Measurement::nsPerOp).min().orElse(m.nsPerOp());
    }

    static Measurement find(List<Measurement> all, Op op, Dtype dtype, String shape, String backend) {
        for (Measurement m : all) {
            if (m.op() == op && m.dtype() == dtype && m.shapeLabel().equals(shape)
                    && Objects.equals(m.backend(), backend)) {
                return m;
            }
        }
        return null;
    }

    /** Groups measurements by (dtype, shape) label in benchmark order, for the chart. */
    static Map<String, List<Measurement>> byCategory(List<Measurement> ms) {
        Map<String, List<Measurement>> out = new LinkedHashMap<>();
        for (Measurement m : ms.stream().sorted(Comparator.comparing(Measurement::dtype).thenComparing(SHAPE_ORDER))
                .toList()) {
            out.computeIfAbsent(m.dtype() + " " + m.shapeLabel(), k -> new ArrayList<>()).add(m);
        }
        return out;
    }

    private static String percent(Measurement m, Measurement reference) {
        if (reference == null) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.0f%%", 100 * m.gigabytesPerSecond() / reference.gigabytesPerSecond());
    }

    /** Three significant digits, thousands separated; n/a for NaN. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
