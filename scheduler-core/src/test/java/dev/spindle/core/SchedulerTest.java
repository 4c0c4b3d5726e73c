package dev.spindle.core;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BodyFailures;
import dev.spindle.core.testing.ForEachParallelism;
import dev.spindle.core.testing.ForkedFibonacci;
import dev.spindle.core.testing.Occupation;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.TaskFailure;
import dev.spindle.core.testing.Thrown;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What only {@link Scheduler} does beyond the {@code ExecutorService} contract
 * ({@link SchedulerContractTest}): {@code invoke} and {@code fork}, its counters after the work,
 * the global scheduler, and the builder's checks. Parallelism 1, 2 and 4.
 */
class SchedulerTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static SchedulerStats awaitQuiescence(Scheduler scheduler, long expectedExecuted)
            throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(5);
        SchedulerStats stats = scheduler.stats();
        while ((stats.activeWorkers() != 0 || stats.queuedSubmissions() != 0
                || stats.tasksExecuted() < expectedExecuted)
                && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
            stats = scheduler.stats();
        }
        return stats;
    }

    // ================================================================== invoke and fork

    @ForEachParallelism
    void invoke_rethrowsRuntimeExceptionsAndErrorsAsTheSameInstance_andWrapsCheckedOnes(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        BodyFailures.assertRethrownAsThrown(scheduler::invoke);
        assertEquals(7, scheduler.invoke(() -> 7));
    }

    @ForEachParallelism
    void join_insideAWorker_rethrowsTheForkedTasksExceptionAsTheSameInstance(int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        TaskFailure failure = new TaskFailure("planned");
        Task<Throwable> parent = scheduler.submit(() -> {
            Task<Object> child = scheduler.fork(() -> {
                throw failure;
            });
            return Thrown.by(child::join);
        });
        assertSame(failure, parent.get(10, SECONDS));
    }

    @ForEachParallelism
    void forkAndInvokeFromOutside_afterShutdownOrShutdownNow_areRejected_andNothingIsQueued(int parallelism) {
        for (boolean now : new boolean[] {false, true}) {
            Scheduler scheduler = hygiene.newScheduler(parallelism);
            if (now) {
                scheduler.shutdownNow();
            } else {
                scheduler.shutdown();
            }
            AtomicInteger runs = new AtomicInteger();
            Callable<Integer> callable = runs::incrementAndGet;
            List<Callable<Integer>> callables = List.of(callable, callable);
            long submittedBefore = scheduler.stats().outsideSubmissions();

            assertThrows(RejectedExecutionException.class, () -> scheduler.fork(callable));
            assertThrows(RejectedExecutionException.class, () -> scheduler.invoke(callable));
            assertThrows(RejectedExecutionException.class, () -> scheduler.submit(callable));
            assertThrows(RejectedExecutionException.class, () -> scheduler.execute(() -> runs.incrementAndGet()));
            assertThrows(RejectedExecutionException.class, () -> scheduler.invokeAll(callables));
            assertThrows(RejectedExecutionException.class, () -> scheduler.submit(runs::incrementAndGet, 1));
            assertThrows(RejectedExecutionException.class, () -> scheduler.invokeAny(callables));
            assertThrows(RejectedExecutionException.class, () -> scheduler.invokeAll(callables, 10, SECONDS));
            assertThrows(RejectedExecutionException.class, () -> scheduler.invokeAny(callables, 10, SECONDS));

            assertEquals(submittedBefore, scheduler.stats().outsideSubmissions(), "a rejected task was queued");
            assertEquals(0, runs.get(), "a rejected task ran");
        }
    }

    @ForEachParallelism
    void shutdownNow_returnsTasksForkedFromOutside_cancelled(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Occupation occupation = Occupation.ofEverySlot(scheduler, parallelism);
        AtomicInteger runs = new AtomicInteger();
        List<Task<Integer>> forked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            forked.add(scheduler.fork(runs::incrementAndGet));
        }

        List<Runnable> returned = scheduler.shutdownNow();
        occupation.release();
        assertTrue(scheduler.awaitTermination(10, SECONDS));

        assertEquals(10, returned.size(), "shutdownNow must return every forked task that never ran");
        for (Task<Integer> task : forked) {
            assertTrue(task.isCancelled(), "a returned task is cancelled so nobody waits on it");
        }
        for (Runnable runnable : returned) {
            runnable.run();
        }
        assertEquals(10, runs.get(), "the returned work is the forked work");
    }

    @ForEachParallelism
    void nullTask_isRejectedWithNullPointerException_andNothingIsQueued(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Callable<Integer> ok = () -> 1;
        List<Callable<Integer>> withNull = Arrays.asList(ok, null);

        assertThrows(NullPointerException.class, () -> scheduler.fork((Callable<Integer>) null));
        assertThrows(NullPointerException.class, () -> scheduler.fork((ForkableTask<Integer>) null));
        assertThrows(NullPointerException.class, () -> scheduler.invoke(null));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAll(withNull));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAll(withNull, 1, SECONDS));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAny(withNull));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAny(withNull, 1, SECONDS));

        assertEquals(0, scheduler.stats().outsideSubmissions(), "part of a rejected batch was queued");
    }

    // ================================================================== the global scheduler and the builder

    @Test
    void global_ignoresShutdownShutdownNowAndClose() throws Exception {
        Scheduler global = Scheduler.global();
        assertSame(global, Scheduler.global());

        global.shutdown();
        assertTrue(global.shutdownNow().isEmpty());
        global.close();

        assertFalse(global.isShutdown());
        assertFalse(global.isTerminated());
        assertFalse(global.awaitTermination(10, MILLISECONDS));
        assertEquals(3, global.submit(() -> 3).get(10, SECONDS));
        assertEquals(4, global.invoke(() -> 4));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {0, -1})
    void builderParallelismBelowOne_isIllegalArgument_namingTheValue(int bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scheduler.builder().parallelism(bad).build());
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*(?<![\\d-])" + Pattern.quote(Integer.toString(bad)) + "(?!\\d).*"),
                () -> "message should give the value " + bad + ": " + e.getMessage());
    }

    // ================================================================== quiescence (stats)

    @ForEachParallelism
    void afterTheWork_noWorkerIsActive_andNoSubmissionIsQueued(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        int tasks = 1_000;
        List<Task<Integer>> submitted = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            int n = i;
            submitted.add(scheduler.submit(() -> n));
        }
        for (int i = 0; i < tasks; i++) {
            assertEquals(i, submitted.get(i).get(10, SECONDS));
        }

        SchedulerStats stats = awaitQuiescence(scheduler, tasks);
        assertEquals(0, stats.activeWorkers(), () -> "workers still active: " + scheduler.stats());
        assertEquals(0, stats.queuedSubmissions(), () -> "submissions still queued: " + scheduler.stats());
        assertEquals(tasks, stats.tasksExecuted(), stats::toString);
        assertEquals(tasks, stats.outsideSubmissions(), stats::toString);
        assertTrue(stats.peakActiveWorkers() <= parallelism, stats::toString);
    }

    @ForEachParallelism
    void afterForkJoinWork_noWorkerIsActive_andAtMostParallelismWereAtOnce(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        assertEquals(6765L, scheduler.submit(() -> ForkedFibonacci.of(scheduler, 20)).get(30, SECONDS));

        SchedulerStats stats = awaitQuiescence(scheduler, 0);
        assertEquals(0, stats.activeWorkers(), () -> "workers still active: " + scheduler.stats());
        assertEquals(0, stats.queuedSubmissions(), stats::toString);
        assertTrue(stats.peakActiveWorkers() <= parallelism, stats::toString);
        assertTrue(stats.tasksExecuted() >= 10_945, () -> "fib(20) forks 10,945 tasks: " + stats);
    }

    @ForEachParallelism
    void stats_doNotCountTasksCancelledBeforeTheyStarted(int parallelism) throws Exception {
        // SchedulerStats.tasksExecuted(): "a task cancelled before it started is not counted".
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Occupation occupation = Occupation.ofEverySlot(scheduler, parallelism);
        for (int i = 0; i < 10; i++) {
            assertTrue(scheduler.submit(() -> 0).cancel(false));
        }
        occupation.release();
        scheduler.shutdown();
        assertTrue(scheduler.awaitTermination(10, SECONDS));

        assertEquals(parallelism, scheduler.stats().tasksExecuted(),
                () -> "only the " + parallelism + " occupying tasks ran: " + scheduler.stats());
    }
}
