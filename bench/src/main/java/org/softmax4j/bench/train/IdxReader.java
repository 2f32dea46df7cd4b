package org.softmax4j.bench.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST ({@code idx3-ubyte} images, {@code idx1-ubyte} labels), plain or
 * gzip-compressed; the compression is detected from the first two bytes ({@code 1f 8b}), not the file name.
 *
 * <p>The format: a big-endian magic {@code 00 00 TT DD} with type {@code TT = 08} (unsigned byte) and {@code DD}
 * dimensions, then {@code DD} big-endian int sizes, then the data, row-major. Every deviation is an
 * {@link IdxFormatException} naming the file, the expected and the actual value.
 */
public final class IdxReader {

    /** The magic number of an unsigned-byte file with 3 dimensions (images: count, rows, cols). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The magic number of an unsigned-byte file with 1 dimension (labels: count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private IdxReader() {
    }

    /** Images: {@code count} images of {@code rows x cols} unsigned-byte pixels, row-major, image after image. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        /** @return pixels per image */
        public int pixelsPerImage() {
            return rows * cols;
        }
    }

    /**
     * @param file an {@code idx3-ubyte} file, plain or gzip
     * @throws IdxFormatException if the magic is not {@value #IMAGES_MAGIC}, a size is not positive, or the data is
     *                            shorter or longer than the header says
     * @throws IOException        if the file cannot be read
     */
    public static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            readMagic(file, in, IMAGES_MAGIC, "idx3-ubyte images");
            int count = readSize(file, in, "image count");
            int rows = readSize(file, in, "rows");
            int cols = readSize(file, in, "cols");
            long length = (long) count * rows * cols;
            if (length > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException(file + ": " + count + " images of " + rows + "x" + cols
                        + " pixels do not fit in one array");
            }
            byte[] pixels = readData(file, in, (int) length);
            return new Images(count, rows, cols, pixels);
        }
    }

    /**
     * @param file an {@code idx1-ubyte} file, plain or gzip
     * @return one label per item, each in {@code [0, 255]}
     * @throws IdxFormatException if the magic is not {@value #LABELS_MAGIC} or the data length does not match
     * @throws IOException        if the file cannot be read
     */
    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            readMagic(file, in, LABELS_MAGIC, "idx1-ubyte labels");
            int count = readSize(file, in, "label count");
            byte[] data = readData(file, in, count);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = data[i] & 0xff;
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1
                ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        return new DataInputStream(in);
    }

    private static void readMagic(Path file, DataInputStream in, int expected, String kind) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file + ": truncated: expected a 4-byte magic number, the file is shorter");
        }
        if (magic != expected) {
            throw new IdxFormatException(String.format("%s: not an %s file: expected magic number 0x%08x, got 0x%08x",
                    file, kind, expected, magic));
        }
    }

    private static int readSize(Path file, DataInputStream in, String what) throws IOException {
        int size;
        try {
            size = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file + ": truncated header: expected the " + what + ", the file ended");
        }
        if (size <= 0) {
            throw new IdxFormatException(file + ": " + what + ": expected > 0, got " + size);
        }
        return size;
    }

    private static byte[] readData(Path file, DataInputStream in, int length) throws IOException {
        byte[] data = new byte[length];
        int read = in.readNBytes(data, 0, length);
        if (read < length) {
            throw new IdxFormatException(file + ": truncated: expected " + length
                    + " bytes of data after the header, got " + read);
        }
        if (in.read() != -1) {
            throw new IdxFormatException(file + ": expected " + length
                    + " bytes of data after the header, but the file is longer");
        }
        return data;
    }
}
