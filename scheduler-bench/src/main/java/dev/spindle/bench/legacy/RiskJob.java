package dev.spindle.bench.legacy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.ojalgo.matrix.store.R064Store;

/**
 * A risk job written the way Java code is written today, with no Spindle import (the agent's
 * "legacy application"): an outer {@code newFixedThreadPool} of one task per position; inside each
 * task a parallel stream, a default-executor {@code supplyAsync(...).join()}, an
 * {@code Arrays.parallelSort} and an ojAlgo matrix product on ojAlgo's own threads. Unchanged, it
 * starts a pool per library; under {@code -javaagent:scheduler-agent.jar} all of it runs on
 * Spindle's workers. The checksum does not depend on where the work ran.
 */
public final class RiskJob {

    private final int poolSize;
    private final int positions;
    private final int matrixOrder;

    /**
     * @param poolSize the outer pool's size
     * @param positions tasks per run
     * @param matrixOrder the order of each position's ojAlgo product
     */
    public RiskJob(int poolSize, int positions, int matrixOrder) {
        if (poolSize < 1 || positions < 1 || matrixOrder < 1) {
            throw new IllegalArgumentException("poolSize, positions and matrixOrder must be >= 1, were "
                    + poolSize + ", " + positions + ", " + matrixOrder);
        }
        this.poolSize = poolSize;
        this.positions = positions;
        this.matrixOrder = matrixOrder;
    }

    /** Runs every position once on a new pool; returns the checksum. */
    public long run() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(poolSize);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int p = 0; p < positions; p++) {
                int seed = p;
                futures.add(pool.submit(() -> position(seed)));
            }
            long checksum = 0;
            for (Future<Long> f : futures) {
                checksum = checksum * 31 + f.get();
            }
            return checksum;
        } finally {
            pool.shutdown();
        }
    }

    private long position(int seed) {
        long exposure = IntStream.range(0, 1_000_000).parallel().mapToLong(i -> (i * (long) (seed + 1)) % 1009).sum();
        long fee = CompletableFuture.supplyAsync(() -> (long) seed * 7).thenApply(x -> x + 1).join();
        double[] prices = new Random(seed).doubles(200_000).toArray();
        Arrays.parallelSort(prices);
        R064Store a = R064Store.FACTORY.make(matrixOrder, matrixOrder);
        R064Store b = R064Store.FACTORY.make(matrixOrder, matrixOrder);
        Random random = new Random(seed);
        for (int i = 0; i < matrixOrder; i++) {
            for (int j = 0; j < matrixOrder; j++) {
                a.set(i, j, random.nextInt(10));
                b.set(i, j, random.nextInt(10));
            }
        }
        R064Store c = R064Store.FACTORY.make(matrixOrder, matrixOrder);
        c.fillByMultiplying(a, b);
        long trace = 0;
        for (int i = 0; i < matrixOrder; i++) {
            trace += (long) c.doubleValue(i, i);          // integers: exact in any summation order
        }
        return exposure + fee + Double.doubleToLongBits(prices[prices.length / 2]) + trace;
    }
}
