package org.softmax4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.softmax4j.bench.Dtype;
import org.softmax4j.bench.Op;
import org.softmax4j.bench.Shape;

/** The chart has one panel per measured op, whatever their number (an odd count once broke XChart's grid). */
class ChartWriterTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5})
    void drawsOnePanelPerOp(int ops, @TempDir Path dir) throws IOException {
        Op[] measured = {Op.SOFTMAX, Op.LOG_SOFTMAX, Op.SOFTMAX_BACKWARD, Op.SPARSE_CROSS_ENTROPY, Op.MATMUL};
        List<Measurement> measurements = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            measurements.add(new Measurement(measured[i], Dtype.FLOAT32, new Shape(100, 10), "plain", 1000 + i, 1,
                    0));
        }
        measurements.add(new Measurement(Op.COPY_ONE_THREAD, Dtype.FLOAT32, new Shape(100, 10), Measurement.MEMORY,
                50, 1, 0));
        Path png = dir.resolve("chart.png");
        assertTrue(ChartWriter.writePng(measurements, png));
        BufferedImage image = ImageIO.read(png.toFile());
        int columns = ops % 2 == 0 ? 2 : 1;
        assertEquals(columns, Math.round((float) image.getWidth() / ChartWriter.WIDTH), "panels across");
        assertEquals(ops / columns, Math.round((float) image.getHeight() / ChartWriter.HEIGHT), "panels down");
    }

    @Test
    void writesNothingWithoutOps(@TempDir Path dir) throws IOException {
        List<Measurement> onlyMemory = List.of(new Measurement(Op.COPY_ONE_THREAD, Dtype.FLOAT32, new Shape(100, 10),
                Measurement.MEMORY, 50, 1, 0));
        Path png = dir.resolve("chart.png");
        assertFalse(ChartWriter.writePng(onlyMemory, png));
        assertFalse(png.toFile().exists());
    }
}
