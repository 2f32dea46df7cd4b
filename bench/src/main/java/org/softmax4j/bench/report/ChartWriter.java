package org.softmax4j.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.softmax4j.bench.Op;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws the throughput chart: one panel per op, grouped bars per (dtype, shape) with one bar per backend, log scale
 * because the shapes span three orders of magnitude. The copy references of the row ops are grey markers over the
 * bars, not bars: on 100x10 the all-cores copy measures a thread hand-off and the one-thread copy a cache, both far
 * from the ops, and as bars they crowded the backends out. The category labels are slanted so that six fit.
 */
public final class ChartWriter {

    static final int WIDTH = 1000;
    static final int HEIGHT = 480;
    /** Degrees the category labels are slanted by, so that "float32 4096x4096" and its neighbours do not overlap. */
    static final int LABEL_ROTATION = 30;
    private static final int REFERENCE_MARKER_SIZE = 12;

    private ChartWriter() {
    }

    /**
     * Writes a PNG with one panel per op that has measurements.
     *
     * @return false if there was nothing to draw (no file written)
     */
    public static boolean writePng(List<Measurement> measurements, Path file) throws IOException {
        List<CategoryChart> panels = new ArrayList<>();
        for (Op op : Op.values()) {
            if (op.kind() == Op.Kind.REFERENCE) {
                continue;
            }
            List<Measurement> ofOp = measurements.stream().filter(m -> m.op() == op).toList();
            if (!ofOp.isEmpty()) {
                panels.add(panel(op, ofOp, measurements));
            }
        }
        if (panels.isEmpty()) {
            return false;
        }
        // XChart's grid needs rows * cols == panels: two columns for an even count, else one
        int cols = panels.size() % 2 == 0 ? 2 : 1;
        int rows = panels.size() / cols;
        BitmapEncoder.saveBitmap(panels, rows, cols, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    private static CategoryChart panel(Op op, List<Measurement> ofOp, List<Measurement> all) {
        boolean rowWise = op.kind() == Op.Kind.ROW_WISE;
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(op.method() + (rowWise ? " (GB/s, higher is better)" : " float32 (GFLOP/s, higher is better)"))
                .xAxisTitle(rowWise ? "dtype and shape" : "shape").yAxisTitle(rowWise ? "GB/s" : "GFLOP/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(LABEL_ROTATION);
        chart.getStyler().setMarkerSize(REFERENCE_MARKER_SIZE);

        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        Map<String, List<Measurement>> categories = ReportWriter.byCategory(ofOp);
        List<String> labels = new ArrayList<>(categories.keySet());
        Set<String> backends = new LinkedHashSet<>();
        ofOp.stream().map(Measurement::backend).sorted().forEach(backends::add);
        for (String backend : backends) {
            List<Double> values = new ArrayList<>();
            for (String label : labels) {
                Measurement m = categories.get(label).stream().filter(x -> x.backend().equals(backend))
                        .findFirst().orElse(null);
                values.add(m == null ? null : rowWise ? m.gigabytesPerSecond() : m.gigaflopsPerSecond());
            }
            chart.addSeries(backend, labels, values);
            for (Double v : values) {
                if (v != null) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (rowWise) {
            for (Op reference : List.of(Op.COPY_ONE_THREAD, Op.COPY_ALL_CORES)) {
                List<Double> values = new ArrayList<>();
                boolean any = false;
                for (String label : labels) {
                    Measurement first = categories.get(label).get(0);
                    Measurement m = ReportWriter.find(all, reference, first.dtype(), first.shapeLabel(),
                            Measurement.MEMORY);
                    values.add(m == null ? null : m.gigabytesPerSecond());
                    any |= m != null;
                    if (m != null) {
                        min = Math.min(min, m.gigabytesPerSecond());
                        max = Math.max(max, m.gigabytesPerSecond());
                    }
                }
                if (any) {
                    // The references as grey markers, so the backends' coloured bars stand out.
                    java.awt.Color grey = reference == Op.COPY_ONE_THREAD
                            ? new java.awt.Color(150, 150, 150) : new java.awt.Color(60, 60, 60);
                    CategorySeries series = chart.addSeries(reference == Op.COPY_ONE_THREAD ? "copy, 1 thread"
                            : "copy, all cores", labels, values);
                    series.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
                    series.setMarker(reference == Op.COPY_ONE_THREAD ? SeriesMarkers.DIAMOND
                            : SeriesMarkers.TRIANGLE_DOWN);
                    series.setMarkerColor(grey);
                }
            }
        }
        // Bars start at 0 unless told otherwise, which a log axis rejects: span whole decades around the data.
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min / 3))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
        return chart;
    }
}
