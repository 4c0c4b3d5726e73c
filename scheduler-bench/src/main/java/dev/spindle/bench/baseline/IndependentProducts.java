package dev.spindle.bench.baseline;

import dev.spindle.bench.workload.GemmBatch;
import dev.spindle.linalg.SerialBlas;
import dev.spindle.linalg.Transpose;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * The ceiling for a product split over {@code threads} cores on this machine: {@code threads}
 * plain threads, each running its own whole n × n product on the calling thread (Spindle's serial
 * GEMM, the default kernel, its own matrices), all at once. Nothing is split and nothing is shared,
 * so the aggregate rate over one thread's is what the cores and the memory system allow when all
 * are busy; a split product can only lose against it (packing its tiles, waiting at the end).
 *
 * <p>One {@link #run()} is one round: every thread computes one product, and it returns when all
 * have. The calling thread runs one of the products itself. Not thread-safe; {@link #close()}
 * stops the helper threads.
 */
public final class IndependentProducts implements AutoCloseable {

    private final int n;
    private final double[][] a;
    private final double[][] b;
    private final double[][] c;
    private final CyclicBarrier start;
    private final CyclicBarrier done;
    private final Thread[] helpers;
    private volatile boolean closed;

    /**
     * Starts {@code threads - 1} helper threads and makes each thread's random n × n operands.
     *
     * @param threads products per round, one per thread (at least 1)
     */
    public IndependentProducts(int n, int threads, long seed) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.n = n;
        SplittableRandom random = new SplittableRandom(seed);
        a = new double[threads][];
        b = new double[threads][];
        c = new double[threads][n * n];
        for (int t = 0; t < threads; t++) {
            a[t] = GemmBatch.randomMatrix(random, n);
            b[t] = GemmBatch.randomMatrix(random, n);
        }
        start = new CyclicBarrier(threads);
        done = new CyclicBarrier(threads);
        helpers = new Thread[threads - 1];
        for (int t = 1; t < threads; t++) {
            int own = t;
            helpers[t - 1] = new Thread(() -> helperLoop(own), "independent-product-" + t);
            helpers[t - 1].setDaemon(true);
            helpers[t - 1].start();
        }
    }

    /** One product per thread, all at once; returns when every one is done. */
    public void run() {
        await(start);
        multiply(0);
        await(done);
    }

    /** Products one round computes (one per thread). */
    public int productsPerRound() {
        return helpers.length + 1;
    }

    private void helperLoop(int own) {
        try {
            while (true) {
                await(start);
                if (closed) {
                    return;
                }
                multiply(own);
                await(done);
            }
        } catch (IllegalStateException brokenOrInterrupted) {
            // close() after a broken round: leave quietly
        }
    }

    private void multiply(int t) {
        SerialBlas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, n, n, n, 1.0, a[t], 0, n, b[t], 0, n, 0.0, c[t],
                0, n);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at a barrier", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("a thread left the round", e);
        }
    }

    /** Thread {@code t}'s operands and product (for tests): A, B and C of its last round. */
    public double[][] operandsAndProduct(int t) {
        return new double[][] {a[t], b[t], c[t]};
    }

    /**
     * Stops the helper threads. Between rounds they wait at the start barrier and leave through it;
     * if a round broke off (an exception in {@link #run()}), they are interrupted instead. Calling
     * it again does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (helpers.length > 0) {
            try {
                start.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (BrokenBarrierException | java.util.concurrent.TimeoutException e) {
                for (Thread helper : helpers) {
                    helper.interrupt();
                }
            }
        }
        for (Thread helper : helpers) {
            try {
                helper.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
