package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.AfterReturn;
import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.Occupation;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.SchedulerKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Parallel#scan}: for associative operators (integer sums with overflow, an associative
 * operator that does not commute) the serial scan exactly; for floating-point addition the value
 * defined by the blocks ({@link ScanKernel}), bit for bit on every scheduler and every run; ranges,
 * destinations, failures and arguments.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelScanTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final int MIN = ParallelScan.MIN_GRAIN;
    private static final int GROWS_AT = ParallelScan.MIN_GRAIN * ParallelScan.MAX_BLOCKS;

    /** Sizes: tiny, around one and two blocks, where the block size starts to grow, random, large. */
    static final int[] SIZES = sizes();

    private static int[] sizes() {
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, 2, 3, 100, MIN - 1, MIN, MIN + 1,
                2 * MIN - 1, 2 * MIN, 2 * MIN + 1, 7 * MIN + 5, GROWS_AT, GROWS_AT + 1, 3_000_017));
        Random random = new Random(2024);
        for (int i = 0; i < 3; i++) {
            sizes.add(random.nextInt(400_000));
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    static Stream<Arguments> sizesOnEveryScheduler() {
        return SchedulerKind.eachWithSize(SIZES);
    }

    // ------------------------------------------------------------------ references

    /** Affine maps x -> a*x + b mod 2^32 as (a << 32 | b); op(f, g) is "f, then g": associative, not commutative. */
    static final LongBinaryOperator AFFINE_THEN = (f, g) -> {
        long fa = f >>> 32;
        long fb = f & 0xffff_ffffL;
        long ga = g >>> 32;
        long gb = g & 0xffff_ffffL;
        return ((ga * fa) & 0xffff_ffffL) << 32 | ((ga * fb + gb) & 0xffff_ffffL);
    };

    /** The same on ints: x -> a*x + b mod 2^16 as (a << 16 | b). */
    static final IntBinaryOperator AFFINE_THEN_16 = (f, g) -> {
        int fa = f >>> 16;
        int fb = f & 0xffff;
        int ga = g >>> 16;
        int gb = g & 0xffff;
        return ((ga * fa) & 0xffff) << 16 | ((ga * fb + gb) & 0xffff);
    };

    private static long[] serialScan(long[] x, LongBinaryOperator op) {
        long[] out = x.clone();
        for (int i = 1; i < out.length; i++) {
            out[i] = op.applyAsLong(out[i - 1], x[i]);
        }
        return out;
    }

    private static int[] serialScan(int[] x, IntBinaryOperator op) {
        int[] out = x.clone();
        for (int i = 1; i < out.length; i++) {
            out[i] = op.applyAsInt(out[i - 1], x[i]);
        }
        return out;
    }

    private static double[] serialScan(double[] x, DoubleBinaryOperator op) {
        double[] out = x.clone();
        for (int i = 1; i < out.length; i++) {
            out[i] = op.applyAsDouble(out[i - 1], x[i]);
        }
        return out;
    }

    /**
     * The documented value, written independently of the kernel: blocks of {@code grain}; within a
     * block a left fold from its first element; from the second block on, combined on the left
     * with the previous block's last result.
     */
    private static double[] blockScan(double[] x, int grain, DoubleBinaryOperator op) {
        double[] out = new double[x.length];
        double carry = 0;
        for (int lo = 0; lo < x.length; lo += grain) {
            int hi = Math.min(x.length, lo + grain);
            double local = x[lo];
            out[lo] = lo == 0 ? local : op.applyAsDouble(carry, local);
            for (int i = lo + 1; i < hi; i++) {
                local = op.applyAsDouble(local, x[i]);
                out[i] = lo == 0 ? local : op.applyAsDouble(carry, local);
            }
            carry = out[hi - 1];
        }
        return out;
    }

    /** Order-sensitive for floating-point addition: magnitudes 1e12 apart, both signs. */
    private static double[] orderSensitive(int n, Random random) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (random.nextBoolean() ? 1 : -1) * (i % 7 == 0 ? 1e12 : 1.0) * random.nextDouble();
        }
        return x;
    }

    private static long[] rawBits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    // ------------------------------------------------------------------ results

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("sizesOnEveryScheduler")
    void scanLongs_sumAndNonCommutativeOperator_equalTheSerialScan(SchedulerKind kind, int n) {
        Scheduler scheduler = kind.make(hygiene);
        Random random = new Random(n);
        long[] x = random.longs(n).toArray();             // sums overflow: wrap as the serial scan does

        long[] sums = x.clone();
        Parallel.scan(scheduler, sums, Long::sum);
        assertArrayEquals(serialScan(x, Long::sum), sums, "sum");

        long[] maps = random.longs(n).toArray();
        long[] composed = maps.clone();
        Parallel.scan(scheduler, composed, AFFINE_THEN);
        assertArrayEquals(serialScan(maps, AFFINE_THEN), composed, "affine maps composed left to right");
    }

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("sizesOnEveryScheduler")
    void scanInts_sumAndNonCommutativeOperator_equalTheSerialScan(SchedulerKind kind, int n) {
        Scheduler scheduler = kind.make(hygiene);
        Random random = new Random(n + 1);
        int[] x = random.ints(n).toArray();

        int[] sums = x.clone();
        Parallel.scan(scheduler, sums, Integer::sum);
        assertArrayEquals(serialScan(x, Integer::sum), sums, "sum");

        int[] composed = x.clone();
        Parallel.scan(scheduler, composed, AFFINE_THEN_16);
        assertArrayEquals(serialScan(x, AFFINE_THEN_16), composed, "affine maps composed left to right");

        int[] maxima = x.clone();
        Parallel.scan(scheduler, maxima, Math::max);
        assertArrayEquals(serialScan(x, Math::max), maxima, "max");
    }

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("sizesOnEveryScheduler")
    void scanDoubles_sum_isTheBlockDefinedValue_bitForBit(SchedulerKind kind, int n) {
        Scheduler scheduler = kind.make(hygiene);
        double[] x = orderSensitive(n, new Random(n + 2));
        double[] expected = blockScan(x, ParallelScan.grain(n), Double::sum);

        double[] sums = x.clone();
        Parallel.scan(scheduler, sums, Double::sum);

        assertArrayEquals(rawBits(expected), rawBits(sums));
        if (n <= ParallelScan.grain(n)) {
            assertArrayEquals(rawBits(serialScan(x, Double::sum)), rawBits(sums), "one block is the serial scan");
        }
    }

    @Test
    void scanDoubles_sameInputs_sameBitsOnEverySchedulerAndRun() {
        int n = 1_500_001;
        double[] x = orderSensitive(n, new Random(77));
        double[] expected = blockScan(x, ParallelScan.grain(n), Double::sum);
        // The data must be order-sensitive, or this test could not fail.
        assertFalse(Arrays.equals(rawBits(expected), rawBits(serialScan(x, Double::sum))),
                "test data is not order-sensitive");

        for (SchedulerKind kind : SchedulerKind.values()) {
            Scheduler scheduler = kind.make(hygiene);
            for (int run = 0; run < 5; run++) {
                double[] sums = new double[n];
                Parallel.scan(scheduler, x, 0, n, sums, 0, Double::sum);
                assertArrayEquals(rawBits(expected), rawBits(sums), kind + ", run " + run);
            }
        }
    }

    @Test
    void scanDoubles_nonNegativeInputs_giveANonDecreasingResult() {
        // The carry of a block is the previous block's last result, so a sum of non-negative
        // numbers never steps back at a block boundary.
        Scheduler scheduler = hygiene.newScheduler(2);
        Random random = new Random(5);
        double[] x = new double[2_000_003];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(10) == 0 ? 1e15 * random.nextDouble() : random.nextDouble();
        }
        Parallel.scan(scheduler, x, Double::sum);
        for (int i = 1; i < x.length; i++) {
            if (x[i] < x[i - 1]) {
                fail("the prefix sum decreases at " + i + ": " + x[i - 1] + " then " + x[i]);
            }
        }
    }

    // ------------------------------------------------------------------ splitting

    @Test
    void scan_onTwoIdleWorkers_handsBlocksToTheOtherWorker_andStaysExact() {
        // A slow operator: the other worker surely takes a forked half (LocalScan, then the carry
        // pass), so the stolen path is the one checked here.
        Scheduler scheduler = hygiene.newScheduler(2);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        int n = 64 * MIN;
        long[] x = new Random(3).longs(n).toArray();
        long[] maps = x.clone();

        Parallel.scan(scheduler, maps, (f, g) -> {
            threads.add(Thread.currentThread().getName());
            if ((g & 0xff) == 0) {
                BoundedWait.busyFor(2);
            }
            return AFFINE_THEN.applyAsLong(f, g);
        });

        assertEquals(2, threads.size(), () -> "threads seen: " + threads);
        assertArrayEquals(serialScan(x, AFFINE_THEN), maps);
    }

    @Test
    void scan_whileTheOtherWorkerIsBusy_walksAloneWithoutExtraPasses() throws InterruptedException {
        // Nobody can take a forked half: the walker takes each one back and walks it. For longs it
        // runs the serial chain, so the operator is called exactly n - 1 times, as by a serial
        // loop; for doubles every element after block 0 is combined twice (local, carry ⊕ local).
        Scheduler scheduler = hygiene.newScheduler(2);
        Occupation busy = Occupation.ofOneWorker(scheduler);
        int n = 40 * MIN + 7;
        long[] x = new Random(4).longs(n).toArray();
        long[] sums = x.clone();
        double[] doubles = orderSensitive(n, new Random(5));
        double[] doubleSums = doubles.clone();
        AtomicLong calls = new AtomicLong();
        AtomicLong doubleCalls = new AtomicLong();
        try {
            Parallel.scan(scheduler, sums, (a, b) -> {
                calls.incrementAndGet();
                return a + b;
            });
            Parallel.scan(scheduler, doubleSums, (a, b) -> {
                doubleCalls.incrementAndGet();
                return a + b;
            });
        } finally {
            busy.release();
        }
        assertArrayEquals(serialScan(x, Long::sum), sums);
        assertEquals(n - 1, calls.get(), "operator calls: longs walked alone are one serial pass");
        assertArrayEquals(rawBits(blockScan(doubles, ParallelScan.grain(n), Double::sum)), rawBits(doubleSums));
        long blocks = (n + MIN - 1) / MIN;
        long firstBlock = MIN - 1;                       // block 0: once per element after the first
        long otherBlocks = 2L * (n - MIN) - (blocks - 1); // local and carry ⊕ local, the first only the latter
        assertEquals(firstBlock + otherBlocks, doubleCalls.get(), "operator calls: a half was scanned twice");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void scan_manyAtOnceInsideAParallelLoop_scansEach(SchedulerKind kind) {
        Scheduler scheduler = kind.make(hygiene);
        int arrays = 16;
        long[][] data = new long[arrays][];
        for (int k = 0; k < arrays; k++) {
            data[k] = new Random(k).longs(30_000 + 7_919 * k).toArray();
        }
        long[][] expected = new long[arrays][];
        for (int k = 0; k < arrays; k++) {
            expected[k] = serialScan(data[k], AFFINE_THEN);
        }

        Parallel.forRange(scheduler, 0, arrays, 1, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                Parallel.scan(scheduler, data[k], AFFINE_THEN);
            }
        });

        for (int k = 0; k < arrays; k++) {
            assertArrayEquals(expected[k], data[k], "array " + k);
        }
    }

    // ------------------------------------------------------------------ ranges and destinations

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void scanRange_inPlace_touchesOnlyTheRange(SchedulerKind kind) {
        Scheduler scheduler = kind.make(hygiene);
        Random random = new Random(6);
        for (int n : new int[] {0, 1, 5_000, 3 * MIN + 1, 300_001}) {
            int from = random.nextInt(1000);
            long[] x = random.longs(from + n + 500).toArray();
            long[] expected = x.clone();
            long[] rangeScan = serialScan(Arrays.copyOfRange(x, from, from + n), AFFINE_THEN);
            System.arraycopy(rangeScan, 0, expected, from, n);

            Parallel.scan(scheduler, x, from, from + n, AFFINE_THEN);

            assertArrayEquals(expected, x, "n = " + n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void scanInto_anotherArrayOrADisjointRange_leavesTheSourceAndTheRestAlone(SchedulerKind kind) {
        Scheduler scheduler = kind.make(hygiene);
        Random random = new Random(7);
        int n = 100_003;
        int[] source = random.ints(n + 40).toArray();
        int[] sourceBefore = source.clone();
        int[] destination = random.ints(n + 90).toArray();
        int[] expected = destination.clone();
        System.arraycopy(serialScan(Arrays.copyOfRange(source, 20, 20 + n), Integer::sum), 0, expected, 77, n);

        Parallel.scan(scheduler, source, 20, 20 + n, destination, 77, Integer::sum);

        assertArrayEquals(sourceBefore, source, "the source was written");
        assertArrayEquals(expected, destination);

        double[] both = orderSensitive(2 * n, random);
        double[] expectedBoth = both.clone();
        double[] firstHalf = Arrays.copyOfRange(both, 0, n);
        System.arraycopy(blockScan(firstHalf, ParallelScan.grain(n), Double::sum), 0, expectedBoth, n, n);
        Parallel.scan(scheduler, both, 0, n, both, n, Double::sum);
        assertArrayEquals(rawBits(expectedBoth), rawBits(both), "second half of the same array");
    }

    // ------------------------------------------------------------------ failures and arguments

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void scan_operatorThrows_rethrowsTheSameInstance_andNoCallAfterwards(SchedulerKind kind)
            throws InterruptedException {
        Scheduler scheduler = kind.make(hygiene);
        ArithmeticException boom = new ArithmeticException("overflow");
        AtomicLong calls = new AtomicLong();
        long[] x = new long[2_000_000];
        Arrays.fill(x, 1);
        x[1_500_000] = Long.MAX_VALUE;                    // in a block the other worker may hold

        ArithmeticException thrown = assertThrows(ArithmeticException.class,
                () -> Parallel.scan(scheduler, x, (a, b) -> {
                    calls.incrementAndGet();
                    if (b == Long.MAX_VALUE) {
                        throw boom;
                    }
                    return a + b;
                }));
        AfterReturn.assertNoMoreCalls(calls::get, "operator calls after scan had thrown");
        assertSame(boom, thrown);
    }

    @Test
    void arguments_badRangesOverlapsAndNulls_throwNamingTheArgument() {
        Scheduler scheduler = hygiene.newScheduler(2);
        double[] doubles = new double[100];

        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
                () -> Parallel.scan(scheduler, doubles, 60, 50, Double::sum));
        assertTrue(reversed.getMessage().contains("fromIndex=60"), reversed.getMessage());
        ArrayIndexOutOfBoundsException beyond = assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> Parallel.scan(scheduler, new long[10], 0, 11, Long::sum));
        assertTrue(beyond.getMessage().contains("11"), beyond.getMessage());
        ArrayIndexOutOfBoundsException destinationTooShort = assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> Parallel.scan(scheduler, new int[10], 0, 10, new int[12], 3, Integer::sum));
        assertTrue(destinationTooShort.getMessage().contains("destinationFrom=3"), destinationTooShort.getMessage());
        assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> Parallel.scan(scheduler, new int[10], 0, 10, new int[12], -1, Integer::sum));
        IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class,
                () -> Parallel.scan(scheduler, doubles, 0, 50, doubles, 10, Double::sum));
        assertTrue(overlap.getMessage().contains("overlaps"), overlap.getMessage());

        assertEquals("op", assertThrows(NullPointerException.class,
                () -> Parallel.scan(new long[3], (LongBinaryOperator) null)).getMessage());
        assertEquals("array", assertThrows(NullPointerException.class,
                () -> Parallel.scan((int[]) null, Integer::sum)).getMessage());
        assertEquals("destination", assertThrows(NullPointerException.class,
                () -> Parallel.scan(new double[3], 0, 3, null, 0, Double::sum)).getMessage());
        assertEquals("scheduler", assertThrows(NullPointerException.class,
                () -> Parallel.scan(null, new double[3], Double::sum)).getMessage());
    }

    @Test
    void globalOverloads_scanOnTheGlobalScheduler() {
        long[] longs = new Random(8).longs(70_000).toArray();
        long[] expectedLongs = serialScan(longs, Long::sum);
        int[] ints = new Random(9).ints(70_000).toArray();
        int[] expectedInts = ints.clone();
        System.arraycopy(serialScan(Arrays.copyOfRange(ints, 10, 60_000), Integer::sum), 0, expectedInts, 10, 59_990);
        double[] doubles = orderSensitive(70_000, new Random(10));
        double[] into = new double[70_000];

        Parallel.scan(longs, Long::sum);
        Parallel.scan(ints, 10, 60_000, Integer::sum);
        Parallel.scan(doubles, 0, doubles.length, into, 0, Double::sum);

        assertArrayEquals(expectedLongs, longs);
        assertArrayEquals(expectedInts, ints);
        assertArrayEquals(rawBits(blockScan(doubles, ParallelScan.grain(70_000), Double::sum)), rawBits(into));
    }
}
