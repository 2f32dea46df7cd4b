package org.softmax4j.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a JMH figure taken before the JIT had finished from one taken at steady state. The Vector API kernels run one
 * to three orders of magnitude slower, and allocate a box per vector, until C2 has compiled them, and on 2 busy cores
 * that can take longer than a warm-up; JMH reports such a figure as if it were steady. Three signs give it away:
 * <ul>
 *   <li><b>a trend</b>: at least {@value #TREND_ITERATIONS} measured iterations of one fork, each faster (or each
 *       slower) than the one before, by more than {@value #MAX_TREND} overall: the code was still changing;</li>
 *   <li><b>a spread</b>: the slowest measured iteration of a fork more than {@value #MAX_SPREAD} slower than its
 *       fastest (noise from other work on the machine gives the same sign: either way the figure is not one to rank
 *       backends by);</li>
 *   <li><b>allocation</b> in a backend whose ops allocate nothing once compiled ({@link #ALLOCATION_FREE}): JMH's
 *       {@code gc.alloc.rate.norm} above {@value #MAX_ALLOC_BYTES_PER_CALL} bytes per call and above
 *       {@value #JMH_BYTES_PER_ITERATION} bytes per iteration (JMH's own per-iteration allocation, about 6 KB on this
 *       machine, spread over the calls, is below that).</li>
 * </ul>
 */
public final class WarmupCheck {

    /** Overall change of a monotone run of measured iterations beyond which it is a trend, not steady state. */
    static final double MAX_TREND = 0.10;
    /** The fewest iterations a monotone run needs to count as a trend (two always run one way or the other). */
    static final int TREND_ITERATIONS = 3;
    /** The slowest over the fastest measured iteration of one fork, minus 1, beyond which the figure is unsteady. */
    static final double MAX_SPREAD = 0.25;
    /** Bytes per call of an allocation-free backend beyond which its code was not compiled yet. */
    static final double MAX_ALLOC_BYTES_PER_CALL = 16;
    /** Bytes per measured iteration that JMH's own allocation stays below. */
    static final double JMH_BYTES_PER_ITERATION = 32 * 1024;
    /** Backends whose every op allocates nothing per call once compiled (nd4j makes INDArray views per call). */
    public static final Set<String> ALLOCATION_FREE = Set.of("plain", "ejml", Measurement.PLAIN_SIMD);

    private WarmupCheck() {
    }

    /**
     * @param backend          the backend measured, or a reference's name
     * @param nsByFork         the measured iterations' mean ns per call, one array per fork
     * @param allocBytesPerOp  JMH's gc.alloc.rate.norm, NaN if not profiled
     * @param iterationNanos   the length of one measured iteration
     * @return null for a steady figure, else why it is not (one short sentence)
     */
    public static String problem(String backend, List<double[]> nsByFork, double allocBytesPerOp,
                                 double iterationNanos) {
        double sum = 0;
        int count = 0;
        for (double[] fork : nsByFork) {
            String drift = drift(fork);
            if (drift != null) {
                return drift;
            }
            for (double ns : fork) {
                sum += ns;
                count++;
            }
        }
        if (ALLOCATION_FREE.contains(backend) && count > 0 && !Double.isNaN(allocBytesPerOp)) {
            double callsPerIteration = iterationNanos / (sum / count);
            if (allocBytesPerOp > MAX_ALLOC_BYTES_PER_CALL
                    && allocBytesPerOp * callsPerIteration > JMH_BYTES_PER_ITERATION) {
                return String.format(Locale.ROOT, "allocates %,.0f B per call where %s allocates nothing once"
                        + " compiled", allocBytesPerOp, backend);
            }
        }
        return null;
    }

    /** @return why one fork's iterations are not steady, or null */
    private static String drift(double[] ns) {
        if (ns.length < 2) {
            return null;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        boolean faster = true;
        boolean slower = true;
        for (int i = 0; i < ns.length; i++) {
            min = Math.min(min, ns[i]);
            max = Math.max(max, ns[i]);
            if (i > 0) {
                faster &= ns[i] < ns[i - 1];
                slower &= ns[i] > ns[i - 1];
            }
        }
        double change = ns[ns.length - 1] / ns[0] - 1;
        if (ns.length >= TREND_ITERATIONS && (faster || slower) && Math.abs(change) > MAX_TREND) {
            return String.format(Locale.ROOT, "iterations still %s (%+.0f%% from first to last: %s)",
                    faster ? "speeding up" : "slowing down", 100 * change, times(ns));
        }
        if (max / min - 1 > MAX_SPREAD) {
            return String.format(Locale.ROOT, "iterations spread %.0f%% (%s)", 100 * (max / min - 1), times(ns));
        }
        return null;
    }

    private static String times(double[] ns) {
        StringBuilder s = new StringBuilder();
        for (double v : ns) {
            s.append(s.length() == 0 ? "" : " / ").append(ReportWriter.fmt(v));
        }
        return s.append(" ns").toString();
    }
}
