package org.softmax4j.bench.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** Three 2x3 images whose pixel i of image n is 10 * n + i, and their labels 7, 0, 9. */
    private static final byte[] PIXELS = new byte[3 * 2 * 3];
    private static final byte[] LABELS = {7, 0, 9};

    static {
        for (int n = 0; n < 3; n++) {
            for (int i = 0; i < 6; i++) {
                PIXELS[n * 6 + i] = (byte) (10 * n + i);
            }
        }
        PIXELS[5] = (byte) 255; // an unsigned byte above 127 must read as 255, not -1
    }

    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        out.flush();
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    @Test
    void readsPlainImagesAndLabels() throws IOException {
        Path images = write("images", idx(IdxReader.IMAGES_MAGIC, new int[]{3, 2, 3}, PIXELS), false);
        Path labels = write("labels", idx(IdxReader.LABELS_MAGIC, new int[]{3}, LABELS), false);

        IdxReader.Images read = IdxReader.readImages(images);
        assertEquals(3, read.count());
        assertEquals(2, read.rows());
        assertEquals(3, read.cols());
        assertArrayEquals(PIXELS, read.pixels());
        assertArrayEquals(new int[]{7, 0, 9}, IdxReader.readLabels(labels));
    }

    @Test
    void detectsGzipByMagicBytesWhateverTheName() throws IOException {
        Path images = write("images-without-gz-suffix", idx(IdxReader.IMAGES_MAGIC, new int[]{3, 2, 3}, PIXELS), true);
        Path labels = write("labels.gz", idx(IdxReader.LABELS_MAGIC, new int[]{3}, LABELS), true);

        assertArrayEquals(PIXELS, IdxReader.readImages(images).pixels());
        assertArrayEquals(new int[]{7, 0, 9}, IdxReader.readLabels(labels));
    }

    @Test
    void scalesPixelsToUnitIntervalAndChecksCounts() throws IOException {
        Path images = write("i", idx(IdxReader.IMAGES_MAGIC, new int[]{3, 2, 3}, PIXELS), true);
        Path labels = write("l", idx(IdxReader.LABELS_MAGIC, new int[]{3}, LABELS), false);

        Dataset data = MnistData.load(images, labels);
        assertEquals(6, data.features());
        assertEquals(0f, data.images()[0]);
        assertEquals(1f, data.images()[5]);
        assertEquals(21 / 255f, data.images()[13]);

        Path twoLabels = write("l2", idx(IdxReader.LABELS_MAGIC, new int[]{2}, Arrays.copyOf(LABELS, 2)), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistData.load(images, twoLabels));
        assertTrue(e.getMessage().contains("expected 3 labels") && e.getMessage().contains("got 2"), e.getMessage());

        Path badLabel = write("l3", idx(IdxReader.LABELS_MAGIC, new int[]{3}, new byte[]{1, 10, 2}), false);
        e = assertThrows(IdxFormatException.class, () -> MnistData.load(images, badLabel));
        assertTrue(e.getMessage().contains("label 1") && e.getMessage().contains("got 10"), e.getMessage());
    }

    @Test
    void rejectsBadMagicNamingExpectedAndActual() throws IOException {
        Path labelsAsImages = write("x", idx(IdxReader.LABELS_MAGIC, new int[]{3}, LABELS), true);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(labelsAsImages));
        assertTrue(e.getMessage().contains("0x00000803") && e.getMessage().contains("0x00000801"), e.getMessage());

        Path text = write("y", "hello, not an idx file".getBytes(java.nio.charset.StandardCharsets.US_ASCII), false);
        e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(text));
        assertTrue(e.getMessage().contains("expected magic number 0x00000801"), e.getMessage());
    }

    @Test
    void rejectsTruncatedDataAndHeaderInBothEncodings() throws IOException {
        byte[] whole = idx(IdxReader.IMAGES_MAGIC, new int[]{3, 2, 3}, PIXELS);
        for (boolean gzip : new boolean[]{false, true}) {
            Path shortData = write("short" + gzip, Arrays.copyOf(whole, whole.length - 4), gzip);
            IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(shortData));
            assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("expected 18 bytes")
                    && e.getMessage().contains("got 14"), e.getMessage());

            Path shortHeader = write("header" + gzip, Arrays.copyOf(whole, 10), gzip);
            e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(shortHeader));
            assertTrue(e.getMessage().contains("truncated header"), e.getMessage());

            Path empty = write("empty" + gzip, new byte[0], gzip);
            e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(empty));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void rejectsTrailingBytesAndNonPositiveSizes() throws IOException {
        byte[] whole = idx(IdxReader.LABELS_MAGIC, new int[]{3}, LABELS);
        Path longer = write("long", Arrays.copyOf(whole, whole.length + 1), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(longer));
        assertTrue(e.getMessage().contains("longer"), e.getMessage());

        Path zeroRows = write("zero", idx(IdxReader.IMAGES_MAGIC, new int[]{3, 0, 3}, new byte[0]), false);
        e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(zeroRows));
        assertTrue(e.getMessage().contains("rows: expected > 0, got 0"), e.getMessage());
    }

    @Test
    void findsBothNamingStylesAndExplainsMissingData() throws IOException {
        write("train-images-idx3-ubyte.gz", idx(IdxReader.IMAGES_MAGIC, new int[]{3, 2, 3}, PIXELS), true);
        write("train-labels.idx1-ubyte", idx(IdxReader.LABELS_MAGIC, new int[]{3}, LABELS), false);
        write("t10k-images.idx3-ubyte.gz", idx(IdxReader.IMAGES_MAGIC, new int[]{3, 2, 3}, PIXELS), true);
        assertEquals(false, MnistData.isPresent(dir));

        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> MnistData.load(dir));
        assertTrue(e.getMessage().contains("t10k labels") && e.getMessage().contains(MnistData.PACKAGE)
                && e.getMessage().contains("--data"), e.getMessage());

        write("t10k-labels-idx1-ubyte", idx(IdxReader.LABELS_MAGIC, new int[]{3}, LABELS), false);
        assertTrue(MnistData.isPresent(dir));
        MnistData.Split split = MnistData.load(dir);
        assertEquals(3, split.train().count());
        assertArrayEquals(new int[]{7, 0, 9}, split.test().labels());
    }
}
