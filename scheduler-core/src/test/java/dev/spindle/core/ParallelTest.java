package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.FirstBlockFailure;
import dev.spindle.core.testing.Occupation;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.Thrown;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Parallel}: ranges of every shape, reductions, tiles, failures, and lazy splitting.
 * Joins ignore interrupts, so timeouts run the test in a separate thread: a hang fails, never sticks.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final int MIN = Integer.MIN_VALUE;
    private static final int MAX = Integer.MAX_VALUE;

    // ------------------------------------------------------------------ range shapes

    static Stream<Arguments> rangeShapes() {
        List<Arguments> shapes = new ArrayList<>();
        Object[][] ranges = {
            {"empty", 5, 5, 3},
            {"one element", 7, 8, 4},
            {"not divisible by the grain", 0, 1000, 7},
            {"grain larger than the range", 10, 30, 1000},
            {"grain 1", 0, 500, 1},
            {"negative bounds", -1000, -13, 9},
            {"across zero", -517, 482, 10},
            {"at Integer.MIN_VALUE", MIN, MIN + 1000, 7},
            {"at Integer.MAX_VALUE", MAX - 1000, MAX, 7},
            {"up to Integer.MAX_VALUE, grain Integer.MAX_VALUE", MAX - 10, MAX, MAX},
            {"from Integer.MIN_VALUE, grain Integer.MAX_VALUE", MIN, MIN + 10, MAX},
            {"2^20 indices from Integer.MIN_VALUE", MIN, MIN + (1 << 20), 1000},
        };
        for (int parallelism : new int[] {1, 2, 4}) {
            for (Object[] range : ranges) {
                shapes.add(arguments(range[0], range[1], range[2], range[3], parallelism));
            }
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "{0}: [{1}, {2}) grain {3}, parallelism {4}")
    @MethodSource("rangeShapes")
    void forRange_runsEveryIndexOnce_inBlocksAlignedAtFromPlusKGrain(String shape, int from, int to,
                                                                     int grain, int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        int n = (int) ((long) to - from);
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        List<long[]> blocks = Collections.synchronizedList(new ArrayList<>());

        Parallel.forRange(scheduler, from, to, grain, (lo, hi) -> {
            blocks.add(new long[] {lo, hi});
            for (long i = lo; i < hi; i++) {
                hits.incrementAndGet((int) (i - from));
            }
        });

        assertEveryOffsetHitOnce(hits, from);
        long expectedBlocks = ((long) n + grain - 1) / grain;
        assertEquals(expectedBlocks, blocks.size(), "number of body calls");
        for (long[] block : blocks) {
            long lo = block[0];
            long hi = block[1];
            assertEquals(0, (lo - from) % grain, () -> "block [" + lo + ", " + hi + ") not aligned at from + k*grain");
            assertTrue(hi > lo, () -> "empty block [" + lo + ", " + hi + ")");
            assertTrue(hi - lo <= grain, () -> "block [" + lo + ", " + hi + ") holds more than grain " + grain);
            assertEquals(Math.min(to, lo + grain), hi, () -> "only the last block may be short: [" + lo + ", " + hi + ")");
        }
    }

    @ParameterizedTest(name = "{0}: [{1}, {2}), parallelism {4}")
    @MethodSource("rangeShapes")
    void forRangePerIndex_runsEveryIndexOnce(String shape, int from, int to, int unusedGrain,
                                             int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        AtomicIntegerArray hits = new AtomicIntegerArray((int) ((long) to - from));

        Parallel.forRange(scheduler, from, to, i -> hits.incrementAndGet(i - from));

        assertEveryOffsetHitOnce(hits, from);
    }

    private static void assertEveryOffsetHitOnce(AtomicIntegerArray hits, int from) {
        for (int k = 0; k < hits.length(); k++) {
            if (hits.get(k) != 1) {
                fail("index " + ((long) from + k) + " ran " + hits.get(k) + " times");
            }
        }
    }

    // ------------------------------------------------------------------ arguments

    @Test
    void forRange_fromAfterTo_throwsIllegalArgumentNamingTheValues() {
        Scheduler scheduler = hygiene.newScheduler(2);
        AtomicBoolean ran = new AtomicBoolean();

        IllegalArgumentException blocks = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forRange(scheduler, 1234, -56, 1, (lo, hi) -> ran.set(true)));
        IllegalArgumentException indices = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forRange(scheduler, 1234, -56, i -> ran.set(true)));
        IllegalArgumentException reduce = assertThrows(IllegalArgumentException.class,
                () -> Parallel.reduce(scheduler, 1234, -56, 1, 0, (lo, hi) -> 1, Integer::sum));

        for (IllegalArgumentException e : List.of(blocks, indices, reduce)) {
            assertTrue(e.getMessage().contains("1234") && e.getMessage().contains("-56"), e.getMessage());
        }
        assertFalse(ran.get(), "no body may run for an invalid range");
    }

    @ParameterizedTest(name = "grain {0}")
    @ValueSource(ints = {0, -7, MIN})
    void forRange_grainBelowOne_throwsIllegalArgumentNamingTheValue(int grain) {
        Scheduler scheduler = hygiene.newScheduler(2);

        IllegalArgumentException loop = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forRange(scheduler, 0, 10, grain, (lo, hi) -> { }));
        IllegalArgumentException reduce = assertThrows(IllegalArgumentException.class,
                () -> Parallel.reduce(scheduler, 0, 10, grain, 0, (lo, hi) -> 1, Integer::sum));
        IllegalArgumentException tiles = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forTiles(scheduler, 0, 10, 0, 10, 2, grain, (r0, r1, c0, c1) -> { }));

        for (IllegalArgumentException e : List.of(loop, reduce, tiles)) {
            assertTrue(e.getMessage().contains(String.valueOf(grain)), e.getMessage());
        }
    }

    @Test
    void nullBodyOrScheduler_throwsNullPointer() {
        Scheduler scheduler = hygiene.newScheduler(2);

        assertThrows(NullPointerException.class, () -> Parallel.forRange(scheduler, 0, 10, 1, (RangeBody) null));
        assertThrows(NullPointerException.class,
                () -> Parallel.forRange(scheduler, 0, 10, (java.util.function.IntConsumer) null));
        assertThrows(NullPointerException.class, () -> Parallel.forRange(null, 0, 10, 1, (lo, hi) -> { }));
        assertThrows(NullPointerException.class,
                () -> Parallel.reduce(scheduler, 0, 10, 1, 0, null, Integer::sum));
        assertThrows(NullPointerException.class,
                () -> Parallel.reduce(scheduler, 0, 10, 1, 0, (lo, hi) -> 1, null));
        assertThrows(NullPointerException.class,
                () -> Parallel.forTiles(scheduler, 0, 10, 0, 10, 2, 2, null));
        assertThrows(NullPointerException.class, () -> Parallel.join(scheduler, null, () -> { }));
        assertThrows(NullPointerException.class, () -> Parallel.join(scheduler, () -> { }, null));
    }

    // ------------------------------------------------------------------ nesting

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void forRange_nestedThreeDeep_runsEveryTripleOnce(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        int outer = 16;
        int middle = 24;
        int inner = 40;
        AtomicIntegerArray hits = new AtomicIntegerArray(outer * middle * inner);
        LongAdder count = new LongAdder();
        LongAdder sum = new LongAdder();

        Parallel.forRange(scheduler, 0, outer, 1, (a0, a1) -> {
            for (int a = a0; a < a1; a++) {
                int x = a;
                Parallel.forRange(scheduler, 0, middle, 2, (b0, b1) -> {
                    for (int b = b0; b < b1; b++) {
                        int y = b;
                        Parallel.forRange(scheduler, 0, inner, z -> {
                            hits.incrementAndGet((x * middle + y) * inner + z);
                            count.increment();
                            sum.add(x * 10_000L + y * 100L + z);
                        });
                    }
                });
            }
        });

        long expectedSum = 0;
        for (int a = 0; a < outer; a++) {
            for (int b = 0; b < middle; b++) {
                for (int c = 0; c < inner; c++) {
                    expectedSum += a * 10_000L + b * 100L + c;
                }
            }
        }
        assertEquals((long) outer * middle * inner, count.sum());
        assertEquals(expectedSum, sum.sum());
        assertEveryOffsetHitOnce(hits, 0);
    }

    // ------------------------------------------------------------------ reductions

    @Test
    void reduce_emptyRange_returnsIdentityWithoutCallingMapOrCombine() {
        Scheduler scheduler = hygiene.newScheduler(2);
        Object identity = new Object();

        Object result = Parallel.reduce(scheduler, 42, 42, 3, identity,
                (lo, hi) -> fail("map called on an empty range"),
                (x, y) -> fail("combine called on an empty range"));

        assertSame(identity, result);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void reduce_longSum_equalsTheSequentialSum(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        int from = -50_000;
        int to = 150_001;
        long expected = 0;
        for (int i = from; i < to; i++) {
            expected += squareMod(i);
        }

        long result = Parallel.reduce(scheduler, from, to, 37, 0L, (lo, hi) -> {
            long partial = 0;
            for (int i = lo; i < hi; i++) {
                partial += squareMod(i);
            }
            return partial;
        }, Long::sum);

        assertEquals(expected, result);
    }

    private static long squareMod(int i) {
        return (long) i * i % 1_000_003L;
    }

    /** Order-sensitive for floating-point addition: alternating signs, magnitudes 1e12 apart. */
    private static double orderSensitive(int i) {
        double sign = (i & 1) == 0 ? 1.0 : -1.0;
        double magnitude = i % 5 == 0 ? 1e12 : 1.0;
        return sign * magnitude / (i + 1);
    }

    private static double blockSum(int lo, int hi) {
        double partial = 0;
        for (int i = lo; i < hi; i++) {
            partial += orderSensitive(i);
        }
        return partial;
    }

    /** The tree of docs/design/loops.md: node [b0, b1) splits at b0 + (b1 - b0) / 2. */
    private static double treeSum(int from, int to, int grain, long b0, long b1) {
        if (b1 - b0 == 1) {
            long lo = from + b0 * grain;
            return blockSum((int) lo, (int) Math.min(to, lo + grain));
        }
        long m = b0 + (b1 - b0) / 2;
        return treeSum(from, to, grain, b0, m) + treeSum(from, to, grain, m, b1);
    }

    @Test
    void reduce_floatingPointSum_isBitIdenticalAcrossRunsAndParallelism() {
        int from = 0;
        int to = 200_000;
        int grain = 64;
        long blocks = (to - from + grain - 1) / grain;
        double tree = treeSum(from, to, grain, 0, blocks);
        double sequential = blockSum(from, to);
        double otherGrain = treeSum(from, to, 1000, 0, (to - from + 999) / 1000);
        // The data must be order-sensitive, or this test could not fail.
        assertNotEquals(Double.doubleToRawLongBits(sequential), Double.doubleToRawLongBits(tree),
                "test data is not order-sensitive");
        assertNotEquals(Double.doubleToRawLongBits(otherGrain), Double.doubleToRawLongBits(tree),
                "test data is not order-sensitive");

        for (int parallelism : new int[] {1, 2, 4}) {
            Scheduler scheduler = hygiene.newScheduler(parallelism);
            for (int run = 0; run < 10; run++) {
                double result = Parallel.reduce(scheduler, from, to, grain, 0.0,
                        ParallelTest::blockSum, Double::sum);
                assertEquals(Double.doubleToRawLongBits(tree), Double.doubleToRawLongBits(result),
                        "parallelism " + parallelism + ", run " + run + ": " + result + " != " + tree);
            }
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void reduce_associativeNonCommutativeCombine_givesTheInOrderResult(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        int from = -300;
        int to = 2_017;
        int grain = 5;
        StringBuilder expected = new StringBuilder();
        for (long lo = from; lo < to; lo += grain) {
            expected.append('[').append(lo).append(',').append(Math.min(to, lo + grain)).append(')');
        }
        BinaryOperator<String> concat = String::concat;

        for (int run = 0; run < 5; run++) {
            String result = Parallel.reduce(scheduler, from, to, grain, "",
                    (lo, hi) -> "[" + lo + "," + hi + ")", concat);
            assertEquals(expected.toString(), result);
        }
    }

    // ------------------------------------------------------------------ tiles

    static Stream<Arguments> tileShapes() {
        return Stream.of(
                arguments(0, 37, -5, 60, 4, 7),
                arguments(3, 4, 0, 101, 5, 3),
                arguments(-100, -1, 10, 11, 1, 1),
                arguments(0, 1, 0, 1, 8, 8),
                arguments(-7, 50, -9, 31, 100, 6),
                arguments(11, 44, 2, 3, 3, 100),
                arguments(0, 64, 0, 64, 64, 1));
    }

    @ParameterizedTest(name = "rows [{0}, {1}) x cols [{2}, {3}), tiles {4}x{5}")
    @MethodSource("tileShapes")
    void forTiles_coversEveryCellOnce_withAlignedTilesNoLargerThanTheTileSize(
            int rowFrom, int rowTo, int colFrom, int colTo, int tileRows, int tileCols) {
        Scheduler scheduler = hygiene.newScheduler(2);
        int rows = rowTo - rowFrom;
        int cols = colTo - colFrom;
        AtomicIntegerArray hits = new AtomicIntegerArray(rows * cols);
        List<String> badTiles = Collections.synchronizedList(new ArrayList<>());
        LongAdder tiles = new LongAdder();

        Parallel.forTiles(scheduler, rowFrom, rowTo, colFrom, colTo, tileRows, tileCols, (r0, r1, c0, c1) -> {
            tiles.increment();
            boolean aligned = (r0 - rowFrom) % tileRows == 0 && (c0 - colFrom) % tileCols == 0;
            boolean sized = r1 == Math.min(rowTo, r0 + tileRows) && c1 == Math.min(colTo, c0 + tileCols);
            if (!aligned || !sized || r1 <= r0 || c1 <= c0) {
                badTiles.add("[" + r0 + ", " + r1 + ") x [" + c0 + ", " + c1 + ")");
            }
            for (int r = r0; r < r1; r++) {
                for (int c = c0; c < c1; c++) {
                    hits.incrementAndGet((r - rowFrom) * cols + (c - colFrom));
                }
            }
        });

        assertEquals(List.of(), badTiles, "tiles not aligned at (rowFrom, colFrom) or larger than the tile size");
        long expectedTiles = (long) ((rows + tileRows - 1) / tileRows) * ((cols + tileCols - 1) / tileCols);
        assertEquals(expectedTiles, tiles.sum(), "number of tiles");
        for (int k = 0; k < hits.length(); k++) {
            if (hits.get(k) != 1) {
                fail("cell (" + (rowFrom + k / cols) + ", " + (colFrom + k % cols) + ") ran " + hits.get(k) + " times");
            }
        }
    }

    @Test
    void forTiles_aGridOfMoreTilesThanOneRunHolds_isCutIntoHalves_andStillCoversEveryCellOnce() {
        // Production cuts grids above Integer.MAX_VALUE tiles (int bounds with small tiles); the
        // same code with a limit of 5 tiles per run is cut several times over a 10 x 9 tile grid.
        Scheduler scheduler = hygiene.newScheduler(2);
        int rowFrom = -3;
        int rowTo = 27;                                  // 10 tile rows of 3
        int colFrom = 5;
        int colTo = 22;                                  // 9 tile columns of 2, the last one short
        int cols = colTo - colFrom;
        AtomicIntegerArray hits = new AtomicIntegerArray((rowTo - rowFrom) * cols);
        List<String> badTiles = Collections.synchronizedList(new ArrayList<>());
        LazySplitter.TileGrid grid = new LazySplitter.TileGrid(rowFrom, rowTo, colFrom, colTo, 3, 2);

        scheduler.invoke(() -> {
            Worker self = ((WorkerThread) Thread.currentThread()).worker();
            LazySplitter.forTiles(self, grid, (r0, r1, c0, c1) -> {
                if ((r0 - rowFrom) % 3 != 0 || (c0 - colFrom) % 2 != 0
                        || r1 != Math.min(rowTo, r0 + 3) || c1 != Math.min(colTo, c0 + 2)) {
                    badTiles.add("[" + r0 + ", " + r1 + ") x [" + c0 + ", " + c1 + ")");
                }
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        hits.incrementAndGet((r - rowFrom) * cols + (c - colFrom));
                    }
                }
            }, 5);
            return null;
        });

        assertEquals(List.of(), badTiles, "tiles not on the original grid");
        for (int k = 0; k < hits.length(); k++) {
            assertEquals(1, hits.get(k), "cell " + k);
        }
    }

    @Test
    void forTiles_emptyRectangle_callsNothing() {
        Scheduler scheduler = hygiene.newScheduler(2);

        Parallel.forTiles(scheduler, 5, 5, 0, 10, 2, 2, (r0, r1, c0, c1) -> fail("no tile expected"));
        Parallel.forTiles(scheduler, 0, 10, 3, 3, 2, 2, (r0, r1, c0, c1) -> fail("no tile expected"));
    }

    // ------------------------------------------------------------------ join

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void join_runsBoth_fromOutsideAndFromAWorker(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        LongAdder runs = new LongAdder();

        Parallel.join(scheduler, runs::increment, () -> runs.add(10));
        int inside = scheduler.invoke(() -> {
            Parallel.join(scheduler, runs::increment, () -> runs.add(10));
            return 1;
        });

        assertEquals(1, inside);
        assertEquals(22, runs.sum());
    }

    @Test
    void globalOverloads_runOnTheGlobalScheduler() {
        AtomicIntegerArray hits = new AtomicIntegerArray(1000);
        LongAdder blocks = new LongAdder();
        LongAdder cells = new LongAdder();
        AtomicBoolean a = new AtomicBoolean();
        AtomicBoolean b = new AtomicBoolean();

        Parallel.forRange(0, 1000, hits::incrementAndGet);
        Parallel.forRange(0, 1000, 7, (lo, hi) -> blocks.increment());
        long sum = Parallel.reduce(0, 1000, 0L, (lo, hi) -> (long) (hi - lo), Long::sum);
        Parallel.forTiles(0, 10, 0, 20, 3, 3, (r0, r1, c0, c1) -> cells.add((long) (r1 - r0) * (c1 - c0)));
        Parallel.join(() -> a.set(true), () -> b.set(true));

        assertEveryOffsetHitOnce(hits, 0);
        assertEquals(143, blocks.sum());
        assertEquals(1000L, sum);
        assertEquals(200, cells.sum());
        assertTrue(a.get() && b.get());
    }

    // ------------------------------------------------------------------ failures

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void forRange_bodyThrows_propagatesTheSameInstance(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        IllegalStateException boom = new IllegalStateException("boom at 777");
        RangeBody body = (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                if (i == 777) {
                    throw boom;
                }
            }
        };

        RuntimeException fromOutside = assertThrows(RuntimeException.class,
                () -> Parallel.forRange(scheduler, 0, 2000, 1, body));
        Throwable fromWorker = scheduler.invoke(() -> Thrown.by(() -> Parallel.forRange(scheduler, 0, 2000, 3, body)));
        RuntimeException fromReduce = assertThrows(RuntimeException.class,
                () -> Parallel.reduce(scheduler, 0, 2000, 2, 0, (lo, hi) -> {
                    body.run(lo, hi);
                    return 0;
                }, Integer::sum));

        assertSame(boom, fromOutside);
        assertSame(boom, fromWorker);
        assertSame(boom, fromReduce);
    }

    /**
     * The left branch fails while the forked right half runs on another worker: the loop must wait
     * for that half (docs/design/loops.md: "no part of the loop outlives the call").
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void forRange_afterItThrows_noBodyCallStarts() throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(2);
        int n = 4000;
        FirstBlockFailure body = new FirstBlockFailure("left branch fails", n, 50);
        body.assertRethrown_andNothingStartsAfterwards(RuntimeException.class,
                () -> Parallel.forRange(scheduler, 0, n, 1, (lo, hi) -> body.visit(lo)), "body calls");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void join_whenTheFirstThrows_waitsForTheSecondThatAlreadyStarted() throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(2);
        CountDownLatch secondStarted = new CountDownLatch(1);
        AtomicBoolean secondFinished = new AtomicBoolean();
        IllegalStateException boom = new IllegalStateException("first fails");

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> Parallel.join(scheduler, () -> {
            try {
                assertTrue(secondStarted.await(10, TimeUnit.SECONDS), "second never started");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            throw boom;
        }, () -> {
            secondStarted.countDown();
            BoundedWait.busyFor(200_000);
            secondFinished.set(true);
        }));

        assertSame(boom, thrown);
        assertTrue(secondFinished.get(), "Parallel.join returned while its second half was still running");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void forRange_twoBodiesFail_oneIsThrownAndTheOtherIsSuppressed() {
        Scheduler scheduler = hygiene.newScheduler(2);
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        IllegalStateException left = new IllegalStateException("left fails");
        IllegalStateException right = new IllegalStateException("right fails");

        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> Parallel.forRange(scheduler, 0, 2, 1, (lo, hi) -> {
                    try {
                        bothRunning.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                        throw new AssertionError("both blocks must run at once", e);
                    }
                    if (lo == 0) {
                        throw left;
                    }
                    BoundedWait.busyFor(100_000);        // fail after the left one has failed
                    throw right;
                }));

        assertTrue(thrown == left || thrown == right, () -> "unexpected " + thrown);
        Throwable other = thrown == left ? right : left;
        assertTrue(Arrays.asList(thrown.getSuppressed()).contains(other),
                () -> "the other failure was lost: suppressed = " + Arrays.toString(thrown.getSuppressed()));
    }

    // ------------------------------------------------------------------ lazy splitting

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void forRange_whileTheOtherWorkerIsBusy_forksFewTasks() throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(2);
        Occupation busy = Occupation.ofOneWorker(scheduler);
        int blocks = 4096;
        LongAdder calls = new LongAdder();
        try {
            long before = scheduler.stats().tasksExecuted();
            Parallel.forRange(scheduler, 0, blocks, 1, (lo, hi) -> calls.increment());
            long tasks = scheduler.stats().tasksExecuted() - before;

            assertEquals(blocks, calls.sum());
            assertTrue(tasks < blocks / 4,
                    () -> tasks + " tasks for " + blocks + " blocks: the loop split although nobody could steal");
        } finally {
            busy.release();
        }
    }

    @Test
    void forBlocks_thatNeverSplits_doublesTheBlocksPerCallUpToTheCap() {
        // One worker: nobody could steal, so the loop never splits and coalesces from the start.
        Scheduler scheduler = hygiene.newScheduler(1);
        int from = 3;
        int to = 3 + 7 * 40 - 2;                         // 40 blocks of 7, the last one short
        int grain = 7;
        long blocks = LazySplitter.ceilDiv((long) to - from, grain);
        List<int[]> calls = new ArrayList<>();

        scheduler.invoke(() -> {
            Worker self = ((WorkerThread) Thread.currentThread()).worker();
            LazySplitter.forBlocks(self, from, to, grain, 0, blocks, 8,
                    (lo, hi) -> calls.add(new int[] {lo, hi}), new LazySplitter.Abort());
            return null;
        });

        List<Integer> blocksPerCall = new ArrayList<>();
        int expectedLo = from;
        for (int[] call : calls) {
            assertEquals(expectedLo, call[0], "calls run in order, each where the last one ended");
            assertEquals(0, (call[0] - from) % grain, "a call starts on a block boundary");
            blocksPerCall.add((call[1] - call[0] + grain - 1) / grain);
            expectedLo = call[1];
        }
        assertEquals(to, expectedLo, "the calls cover the range");
        assertEquals(List.of(1, 2, 4, 8, 8, 8, 8, 1), blocksPerCall);
    }

    @Test
    void forBlocks_withTheCallersGrain_givesEveryCallOneBlock() {
        Scheduler scheduler = hygiene.newScheduler(1);
        List<int[]> calls = new ArrayList<>();

        scheduler.invoke(() -> {
            Worker self = ((WorkerThread) Thread.currentThread()).worker();
            LazySplitter.forBlocks(self, 0, 100, 10, 0, 10, 1,
                    (lo, hi) -> calls.add(new int[] {lo, hi}), new LazySplitter.Abort());
            return null;
        });

        assertEquals(10, calls.size());
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(10 * i, calls.get(i)[0]);
            assertEquals(10 * i + 10, calls.get(i)[1]);
        }
    }

    @Test
    void forRangePerIndex_whileItsWorkerHasWorkForThieves_forksNoTask() throws InterruptedException {
        // What a saturated outer level looks like to an inner loop: the other worker is busy, and
        // this worker's deque holds a piece of outer work nobody has taken. The inner loop must
        // then run as a plain loop: no fork, every index once.
        Scheduler scheduler = hygiene.newScheduler(2);
        Occupation busy = Occupation.ofOneWorker(scheduler);
        int n = 10_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        try {
            long innerTasks = scheduler.invoke(() -> {
                Task<Void> outerPiece = scheduler.fork(() -> null);   // stays on this deque
                long before = scheduler.stats().tasksExecuted();
                Parallel.forRange(scheduler, 0, n, seen::incrementAndGet);
                long forked = scheduler.stats().tasksExecuted() - before;
                outerPiece.join();
                return forked;
            });

            for (int i = 0; i < n; i++) {
                assertEquals(1, seen.get(i), "index " + i);
            }
            assertEquals(0, innerTasks, "the inner loop forked although its deque held work for thieves");
        } finally {
            busy.release();
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void forRange_withBothWorkersIdle_usesBothWorkers() {
        Scheduler scheduler = hygiene.newScheduler(2);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);

        Parallel.forRange(scheduler, 0, 2000, 1, (lo, hi) -> {
            threads.add(Thread.currentThread().getName());
            // Hold every block until a second worker has joined in (bounded by one deadline).
            while (threads.size() < 2 && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
        });

        assertEquals(2, threads.size(), () -> "threads seen: " + threads);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void forTiles_whoseDequeEmptiesDuringATile_forksTheTilesLeftBeforeTheNext() throws InterruptedException {
        // A 1 × 4 grid started on a worker whose deque holds outer work, the other worker busy: no
        // split at the start. During tile 0 the other worker is released and takes the outer work,
        // so the deque is empty when tile 0 ends. Asked before tile 1, the loop must fork tiles
        // [2, 4) then, and the other worker starts tile 2 while tile 1 still runs (tile 1 waits
        // for it, boundedly). A fixed tree entered with a full deque would run tiles 0–1 alone.
        Scheduler scheduler = hygiene.newScheduler(2);
        Occupation busy = Occupation.ofOneWorker(scheduler);
        String[] ranBy = new String[4];
        CountDownLatch tile2Started = new CountDownLatch(1);
        try {
            scheduler.invoke(() -> {
                Task<Void> outerPiece = scheduler.fork(() -> null);   // on this deque until stolen
                Parallel.forTiles(scheduler, 0, 1, 0, 4, 1, 1, (r0, r1, c0, c1) -> {
                    ranBy[c0] = Thread.currentThread().getName();
                    if (c0 == 0) {
                        busy.release();                                // the other worker is free...
                        BoundedWait.until(outerPiece::isDone, 10_000); // ...and takes the outer work
                    } else if (c0 == 1) {
                        BoundedWait.until(() -> tile2Started.getCount() == 0, 10_000);
                    } else if (c0 == 2) {
                        tile2Started.countDown();
                    }
                });
                outerPiece.join();
                return null;
            });
        } finally {
            busy.release();
        }
        assertTrue(Arrays.stream(ranBy).allMatch(java.util.Objects::nonNull), "every tile ran");
        assertEquals(ranBy[0], ranBy[1], "tile 1 runs where tile 0 did");
        assertNotEquals(ranBy[0], ranBy[2], "tile 2 was forked after tile 0 and taken by the other worker");
    }
}
