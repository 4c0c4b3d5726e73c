package dev.spindle.core;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BinaryOperator;
import java.util.function.IntConsumer;

/**
 * Parallel loops with <em>optional</em> parallelism: a range is split only when the worker running
 * it has nothing in its deque for idle workers to steal (lazy binary splitting). When an outer
 * level already keeps every worker busy, an inner loop runs almost as a plain loop, so nested
 * parallel code costs next to nothing. The rule and its cost are in {@code docs/design/loops.md}.
 *
 * <p>Every method waits until the whole range is done and every task it forked has finished.
 * Called from a worker of the scheduler, the calling worker takes part (and helps while it waits);
 * called from any other thread, the caller blocks while the workers run the loop. The overloads
 * without a scheduler run on {@link Scheduler#global()}.
 *
 * <p>If a body throws, no new part of the range starts on that branch, parts already forked are
 * skipped if they have not started or waited for if they have, and the first exception is
 * rethrown, with later ones added as suppressed. No body call starts after the method returned
 * or threw. Everything a body did is visible to the caller when the method returns.
 *
 * <p><b>Exceptions are reported as {@link Task#join()} reports them:</b> a
 * {@link RuntimeException} or {@link Error} as it is (the same instance), and a checked exception
 * wrapped in a {@link java.util.concurrent.CompletionException} whose cause is the instance the
 * body threw. Bodies cannot declare checked exceptions, but code compiled from Kotlin, or with
 * Lombok's {@code @SneakyThrows}, throws them anyway; such a failure stops the call like any other,
 * and the wrapping is the same whether the call runs on a worker or from outside the pool, and
 * whichever worker ran the failing part.
 */
public final class Parallel {

    /** Blocks per worker for the adaptive grain: enough for balance, few enough to cost nothing. */
    static final int ADAPTIVE_BLOCKS_PER_WORKER = 16;

    /**
     * The per-index loop never hands one body call more than this fraction of its blocks: with
     * 16 blocks a worker, a worker that declines to split makes about eight calls per loop after
     * a short ramp (10 for 32 blocks: 1, 2, seven runs of 4, then 1) instead of sixteen times the
     * parallelism, and an unsplit run is at most an eighth of the loop when a thief arrives.
     */
    static final int COALESCE_DIVISOR = 8;

    private Parallel() {
    }

    // ------------------------------------------------------------------ join

    /** Runs {@code a} and {@code b}, possibly in parallel, on {@link Scheduler#global()}. */
    public static void join(Runnable a, Runnable b) {
        join(Scheduler.global(), a, b);
    }

    /**
     * Runs {@code a} and {@code b}, possibly in parallel: {@code b} is forked, {@code a} runs on
     * the calling worker, then {@code b} is joined (run inline if nobody stole it).
     *
     * @throws NullPointerException if any argument is null
     */
    public static void join(Scheduler scheduler, Runnable a, Runnable b) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        onWorker(scheduler, self -> {
            LazySplitter.Abort abort = new LazySplitter.Abort();
            // An internal part: drained by shutdownNow, it makes this join throw
            // CancellationException, and what shutdownNow returns for it does nothing.
            Task<Void> second = new Task<>((Callable<Void> & DrainedWork.InternalPart) () -> {
                if (!abort.set) {
                    b.run();
                }
                return null;
            }, self.currentRegion());
            self.push(second);
            try {
                a.run();
            } catch (Throwable thrown) {                 // a sneaky checked one too: b must be waited for
                abort.set = true;                        // b must not start now; wait if it has
                Throwable failure = LazySplitter.unchecked(thrown);
                LazySplitter.joinRecordingFailure(second, failure, abort);
                throw LazySplitter.rethrow(failure);
            }
            second.join();
        });
    }

    // ------------------------------------------------------------------ 1-D loops

    /**
     * Calls {@code body} once for every index in {@code [from, to)}, on {@link Scheduler#global()},
     * with an adaptive grain.
     *
     * @throws IllegalArgumentException if {@code from > to}
     * @throws NullPointerException if {@code body} is null
     */
    public static void forRange(int from, int to, IntConsumer body) {
        forRange(Scheduler.global(), from, to, body);
    }

    /**
     * Calls {@code body} once for every index in {@code [from, to)}, with a grain chosen from the
     * range and the parallelism ({@code ceil(n / (16 * parallelism))}, at least 1). The grain is
     * the unit of splitting; while a worker has work on its deque for others to steal it runs
     * consecutive blocks without asking again, up to an eighth of the range at a time, so a loop
     * nested in a saturated outer level costs a few checks rather than one per block.
     *
     * @throws IllegalArgumentException if {@code from > to}
     * @throws NullPointerException if {@code scheduler} or {@code body} is null
     */
    public static void forRange(Scheduler scheduler, int from, int to, IntConsumer body) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(body, "body");
        checkRange(from, to, 1);
        if (from == to) {
            return;
        }
        int grain = adaptiveGrain(scheduler, from, to);
        long blocks = LazySplitter.ceilDiv((long) to - from, grain);
        long maxBlocksPerCall = Math.max(1L, blocks / COALESCE_DIVISOR);
        RangeBody indices = (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                body.accept(i);
            }
        };
        Worker self = scheduler.pool().currentWorker();
        if (self != null) {                              // nested: no wrapper, nothing allocated
            LazySplitter.forBlocks(self, from, to, grain, 0, blocks, maxBlocksPerCall, indices, null);
            return;
        }
        onWorker(scheduler, worker -> LazySplitter.forBlocks(worker, from, to, grain, 0, blocks,
                maxBlocksPerCall, indices, null));
    }

    /** {@link #forRange(Scheduler, int, int, int, RangeBody)} on {@link Scheduler#global()}. */
    public static void forRange(int from, int to, int grain, RangeBody body) {
        forRange(Scheduler.global(), from, to, grain, body);
    }

    /**
     * Calls {@code body(lo, hi)} on consecutive blocks that cover {@code [from, to)}: each block
     * holds {@code grain} indices (the last may hold fewer) and starts at {@code from + k * grain}.
     * Blocks may run in any order and in parallel; each runs exactly once.
     *
     * @param grain the block size, at least 1
     * @throws IllegalArgumentException if {@code from > to} or {@code grain < 1}
     * @throws NullPointerException if {@code scheduler} or {@code body} is null
     */
    public static void forRange(Scheduler scheduler, int from, int to, int grain, RangeBody body) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(body, "body");
        checkRange(from, to, grain);
        if (from == to) {
            return;
        }
        long blocks = LazySplitter.ceilDiv((long) to - from, grain);
        Worker self = scheduler.pool().currentWorker();
        if (self != null) {                              // nested: no wrapper, nothing allocated
            LazySplitter.forBlocks(self, from, to, grain, 0, blocks, 1, body, null);
            return;
        }
        onWorker(scheduler, worker -> LazySplitter.forBlocks(worker, from, to, grain, 0, blocks, 1,
                body, null));
    }

    // ------------------------------------------------------------------ reductions

    /**
     * {@link #reduce(Scheduler, int, int, int, Object, RangeFunction, BinaryOperator)} on
     * {@link Scheduler#global()} with the adaptive grain.
     */
    public static <R> R reduce(int from, int to, R identity, RangeFunction<R> map,
                               BinaryOperator<R> combine) {
        Scheduler scheduler = Scheduler.global();
        return reduce(scheduler, from, to, adaptiveGrain(scheduler, from, to), identity, map, combine);
    }

    /**
     * Maps every block of {@code [from, to)} to a partial result and combines the partial results.
     * Returns {@code identity} for an empty range.
     *
     * <p><b>Determinism.</b> Blocks are as in {@link #forRange(Scheduler, int, int, int, RangeBody)},
     * and the partial results are combined along a fixed balanced binary tree over the blocks, in
     * index order, whatever runs in parallel. So for a given {@code grain} the result does not
     * depend on timing, the parallelism, or which worker ran what — bit for bit, even when
     * {@code combine} is floating-point addition (which is not associative). A different
     * {@code grain} gives a different tree, and for floating point possibly a different last bit.
     * {@code combine} need only be associative for the result to equal the sequential fold.
     *
     * @throws IllegalArgumentException if {@code from > to} or {@code grain < 1}
     * @throws NullPointerException if {@code scheduler}, {@code map} or {@code combine} is null
     */
    public static <R> R reduce(Scheduler scheduler, int from, int to, int grain, R identity,
                               RangeFunction<R> map, BinaryOperator<R> combine) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(combine, "combine");
        checkRange(from, to, grain);
        if (from == to) {
            return identity;
        }
        long blocks = LazySplitter.ceilDiv((long) to - from, grain);
        Worker self = scheduler.pool().currentWorker();
        if (self != null) {
            return LazySplitter.reduceBlocks(self, from, to, grain, 0, blocks, map, combine, null);
        }
        return callOnWorker(scheduler, worker ->
                LazySplitter.reduceBlocks(worker, from, to, grain, 0, blocks, map, combine, null));
    }

    // ------------------------------------------------------------------ 2-D loops

    /** {@link #forTiles(Scheduler, int, int, int, int, int, int, TileBody)} on {@link Scheduler#global()}. */
    public static void forTiles(int rowFrom, int rowTo, int colFrom, int colTo, int tileRows,
                                int tileCols, TileBody body) {
        forTiles(Scheduler.global(), rowFrom, rowTo, colFrom, colTo, tileRows, tileCols, body);
    }

    /**
     * Calls {@code body} once for every tile of rows {@code [rowFrom, rowTo)} × columns
     * {@code [colFrom, colTo)}: tiles are {@code tileRows × tileCols} (smaller at the far edges),
     * aligned at {@code (rowFrom, colFrom)}. The tiles are taken in row-major order and split
     * lazily, like the blocks of {@link #forRange(Scheduler, int, int, int, RangeBody)}: before every
     * tile, a worker whose deque is empty forks half of the tiles it has left.
     *
     * @throws IllegalArgumentException if a range is reversed or a tile size is below 1
     * @throws NullPointerException if {@code scheduler} or {@code body} is null
     */
    public static void forTiles(Scheduler scheduler, int rowFrom, int rowTo, int colFrom, int colTo,
                                int tileRows, int tileCols, TileBody body) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(body, "body");
        checkRange("rowFrom", rowFrom, "rowTo", rowTo, "tileRows", tileRows);
        checkRange("colFrom", colFrom, "colTo", colTo, "tileCols", tileCols);
        if (rowFrom == rowTo || colFrom == colTo) {
            return;
        }
        LazySplitter.TileGrid grid =
                new LazySplitter.TileGrid(rowFrom, rowTo, colFrom, colTo, tileRows, tileCols);
        Worker self = scheduler.pool().currentWorker();
        if (self != null) {
            LazySplitter.forTiles(self, grid, body);
            return;
        }
        onWorker(scheduler, worker ->
                LazySplitter.forTiles(worker, grid, body));
    }

    // ------------------------------------------------------------------ plumbing

    /** The adaptive grain: {@code ceil(n / (16 * parallelism))}, at least 1. */
    static int adaptiveGrain(Scheduler scheduler, int from, int to) {
        Objects.requireNonNull(scheduler, "scheduler");
        long n = Math.max(0L, (long) to - from);
        long blocks = (long) ADAPTIVE_BLOCKS_PER_WORKER * scheduler.parallelism();
        return (int) Math.max(1L, LazySplitter.ceilDiv(n, blocks));
    }

    private static void checkRange(int from, int to, int grain) {
        checkRange("from", from, "to", to, "grain", grain);
    }

    private static void checkRange(String fromName, int from, String toName, int to,
                                   String grainName, int grain) {
        if (from > to) {
            throw new IllegalArgumentException(fromName + " must be <= " + toName + ", was "
                    + fromName + "=" + from + ", " + toName + "=" + to);
        }
        if (grain < 1) {
            throw new IllegalArgumentException(grainName + " must be >= 1, was " + grain);
        }
    }

    /** Work that runs on a worker of the scheduler. */
    @FunctionalInterface
    private interface OnWorker {
        void run(Worker self);
    }

    /** Work with a result that runs on a worker of the scheduler. */
    @FunctionalInterface
    private interface CallOnWorker<R> {
        R call(Worker self);
    }

    private static void onWorker(Scheduler scheduler, OnWorker work) {
        callOnWorker(scheduler, self -> {
            work.run(self);
            return null;
        });
    }

    /** Runs here if this thread is a worker of {@code scheduler}; otherwise in the pool, waiting. */
    private static <R> R callOnWorker(Scheduler scheduler, CallOnWorker<R> work) {
        Worker self = scheduler.pool().currentWorker();
        if (self != null) {
            return work.call(self);
        }
        // An internal part: drained by shutdownNow, the caller gets CancellationException, and
        // what shutdownNow returns for it does nothing (the loop needs a worker to run on).
        Callable<R> entry = (Callable<R> & DrainedWork.InternalPart) () ->
                work.call(scheduler.pool().currentWorker());
        return scheduler.invoke(entry);
    }
}
