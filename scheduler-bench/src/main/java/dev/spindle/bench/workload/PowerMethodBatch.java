package dev.spindle.bench.workload;

import java.util.SplittableRandom;

/**
 * W2: the dominant eigenvalue of each of {@code count} symmetric {@code n × n} matrices by power
 * iteration ({@code y = A·x}, {@code λ = xᵀy}, {@code x = y / ||y||}, until λ changes by at most
 * {@code 1e-10 · max(1, |λ|)} or 1,000 iterations), with the GEMV of the variant — parallel itself
 * in every variant but serial and outer-only — and the outer level over the matrices.
 *
 * <p>The matrices are symmetric, pseudo-random, plus a spike on one diagonal element, so the
 * dominant eigenvalue is separated by a modest gap and iteration counts are tens and the same in every variant (the
 * GEMV kernels give the same bits row by row). Not thread-safe: one {@link #run} at a time.
 */
public final class PowerMethodBatch {

    /** The stopping tolerance of the published experiment (workloads.md, W2). */
    public static final double TOLERANCE = 1e-10;

    /** Iteration cap. */
    public static final int MAX_ITERATIONS = 1_000;

    private final int n;
    private final double[][] matrices;
    private final double[] eigenvalues;
    private final int[] iterations;

    /** Builds {@code count} matrices of order {@code n}. */
    public PowerMethodBatch(int count, int n, long seed) {
        if (count < 1 || n < 1) {
            throw new IllegalArgumentException("count and n must be >= 1, was count=" + count + ", n=" + n);
        }
        this.n = n;
        SplittableRandom random = new SplittableRandom(seed);
        // Entries uniform in [-0.5, 0.5): the spectrum of the random part lies within about
        // ±2·sqrt(n/12). A spike of 1.2 times that on one diagonal element separates one eigenvalue
        // by a modest gap: tens of iterations, the same in every variant.
        double spike = 1.2 * 2 * Math.sqrt(n / 12.0);
        matrices = new double[count][];
        for (int m = 0; m < count; m++) {
            double[] a = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double v = random.nextDouble() - 0.5;
                    a[i * n + j] = v;
                    a[j * n + i] = v;
                }
                a[i * n + i] += i == 0 ? spike : 0.0;
            }
            matrices[m] = a;
        }
        eigenvalues = new double[count];
        iterations = new int[count];
    }

    /** Computes every matrix's dominant eigenvalue with the variant of {@code execution}. */
    public void run(TwoLevelExecution execution) {
        execution.forEachItem(matrices.length, m -> solve(execution, m));
    }

    private void solve(TwoLevelExecution execution, int m) {
        double[] a = matrices[m];
        double[] x = new double[n];
        double[] y = new double[n];
        double start = 1.0 / Math.sqrt(n);
        for (int i = 0; i < n; i++) {
            x[i] = start;
        }
        double lambda = Double.NaN;
        int iteration = 0;
        while (iteration < MAX_ITERATIONS) {
            iteration++;
            execution.gemv(n, a, x, y);
            double previous = lambda;
            double dot = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                dot += x[i] * y[i];
                squares += y[i] * y[i];
            }
            lambda = dot;
            double norm = Math.sqrt(squares);
            if (norm == 0.0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                x[i] = y[i] / norm;
            }
            if (Math.abs(lambda - previous) <= TOLERANCE * Math.max(1.0, Math.abs(lambda))) {
                break;
            }
        }
        eigenvalues[m] = lambda;
        iterations[m] = iteration;
    }

    /** A copy of matrix {@code m}, row-major. */
    public double[] matrix(int m) {
        return matrices[m].clone();
    }

    /** The eigenvalue estimates of the last run, in matrix order. */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** The iteration counts of the last run, in matrix order. */
    public int[] iterations() {
        return iterations.clone();
    }
}
