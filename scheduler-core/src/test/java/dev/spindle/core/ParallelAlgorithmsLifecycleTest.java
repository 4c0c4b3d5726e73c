package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.AfterReturn;
import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.ThreadStacks;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The new algorithms of {@link Parallel} against the lifecycle: {@code shutdownNow()} in the middle
 * of a call releases the caller (the call completes, or throws {@link CancellationException} when it
 * meets a drained part) and no body runs after it returned; a caller whose interrupt flag is set gets its result and keeps the
 * flag, as with {@link Task#join()}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelAlgorithmsLifecycleTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /** An algorithm call whose every body call goes through {@code step}. */
    enum Call {
        SORT(ParallelAlgorithmsLifecycleTest::sort),
        SCAN(ParallelAlgorithmsLifecycleTest::scan),
        FOR_EACH(ParallelAlgorithmsLifecycleTest::forEach),
        REDUCE_DOUBLE(ParallelAlgorithmsLifecycleTest::reduceDouble),
        FOR_LONG_RANGE(ParallelAlgorithmsLifecycleTest::forLongRange);

        private final Runner runner;

        Call(Runner runner) {
            this.runner = runner;
        }

        void run(Scheduler scheduler, Runnable step) {
            runner.run(scheduler, step);
        }
    }

    @FunctionalInterface
    interface Runner {
        void run(Scheduler scheduler, Runnable step);
    }

    private static void sort(Scheduler scheduler, Runnable step) {
        Integer[] values = new Random(1).ints(200_000).boxed().toArray(Integer[]::new);
        Parallel.sort(scheduler, values, (a, b) -> {
            step.run();
            return Integer.compare(a, b);
        });
    }

    private static void scan(Scheduler scheduler, Runnable step) {
        long[] values = new long[2_000_000];
        Parallel.scan(scheduler, values, (a, b) -> {
            step.run();
            return a + b;
        });
    }

    private static void forEach(Scheduler scheduler, Runnable step) {
        List<Integer> items = new LinkedList<>();
        for (int i = 0; i < 200_000; i++) {
            items.add(i);
        }
        Consumer<Integer> action = i -> step.run();
        Parallel.forEach(scheduler, items, action);
    }

    private static void reduceDouble(Scheduler scheduler, Runnable step) {
        Parallel.reduceDouble(scheduler, 0, 200_000, 1, 0.0, (lo, hi) -> {
            step.run();
            return lo;
        }, Double::sum);
    }

    private static void forLongRange(Scheduler scheduler, Runnable step) {
        Parallel.forLongRange(scheduler, 1L << 40, (1L << 40) + 200_000, i -> step.run());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Call.class)
    void shutdownNowDuringTheCall_releasesTheCaller_andNoBodyRunsAfterwards(Call call) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        CountDownLatch running = new CountDownLatch(1000);
        AtomicLong steps = new AtomicLong();
        // The first 100,000 body calls are slowed (about half a second of work), so shutdownNow
        // lands while parts are queued. Running parts are not preempted (docs/design/lifecycle.md):
        // the call goes on until it meets a drained part, so the slow phase is bounded.
        Runnable step = () -> {
            if (steps.incrementAndGet() < 100_000) {
                running.countDown();
                BoundedWait.busyFor(5);
            }
        };
        Throwable[] outcome = new Throwable[1];
        Thread caller = new Thread(() -> {
            try {
                call.run(scheduler, step);
            } catch (Throwable thrown) {
                outcome[0] = thrown;
            }
        }, "lifecycle-caller");
        caller.setDaemon(true);
        caller.start();
        assertTrue(running.await(10, TimeUnit.SECONDS), "the call never got going");

        scheduler.shutdownNow();
        caller.join(TimeUnit.SECONDS.toMillis(10));
        if (caller.isAlive()) {
            fail("the caller was not released after shutdownNow; threads:\n"
                    + ThreadStacks.of("lifecycle-caller|" + scheduler.name()));
        }
        AfterReturn.assertNoMoreCalls(steps::get, "body calls after the call had returned");
        assertTrue(outcome[0] == null || outcome[0] instanceof CancellationException,
                () -> "expected completion or CancellationException, got " + outcome[0]);
        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS), "the scheduler did not terminate");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Call.class)
    void callerWithTheInterruptFlagSet_getsItsResult_andKeepsTheFlag(Call call) {
        Scheduler scheduler = hygiene.newScheduler(2);
        AtomicLong steps = new AtomicLong();
        Thread.currentThread().interrupt();
        boolean keptFlag;
        try {
            call.run(scheduler, steps::incrementAndGet);
        } finally {
            keptFlag = Thread.interrupted();             // clears it for the hygiene check
        }
        assertTrue(keptFlag, "the interrupt flag was cleared");
        assertTrue(steps.get() > 0, "the call did not run");
    }

    @Test
    void interruptedCaller_sortsAndScansCorrectly() {
        Scheduler scheduler = hygiene.newScheduler(2);
        long[] values = new Random(2).longs(300_000).toArray();
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        long[] scanned = values.clone();
        for (int i = 1; i < scanned.length; i++) {
            scanned[i] += scanned[i - 1];
        }
        long[] a = values.clone();
        long[] b = values.clone();
        Thread.currentThread().interrupt();
        try {
            Parallel.sort(scheduler, a);
            Parallel.scan(scheduler, b, Long::sum);
        } finally {
            assertTrue(Thread.interrupted());
        }
        assertArrayEquals(sorted, a);
        assertArrayEquals(scanned, b);
    }
}
