package dev.spindle.linalg;

import dev.spindle.core.Scheduler;
import dev.spindle.linalg.internal.BlasArguments;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The dominant eigenvalue (largest in absolute value, with its sign) of a symmetric matrix by
 * power iteration: {@code y = A·x}, {@code λ = xᵀy} (the Rayleigh quotient, with {@code ||x|| = 1}),
 * {@code x = y / ||y||}, until the estimate settles or the iteration cap is reached. The product
 * is {@link Blas#dgemv}, parallel on the scheduler when the matrix is large enough and nobody else
 * keeps the workers busy; inside a {@link Batch} over many matrices it runs serially on its worker.
 *
 * <p><b>Stopping test.</b> Converged when the change of λ is at most {@code tolerance · max(1, |λ|)}
 * and the residual {@code ||A·x − λ·x||} is at most {@code √tolerance · max(1, |λ|)}. The second
 * half catches the case the first misses: when {@code λ} and {@code −λ} are both eigenvalues of
 * the largest magnitude, the Rayleigh quotient stands still at a value that is no eigenvalue, and
 * the method must report that it did not converge.
 *
 * <p>The start vector is fixed (pseudo-random from a constant seed), so results are reproducible.
 * Only the matrix is read; A is assumed symmetric and is not checked.
 */
public final class PowerMethod {

    /** The tolerance of the published experiment this follows (workloads.md, W2). */
    public static final double DEFAULT_TOLERANCE = 1e-10;

    /** Default iteration cap. */
    public static final int DEFAULT_MAX_ITERATIONS = 10_000;

    private static final long START_SEED = 0x5EED_0F_5A1DL;

    private PowerMethod() {
    }

    /** A dense {@code n × n} row-major matrix, default tolerance and cap, global scheduler. */
    public static EigenEstimate largestEigenvalue(double[] a, int n) {
        return largestEigenvalue(Scheduler.global(), a, 0, Math.max(1, n), n, DEFAULT_TOLERANCE,
                DEFAULT_MAX_ITERATIONS);
    }

    /**
     * @param a the symmetric {@code n × n} matrix, row-major at {@code a[aOff + i * lda + j]}
     * @param tolerance relative tolerance, {@code > 0} (see the class comment)
     * @param maxIterations iteration cap, {@code >= 1}
     * @throws IllegalArgumentException for a matrix that does not fit its array, a tolerance that is
     *     not positive and finite, or a cap below 1
     */
    public static EigenEstimate largestEigenvalue(Scheduler scheduler, double[] a, int aOff, int lda, int n,
                                                  double tolerance, int maxIterations) {
        Objects.requireNonNull(scheduler, "scheduler");
        BlasArguments.dimension("n", n);
        BlasArguments.matrix("A", "a", a, "aOff", aOff, "lda", lda, n, n, "n x n");
        if (!(tolerance > 0.0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be > 0 and finite, was tolerance=" + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, was maxIterations=" + maxIterations);
        }
        if (n == 0) {
            return new EigenEstimate(Double.NaN, new double[0], 0, false);
        }
        double[] x = new double[n];
        SplittableRandom random = new SplittableRandom(START_SEED);
        for (int i = 0; i < n; i++) {
            x[i] = random.nextDouble(0.5, 1.5);
        }
        Blas.dscal(scheduler, n, 1.0 / Blas.dnrm2(scheduler, n, x, 0, 1), x, 0, 1);
        double[] y = new double[n];
        double[] r = new double[n];
        double lambda = Double.NaN;
        double sqrtTolerance = Math.sqrt(tolerance);
        for (int iteration = 1; iteration <= maxIterations; iteration++) {
            Blas.dgemv(scheduler, Transpose.NO_TRANSPOSE, n, n, 1.0, a, aOff, lda, x, 0, 1, 0.0, y, 0, 1);
            double previous = lambda;
            lambda = Blas.ddot(scheduler, n, x, 0, 1, y, 0, 1);
            if (Double.isNaN(lambda)) {
                return new EigenEstimate(lambda, x, iteration, false);
            }
            double scale = Math.max(1.0, Math.abs(lambda));
            boolean settled = Math.abs(lambda - previous) <= tolerance * scale;
            double norm = Blas.dnrm2(scheduler, n, y, 0, 1);
            if (norm == 0.0) {
                // A·x = 0: x is an eigenvector for 0, and the power method can go no further.
                return new EigenEstimate(0.0, x, iteration, true);
            }
            if (settled) {
                for (int i = 0; i < n; i++) {
                    r[i] = y[i] - lambda * x[i];
                }
                double residual = Blas.dnrm2(scheduler, n, r, 0, 1);
                if (residual <= sqrtTolerance * scale) {
                    return new EigenEstimate(lambda, x, iteration, true);
                }
            }
            for (int i = 0; i < n; i++) {
                x[i] = y[i] / norm;
            }
        }
        return new EigenEstimate(lambda, x, maxIterations, false);
    }
}
