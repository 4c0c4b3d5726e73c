package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.Thrown;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * R14 of docs/reliability.md: a body that throws a checked exception it does not declare (Kotlin,
 * Lombok's {@code @SneakyThrows}) fails the call like any other exception. The call rethrows it
 * (wrapped in {@link CompletionException}, as {@link Task#join()} does) only after every part it
 * forked has stopped, so no body call starts after the call returned.
 *
 * <p>Each loop test makes the failing block wait until a block of the upper half has started on
 * the other worker, so the failure always meets a forked part that is running.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SneakyCheckedExceptionTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /** How long a call that returned is watched for body calls that should not start any more. */
    private static final long SETTLE_MILLIS = 300;

    private final IOException checked = new IOException("undeclared checked exception");
    private final AtomicInteger bodyStarts = new AtomicInteger();
    private final AtomicBoolean upperHalfStarted = new AtomicBoolean();

    private Scheduler twoWorkers() {
        return hygiene.newScheduler(2);
    }

    /** Throws {@code failure} without declaring it, as Kotlin or {@code @SneakyThrows} code does. */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneakyThrow(Throwable failure) throws E {
        throw (E) failure;
    }

    /** One body call at index {@code lo} of {@code [0, n)}: index 0 fails once the upper half runs. */
    private void body(int lo, int n) {
        bodyStarts.incrementAndGet();
        if (lo >= n / 2) {
            upperHalfStarted.set(true);
        }
        if (lo == 0) {
            BoundedWait.until(upperHalfStarted::get, 10_000);
            throw sneakyThrow(checked);
        }
        BoundedWait.busyFor(100);
    }

    /**
     * Runs the call, which must throw a {@link CompletionException} whose cause is the very
     * exception the body threw, and then checks that no body call starts in the next moments.
     */
    private void assertRethrowsAndStopsEverything(Executable call, boolean needsUpperHalf)
            throws InterruptedException {
        CompletionException thrown = assertThrows(CompletionException.class, call);
        int startsAtReturn = bodyStarts.get();
        Thread.sleep(SETTLE_MILLIS);
        int startsLater = bodyStarts.get();

        assertSame(checked, thrown.getCause(), "the body's own exception is the cause");
        if (needsUpperHalf) {
            assertTrue(upperHalfStarted.get(), "the scenario needs the upper half running on the other worker");
        }
        assertEquals(startsAtReturn, startsLater, "body calls started after the call had thrown and returned");
    }

    @Test
    void forRange_blocks_rethrowsAndNoBodyStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = twoWorkers();
        int n = 4000;
        assertRethrowsAndStopsEverything(
                () -> Parallel.forRange(scheduler, 0, n, 1, (lo, hi) -> body(lo, n)), true);
    }

    @Test
    void forRange_indices_rethrowsAndNoBodyStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = twoWorkers();
        int n = 4000;
        assertRethrowsAndStopsEverything(
                () -> Parallel.forRange(scheduler, 0, n, i -> body(i, n)), true);
    }

    @Test
    void reduce_rethrowsAndNoBodyStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = twoWorkers();
        int n = 4000;
        assertRethrowsAndStopsEverything(() -> Parallel.reduce(scheduler, 0, n, 1, 0L, (lo, hi) -> {
            body(lo, n);
            return (long) lo;
        }, Long::sum), true);
    }

    @Test
    void forTiles_rethrowsAndNoBodyStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = twoWorkers();
        int rows = 64;
        // Tiles run in row-major order; the upper half of the tiles is the lower half of the rows.
        assertRethrowsAndStopsEverything(() -> Parallel.forTiles(scheduler, 0, rows, 0, 64, 1, 1,
                (r0, r1, c0, c1) -> body(r0 == 0 && c0 == 0 ? 0 : Math.max(1, r0), rows)), true);
    }

    @Test
    void forLongRange_rethrowsAndNoBodyStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = twoWorkers();
        int n = 4000;
        long base = 1L << 40;
        assertRethrowsAndStopsEverything(() -> Parallel.forLongRange(scheduler, base, base + n, 1,
                (lo, hi) -> body((int) (lo - base), n)), true);
    }

    @Test
    void reduceDouble_rethrowsAndNoBodyStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = twoWorkers();
        int n = 4000;
        assertRethrowsAndStopsEverything(() -> Parallel.reduceDouble(scheduler, 0, n, 1, 0.0, (lo, hi) -> {
            body(lo, n);
            return lo;
        }, Double::sum), true);
    }

    @Test
    void forEach_spliterator_rethrowsAndNoBodyStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = twoWorkers();
        int n = 4000;
        java.util.List<Integer> items = new java.util.LinkedList<>();
        for (int i = 0; i < n; i++) {
            items.add(i);
        }
        assertRethrowsAndStopsEverything(() -> Parallel.forEach(scheduler, items, i -> body(i, n)), true);
    }

    /**
     * For sort and scan, which have no index to tell the halves apart: the first thread to call
     * the comparator or operator fails at its 1000th call, once another thread has called it too.
     */
    private final java.util.concurrent.atomic.AtomicReference<Thread> firstCaller =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicInteger firstCallerCalls = new AtomicInteger();

    private void call() {
        bodyStarts.incrementAndGet();
        Thread me = Thread.currentThread();
        firstCaller.compareAndSet(null, me);
        if (firstCaller.get() != me) {
            upperHalfStarted.set(true);
        } else if (firstCallerCalls.incrementAndGet() == 1000) {
            BoundedWait.until(upperHalfStarted::get, 10_000);
            throw sneakyThrow(checked);
        }
    }

    @Test
    void sort_rethrowsAndNoComparisonStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = twoWorkers();
        Integer[] values = new java.util.Random(1).ints(200_000).boxed().toArray(Integer[]::new);
        assertRethrowsAndStopsEverything(() -> Parallel.sort(scheduler, values, (a, b) -> {
            call();
            return Integer.compare(a, b);
        }), true);
    }

    @Test
    void scan_rethrowsAndNoOperatorCallStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = twoWorkers();
        long[] values = new long[1_000_000];
        assertRethrowsAndStopsEverything(() -> Parallel.scan(scheduler, values, (a, b) -> {
            call();
            return a + b;
        }), true);
    }

    /**
     * The other worker is held busy, so the second half stays on the caller's deque: a first half
     * that throws must keep it from ever starting (before the fix it ran after join had returned).
     */
    @Test
    void join_firstThrows_secondNeverStartsAfterwards() throws InterruptedException {
        Scheduler scheduler = twoWorkers();
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch busy = new CountDownLatch(1);
        scheduler.submit(() -> {
            busy.countDown();
            BoundedWait.until(release::get, 20_000);
        });
        assertTrue(busy.await(10, TimeUnit.SECONDS), "the task holding the other worker never started");
        try {
            assertRethrowsAndStopsEverything(() -> Parallel.join(scheduler, () -> {
                throw sneakyThrow(checked);
            }, bodyStarts::incrementAndGet), false);
            release.set(true);
            Thread.sleep(SETTLE_MILLIS);                 // the freed worker must find nothing to start
            assertEquals(0, bodyStarts.get(), "the second half ran although the first had failed");
        } finally {
            release.set(true);
        }
    }

    /** The second half is running when the first throws: join waits for it before it rethrows. */
    @Test
    void join_firstThrowsWhileSecondRuns_waitsForSecond() throws InterruptedException {
        Scheduler scheduler = twoWorkers();
        CountDownLatch secondStarted = new CountDownLatch(1);
        AtomicBoolean secondFinished = new AtomicBoolean();
        CompletionException thrown = assertThrows(CompletionException.class, () -> Parallel.join(scheduler, () -> {
            BoundedWait.until(() -> secondStarted.getCount() == 0, 10_000);
            throw sneakyThrow(checked);
        }, () -> {
            secondStarted.countDown();
            BoundedWait.busyFor(200_000);
            secondFinished.set(true);
        }));

        assertSame(checked, thrown.getCause());
        assertEquals(0, secondStarted.getCount(), "the scenario needs the second half running");
        assertTrue(secondFinished.get(), "Parallel.join returned while its second half was still running");
    }

    /** On a worker (no scheduler hop to wrap it) the checked exception comes back wrapped the same way. */
    @Test
    void nestedOnAWorker_checkedExceptionIsWrappedTheSameWay() {
        Scheduler scheduler = hygiene.newScheduler(1);
        Throwable[] seen = new Throwable[9];
        scheduler.invoke(() -> {
            seen[0] = Thrown.by(() -> Parallel.forRange(scheduler, 0, 10, 1, (lo, hi) -> {
                throw sneakyThrow(checked);
            }));
            seen[1] = Thrown.by(() -> Parallel.forRange(scheduler, 0, 10, i -> {
                throw sneakyThrow(checked);
            }));
            seen[2] = Thrown.by(() -> Parallel.reduce(scheduler, 0, 10, 1, 0, (lo, hi) -> {
                throw sneakyThrow(checked);
            }, Integer::sum));
            seen[3] = Thrown.by(() -> Parallel.join(scheduler, () -> {
                throw sneakyThrow(checked);
            }, () -> { }));
            seen[4] = Thrown.by(() -> Parallel.sort(scheduler, new Integer[] {2, 1}, (a, b) -> {
                throw sneakyThrow(checked);
            }));
            seen[5] = Thrown.by(() -> Parallel.scan(scheduler, new double[] {1, 2}, (a, b) -> {
                throw sneakyThrow(checked);
            }));
            seen[6] = Thrown.by(() -> Parallel.forEach(scheduler, java.util.List.of(1), i -> {
                throw sneakyThrow(checked);
            }));
            seen[7] = Thrown.by(() -> Parallel.reduceInt(scheduler, 0, 10, 1, 0, (lo, hi) -> {
                throw sneakyThrow(checked);
            }, Integer::sum));
            seen[8] = Thrown.by(() -> Parallel.forLongRange(scheduler, 0, 10, i -> {
                throw sneakyThrow(checked);
            }));
            return null;
        });
        for (Throwable thrown : seen) {
            assertTrue(thrown instanceof CompletionException, () -> "expected CompletionException, got " + thrown);
            assertSame(checked, thrown.getCause());
        }
    }
}
