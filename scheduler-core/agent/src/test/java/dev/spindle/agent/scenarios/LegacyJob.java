package dev.spindle.agent.scenarios;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * A program written the usual way, with no Spindle import: an outer fixed pool whose tasks use a
 * parallel stream, a default-executor supplyAsync().join() and Arrays.parallelSort. Prints a
 * checksum that must not depend on where the work ran. Arguments: outer pool size, batches.
 */
public final class LegacyJob {

    public static void main(String[] args) throws Exception {
        int poolSize = Integer.parseInt(args[0]);
        int batches = Integer.parseInt(args[1]);
        ExecutorService pool = Executors.newFixedThreadPool(poolSize);
        long checksum = 0;
        for (int batch = 0; batch < batches; batch++) {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < 2 * poolSize; t++) {
                int seed = batch * 1000 + t;
                futures.add(pool.submit(() -> position(seed)));
            }
            for (Future<Long> f : futures) {
                checksum = checksum * 31 + f.get();
            }
        }
        pool.shutdown();
        System.out.println("checksum=" + checksum);
        System.out.println("DONE");
    }

    static long position(int seed) {
        long exposure = IntStream.range(0, 400_000).parallel().mapToLong(i -> (i * (long) seed) % 1009).sum();
        long fee = CompletableFuture.supplyAsync(() -> (long) seed * 7).thenApply(x -> x + 1).join();
        double[] prices = new Random(seed).doubles(100_000).toArray();
        Arrays.parallelSort(prices);
        long median = Double.doubleToLongBits(prices[prices.length / 2]);
        return exposure + fee + median;
    }
}
