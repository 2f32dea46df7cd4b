package org.example.modular;

import java.util.List;
import java.util.stream.Collectors;
import org.softmax4j.Softmax;
import org.softmax4j.SoftmaxOps;

/**
 * Run on the module path only: {@code Softmax.available()} finds the plain backend, a named module that
 * {@code provides} the SPI, and it computes a softmax. Argument: {@code simd} if the JVM runs with {@code --add-modules jdk.incubator.vector}
 * (plain must then use its Vector API kernels), else {@code scalar}. Exits with 1 on any difference.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        boolean simd = args[0].equals("simd");
        check(Main.class.getModule().isNamed(), "the application is not a named module");
        check(SoftmaxOps.class.getModule().getName().equals("org.softmax4j.api"),
                "the API is in " + SoftmaxOps.class.getModule());
        List<String> found = Softmax.available().stream()
                .map(ops -> ops.name() + " in " + ops.getClass().getModule().getName())
                .collect(Collectors.toList());
        check(found.equals(List.of("plain in org.softmax4j.plain")),
                "backends found: " + found + ", skipped: " + Softmax.skipped());
        for (SoftmaxOps ops : Softmax.available()) {
            float[] x = new float[64];
            float[] y = new float[64];
            for (int i = 0; i < x.length; i++) {
                x[i] = i % 7 - 3;
            }
            ops.softmax(1, 64, x, 0, y, 0);
            double sum = 0;
            for (float v : y) {
                sum += v;
            }
            check(Math.abs(sum - 1) < 1e-5, ops.name() + ": softmax sums to " + sum);
        }
        String plain = Softmax.ops("plain").description();
        check(plain.contains("SIMD") == simd, "expected " + args[0] + " kernels, plain says: " + plain);
        System.out.println("modular consumer (" + args[0] + "): found " + found + "; plain: " + plain);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            System.err.println("modular consumer FAILED: " + message);
            System.exit(1);
        }
    }
}
