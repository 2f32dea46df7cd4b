package org.softmax4j.conformance;

/**
 * An error bound: a result {@code a} for the exact value {@code e} passes if
 * <pre>  |a - e| &lt;= ulps * ulp(e) + scaleUlps * u * scale </pre>
 * where {@code ulp(e)} is the spacing of the dtype at {@code e} (subnormal spacing below the normal range), {@code u}
 * the dtype's unit roundoff and {@code scale} the magnitude of the terms the op combines (so that an op whose result
 * cancels, such as a gradient, is held to what its condition allows; 0 for well-conditioned ops). NaN passes only for
 * NaN, an infinity only for the same infinity; an exact zero demands {@code |a| <= scaleUlps * u * scale} (or 0).
 * One exception, for bounds with a scale term: when the scale itself exceeds the dtype's range, the terms the op
 * combines overflow in that dtype (a float32 product accumulated in float32, as BLAS does), so a non-finite result
 * (inf or NaN) is accepted there; a finite result is still held to the bound.
 *
 * <p>The {@link org.softmax4j.Accuracy#STANDARD} class adds {@code kappa * u * (|e| + scale + floor)}: the error of a
 * backward-stable algorithm, {@code kappa} its conditioning (see the standard class in {@link ErrorBounds}).
 *
 * @param ulps      the bound in ulps of the exact result
 * @param scaleUlps the bound in units of {@code u * scale}; 0 for a pure ulp bound
 * @param kappa     the standard class's conditioning term, in units of {@code u}; 0 for the exact class
 * @param floor     the standard class's absolute floor (1 for a logarithm, whose rounding is absolute; else 0)
 */
public record Tolerance(double ulps, double scaleUlps, double kappa, double floor) {

    /** An exact-class bound: {@code ulps * ulp(e) + scaleUlps * u * scale}. */
    public Tolerance(double ulps, double scaleUlps) {
        this(ulps, scaleUlps, 0, 0);
    }

    /** Bit-exact: the result must equal the exact value rounded to the dtype (NaN matches NaN). */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    public static Tolerance ulps(double ulps) {
        return new Tolerance(ulps, 0);
    }

    /** @return true if {@code actual} is within this bound of {@code exact} */
    public boolean accepts(Dtype dtype, double exact, double actual, double scale) {
        if (scaleUlps > 0 && !Double.isFinite(actual) && Double.isInfinite(dtype.round(scale))) {
            return true;
        }
        if (Double.isNaN(exact) || Double.isNaN(actual)) {
            return Double.isNaN(exact) && Double.isNaN(actual);
        }
        if (Double.isInfinite(exact) || Double.isInfinite(actual)) {
            return exact == actual;
        }
        if (ulps == 0 && scaleUlps == 0 && kappa == 0) {
            return dtype.round(exact) == actual;
        }
        return Math.abs(actual - exact) <= allowance(dtype, exact, scale);
    }

    /** @return the largest error this bound allows at the exact value {@code exact} with the op's {@code scale} */
    public double allowance(Dtype dtype, double exact, double scale) {
        double u = dtype.unitRoundoff();
        double exactClass = ulps * dtype.ulp(exact) + scaleUlps * u * scale;
        return kappa == 0 ? exactClass : exactClass + kappa * u * (Math.abs(exact) + scale + floor);
    }

    /** @return the error of {@code actual} in ulps of {@code exact} (for messages) */
    public static double ulpError(Dtype dtype, double exact, double actual) {
        return Math.abs(actual - exact) / dtype.ulp(exact);
    }

    @Override
    public String toString() {
        if (ulps == 0 && scaleUlps == 0 && kappa == 0) {
            return "exact";
        }
        String exact = scaleUlps == 0 ? ulps + " ulp" : ulps + " ulp + " + scaleUlps + " u*scale";
        return kappa == 0 ? exact : exact + " + " + kappa + " u*(|e| + scale" + (floor == 0 ? ")" : " + " + floor + ")")
                + " (standard class)";
    }
}
