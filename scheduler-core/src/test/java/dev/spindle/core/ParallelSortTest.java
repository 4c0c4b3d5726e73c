package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.AfterReturn;
import dev.spindle.core.testing.Occupation;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.SchedulerKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Parallel#sort}: the result is {@link Arrays#sort}'s, element for element (bit for bit for
 * doubles, the same instances in the same order for objects: stable), on every size around the
 * leaf and merge boundaries, every input shape, every scheduler; ranges leave the rest of the
 * array alone; failures stop every part before the call returns.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelSortTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /** Sizes: tiny, around one leaf, two leaves, the merge grain, and random ones (seeded). */
    static final int[] SIZES = sizes();

    private static int[] sizes() {
        int leaf = ParallelSort.MIN_LEAF;
        int merge = ParallelSort.MERGE_GRAIN;
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, 2, 3, 17, 100,
                leaf - 1, leaf, leaf + 1, 2 * leaf - 1, 2 * leaf, 2 * leaf + 1,
                merge + 1, 2 * merge - 1, 2 * merge + 1, 4 * leaf + 3, 8 * leaf - 5, 65_537));
        Random random = new Random(20_240_101);
        for (int i = 0; i < 4; i++) {
            sizes.add(random.nextInt(200_000));
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The inputs that break sorts: random, all equal, sorted, reversed, few values, organ pipe, sawtooth. */
    enum Shape {
        RANDOM, ALL_EQUAL, SORTED, REVERSED, FEW_DISTINCT, ORGAN_PIPE, SAWTOOTH;

        long[] values(int n, Random random) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                switch (this) {
                    case RANDOM: v[i] = random.nextLong(); break;
                    case ALL_EQUAL: v[i] = 42; break;
                    case SORTED: v[i] = i * 3L - n; break;
                    case REVERSED: v[i] = (long) n - i; break;
                    case FEW_DISTINCT: v[i] = random.nextInt(4); break;
                    case ORGAN_PIPE: v[i] = Math.min(i, n - i); break;
                    default: v[i] = i % 1_000; break;
                }
            }
            return v;
        }
    }

    static Stream<Arguments> sizesOnEveryScheduler() {
        return SchedulerKind.eachWithSize(SIZES);
    }

    static Stream<Arguments> shapesOnEveryScheduler() {
        return SchedulerKind.eachWith(Shape.values());
    }

    // ------------------------------------------------------------------ primitives

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("sizesOnEveryScheduler")
    void sortPrimitives_randomInput_equalsArraysSort(SchedulerKind kind, int n) {
        Scheduler scheduler = kind.make(hygiene);
        long[] values = Shape.RANDOM.values(n, new Random(n));
        assertSortsLikeArraysSort(scheduler, values);
        assertSortsDoublesLikeArraysSort(scheduler, withSpecials(values, new Random(n + 1)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("shapesOnEveryScheduler")
    void sortPrimitives_everyShape_equalsArraysSort(SchedulerKind kind, Shape shape) {
        Scheduler scheduler = kind.make(hygiene);
        for (int n : new int[] {5 * ParallelSort.MIN_LEAF + 3, 100_003}) {
            long[] values = shape.values(n, new Random(n));
            assertSortsLikeArraysSort(scheduler, values);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void sortPrimitives_large_equalsArraysSort(SchedulerKind kind) {
        Scheduler scheduler = kind.make(hygiene);
        long[] values = Shape.RANDOM.values((1 << 20) + 7, new Random(7));
        assertSortsLikeArraysSort(scheduler, values);
        assertSortsDoublesLikeArraysSort(scheduler, withSpecials(values, new Random(8)));
    }

    private static void assertSortsLikeArraysSort(Scheduler scheduler, long[] values) {
        long[] longs = values.clone();
        long[] expectedLongs = values.clone();
        Arrays.sort(expectedLongs);
        Parallel.sort(scheduler, longs, 0, longs.length);
        assertArrayEquals(expectedLongs, longs, "long[]");

        int[] ints = new int[values.length];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = (int) (values[i] >> 7);
        }
        int[] expectedInts = ints.clone();
        Arrays.sort(expectedInts);
        Parallel.sort(scheduler, ints, 0, ints.length);
        assertArrayEquals(expectedInts, ints, "int[]");

        double[] doubles = new double[values.length];
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = values[i] / 1e3;
        }
        assertSortsDoublesLikeArraysSort(scheduler, doubles);
    }

    /** Bit for bit: -0.0 and 0.0, and NaNs with different payloads, end where Arrays.sort puts them. */
    private static void assertSortsDoublesLikeArraysSort(Scheduler scheduler, double[] values) {
        double[] doubles = values.clone();
        double[] expected = values.clone();
        Arrays.sort(expected);
        Parallel.sort(scheduler, doubles, 0, doubles.length);
        for (int i = 0; i < doubles.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(doubles[i])) {
                fail("double[] of " + doubles.length + " differs at " + i + ": expected " + expected[i]
                        + " (" + Long.toHexString(Double.doubleToRawLongBits(expected[i])) + "), was "
                        + doubles[i] + " (" + Long.toHexString(Double.doubleToRawLongBits(doubles[i])) + ")");
            }
        }
    }

    /** Doubles from {@code values} with NaNs of several payloads, ±0.0, ±infinity and subnormals mixed in. */
    private static double[] withSpecials(long[] values, Random random) {
        double[] specials = {Double.NaN, Double.longBitsToDouble(0x7ff0_0000_0000_0001L),
            Double.longBitsToDouble(0xfff8_0000_0000_0123L), -0.0, 0.0, -0.0, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};
        double[] doubles = new double[values.length];
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = random.nextInt(8) == 0 ? specials[random.nextInt(specials.length)] : values[i] / 1e6;
        }
        return doubles;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void sortDoubles_onlyNaNsAndZeros_equalsArraysSort(SchedulerKind kind) {
        Scheduler scheduler = kind.make(hygiene);
        Random random = new Random(3);
        double[] values = new double[3 * ParallelSort.MIN_LEAF + 11];
        for (int i = 0; i < values.length; i++) {
            int pick = random.nextInt(3);
            values[i] = pick == 0 ? -0.0 : pick == 1 ? 0.0 : Double.longBitsToDouble(0x7ff8_0000_0000_0000L + i);
        }
        assertSortsDoublesLikeArraysSort(scheduler, values);
        Arrays.fill(values, Double.NaN);
        assertSortsDoublesLikeArraysSort(scheduler, values);
        Arrays.fill(values, -0.0);
        assertSortsDoublesLikeArraysSort(scheduler, values);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void sortRange_sortsOnlyTheRange_andLeavesTheRestAlone(SchedulerKind kind) {
        Scheduler scheduler = kind.make(hygiene);
        Random random = new Random(11);
        for (int n : new int[] {0, 1, 1000, 3 * ParallelSort.MIN_LEAF + 1, 70_001}) {
            int from = random.nextInt(500);
            int to = from + n;
            long[] values = Shape.RANDOM.values(to + 300, random);

            long[] longs = values.clone();
            long[] expectedLongs = values.clone();
            Arrays.sort(expectedLongs, from, to);
            Parallel.sort(scheduler, longs, from, to);
            assertArrayEquals(expectedLongs, longs, "long[] range");

            int[] ints = Arrays.stream(values).mapToInt(v -> (int) v).toArray();
            int[] expectedInts = ints.clone();
            Arrays.sort(expectedInts, from, to);
            Parallel.sort(scheduler, ints, from, to);
            assertArrayEquals(expectedInts, ints, "int[] range");

            double[] doubles = withSpecials(values, random);
            double[] expectedDoubles = doubles.clone();
            Arrays.sort(expectedDoubles, from, to);
            Parallel.sort(scheduler, doubles, from, to);
            assertArrayEquals(rawBits(expectedDoubles), rawBits(doubles), "double[] range");

            Item[] items = items(values, random, 50);
            Item[] expectedItems = items.clone();
            Arrays.sort(expectedItems, from, to, Item.BY_KEY);
            Parallel.sort(scheduler, items, from, to, Item.BY_KEY);
            assertSameElements(expectedItems, items);
        }
    }

    private static long[] rawBits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    // ------------------------------------------------------------------ objects

    /** An element whose key collides with others': stability shows in which serial comes first. */
    static final class Item {
        static final Comparator<Item> BY_KEY = Comparator.comparingInt(item -> item.key);
        final int key;
        final int serial;

        Item(int key, int serial) {
            this.key = key;
            this.serial = serial;
        }

        @Override
        public String toString() {
            return key + "#" + serial;
        }
    }

    private static Item[] items(long[] values, Random random, int distinctKeys) {
        Item[] items = new Item[values.length];
        for (int i = 0; i < items.length; i++) {
            items[i] = new Item((int) Math.floorMod(values[i], (long) distinctKeys), i);
        }
        return items;
    }

    private static void assertSameElements(Object[] expected, Object[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                fail("differs at " + i + ": expected " + expected[i] + ", was " + actual[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("sizesOnEveryScheduler")
    void sortObjects_collidingKeys_isStableAndEqualsArraysSort(SchedulerKind kind, int n) {
        Scheduler scheduler = kind.make(hygiene);
        Random random = new Random(n);
        Item[] items = items(Shape.RANDOM.values(n, random), random, Math.max(1, n / 20));
        Item[] expected = items.clone();
        Arrays.sort(expected, Item.BY_KEY);                   // stable: ties in serial order

        Parallel.sort(scheduler, items, 0, items.length, Item.BY_KEY);

        assertSameElements(expected, items);
        for (int i = 1; i < items.length; i++) {
            assertTrue(items[i - 1].key < items[i].key
                    || items[i - 1].key == items[i].key && items[i - 1].serial < items[i].serial,
                    () -> "not sorted stably: " + Arrays.asList(items).subList(0, Math.min(items.length, 20)));
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("shapesOnEveryScheduler")
    void sortObjects_everyShape_isStable(SchedulerKind kind, Shape shape) {
        Scheduler scheduler = kind.make(hygiene);
        for (int n : new int[] {5 * ParallelSort.MIN_LEAF + 3, 100_003}) {
            Random random = new Random(n);
            Item[] items = items(shape.values(n, random), random, 1_000);
            Item[] expected = items.clone();
            Arrays.sort(expected, Item.BY_KEY);
            Parallel.sort(scheduler, items, Item.BY_KEY);
            assertSameElements(expected, items);

            Item[] reversedOrder = items.clone();
            Item[] expectedReversed = items.clone();
            Arrays.sort(expectedReversed, Item.BY_KEY.reversed());
            Parallel.sort(scheduler, reversedOrder, Item.BY_KEY.reversed());
            assertSameElements(expectedReversed, reversedOrder);
        }
    }

    @Test
    void sortObjects_nullElementsWithANullFriendlyComparator_areSorted() {
        Scheduler scheduler = hygiene.newScheduler(2);
        Random random = new Random(5);
        String[] strings = new String[3 * ParallelSort.MIN_LEAF];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = random.nextInt(10) == 0 ? null : Integer.toString(random.nextInt(5_000));
        }
        Comparator<String> order = Comparator.nullsFirst(Comparator.<String>naturalOrder());
        String[] expected = strings.clone();
        Arrays.sort(expected, order);

        Parallel.sort(scheduler, strings, order);

        assertSameElements(expected, strings);
    }

    // ------------------------------------------------------------------ nesting

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void sort_manyAtOnceInsideAParallelLoop_sortsEach(SchedulerKind kind) {
        Scheduler scheduler = kind.make(hygiene);
        int arrays = 12;
        long[][] data = new long[arrays][];
        Item[][] items = new Item[arrays][];
        for (int k = 0; k < arrays; k++) {
            Random random = new Random(k);
            data[k] = Shape.RANDOM.values(20_000 + 3_001 * k, random);
            items[k] = items(data[k], random, 100);
        }

        Parallel.forRange(scheduler, 0, arrays, 1, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                Parallel.sort(scheduler, data[k], 0, data[k].length);
                Parallel.sort(scheduler, items[k], 0, items[k].length, Item.BY_KEY);
            }
        });

        for (int k = 0; k < arrays; k++) {
            long[] expected = data[k].clone();
            Arrays.sort(expected);
            assertArrayEquals(expected, data[k]);
            Item[] expectedItems = items[k].clone();
            Arrays.sort(expectedItems, Item.BY_KEY);
            assertSameElements(expectedItems, items[k]);
        }
    }

    @Test
    void sort_whileItsWorkerHasWorkForThieves_smallRangeForksNothing_largeRangeStillSorts()
            throws InterruptedException {
        // What a saturated outer level looks like: the other worker busy, and this worker's deque
        // holding outer work nobody took. A range up to SERIAL_WHEN_BUSY is then one serial sort.
        Scheduler scheduler = hygiene.newScheduler(2);
        Occupation busy = Occupation.ofOneWorker(scheduler);
        Random random = new Random(13);
        long[] small = Shape.RANDOM.values(ParallelSort.SERIAL_WHEN_BUSY, random);
        Item[] smallItems = items(small, random, 100);
        long[] large = Shape.RANDOM.values(ParallelSort.SERIAL_WHEN_BUSY + 1, random);
        long[] expectedSmall = small.clone();
        long[] expectedLarge = large.clone();
        Item[] expectedItems = smallItems.clone();
        Arrays.sort(expectedSmall);
        Arrays.sort(expectedLarge);
        Arrays.sort(expectedItems, Item.BY_KEY);
        long smallTasks;
        try {
            smallTasks = scheduler.invoke(() -> {
                Task<Void> outerPiece = scheduler.fork(() -> null);   // stays on this deque
                long before = scheduler.stats().tasksExecuted();
                Parallel.sort(scheduler, small);
                Parallel.sort(scheduler, smallItems, Item.BY_KEY);
                long forked = scheduler.stats().tasksExecuted() - before;
                Parallel.sort(scheduler, large);
                outerPiece.join();
                return forked;
            });
        } finally {
            busy.release();
        }
        assertEquals(0, smallTasks, "a small sort forked although its worker had work for thieves");
        assertArrayEquals(expectedSmall, small);
        assertSameElements(expectedItems, smallItems);
        assertArrayEquals(expectedLarge, large);
    }

    @Test
    void sort_onTwoWorkers_usesBoth() {
        Scheduler scheduler = hygiene.newScheduler(2);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Item[] items = items(Shape.RANDOM.values(200_000, new Random(1)), new Random(2), 1_000);
        long deadline = System.nanoTime() + 10_000_000_000L;

        Parallel.sort(scheduler, items, (a, b) -> {
            threads.add(Thread.currentThread().getName());
            // Hold the comparisons until the other worker has joined in (bounded by one deadline).
            while (threads.size() < 2 && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            return Integer.compare(a.key, b.key);
        });

        assertEquals(2, threads.size(), () -> "threads seen: " + threads);
    }

    // ------------------------------------------------------------------ failures

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void sortObjects_comparatorThrows_rethrowsTheSameInstance_andNoComparisonAfterwards(SchedulerKind kind)
            throws InterruptedException {
        Scheduler scheduler = kind.make(hygiene);
        IllegalStateException boom = new IllegalStateException("comparator fails");
        AtomicLong calls = new AtomicLong();
        Item[] items = items(Shape.RANDOM.values(300_000, new Random(9)), new Random(10), 1_000);
        long failAt = 1_500_000;                           // mid-way: leaves done on some workers

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Parallel.sort(scheduler, items, (a, b) -> {
                    if (calls.incrementAndGet() == failAt) {
                        throw boom;
                    }
                    return Integer.compare(a.key, b.key);
                }));
        AfterReturn.assertNoMoreCalls(calls::get, "comparisons ran after sort had thrown");
        assertSame(boom, thrown);
    }

    @Test
    void sortObjects_comparatorViolatesItsContract_stillTerminatesWithEveryPositionWritten() {
        Scheduler scheduler = hygiene.newScheduler(2);
        Random random = new Random(4);
        Integer[] values = new Integer[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(1_000);
        }
        Random coin = new Random(6);
        try {
            Parallel.sort(scheduler, values, (a, b) -> coin.nextBoolean() ? -1 : 1);
        } catch (IllegalArgumentException contractViolation) {
            // allowed: "Comparison method violates its general contract" from a leaf
        }
        for (Integer value : values) {
            assertTrue(value != null, "a position was never written");
        }
    }

    @Test
    void arguments_badRangesAndNulls_throwNamingTheArgument() {
        Scheduler scheduler = hygiene.newScheduler(2);
        long[] longs = new long[10];

        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
                () -> Parallel.sort(scheduler, longs, 7, 3));
        assertTrue(reversed.getMessage().contains("fromIndex=7") && reversed.getMessage().contains("toIndex=3"),
                reversed.getMessage());
        ArrayIndexOutOfBoundsException negative = assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> Parallel.sort(scheduler, new int[10], -1, 3));
        assertTrue(negative.getMessage().contains("fromIndex") && negative.getMessage().contains("-1"),
                negative.getMessage());
        ArrayIndexOutOfBoundsException beyond = assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> Parallel.sort(scheduler, new double[10], 0, 11));
        assertTrue(beyond.getMessage().contains("toIndex") && beyond.getMessage().contains("11"),
                beyond.getMessage());
        assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> Parallel.sort(scheduler, new Item[10], 2, 12, Item.BY_KEY));

        assertEquals("array", assertThrows(NullPointerException.class,
                () -> Parallel.sort((double[]) null)).getMessage());
        assertEquals("array", assertThrows(NullPointerException.class,
                () -> Parallel.sort(scheduler, (long[]) null, 0, 0)).getMessage());
        assertEquals("scheduler", assertThrows(NullPointerException.class,
                () -> Parallel.sort(null, new int[1], 0, 1)).getMessage());
        assertEquals("order", assertThrows(NullPointerException.class,
                () -> Parallel.sort(new Item[1], null)).getMessage());
        assertFalse(longs.length != 10);
    }

    @Test
    void globalOverloads_sortWholeArraysAndRanges() {
        Random random = new Random(12);
        long[] values = Shape.RANDOM.values(50_000, random);
        long[] longs = values.clone();
        int[] ints = Arrays.stream(values).mapToInt(v -> (int) v).toArray();
        double[] doubles = withSpecials(values, random);
        Item[] items = items(values, random, 77);
        long[] expectedLongs = longs.clone();
        int[] expectedInts = ints.clone();
        double[] expectedDoubles = doubles.clone();
        Item[] expectedItems = items.clone();
        Arrays.sort(expectedLongs);
        Arrays.sort(expectedInts, 100, 40_000);
        Arrays.sort(expectedDoubles);
        Arrays.sort(expectedItems, 5, 49_000, Item.BY_KEY);

        Parallel.sort(longs);
        Parallel.sort(ints, 100, 40_000);
        Parallel.sort(doubles);
        Parallel.sort(items, 5, 49_000, Item.BY_KEY);

        assertArrayEquals(expectedLongs, longs);
        assertArrayEquals(expectedInts, ints);
        assertArrayEquals(rawBits(expectedDoubles), rawBits(doubles));
        assertSameElements(expectedItems, items);
    }
}
