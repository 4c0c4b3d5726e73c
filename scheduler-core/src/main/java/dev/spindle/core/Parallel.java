package dev.spindle.core;

import java.lang.reflect.Array;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Spliterator;
import java.util.concurrent.Callable;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntConsumer;
import java.util.function.LongBinaryOperator;
import java.util.function.LongConsumer;

/**
 * Parallel loops with <em>optional</em> parallelism: a range is split only when the worker running
 * it has nothing in its deque for idle workers to steal (lazy binary splitting). When an outer
 * level already keeps every worker busy, an inner loop runs almost as a plain loop, so nested
 * parallel code costs next to nothing. The rule and its cost are in {@code docs/design/loops.md}.
 *
 * <p>Besides loops over {@code int} and {@code long} ranges and reductions (boxed, or to a
 * primitive without boxing), it holds the algorithms that are built the same way: {@code forEach}
 * over a collection or a {@link Spliterator}, {@code sort} (the result of {@link java.util.Arrays#sort},
 * stable for objects) and {@code scan} (an inclusive prefix, deterministic for a given length).
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
            Task<Void> second = Task.of((Callable<Void> & DrainedWork.InternalPart) () -> {
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

    // ------------------------------------------------------------------ 1-D loops over long ranges

    /**
     * {@link #forLongRange(Scheduler, long, long, LongConsumer)} on {@link Scheduler#global()}.
     */
    public static void forLongRange(long from, long to, LongConsumer body) {
        forLongRange(Scheduler.global(), from, to, body);
    }

    /**
     * Calls {@code body} once for every index in {@code [from, to)}, a {@code long} range, with the
     * adaptive grain and coalescing of {@link #forRange(Scheduler, int, int, IntConsumer)}.
     *
     * @throws IllegalArgumentException if {@code from > to}, or if the range holds more than
     *     {@code Long.MAX_VALUE} indices
     * @throws NullPointerException if {@code scheduler} or {@code body} is null
     */
    public static void forLongRange(Scheduler scheduler, long from, long to, LongConsumer body) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(body, "body");
        long n = checkLongRange(from, to, 1);
        if (n == 0) {
            return;
        }
        long grain = LazySplitter.ceilDiv(n, (long) ADAPTIVE_BLOCKS_PER_WORKER * scheduler.parallelism());
        long blocks = LazySplitter.ceilDiv(n, grain);
        long maxBlocksPerCall = Math.max(1L, blocks / COALESCE_DIVISOR);
        LongRangeBody indices = (lo, hi) -> {
            for (long i = lo; i < hi; i++) {
                body.accept(i);
            }
        };
        Worker self = scheduler.pool().currentWorker();
        if (self != null) {
            LazySplitter.forLongBlocks(self, from, to, grain, 0, blocks, maxBlocksPerCall, indices, null);
            return;
        }
        onWorker(scheduler, worker -> LazySplitter.forLongBlocks(worker, from, to, grain, 0, blocks,
                maxBlocksPerCall, indices, null));
    }

    /** {@link #forLongRange(Scheduler, long, long, long, LongRangeBody)} on {@link Scheduler#global()}. */
    public static void forLongRange(long from, long to, long grain, LongRangeBody body) {
        forLongRange(Scheduler.global(), from, to, grain, body);
    }

    /**
     * Calls {@code body(lo, hi)} on consecutive blocks that cover {@code [from, to)}, a {@code long}
     * range, as {@link #forRange(Scheduler, int, int, int, RangeBody)} does for an {@code int} one:
     * blocks of {@code grain} indices (the last may hold fewer) starting at {@code from + k * grain},
     * each run exactly once, in any order and possibly in parallel.
     *
     * @param grain the block size, at least 1
     * @throws IllegalArgumentException if {@code from > to}, {@code grain < 1}, or the range holds
     *     more than {@code Long.MAX_VALUE} indices
     * @throws NullPointerException if {@code scheduler} or {@code body} is null
     */
    public static void forLongRange(Scheduler scheduler, long from, long to, long grain, LongRangeBody body) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(body, "body");
        long n = checkLongRange(from, to, grain);
        if (n == 0) {
            return;
        }
        long blocks = LazySplitter.ceilDiv(n, grain);
        Worker self = scheduler.pool().currentWorker();
        if (self != null) {
            LazySplitter.forLongBlocks(self, from, to, grain, 0, blocks, 1, body, null);
            return;
        }
        onWorker(scheduler, worker -> LazySplitter.forLongBlocks(worker, from, to, grain, 0, blocks, 1,
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

    /**
     * {@link #reduceDouble(Scheduler, int, int, int, double, RangeToDoubleFunction, DoubleBinaryOperator)} on
     * {@link Scheduler#global()} with the adaptive grain.
     */
    public static double reduceDouble(int from, int to, double identity, RangeToDoubleFunction map,
            DoubleBinaryOperator combine) {
        Scheduler scheduler = Scheduler.global();
        return reduceDouble(scheduler, from, to, adaptiveGrain(scheduler, from, to), identity, map, combine);
    }

    /**
     * {@link #reduce(Scheduler, int, int, int, Object, RangeFunction, BinaryOperator)} to a
     * {@code double}, without boxing: every block's partial result and every combination stays a
     * primitive. The same fixed tree, so the same determinism: for a given {@code grain}, the
     * result is the same bit for bit on every run and at every parallelism, even for
     * floating-point addition. Returns {@code identity} for an empty range.
     *
     * @throws IllegalArgumentException if {@code from > to} or {@code grain < 1}
     * @throws NullPointerException if {@code scheduler}, {@code map} or {@code combine} is null
     */
    public static double reduceDouble(Scheduler scheduler, int from, int to, int grain, double identity,
            RangeToDoubleFunction map, DoubleBinaryOperator combine) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(combine, "combine");
        checkRange(from, to, grain);
        if (from == to) {
            return identity;
        }
        return Double.longBitsToDouble(
                reduceToBits(scheduler, from, to, grain, new PrimitiveReduction.OfDouble(map, combine)));
    }

    /**
     * {@link #reduceLong(Scheduler, int, int, int, long, RangeToLongFunction, LongBinaryOperator)} on
     * {@link Scheduler#global()} with the adaptive grain.
     */
    public static long reduceLong(int from, int to, long identity, RangeToLongFunction map,
            LongBinaryOperator combine) {
        Scheduler scheduler = Scheduler.global();
        return reduceLong(scheduler, from, to, adaptiveGrain(scheduler, from, to), identity, map, combine);
    }

    /**
     * As {@link #reduceDouble(Scheduler, int, int, int, double, RangeToDoubleFunction,
     * DoubleBinaryOperator)}, to a {@code long}.
     *
     * @throws IllegalArgumentException if {@code from > to} or {@code grain < 1}
     * @throws NullPointerException if {@code scheduler}, {@code map} or {@code combine} is null
     */
    public static long reduceLong(Scheduler scheduler, int from, int to, int grain, long identity,
            RangeToLongFunction map, LongBinaryOperator combine) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(combine, "combine");
        checkRange(from, to, grain);
        if (from == to) {
            return identity;
        }
        return reduceToBits(scheduler, from, to, grain, new PrimitiveReduction.OfLong(map, combine));
    }

    /**
     * {@link #reduceInt(Scheduler, int, int, int, int, RangeToIntFunction, IntBinaryOperator)} on
     * {@link Scheduler#global()} with the adaptive grain.
     */
    public static int reduceInt(int from, int to, int identity, RangeToIntFunction map,
            IntBinaryOperator combine) {
        Scheduler scheduler = Scheduler.global();
        return reduceInt(scheduler, from, to, adaptiveGrain(scheduler, from, to), identity, map, combine);
    }

    /**
     * As {@link #reduceDouble(Scheduler, int, int, int, double, RangeToDoubleFunction,
     * DoubleBinaryOperator)}, to an {@code int}.
     *
     * @throws IllegalArgumentException if {@code from > to} or {@code grain < 1}
     * @throws NullPointerException if {@code scheduler}, {@code map} or {@code combine} is null
     */
    public static int reduceInt(Scheduler scheduler, int from, int to, int grain, int identity,
            RangeToIntFunction map, IntBinaryOperator combine) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(combine, "combine");
        checkRange(from, to, grain);
        if (from == to) {
            return identity;
        }
        return (int) reduceToBits(scheduler, from, to, grain, new PrimitiveReduction.OfInt(map, combine));
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

    // ------------------------------------------------------------------ forEach

    /** {@link #forEach(Scheduler, Iterable, Consumer)} on {@link Scheduler#global()}. */
    public static <T> void forEach(Iterable<T> items, Consumer<? super T> action) {
        forEach(Scheduler.global(), items, action);
    }

    /**
     * Calls {@code action} once for every element of {@code items}, possibly in parallel. A
     * {@link List} that is {@link RandomAccess} is split by index ({@code get(i)} for {@code i} in
     * {@code [0, size())}, {@code size()} read once), as
     * {@link #forRange(Scheduler, int, int, IntConsumer)} splits a range; any other
     * {@code Iterable} is walked through its {@link Iterable#spliterator()} as
     * {@link #forEach(Scheduler, Spliterator, Consumer)} walks one. The collection must not be
     * modified while the call runs.
     *
     * @throws NullPointerException if {@code scheduler}, {@code items} or {@code action} is null
     */
    public static <T> void forEach(Scheduler scheduler, Iterable<T> items, Consumer<? super T> action) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(action, "action");
        if (items instanceof List && items instanceof RandomAccess) {
            List<T> list = (List<T>) items;
            forRange(scheduler, 0, list.size(), i -> action.accept(list.get(i)));
            return;
        }
        forEach(scheduler, items.spliterator(), action);
    }

    /** {@link #forEach(Scheduler, Spliterator, Consumer)} on {@link Scheduler#global()}. */
    public static <T> void forEach(Spliterator<T> items, Consumer<? super T> action) {
        forEach(Scheduler.global(), items, action);
    }

    /**
     * Calls {@code action} once for every element left in {@code items}, possibly in parallel,
     * splitting lazily: a worker calls {@link Spliterator#trySplit()} only when its deque is empty
     * (an idle worker may be waiting), and forks a walk of one part. Elements are handed to
     * {@code action} in no particular order. The spliterator is used by one thread at a time, as its
     * contract requires, and is exhausted when the call returns normally; it must not be used
     * elsewhere while the call runs.
     *
     * @throws NullPointerException if {@code scheduler}, {@code items} or {@code action} is null
     */
    public static <T> void forEach(Scheduler scheduler, Spliterator<T> items, Consumer<? super T> action) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(action, "action");
        onWorker(scheduler, self -> SpliteratorWalk.forEach(self, items, action, null));
    }

    // ------------------------------------------------------------------ sort

    /** {@link #sort(Scheduler, double[], int, int)} of the whole array on {@link Scheduler#global()}. */
    public static void sort(double[] array) {
        Objects.requireNonNull(array, "array");
        sort(Scheduler.global(), array, 0, array.length);
    }

    /** {@link #sort(Scheduler, double[], int, int)} of the whole array. */
    public static void sort(Scheduler scheduler, double[] array) {
        Objects.requireNonNull(array, "array");
        sort(scheduler, array, 0, array.length);
    }

    /** {@link #sort(Scheduler, double[], int, int)} on {@link Scheduler#global()}. */
    public static void sort(double[] array, int fromIndex, int toIndex) {
        sort(Scheduler.global(), array, fromIndex, toIndex);
    }

    /**
     * Sorts {@code array[fromIndex, toIndex)} into ascending order, in the order of
     * {@link Double#compare}: {@code -0.0} before {@code 0.0}, NaNs last. The result is the one
     * {@link java.util.Arrays#sort(double[], int, int)} gives, bit for bit (NaNs with different
     * payloads included), whatever the parallelism. Ranges of at least 8,192 elements are sorted by
     * a parallel merge sort that splits lazily; it allocates one scratch array of the range's
     * length ({@code docs/design/loops.md}, "Sort").
     *
     * @throws IllegalArgumentException if {@code fromIndex > toIndex}
     * @throws ArrayIndexOutOfBoundsException if {@code fromIndex < 0} or {@code toIndex > array.length}
     * @throws NullPointerException if {@code scheduler} or {@code array} is null
     */
    public static void sort(Scheduler scheduler, double[] array, int fromIndex, int toIndex) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(array, "array");
        checkArrayRange("array", array.length, fromIndex, toIndex);
        onWorker(scheduler, self -> ParallelSort.sort(self, array, fromIndex, toIndex));
    }

    /** {@link #sort(Scheduler, long[], int, int)} of the whole array on {@link Scheduler#global()}. */
    public static void sort(long[] array) {
        Objects.requireNonNull(array, "array");
        sort(Scheduler.global(), array, 0, array.length);
    }

    /** {@link #sort(Scheduler, long[], int, int)} of the whole array. */
    public static void sort(Scheduler scheduler, long[] array) {
        Objects.requireNonNull(array, "array");
        sort(scheduler, array, 0, array.length);
    }

    /** {@link #sort(Scheduler, long[], int, int)} on {@link Scheduler#global()}. */
    public static void sort(long[] array, int fromIndex, int toIndex) {
        sort(Scheduler.global(), array, fromIndex, toIndex);
    }

    /**
     * Sorts {@code array[fromIndex, toIndex)} into ascending order, as
     * {@link #sort(Scheduler, double[], int, int)} does for {@code double}s; the result is
     * {@link java.util.Arrays#sort(long[], int, int)}'s.
     *
     * @throws IllegalArgumentException if {@code fromIndex > toIndex}
     * @throws ArrayIndexOutOfBoundsException if {@code fromIndex < 0} or {@code toIndex > array.length}
     * @throws NullPointerException if {@code scheduler} or {@code array} is null
     */
    public static void sort(Scheduler scheduler, long[] array, int fromIndex, int toIndex) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(array, "array");
        checkArrayRange("array", array.length, fromIndex, toIndex);
        onWorker(scheduler, self -> ParallelSort.sort(self, array, fromIndex, toIndex));
    }

    /** {@link #sort(Scheduler, int[], int, int)} of the whole array on {@link Scheduler#global()}. */
    public static void sort(int[] array) {
        Objects.requireNonNull(array, "array");
        sort(Scheduler.global(), array, 0, array.length);
    }

    /** {@link #sort(Scheduler, int[], int, int)} of the whole array. */
    public static void sort(Scheduler scheduler, int[] array) {
        Objects.requireNonNull(array, "array");
        sort(scheduler, array, 0, array.length);
    }

    /** {@link #sort(Scheduler, int[], int, int)} on {@link Scheduler#global()}. */
    public static void sort(int[] array, int fromIndex, int toIndex) {
        sort(Scheduler.global(), array, fromIndex, toIndex);
    }

    /**
     * Sorts {@code array[fromIndex, toIndex)} into ascending order, as
     * {@link #sort(Scheduler, double[], int, int)} does for {@code double}s; the result is
     * {@link java.util.Arrays#sort(int[], int, int)}'s.
     *
     * @throws IllegalArgumentException if {@code fromIndex > toIndex}
     * @throws ArrayIndexOutOfBoundsException if {@code fromIndex < 0} or {@code toIndex > array.length}
     * @throws NullPointerException if {@code scheduler} or {@code array} is null
     */
    public static void sort(Scheduler scheduler, int[] array, int fromIndex, int toIndex) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(array, "array");
        checkArrayRange("array", array.length, fromIndex, toIndex);
        onWorker(scheduler, self -> ParallelSort.sort(self, array, fromIndex, toIndex));
    }

    /** {@link #sort(Scheduler, Object[], int, int, Comparator)} of the whole array on {@link Scheduler#global()}. */
    public static <T> void sort(T[] array, Comparator<? super T> order) {
        Objects.requireNonNull(array, "array");
        sort(Scheduler.global(), array, 0, array.length, order);
    }

    /** {@link #sort(Scheduler, Object[], int, int, Comparator)} of the whole array. */
    public static <T> void sort(Scheduler scheduler, T[] array, Comparator<? super T> order) {
        Objects.requireNonNull(array, "array");
        sort(scheduler, array, 0, array.length, order);
    }

    /** {@link #sort(Scheduler, Object[], int, int, Comparator)} on {@link Scheduler#global()}. */
    public static <T> void sort(T[] array, int fromIndex, int toIndex, Comparator<? super T> order) {
        sort(Scheduler.global(), array, fromIndex, toIndex, order);
    }

    /**
     * Sorts {@code array[fromIndex, toIndex)} into the order of {@code order}, <b>stably</b>: equal
     * elements keep their relative order. The result is the one
     * {@link java.util.Arrays#sort(Object[], int, int, Comparator)} gives, whatever the
     * parallelism. Ranges of at least 8,192 elements are sorted by a parallel merge sort (leaves by
     * the JDK's stable sort, merges split lazily) with one scratch array of the range's length.
     * Unlike {@code Arrays.sort}, a null {@code order} is an error: pass
     * {@link Comparator#naturalOrder()} for the natural order.
     *
     * <p>If {@code order} throws, the call rethrows it (as {@link Task#join()} reports it) after
     * every part of the sort has stopped, and the range is left partly sorted, as
     * {@code Arrays.sort} leaves it: elements may be missing from it, others repeated.
     *
     * @throws IllegalArgumentException if {@code fromIndex > toIndex}, or (possibly) if
     *     {@code order} is found to violate the {@link Comparator} contract
     * @throws ArrayIndexOutOfBoundsException if {@code fromIndex < 0} or {@code toIndex > array.length}
     * @throws NullPointerException if {@code scheduler}, {@code array} or {@code order} is null
     */
    public static <T> void sort(Scheduler scheduler, T[] array, int fromIndex, int toIndex,
                                Comparator<? super T> order) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(array, "array");
        Objects.requireNonNull(order, "order");
        checkArrayRange("array", array.length, fromIndex, toIndex);
        onWorker(scheduler, self -> ParallelSort.sort(self, array, fromIndex, toIndex, order));
    }

    // ------------------------------------------------------------------ scan

    /** The inclusive prefix of the whole {@code array} under {@code op}, in place, on {@link Scheduler#global()}. */
    public static void scan(double[] array, DoubleBinaryOperator op) {
        Objects.requireNonNull(array, "array");
        scan(Scheduler.global(), array, 0, array.length, array, 0, op);
    }

    /** The inclusive prefix of the whole {@code array} under {@code op}, in place. */
    public static void scan(Scheduler scheduler, double[] array, DoubleBinaryOperator op) {
        Objects.requireNonNull(array, "array");
        scan(scheduler, array, 0, array.length, array, 0, op);
    }

    /** The inclusive prefix of {@code array[fromIndex, toIndex)} under {@code op}, in place, on {@link Scheduler#global()}. */
    public static void scan(double[] array, int fromIndex, int toIndex, DoubleBinaryOperator op) {
        scan(Scheduler.global(), array, fromIndex, toIndex, op);
    }

    /** The inclusive prefix of {@code array[fromIndex, toIndex)} under {@code op}, in place. */
    public static void scan(Scheduler scheduler, double[] array, int fromIndex, int toIndex, DoubleBinaryOperator op) {
        scan(scheduler, array, fromIndex, toIndex, array, fromIndex, op);
    }

    /** {@link #scan(Scheduler, double[], int, int, double[], int, DoubleBinaryOperator)} on {@link Scheduler#global()}. */
    public static void scan(double[] source, int fromIndex, int toIndex, double[] destination,
                            int destinationFrom, DoubleBinaryOperator op) {
        scan(Scheduler.global(), source, fromIndex, toIndex, destination, destinationFrom, op);
    }

    /**
     * Writes the inclusive prefix of {@code source[fromIndex, toIndex)} under {@code op} into
     * {@code destination} from {@code destinationFrom} on: the element for index {@code i} is
     * {@code source[fromIndex] op … op source[i]}. {@code destination} may be {@code source} with
     * {@code destinationFrom == fromIndex} (in place), or any range that does not overlap the
     * source range.
     *
     * <p>{@code op} must be associative; it need not be commutative (results always combine left
     * to right) and needs no identity. The range is split into blocks whose size depends on its
     * length only ({@code max(4096, ceil(n / 256))}), and each result is defined by those blocks:
     * within a block, a left fold from the block's first element, combined on the left with the
     * previous block's last result. So the result does not depend on the scheduler, the
     * parallelism or what ran where: the same inputs give the same bits on every run. For an
     * associative {@code op} (integer addition, {@code min}, {@code max}) it equals the serial
     * scan; for floating-point addition it may differ from the serial scan in the last bits,
     * beginning with the second block (the first block is the serial scan exactly).
     *
     * <p>Splitting is lazy ({@code docs/design/loops.md}, "Scan"): with nobody to help, the call is
     * one pass over the data; blocks another worker takes cost one more pass, made in parallel.
     *
     * @throws IllegalArgumentException if {@code fromIndex > toIndex}, or if {@code destination}
     *     is {@code source} and the ranges overlap at different offsets
     * @throws ArrayIndexOutOfBoundsException if a range does not fit its array
     * @throws NullPointerException if {@code scheduler}, an array or {@code op} is null
     */
    public static void scan(Scheduler scheduler, double[] source, int fromIndex, int toIndex,
                            double[] destination, int destinationFrom, DoubleBinaryOperator op) {
        int n = checkScan(scheduler, source, fromIndex, toIndex, destination, destinationFrom, op);
        if (n > 0) {
            runScan(scheduler, new ScanKernel.OfDouble(source, fromIndex, destination, destinationFrom, n,
                    ParallelScan.grain(n), op));
        }
    }

    /** The inclusive prefix of the whole {@code array} under {@code op}, in place, on {@link Scheduler#global()}. */
    public static void scan(long[] array, LongBinaryOperator op) {
        Objects.requireNonNull(array, "array");
        scan(Scheduler.global(), array, 0, array.length, array, 0, op);
    }

    /** The inclusive prefix of the whole {@code array} under {@code op}, in place. */
    public static void scan(Scheduler scheduler, long[] array, LongBinaryOperator op) {
        Objects.requireNonNull(array, "array");
        scan(scheduler, array, 0, array.length, array, 0, op);
    }

    /** The inclusive prefix of {@code array[fromIndex, toIndex)} under {@code op}, in place, on {@link Scheduler#global()}. */
    public static void scan(long[] array, int fromIndex, int toIndex, LongBinaryOperator op) {
        scan(Scheduler.global(), array, fromIndex, toIndex, op);
    }

    /** The inclusive prefix of {@code array[fromIndex, toIndex)} under {@code op}, in place. */
    public static void scan(Scheduler scheduler, long[] array, int fromIndex, int toIndex, LongBinaryOperator op) {
        scan(scheduler, array, fromIndex, toIndex, array, fromIndex, op);
    }

    /** {@link #scan(Scheduler, long[], int, int, long[], int, LongBinaryOperator)} on {@link Scheduler#global()}. */
    public static void scan(long[] source, int fromIndex, int toIndex, long[] destination,
                            int destinationFrom, LongBinaryOperator op) {
        scan(Scheduler.global(), source, fromIndex, toIndex, destination, destinationFrom, op);
    }

    /**
     * As {@link #scan(Scheduler, double[], int, int, double[], int, DoubleBinaryOperator)}, for
     * {@code long}s: the inclusive prefix of {@code source[fromIndex, toIndex)} under the
     * associative {@code op}, written into {@code destination} from {@code destinationFrom} on.
     * The result equals the serial scan. {@code op} must be associative, as for
     * {@link java.util.Arrays#parallelPrefix}; for an operator that is not, the result is not
     * specified and may change from run to run (integer operators are exact, so unlike the
     * {@code double} scan this one needs no block-defined values to be reproducible).
     *
     * @throws IllegalArgumentException if {@code fromIndex > toIndex}, or if {@code destination}
     *     is {@code source} and the ranges overlap at different offsets
     * @throws ArrayIndexOutOfBoundsException if a range does not fit its array
     * @throws NullPointerException if {@code scheduler}, an array or {@code op} is null
     */
    public static void scan(Scheduler scheduler, long[] source, int fromIndex, int toIndex,
                            long[] destination, int destinationFrom, LongBinaryOperator op) {
        int n = checkScan(scheduler, source, fromIndex, toIndex, destination, destinationFrom, op);
        if (n > 0) {
            runScan(scheduler, new ScanKernel.OfLong(source, fromIndex, destination, destinationFrom, n,
                    ParallelScan.grain(n), op));
        }
    }

    /** The inclusive prefix of the whole {@code array} under {@code op}, in place, on {@link Scheduler#global()}. */
    public static void scan(int[] array, IntBinaryOperator op) {
        Objects.requireNonNull(array, "array");
        scan(Scheduler.global(), array, 0, array.length, array, 0, op);
    }

    /** The inclusive prefix of the whole {@code array} under {@code op}, in place. */
    public static void scan(Scheduler scheduler, int[] array, IntBinaryOperator op) {
        Objects.requireNonNull(array, "array");
        scan(scheduler, array, 0, array.length, array, 0, op);
    }

    /** The inclusive prefix of {@code array[fromIndex, toIndex)} under {@code op}, in place, on {@link Scheduler#global()}. */
    public static void scan(int[] array, int fromIndex, int toIndex, IntBinaryOperator op) {
        scan(Scheduler.global(), array, fromIndex, toIndex, op);
    }

    /** The inclusive prefix of {@code array[fromIndex, toIndex)} under {@code op}, in place. */
    public static void scan(Scheduler scheduler, int[] array, int fromIndex, int toIndex, IntBinaryOperator op) {
        scan(scheduler, array, fromIndex, toIndex, array, fromIndex, op);
    }

    /** {@link #scan(Scheduler, int[], int, int, int[], int, IntBinaryOperator)} on {@link Scheduler#global()}. */
    public static void scan(int[] source, int fromIndex, int toIndex, int[] destination,
                            int destinationFrom, IntBinaryOperator op) {
        scan(Scheduler.global(), source, fromIndex, toIndex, destination, destinationFrom, op);
    }

    /**
     * As {@link #scan(Scheduler, double[], int, int, double[], int, DoubleBinaryOperator)}, for
     * {@code int}s: the inclusive prefix of {@code source[fromIndex, toIndex)} under the
     * associative {@code op}, written into {@code destination} from {@code destinationFrom} on.
     * The result equals the serial scan. {@code op} must be associative, as for
     * {@link java.util.Arrays#parallelPrefix}; for an operator that is not, the result is not
     * specified and may change from run to run (integer operators are exact, so unlike the
     * {@code double} scan this one needs no block-defined values to be reproducible).
     *
     * @throws IllegalArgumentException if {@code fromIndex > toIndex}, or if {@code destination}
     *     is {@code source} and the ranges overlap at different offsets
     * @throws ArrayIndexOutOfBoundsException if a range does not fit its array
     * @throws NullPointerException if {@code scheduler}, an array or {@code op} is null
     */
    public static void scan(Scheduler scheduler, int[] source, int fromIndex, int toIndex,
                            int[] destination, int destinationFrom, IntBinaryOperator op) {
        int n = checkScan(scheduler, source, fromIndex, toIndex, destination, destinationFrom, op);
        if (n > 0) {
            runScan(scheduler, new ScanKernel.OfInt(source, fromIndex, destination, destinationFrom, n,
                    ParallelScan.grain(n), op));
        }
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

    /**
     * Checks a {@code long} range and returns its length; a range longer than
     * {@code Long.MAX_VALUE} (from below zero to far above it) is refused, since no block
     * arithmetic could hold it.
     */
    private static long checkLongRange(long from, long to, long grain) {
        if (from > to) {
            throw new IllegalArgumentException("from must be <= to, was from=" + from + ", to=" + to);
        }
        if (grain < 1) {
            throw new IllegalArgumentException("grain must be >= 1, was " + grain);
        }
        long n = to - from;
        if (n < 0) {
            throw new IllegalArgumentException("the range [from, to) holds more than Long.MAX_VALUE indices, was from="
                    + from + ", to=" + to);
        }
        return n;
    }

    /** The range checks of {@code java.util.Arrays}, with the argument named in the message. */
    private static void checkArrayRange(String arrayName, int length, int fromIndex, int toIndex) {
        if (fromIndex > toIndex) {
            throw new IllegalArgumentException("fromIndex must be <= toIndex, was fromIndex=" + fromIndex
                    + ", toIndex=" + toIndex);
        }
        if (fromIndex < 0) {
            throw new ArrayIndexOutOfBoundsException("fromIndex must be >= 0, was " + fromIndex);
        }
        if (toIndex > length) {
            throw new ArrayIndexOutOfBoundsException("toIndex must be <= " + arrayName + ".length ("
                    + length + "), was " + toIndex);
        }
    }

    /**
     * Checks a scan's arguments, nulls first and then the ranges, and returns the number of
     * elements to scan. {@code source} and {@code destination} are arrays of one primitive type.
     */
    private static int checkScan(Scheduler scheduler, Object source, int fromIndex, int toIndex,
                                 Object destination, int destinationFrom, Object op) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(op, "op");
        checkScanRanges(source, Array.getLength(source), fromIndex, toIndex, destination,
                Array.getLength(destination), destinationFrom);
        return toIndex - fromIndex;
    }

    private static void runScan(Scheduler scheduler, ScanKernel kernel) {
        onWorker(scheduler, self -> ParallelScan.scan(self, kernel));
    }

    private static void checkScanRanges(Object source, int sourceLength, int fromIndex, int toIndex,
                                        Object destination, int destinationLength, int destinationFrom) {
        checkArrayRange("source", sourceLength, fromIndex, toIndex);
        long n = (long) toIndex - fromIndex;
        if (destinationFrom < 0 || destinationFrom + n > destinationLength) {
            throw new ArrayIndexOutOfBoundsException("destination range [destinationFrom, destinationFrom + "
                    + n + ") must lie in destination (length " + destinationLength + "), was destinationFrom="
                    + destinationFrom);
        }
        if (source == destination && destinationFrom != fromIndex
                && destinationFrom < toIndex && fromIndex < destinationFrom + n) {
            throw new IllegalArgumentException("destination overlaps source at another offset: source ["
                    + fromIndex + ", " + toIndex + "), destination [" + destinationFrom + ", "
                    + (destinationFrom + n) + ") of the same array");
        }
    }

    /** A primitive reduction on a worker of {@code scheduler}: the tree's result, as bits. */
    private static long reduceToBits(Scheduler scheduler, int from, int to, int grain,
                                     LazySplitter.BitsReduction reduction) {
        long blocks = LazySplitter.ceilDiv((long) to - from, grain);
        Worker self = scheduler.pool().currentWorker();
        if (self != null) {
            return LazySplitter.reduceBlocksToBits(self, from, to, grain, 0, blocks, reduction, null);
        }
        long[] bits = new long[1];
        onWorker(scheduler, worker ->
                bits[0] = LazySplitter.reduceBlocksToBits(worker, from, to, grain, 0, blocks, reduction, null));
        return bits[0];
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
