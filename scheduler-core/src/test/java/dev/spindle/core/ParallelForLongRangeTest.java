package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.spindle.core.testing.FirstBlockFailure;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.SchedulerKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Parallel#forLongRange}: every index once, blocks aligned at {@code from + k * grain},
 * ranges at both ends of {@code long} and past {@code Integer.MAX_VALUE}, grains up to
 * {@code Long.MAX_VALUE} (the block arithmetic must not overflow), arguments and failures.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelForLongRangeTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final long MIN = Long.MIN_VALUE;
    private static final long MAX = Long.MAX_VALUE;

    static Stream<Arguments> smallRanges() {
        Object[][] ranges = {
            {"empty", 5L, 5L, 3L},
            {"one element", 7L, 8L, 4L},
            {"not divisible by the grain", 0L, 1000L, 7L},
            {"across Integer.MAX_VALUE", Integer.MAX_VALUE - 500L, Integer.MAX_VALUE + 501L, 9L},
            {"at Long.MIN_VALUE", MIN, MIN + 1000, 7L},
            {"at Long.MAX_VALUE", MAX - 1000, MAX, 7L},
            {"up to Long.MAX_VALUE, grain Long.MAX_VALUE", MAX - 10, MAX, MAX},
            {"from Long.MIN_VALUE, grain Long.MAX_VALUE", MIN, MIN + 10, MAX},
            {"across zero", -517L, 482L, 10L},
        };
        List<Arguments> cases = new ArrayList<>();
        for (SchedulerKind kind : SchedulerKind.values()) {
            for (Object[] range : ranges) {
                cases.add(arguments(range[0], range[1], range[2], range[3], kind));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: [{1}, {2}) grain {3}, {4}")
    @MethodSource("smallRanges")
    void forLongRange_runsEveryIndexOnce_inAlignedBlocks(String shape, long from, long to, long grain,
                                                         SchedulerKind kind) {
        Scheduler scheduler = kind.make(hygiene);
        int n = (int) (to - from);
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        AtomicIntegerArray perIndex = new AtomicIntegerArray(n);
        List<long[]> blocks = Collections.synchronizedList(new ArrayList<>());

        Parallel.forLongRange(scheduler, from, to, grain, (lo, hi) -> {
            blocks.add(new long[] {lo, hi});
            for (long i = lo; i < hi; i++) {
                hits.incrementAndGet((int) (i - from));
            }
        });
        Parallel.forLongRange(scheduler, from, to, i -> perIndex.incrementAndGet((int) (i - from)));

        for (int k = 0; k < n; k++) {
            if (hits.get(k) != 1 || perIndex.get(k) != 1) {
                fail("index " + (from + k) + " ran " + hits.get(k) + " times in blocks, " + perIndex.get(k) + " per index");
            }
        }
        long expectedBlocks = n == 0 ? 0 : (n - 1) / grain + 1;
        assertEquals(expectedBlocks, blocks.size(), "number of body calls");
        for (long[] block : blocks) {
            assertEquals(0, Long.remainderUnsigned(block[0] - from, grain), "block not aligned at from + k*grain");
            assertEquals(Math.min(to, block[0] + Math.min(grain, to - block[0])), block[1], "only the last block may be short");
        }
    }

    @ParameterizedTest(name = "grain 2^{0} (63: Long.MAX_VALUE)")
    @ValueSource(ints = {40, 59, 62, 63})
    void forLongRange_theWidestRange_isCoveredExactly(int grainLog) {
        // [MIN / 2, MAX / 2): Long.MAX_VALUE indices, the most a range may hold. Small grains would
        // take forever, so the blocks (2^23 at most) are counted and their lengths added up.
        Scheduler scheduler = hygiene.newScheduler(2);
        long from = MIN / 2;
        long to = MAX / 2;
        long grain = grainLog == 63 ? MAX : 1L << grainLog;
        long n = to - from;
        assertEquals(MAX, n);
        long expectedBlocks = (n - 1) / grain + 1;
        LongAdder blocks = new LongAdder();
        LongAdder lengthHigh = new LongAdder();
        LongAdder lengthLow = new LongAdder();
        List<long[]> firstAndLast = Collections.synchronizedList(new ArrayList<>());

        Parallel.forLongRange(scheduler, from, to, grain, (lo, hi) -> {
            blocks.increment();
            long length = hi - lo;                           // at most grain: fits
            lengthHigh.add(length >>> 32);
            lengthLow.add(length & 0xffff_ffffL);
            if (lo == from || hi == to) {
                firstAndLast.add(new long[] {lo, hi});
            }
        });

        BigInteger total = BigInteger.valueOf(lengthHigh.sum()).shiftLeft(32).add(BigInteger.valueOf(lengthLow.sum()));
        assertEquals(expectedBlocks, blocks.sum());
        assertEquals(BigInteger.valueOf(n), total, "the blocks' lengths add up to the range");
        firstAndLast.sort(Comparator.comparingLong(block -> block[0]));
        assertEquals(from, firstAndLast.get(0)[0]);
        assertEquals(to, firstAndLast.get(firstAndLast.size() - 1)[1]);
    }

    @Test
    void forLongRange_nestedInAnIntLoop_runsEveryPairOnce() {
        Scheduler scheduler = hygiene.newScheduler(2);
        int outer = 50;
        long base = 5_000_000_000L;
        int inner = 3_000;
        AtomicIntegerArray hits = new AtomicIntegerArray(outer * inner);

        Parallel.forRange(scheduler, 0, outer, a ->
                Parallel.forLongRange(scheduler, base, base + inner, i -> hits.incrementAndGet(a * inner + (int) (i - base))));

        for (int k = 0; k < hits.length(); k++) {
            assertEquals(1, hits.get(k), "pair " + k);
        }
    }

    @Test
    void arguments_badRangesAndNulls_throwNamingTheValues() {
        Scheduler scheduler = hygiene.newScheduler(2);
        AtomicBoolean ran = new AtomicBoolean();

        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forLongRange(scheduler, 10_000_000_000L, -56L, 1, (lo, hi) -> ran.set(true)));
        assertTrue(reversed.getMessage().contains("10000000000") && reversed.getMessage().contains("-56"),
                reversed.getMessage());
        IllegalArgumentException grain = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forLongRange(scheduler, 0, 10, 0, (lo, hi) -> ran.set(true)));
        assertTrue(grain.getMessage().contains("grain"), grain.getMessage());
        IllegalArgumentException tooWide = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forLongRange(scheduler, MIN, MAX, i -> ran.set(true)));
        assertTrue(tooWide.getMessage().contains("Long.MAX_VALUE"), tooWide.getMessage());
        assertEquals("body", assertThrows(NullPointerException.class,
                () -> Parallel.forLongRange(0, 10, (java.util.function.LongConsumer) null)).getMessage());
        assertEquals("scheduler", assertThrows(NullPointerException.class,
                () -> Parallel.forLongRange(null, 0, 10, 1, (lo, hi) -> { })).getMessage());
        assertFalse(ran.get(), "no body may run for invalid arguments");
    }

    @Test
    void forLongRange_bodyThrows_rethrowsTheSameInstance_andNoBlockStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(2);
        long from = 1L << 40;
        int n = 4_000;
        FirstBlockFailure body = new FirstBlockFailure("block fails", n, 50);
        body.assertRethrown_andNothingStartsAfterwards(IllegalStateException.class,
                () -> Parallel.forLongRange(scheduler, from, from + n, 1, (lo, hi) -> body.visit(lo - from)), "blocks");
    }
}
