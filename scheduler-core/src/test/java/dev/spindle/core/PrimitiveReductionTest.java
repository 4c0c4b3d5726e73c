package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.spindle.core.testing.FirstBlockFailure;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.SchedulerKind;
import java.util.ArrayList;
import java.util.List;
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
 * {@link Parallel#reduceDouble}, {@link Parallel#reduceLong}, {@link Parallel#reduceInt}: the same
 * tree and so the same bits as the boxed {@link Parallel#reduce}; for associative operators the
 * serial fold; every value carried through unchanged (NaN payloads, -0.0, int overflow).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PrimitiveReductionTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final int MIN = Integer.MIN_VALUE;
    private static final int MAX = Integer.MAX_VALUE;

    static Stream<Arguments> rangesOnEveryScheduler() {
        int[][] ranges = {
            {0, 1, 1}, {0, 1_000, 7}, {-517, 482, 10}, {10, 30, 1_000}, {0, 200_001, 64},
            {MIN, MIN + 100_000, 333}, {MAX - 100_000, MAX, 1_000}, {MIN, MIN + 10, MAX},
        };
        List<Arguments> cases = new ArrayList<>();
        for (SchedulerKind kind : SchedulerKind.values()) {
            for (int[] range : ranges) {
                cases.add(arguments(kind, range[0], range[1], range[2]));
            }
        }
        return cases.stream();
    }

    /** Order-sensitive for floating-point addition. */
    private static double value(long i) {
        return ((i & 1) == 0 ? 1.0 : -1.0) * (i % 5 == 0 ? 1e12 : 1.0) / ((i & 0xffff) + 1);
    }

    private static double blockSum(int lo, int hi) {
        double sum = 0;
        for (int i = lo; i < hi; i++) {
            sum += value(i);
        }
        return sum;
    }

    @ParameterizedTest(name = "{0}: [{1}, {2}) grain {3}")
    @MethodSource("rangesOnEveryScheduler")
    void reduceDouble_givesTheBoxedReducesBits(SchedulerKind kind, int from, int to, int grain) {
        Scheduler scheduler = kind.make(hygiene);

        double boxed = Parallel.reduce(scheduler, from, to, grain, 0.0,
                PrimitiveReductionTest::blockSum, Double::sum);
        double primitive = Parallel.reduceDouble(scheduler, from, to, grain, 0.0,
                PrimitiveReductionTest::blockSum, Double::sum);

        assertEquals(Double.doubleToRawLongBits(boxed), Double.doubleToRawLongBits(primitive),
                () -> boxed + " != " + primitive);
    }

    @ParameterizedTest(name = "{0}: [{1}, {2}) grain {3}")
    @MethodSource("rangesOnEveryScheduler")
    void reduceLongAndInt_associative_equalTheSerialFold(SchedulerKind kind, int from, int to, int grain) {
        Scheduler scheduler = kind.make(hygiene);
        long serialLong = 0;
        int serialInt = 0;
        int serialMax = MIN;
        for (long i = from; i < to; i++) {
            serialLong += i * i;                          // overflows: wraps as the serial fold does
            serialInt += (int) (i * 31);
            serialMax = Math.max(serialMax, (int) (i ^ 0x5555));
        }

        long sum = Parallel.reduceLong(scheduler, from, to, grain, 0L, (lo, hi) -> {
            long s = 0;
            for (long i = lo; i < hi; i++) {
                s += i * i;
            }
            return s;
        }, Long::sum);
        int intSum = Parallel.reduceInt(scheduler, from, to, grain, 0, (lo, hi) -> {
            int s = 0;
            for (long i = lo; i < hi; i++) {
                s += (int) (i * 31);
            }
            return s;
        }, Integer::sum);
        int max = Parallel.reduceInt(scheduler, from, to, grain, MIN, (lo, hi) -> {
            int m = MIN;
            for (long i = lo; i < hi; i++) {
                m = Math.max(m, (int) (i ^ 0x5555));
            }
            return m;
        }, Math::max);

        assertEquals(serialLong, sum);
        assertEquals(serialInt, intSum);
        assertEquals(serialMax, max);
    }

    @Test
    void reduceDouble_floatingPointSum_isBitIdenticalAcrossRunsAndParallelism() {
        int from = 0;
        int to = 300_000;
        int grain = 100;
        double first = Double.NaN;
        double serial = blockSum(from, to);
        for (SchedulerKind kind : SchedulerKind.values()) {
            Scheduler scheduler = kind.make(hygiene);
            for (int run = 0; run < 5; run++) {
                double result = Parallel.reduceDouble(scheduler, from, to, grain, 0.0,
                        PrimitiveReductionTest::blockSum, Double::sum);
                if (Double.isNaN(first)) {
                    first = result;
                    assertNotEquals(Double.doubleToRawLongBits(serial), Double.doubleToRawLongBits(first),
                            "test data is not order-sensitive");
                }
                assertEquals(Double.doubleToRawLongBits(first), Double.doubleToRawLongBits(result),
                        kind + ", run " + run);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void reduce_nonCommutativeCombine_combinesLeftToRight(SchedulerKind kind) {
        // Each block's result is its first index; "keep the left one" must give the range's start,
        // and "keep the right one" the last block's start, for every type.
        Scheduler scheduler = kind.make(hygiene);
        int from = -1_003;
        int to = 77_777;
        int grain = 13;
        int lastBlock = from + ((to - from - 1) / grain) * grain;
        LongBinaryOperator leftLong = (a, b) -> a;
        IntBinaryOperator rightInt = (a, b) -> b;
        DoubleBinaryOperator leftDouble = (a, b) -> a;

        assertEquals(from, Parallel.reduceLong(scheduler, from, to, grain, 0L, (lo, hi) -> lo, leftLong));
        assertEquals(lastBlock, Parallel.reduceInt(scheduler, from, to, grain, 0, (lo, hi) -> lo, rightInt));
        assertEquals(from, Parallel.reduceDouble(scheduler, from, to, grain, 0.0, (lo, hi) -> lo, leftDouble));
    }

    @Test
    void reduceDouble_carriesEveryValueUnchanged_nanPayloadsAndNegativeZero() {
        Scheduler scheduler = hygiene.newScheduler(2);
        double payloadNaN = Double.longBitsToDouble(0x7ff8_0000_0000_0abcL);
        double[] special = {payloadNaN, -0.0, Double.MIN_VALUE, Double.NEGATIVE_INFINITY};
        for (double value : special) {
            // combine keeps the left value, so the result is the first block's map, untouched.
            double result = Parallel.reduceDouble(scheduler, 0, 10_000, 1, 1.0, (lo, hi) -> lo == 0 ? value : 7.0,
                    (a, b) -> a);
            assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits(result), () -> "for " + value);
        }
        int negative = Parallel.reduceInt(scheduler, 0, 1_000, 1, 0, (lo, hi) -> -lo - 1, Math::min);
        assertEquals(-1_000, negative, "an int travels sign-extended");
    }

    @Test
    void emptyRange_returnsTheIdentity_withoutCallingMapOrCombine() {
        Scheduler scheduler = hygiene.newScheduler(2);
        double payloadNaN = Double.longBitsToDouble(0x7ff8_0000_0000_0123L);
        assertEquals(Double.doubleToRawLongBits(payloadNaN), Double.doubleToRawLongBits(
                Parallel.reduceDouble(scheduler, 5, 5, 1, payloadNaN, (lo, hi) -> fail("map"), (a, b) -> fail("combine"))));
        assertEquals(-9L, Parallel.reduceLong(scheduler, 5, 5, 1, -9L, (lo, hi) -> fail("map"), (a, b) -> fail("combine")));
        assertEquals(42, Parallel.reduceInt(5, 5, 42, (lo, hi) -> fail("map"), (a, b) -> fail("combine")));
    }

    @Test
    void globalOverloads_useTheAdaptiveGrain_andGiveTheBoxedBits() {
        int n = 123_457;
        Scheduler global = Scheduler.global();
        int grain = Parallel.adaptiveGrain(global, 0, n);
        double boxed = Parallel.reduce(global, 0, n, grain, 0.0, PrimitiveReductionTest::blockSum, Double::sum);
        double primitive = Parallel.reduceDouble(0, n, 0.0, PrimitiveReductionTest::blockSum, Double::sum);
        assertEquals(Double.doubleToRawLongBits(boxed), Double.doubleToRawLongBits(primitive));
        assertEquals((long) n * (n - 1) / 2, Parallel.reduceLong(0, n, 0L, (lo, hi) -> {
            long s = 0;
            for (int i = lo; i < hi; i++) {
                s += i;
            }
            return s;
        }, Long::sum));
    }

    // ------------------------------------------------------------------ failures and arguments

    @Test
    void mapOrCombineThrows_rethrowsTheSameInstance_andNoBlockStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(2);
        int n = 4_000;
        FirstBlockFailure map = new FirstBlockFailure("map fails", n, 100);
        map.assertRethrown_andNothingStartsAfterwards(IllegalStateException.class,
                () -> Parallel.reduceDouble(scheduler, 0, n, 1, 0.0, (lo, hi) -> {
                    map.visit(lo);
                    return lo;
                }, Double::sum), "blocks");

        ArithmeticException overflow = assertThrows(ArithmeticException.class,
                () -> Parallel.reduceLong(scheduler, 0, 10, 1, 0L, (lo, hi) -> Long.MAX_VALUE, Math::addExact));
        assertTrue(overflow.getMessage().contains("overflow"), overflow.getMessage());
    }

    @Test
    void arguments_badRangesAndNulls_throwNamingTheArgument() {
        Scheduler scheduler = hygiene.newScheduler(2);
        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
                () -> Parallel.reduceDouble(scheduler, 1234, -56, 1, 0.0, (lo, hi) -> 1.0, Double::sum));
        assertTrue(reversed.getMessage().contains("1234") && reversed.getMessage().contains("-56"), reversed.getMessage());
        IllegalArgumentException grain = assertThrows(IllegalArgumentException.class,
                () -> Parallel.reduceInt(scheduler, 0, 10, 0, 0, (lo, hi) -> 1, Integer::sum));
        assertTrue(grain.getMessage().contains("grain"), grain.getMessage());
        assertEquals("map", assertThrows(NullPointerException.class,
                () -> Parallel.reduceLong(scheduler, 0, 10, 1, 0L, null, Long::sum)).getMessage());
        assertEquals("combine", assertThrows(NullPointerException.class,
                () -> Parallel.reduceDouble(0, 10, 0.0, (lo, hi) -> 1.0, null)).getMessage());
        assertEquals("scheduler", assertThrows(NullPointerException.class,
                () -> Parallel.reduceInt(null, 0, 10, 1, 0, (lo, hi) -> 1, Integer::sum)).getMessage());
    }

    @Test
    void reduceDouble_onAWorker_allocatesNothingPerBlock() {
        // 10,000 blocks on one worker (nothing forks): the boxed reduce allocates a Double per
        // block (160 KB), the primitive one a few objects per call. The smallest of several runs
        // is taken, so a JIT compilation or a TLAB refill in one run does not count.
        Scheduler scheduler = hygiene.newScheduler(1);
        java.util.function.LongUnaryOperator allocatedBytes = allocatedBytesOfThread();
        int blocks = 10_000;
        long[] allocated = new long[2];
        scheduler.invoke(() -> {
            long thread = Thread.currentThread().getId();
            long primitiveLeast = Long.MAX_VALUE;
            long boxedLeast = Long.MAX_VALUE;
            for (int run = 0; run < 20; run++) {
                long before = allocatedBytes.applyAsLong(thread);
                Parallel.reduceDouble(scheduler, 0, blocks, 1, 0.0, (lo, hi) -> lo * 0.5, Double::sum);
                long between = allocatedBytes.applyAsLong(thread);
                Parallel.reduce(scheduler, 0, blocks, 1, 0.0, (lo, hi) -> lo * 0.5, Double::sum);
                long after = allocatedBytes.applyAsLong(thread);
                primitiveLeast = Math.min(primitiveLeast, between - before);
                boxedLeast = Math.min(boxedLeast, after - between);
            }
            allocated[0] = primitiveLeast;
            allocated[1] = boxedLeast;
            return null;
        });
        assertTrue(allocated[1] >= 8L * blocks, () -> "the check cannot tell: the boxed reduce allocated only "
                + allocated[1] + " bytes for " + blocks + " blocks");
        assertTrue(allocated[0] < 1_024, () -> "reduceDouble allocated " + allocated[0] + " bytes for " + blocks
                + " blocks (the boxed reduce: " + allocated[1] + ")");
    }

    /**
     * {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes(id)}, reached reflectively:
     * the test sources compile as part of module {@code dev.spindle.core}, which does not read
     * {@code java.management} (as in {@code IdlePoolTest}); the tests run on the class path.
     */
    private static java.util.function.LongUnaryOperator allocatedBytesOfThread() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            java.lang.reflect.Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getThreadAllocatedBytes", long.class);
            return id -> {
                try {
                    return (Long) allocated.invoke(bean, id);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError("getThreadAllocatedBytes failed", e);
                }
            };
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this JVM does not report allocated bytes per thread", e);
        }
    }
}
