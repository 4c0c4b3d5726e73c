package dev.spindle.bench.workload;

import dev.spindle.linalg.SerialBlas;
import dev.spindle.linalg.Transpose;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * A kernel made parallel the way a library with its own thread pool does it: C (or y) cut into
 * {@code bands} bands of rows, each band one task running the serial kernel ({@link SerialBlas})
 * on its rows, the caller waiting for all. On an {@link ExecutorService} the caller blocks in
 * {@code Future.get()} (what a private pool of N does); on a {@link ForkJoinPool} the bands are
 * forked and joined, so a waiting worker helps.
 *
 * <p>Each element of the result is computed by the same serial code as without bands, so results
 * equal the serial kernel's within rounding of the kernel's blocking (tested).
 */
public final class RowBands {

    private RowBands() {
    }

    /** {@code C = A·B}, all n × n row-major, bands run on {@code pool} (the caller blocks). */
    public static void gemm(ExecutorService pool, int bands, int n, double[] a, double[] b, double[] c) {
        runOn(pool, bands, n, (lo, hi) -> gemmRows(lo, hi, n, a, b, c));
    }

    /** {@code C = A·B}, all n × n row-major, bands forked on {@code pool}. */
    public static void gemm(ForkJoinPool pool, int bands, int n, double[] a, double[] b, double[] c) {
        runOn(pool, new Bands(0, bands, bands, n, (lo, hi) -> gemmRows(lo, hi, n, a, b, c)));
    }

    /** {@code y = A·x}, A n × n row-major, bands run on {@code pool} (the caller blocks). */
    public static void gemv(ExecutorService pool, int bands, int n, double[] a, double[] x, double[] y) {
        runOn(pool, bands, n, (lo, hi) -> gemvRows(lo, hi, n, a, x, y));
    }

    /** {@code y = A·x}, A n × n row-major, bands forked on {@code pool}. */
    public static void gemv(ForkJoinPool pool, int bands, int n, double[] a, double[] x, double[] y) {
        runOn(pool, new Bands(0, bands, bands, n, (lo, hi) -> gemvRows(lo, hi, n, a, x, y)));
    }

    private static void gemmRows(int lo, int hi, int n, double[] a, double[] b, double[] c) {
        if (hi > lo) {
            SerialBlas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, hi - lo, n, n, 1.0, a, lo * n, n,
                    b, 0, n, 0.0, c, lo * n, n);
        }
    }

    private static void gemvRows(int lo, int hi, int n, double[] a, double[] x, double[] y) {
        if (hi > lo) {
            SerialBlas.dgemv(Transpose.NO_TRANSPOSE, hi - lo, n, 1.0, a, lo * n, n, x, 0, 1, 0.0, y, lo, 1);
        }
    }

    private static void runOn(ForkJoinPool pool, Bands bands) {
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
            bands.invoke();
        } else {
            pool.invoke(bands);
        }
    }

    private static void runOn(ExecutorService pool, int bands, int n, RowsBody body) {
        BlockingFanOut.run(pool, bands, band -> body.run(firstRow(n, band, bands), firstRow(n, band + 1, bands)),
                "a band");
    }

    /** The first row of band {@code band} of {@code bands} over {@code n} rows (n for band == bands). */
    private static int firstRow(int n, int band, int bands) {
        return (int) ((long) n * band / bands);
    }

    /** Rows {@code [lo, hi)} of the result. */
    @FunctionalInterface
    private interface RowsBody {
        void run(int lo, int hi);
    }

    /** Bands {@code [first, end)} of {@code count}, halved recursively. */
    private static final class Bands extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final int first;
        private final int end;
        private final int count;
        private final int n;
        private final transient RowsBody body;

        Bands(int first, int end, int count, int n, RowsBody body) {
            this.first = first;
            this.end = end;
            this.count = count;
            this.n = n;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (end - first == 1) {
                body.run(firstRow(n, first, count), firstRow(n, end, count));
                return;
            }
            int middle = (first + end) >>> 1;
            invokeAll(new Bands(first, middle, count, n, body), new Bands(middle, end, count, n, body));
        }
    }
}
