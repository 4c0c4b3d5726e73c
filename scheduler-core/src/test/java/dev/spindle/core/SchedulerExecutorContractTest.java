package dev.spindle.core;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.CallerThread;
import dev.spindle.core.testing.SchedulerHygiene;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R1 of {@code reliability.md}: the JSR166 TCK behaviours every executor honours, held against
 * {@link Scheduler} at parallelism 1, 2 and 4 (4 oversubscribes this 2-core machine on purpose).
 *
 * <p>Families: state after completion, exceptions, interrupts, timeouts, lifecycle, quiescence,
 * arguments, invokeAll/invokeAny, execute's uncaught handler, and the global scheduler.
 */
class SchedulerExecutorContractTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final AtomicInteger NAMES = new AtomicInteger();

    /** Runs the test once per parallelism: 1, 2 and 4. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    @interface ForEachParallelism {
    }

    static final class TaskFailure extends RuntimeException {
        TaskFailure(String message) {
            super(message);
        }
    }

    static final class TaskError extends Error {
        TaskError(String message) {
            super(message);
        }
    }

    static final class CheckedFailure extends Exception {
        CheckedFailure(String message) {
            super(message);
        }
    }

    /**
     * Tasks that hold every worker of a scheduler until released, so that whatever is submitted
     * next stays queued. Released tasks return; shutdownNow's interrupt also ends them.
     */
    static final class Occupation {
        final CountDownLatch started;
        final CountDownLatch release = new CountDownLatch(1);
        final List<Task<Integer>> tasks = new ArrayList<>();

        private Occupation(int workers) {
            started = new CountDownLatch(workers);
        }

        static Occupation ofAllWorkers(Scheduler scheduler) throws InterruptedException {
            Occupation occupation = new Occupation(scheduler.parallelism());
            for (int i = 0; i < scheduler.parallelism(); i++) {
                occupation.tasks.add(scheduler.submit(() -> {
                    occupation.started.countDown();
                    // Busy, not blocked: a blocked worker gets a stand-in that would run the queued
                    // tasks this occupation must hold back. An interrupt ends it, as it would a wait.
                    assertTrue(BoundedWait.holdBusy(occupation.release, 30_000), "occupation was never released");
                    return 1;
                }));
            }
            assertTrue(occupation.started.await(10, SECONDS),
                    () -> "not every worker started an occupying task: " + scheduler.stats());
            return occupation;
        }

        void release() {
            release.countDown();
        }
    }

    /** A task that stays pending until {@code release} is counted down (or its worker is interrupted). */
    private static <T> Callable<T> awaiting(CountDownLatch release, T value) {
        return () -> {
            assertTrue(release.await(30, SECONDS), "task was never released");
            return value;
        };
    }

    private Scheduler schedulerWithHandler(int parallelism, Thread.UncaughtExceptionHandler handler) {
        return hygiene.track(Scheduler.builder()
                .parallelism(parallelism)
                .name("contract-handler" + NAMES.incrementAndGet())
                .uncaughtExceptionHandler(handler)
                .build());
    }

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

    // ================================================================== state after completion

    @ForEachParallelism
    void completedTask_isDoneNotCancelled_andCancelReturnsFalse(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Task<Integer> task = scheduler.submit(() -> 42);

        assertEquals(42, task.get(10, SECONDS));
        assertTrue(task.isDone());
        assertFalse(task.isCancelled());
        assertFalse(task.isCompletedAbnormally());
        assertFalse(task.cancel(false));
        assertFalse(task.cancel(true));
        assertFalse(task.isCancelled(), "a failed cancel must not change the state");
        assertEquals(42, task.join());
        assertEquals(42, task.get());
    }

    @ForEachParallelism
    void failedTask_isDoneNotCancelled_andCancelReturnsFalse(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        TaskFailure failure = new TaskFailure("planned");
        Task<Integer> task = scheduler.submit(() -> {
            throw failure;
        });

        assertSame(failure, assertThrows(ExecutionException.class, () -> task.get(10, SECONDS)).getCause());
        assertTrue(task.isDone());
        assertFalse(task.isCancelled());
        assertTrue(task.isCompletedAbnormally());
        assertFalse(task.cancel(false));
        assertFalse(task.isCancelled());
        assertSame(failure, assertThrows(TaskFailure.class, task::join));
    }

    @ForEachParallelism
    void cancelledTask_isDoneAndCancelled_neverRuns_andJoinAndGetThrowCancellation(int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Occupation occupation = Occupation.ofAllWorkers(scheduler);
        AtomicInteger runs = new AtomicInteger();
        Task<Integer> task = scheduler.submit(() -> runs.incrementAndGet());

        assertTrue(task.cancel(false), "a queued task can be cancelled");
        assertFalse(task.cancel(false), "only the first cancel succeeds");
        assertTrue(task.isCancelled());
        assertTrue(task.isDone());
        assertTrue(task.isCompletedAbnormally());
        assertThrows(CancellationException.class, task::join);
        assertThrows(CancellationException.class, task::get);
        assertThrows(CancellationException.class, () -> task.get(10, SECONDS));

        occupation.release();
        scheduler.shutdown();
        assertTrue(scheduler.awaitTermination(10, SECONDS));
        assertEquals(0, runs.get(), "a task cancelled before it started must never run");
    }

    // ================================================================== exceptions

    @ForEachParallelism
    void join_rethrowsTheTasksRuntimeExceptionAsTheSameInstance(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        TaskFailure failure = new TaskFailure("planned");
        Task<Object> task = scheduler.submit(() -> {
            throw failure;
        });
        assertSame(failure, assertThrows(TaskFailure.class, task::join));
    }

    @ForEachParallelism
    void join_rethrowsTheTasksErrorAsTheSameInstance(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        TaskError error = new TaskError("planned");
        Task<Object> task = scheduler.submit(() -> {
            throw error;
        });
        assertSame(error, assertThrows(TaskError.class, task::join));
    }

    @ForEachParallelism
    void join_wrapsACheckedExceptionInCompletionException(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CheckedFailure failure = new CheckedFailure("planned");
        Task<Object> task = scheduler.submit(() -> {
            throw failure;
        });
        assertSame(failure, assertThrows(CompletionException.class, task::join).getCause());
    }

    @ForEachParallelism
    void invoke_rethrowsRuntimeExceptionsAndErrorsAsTheSameInstance_andWrapsCheckedOnes(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        TaskFailure failure = new TaskFailure("planned");
        TaskError error = new TaskError("planned");
        CheckedFailure checked = new CheckedFailure("planned");

        assertSame(failure, assertThrows(TaskFailure.class, () -> scheduler.invoke(() -> {
            throw failure;
        })));
        assertSame(error, assertThrows(TaskError.class, () -> scheduler.invoke(() -> {
            throw error;
        })));
        assertSame(checked, assertThrows(CompletionException.class, () -> scheduler.invoke(() -> {
            throw checked;
        })).getCause());
        assertEquals(7, scheduler.invoke(() -> 7));
    }

    @ForEachParallelism
    void get_wrapsTheTasksFailureInExecutionExceptionWithTheOriginalAsCause(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        List<Throwable> failures = List.of(
                new TaskFailure("planned"), new TaskError("planned"), new CheckedFailure("planned"));
        for (Throwable failure : failures) {
            Task<Object> task = scheduler.submit(() -> {
                if (failure instanceof Exception) {
                    throw (Exception) failure;
                }
                throw (Error) failure;
            });
            assertSame(failure, assertThrows(ExecutionException.class, () -> task.get(10, SECONDS)).getCause());
            assertSame(failure, assertThrows(ExecutionException.class, task::get).getCause());
        }
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
            try {
                child.join();
                return null;
            } catch (Throwable caught) {
                return caught;
            }
        });
        assertSame(failure, parent.get(10, SECONDS));
    }

    @ForEachParallelism
    void taskFailures_doNotKillWorkers(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        List<Task<Object>> failing = new ArrayList<>();
        for (int i = 0; i < 50 * parallelism; i++) {
            int n = i;
            failing.add(scheduler.submit(() -> {
                if (n % 2 == 0) {
                    throw new TaskFailure("planned " + n);
                }
                throw new TaskError("planned " + n);
            }));
        }
        for (Task<Object> task : failing) {
            assertThrows(ExecutionException.class, () -> task.get(10, SECONDS));
        }
        // Every worker is still there: parallelism tasks can all be running at the same moment.
        Occupation occupation = Occupation.ofAllWorkers(scheduler);
        occupation.release();
        for (Task<Integer> task : occupation.tasks) {
            assertEquals(1, task.get(10, SECONDS));
        }
    }

    // ================================================================== interrupts

    @ForEachParallelism
    void join_ignoresAnInterruptWhileWaiting_butLeavesTheFlagSet(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> task = scheduler.submit(awaiting(release, "done"));

        CallerThread<String> joiner = CallerThread.start("joiner", task::join).awaitBlocked();
        joiner.interrupt();
        CallerThread.awaitBlocked(joiner);              // it goes back to waiting
        assertFalse(task.isDone());
        release.countDown();

        joiner.awaitFinished(10);
        assertEquals("done", joiner.value(), "join must not end early or throw on interrupt");
        assertTrue(joiner.interruptedAfterwards(), "join must leave the interrupt status set");
    }

    @ForEachParallelism
    void join_ofAnInterruptedCaller_waitsForTheResult_andKeepsTheFlag(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> task = scheduler.submit(awaiting(release, "done"));
        Thread self = Thread.currentThread();
        CallerThread<Void> releaser = CallerThread.start("releaser", () -> {
            CallerThread.awaitBlocked(self);             // the test thread is in join
            release.countDown();
            return null;
        });

        self.interrupt();
        String value;
        boolean flagAfterJoin;
        try {
            value = task.join();
        } finally {
            flagAfterJoin = Thread.interrupted();        // clear it for the hygiene check
            release.countDown();
        }
        releaser.awaitFinished(10).value();
        assertEquals("done", value);
        assertTrue(flagAfterJoin, "join must leave the interrupt status set");
    }

    @ForEachParallelism
    void get_throwsInterruptedException_ifInterruptedBeforeTheCall(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> task = scheduler.submit(awaiting(release, "done"));
        try {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, task::get);
            assertFalse(Thread.interrupted(), "throwing InterruptedException clears the status");

            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> task.get(10, SECONDS));
            assertFalse(Thread.interrupted(), "throwing InterruptedException clears the status");
        } finally {
            Thread.interrupted();
            release.countDown();
        }
    }

    @ForEachParallelism
    void get_throwsInterruptedException_ifInterruptedWhileWaiting(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> task = scheduler.submit(awaiting(release, "done"));
        try {
            CallerThread<String> untimed = CallerThread.start("get", task::get).awaitBlocked();
            CallerThread<String> timed = CallerThread.start("timed get", () -> task.get(30, SECONDS))
                    .awaitBlocked();
            untimed.interrupt();
            timed.interrupt();
            assertInstanceOf(InterruptedException.class, untimed.awaitFinished(10).thrown());
            assertInstanceOf(InterruptedException.class, timed.awaitFinished(10).thrown());
            assertFalse(task.isDone(), "the interrupt stops the wait, not the task");
        } finally {
            release.countDown();
        }
        assertEquals("done", task.get(10, SECONDS));
    }

    @ForEachParallelism
    void get_onAWorker_throwsInterruptedException_ifInterruptedWhileWaiting(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        // The awaited task belongs to another scheduler, so the worker has nothing to help with.
        Scheduler other = hygiene.newScheduler(1);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> pending = other.submit(awaiting(release, "done"));
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        try {
            Task<String> waiter = scheduler.submit(() -> {
                waiterThread.set(Thread.currentThread());
                waiting.countDown();
                try {
                    return "get returned " + pending.get(30, SECONDS);
                } catch (InterruptedException expected) {
                    return "interrupted";
                }
            });
            assertTrue(waiting.await(10, SECONDS));
            CallerThread.awaitBlocked(waiterThread.get());
            waiterThread.get().interrupt();
            String outcome;
            try {
                outcome = waiter.get(2, SECONDS);       // a correct get ends in microseconds
            } catch (TimeoutException stillWaiting) {
                outcome = "still waiting 2 s after the interrupt";
            }
            assertEquals("interrupted", outcome, "get on a worker must throw InterruptedException when interrupted");
        } finally {
            release.countDown();
        }
    }

    @ForEachParallelism
    void taskAfterATaskThatInterruptedItsThread_doesNotSeeTheInterrupt(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        // Every worker runs a task that ends by interrupting its own thread; the checks are queued
        // behind, so whichever worker takes a check has just had its interrupt status set.
        CountDownLatch started = new CountDownLatch(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        List<Task<Boolean>> interrupters = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            interrupters.add(scheduler.submit(() -> {
                started.countDown();
                assertTrue(release.await(30, SECONDS));
                Thread.currentThread().interrupt();
                return Thread.currentThread().isInterrupted();
            }));
        }
        assertTrue(started.await(10, SECONDS));
        List<Task<Boolean>> checks = new ArrayList<>();
        for (int i = 0; i < 4 * parallelism; i++) {
            checks.add(scheduler.submit(() -> Thread.currentThread().isInterrupted()));
        }
        release.countDown();
        for (Task<Boolean> interrupter : interrupters) {
            assertTrue(interrupter.get(10, SECONDS), "the interrupter's own flag was set");
        }
        for (Task<Boolean> check : checks) {
            assertFalse(check.get(10, SECONDS), "a task inherited the previous task's interrupt");
        }
        // And a task submitted afterwards, to an idle pool, does not see it either.
        for (int i = 0; i < 2 * parallelism; i++) {
            assertFalse(scheduler.submit(() -> Thread.currentThread().isInterrupted()).get(10, SECONDS));
        }
    }

    // ================================================================== timeouts

    @ForEachParallelism
    void timedGet_fromOutside_neverReturnsBeforeItsDeadline_norLongAfter(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> task = scheduler.submit(awaiting(release, "done"));
        try {
            for (long millis : new long[] {1, 50, 120}) {
                long start = System.nanoTime();
                assertThrows(TimeoutException.class, () -> task.get(millis, MILLISECONDS));
                assertTimedOutOnTime(System.nanoTime() - start, millis);
            }
        } finally {
            release.countDown();
        }
        assertEquals("done", task.get(10, SECONDS));
    }

    @ForEachParallelism
    void timedGet_onAWorker_neverReturnsBeforeItsDeadline_norLongAfter(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        // The awaited task belongs to another scheduler, so the waiting worker has nothing to help
        // with and must sleep until its deadline.
        Scheduler other = hygiene.newScheduler(1);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> pending = other.submit(awaiting(release, "done"));
        try {
            Task<Long> waiter = scheduler.submit(() -> {
                long start = System.nanoTime();
                try {
                    pending.get(50, MILLISECONDS);
                    return -1L;
                } catch (TimeoutException expected) {
                    return System.nanoTime() - start;
                }
            });
            long elapsed = waiter.get(10, SECONDS);
            assertTrue(elapsed >= 0, "the timed get on a worker returned without timing out");
            assertTimedOutOnTime(elapsed, 50);
        } finally {
            release.countDown();
        }
    }

    @ForEachParallelism
    void timedGet_withZeroOrNegativeTimeout_timesOutAtOnceWhenPending_andReturnsWhenDone(int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> task = scheduler.submit(awaiting(release, "done"));
        try {
            assertThrows(TimeoutException.class, () -> task.get(0, SECONDS));
            assertThrows(TimeoutException.class, () -> task.get(-1, SECONDS));
        } finally {
            release.countDown();
        }
        assertEquals("done", task.get(10, SECONDS));
        assertEquals("done", task.get(0, SECONDS));
        assertEquals("done", task.get(-1, SECONDS));
    }

    @ForEachParallelism
    void timedGet_withTheLargestTimeout_waitsForTheResult(int parallelism) throws Exception {
        // System.nanoTime() + Long.MAX_VALUE overflows: the deadline arithmetic must not turn it
        // into a deadline in the past.
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Scheduler other = hygiene.newScheduler(1);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> task = other.submit(awaiting(release, "done"));
        try {
            Task<String> onWorker = scheduler.submit(() -> task.get(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
            CallerThread<String> outside = CallerThread.start("timed get",
                    () -> task.get(Long.MAX_VALUE, TimeUnit.DAYS)).awaitBlocked();
            assertThrows(TimeoutException.class, () -> onWorker.get(50, MILLISECONDS),
                    "the worker's get with the largest timeout returned early");
            assertTrue(outside.isAlive(), "the outside get with the largest timeout returned early");
            release.countDown();
            assertEquals("done", outside.awaitFinished(10).value());
            assertEquals("done", onWorker.get(10, SECONDS));
        } finally {
            release.countDown();
        }
    }

    @ForEachParallelism
    void timedGet_twoWaitersOnANeverFinishingTask_bothTimeOutOnTime(int parallelism) throws Exception {
        // JDK-8390870 shape: with two waiters, a timed get busy-waited and ignored its deadline.
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> task = scheduler.submit(awaiting(release, "done"));
        try {
            for (int round = 0; round < 3; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                CallerThread<String> shorter = CallerThread.start("waiter 100 ms", () -> {
                    together.await(10, SECONDS);
                    return task.get(100, MILLISECONDS);
                });
                CallerThread<String> longer = CallerThread.start("waiter 300 ms", () -> {
                    together.await(10, SECONDS);
                    return task.get(300, MILLISECONDS);
                });
                assertInstanceOf(TimeoutException.class, shorter.awaitFinished(10).thrown());
                assertInstanceOf(TimeoutException.class, longer.awaitFinished(10).thrown());
                assertTimedOutOnTime(shorter.elapsedNanos(), 100);
                assertTimedOutOnTime(longer.elapsedNanos(), 300);
            }
            // The waiters that gave up must not stop a later waiter from being woken.
            CallerThread<String> joiner = CallerThread.start("joiner", task::join).awaitBlocked();
            release.countDown();
            assertEquals("done", joiner.awaitFinished(10).value());
        } finally {
            release.countDown();
        }
    }

    /** Never before the deadline; after it by less than a noisy 2-core box can excuse (2 s). */
    private static void assertTimedOutOnTime(long elapsedNanos, long deadlineMillis) {
        assertTrue(elapsedNanos >= MILLISECONDS.toNanos(deadlineMillis),
                () -> "timed out after " + elapsedNanos / 1_000 + " us, before its " + deadlineMillis + " ms deadline");
        assertTrue(elapsedNanos < MILLISECONDS.toNanos(deadlineMillis) + SECONDS.toNanos(2),
                () -> "timed out after " + elapsedNanos / 1_000_000 + " ms, long after its " + deadlineMillis + " ms deadline");
    }

    // ================================================================== lifecycle

    @ForEachParallelism
    void submissionsFromOutside_afterShutdown_areRejected(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        scheduler.shutdown();
        assertRejectsEverySubmission(scheduler);
    }

    @ForEachParallelism
    void submissionsFromOutside_afterShutdownNow_areRejected(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        scheduler.shutdownNow();
        assertRejectsEverySubmission(scheduler);
    }

    private static void assertRejectsEverySubmission(Scheduler scheduler) {
        AtomicInteger runs = new AtomicInteger();
        Callable<Integer> callable = runs::incrementAndGet;
        Runnable runnable = runs::incrementAndGet;
        List<Callable<Integer>> callables = List.of(callable, callable);
        long submittedBefore = scheduler.stats().outsideSubmissions();

        assertThrows(RejectedExecutionException.class, () -> scheduler.submit(callable));
        assertThrows(RejectedExecutionException.class, () -> scheduler.submit(runnable));
        assertThrows(RejectedExecutionException.class, () -> scheduler.submit(runnable, 1));
        assertThrows(RejectedExecutionException.class, () -> scheduler.execute(runnable));
        assertThrows(RejectedExecutionException.class, () -> scheduler.fork(callable));
        assertThrows(RejectedExecutionException.class, () -> scheduler.invoke(callable));
        assertThrows(RejectedExecutionException.class, () -> scheduler.invokeAll(callables));
        assertThrows(RejectedExecutionException.class, () -> scheduler.invokeAll(callables, 10, SECONDS));
        assertThrows(RejectedExecutionException.class, () -> scheduler.invokeAny(callables));
        assertThrows(RejectedExecutionException.class, () -> scheduler.invokeAny(callables, 10, SECONDS));

        assertEquals(submittedBefore, scheduler.stats().outsideSubmissions(), "a rejected task was queued");
        assertEquals(0, runs.get(), "a rejected task ran");
    }

    @ForEachParallelism
    void awaitTermination_timesOutOnALivePool_andIsTrueAfterShutdown(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        assertEquals(5, scheduler.submit(() -> 5).get(10, SECONDS));
        assertFalse(scheduler.awaitTermination(50, MILLISECONDS), "a live pool does not terminate");
        assertFalse(scheduler.isTerminated());

        scheduler.shutdown();
        assertTrue(scheduler.awaitTermination(10, SECONDS));
        assertTrue(scheduler.isTerminated());
        assertTrue(scheduler.awaitTermination(0, SECONDS), "stays terminated");
    }

    @ForEachParallelism
    void shutdown_movesFromRunningToShutdownToTerminated_andQueuedTasksStillRun(int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        assertFalse(scheduler.isShutdown());
        assertFalse(scheduler.isTerminated());

        Occupation occupation = Occupation.ofAllWorkers(scheduler);
        AtomicInteger queuedRuns = new AtomicInteger();
        List<Task<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            queued.add(scheduler.submit(queuedRuns::incrementAndGet));
        }
        scheduler.shutdown();
        assertTrue(scheduler.isShutdown());
        assertFalse(scheduler.isTerminated(), "tasks are still running");
        assertFalse(scheduler.awaitTermination(20, MILLISECONDS));

        occupation.release();
        assertTrue(scheduler.awaitTermination(10, SECONDS));
        assertTrue(scheduler.isShutdown());
        assertTrue(scheduler.isTerminated());
        assertEquals(20, queuedRuns.get(), "shutdown must let queued tasks run");
        for (Task<Integer> task : queued) {
            assertTrue(task.isDone() && !task.isCancelled());
        }
    }

    @ForEachParallelism
    void shutdownNow_returnsTheTasksThatNeverRan_andEveryAcceptedTaskIsRunOrReturned(int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Occupation occupation = Occupation.ofAllWorkers(scheduler);
        AtomicInteger runs = new AtomicInteger();
        List<Runnable> userRunnables = new ArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < 40; i++) {
            Runnable runnable = runs::incrementAndGet;
            switch (i % 4) {
                case 0 -> {
                    scheduler.execute(runnable);
                    userRunnables.add(runnable);
                }
                case 1 -> {
                    futures.add(scheduler.submit(runnable));
                    userRunnables.add(runnable);
                }
                case 2 -> futures.add(scheduler.submit(runs::incrementAndGet));
                default -> futures.add(scheduler.fork(runs::incrementAndGet));
            }
            accepted++;
        }

        List<Runnable> returned = scheduler.shutdownNow();
        assertTrue(scheduler.isShutdown());
        occupation.release();
        assertTrue(scheduler.awaitTermination(10, SECONDS));

        // Every worker was held when shutdownNow ran, so no queued task had started.
        assertEquals(accepted, returned.size(), "shutdownNow must return every task that never ran");
        assertEquals(0, runs.get(), "no queued task may start after shutdownNow");
        Set<Runnable> returnedSet = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        returnedSet.addAll(returned);
        for (Runnable runnable : userRunnables) {
            assertTrue(returnedSet.contains(runnable), "shutdownNow must return the user's own Runnable");
        }
        for (Future<?> future : futures) {
            assertTrue(future.isCancelled(), "a returned task is cancelled so nobody waits on it");
        }
        // The returned work is the real work: running it does what the tasks would have done.
        for (Runnable runnable : returned) {
            runnable.run();
        }
        assertEquals(accepted, runs.get());
    }

    @ForEachParallelism
    void shutdownNow_releasesCallersBlockedInGetAndJoinOnQueuedTasks(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Occupation occupation = Occupation.ofAllWorkers(scheduler);
        Task<Integer> queued = scheduler.submit(() -> 1);
        List<CallerThread<Integer>> callers = List.of(
                CallerThread.start("join", queued::join),
                CallerThread.start("get", queued::get),
                CallerThread.start("timed get", () -> queued.get(30, SECONDS)));
        for (CallerThread<Integer> caller : callers) {
            caller.awaitBlocked();
        }

        scheduler.shutdownNow();
        for (CallerThread<Integer> caller : callers) {
            assertInstanceOf(CancellationException.class, caller.awaitFinished(10).thrown(), caller.getName());
        }
        occupation.release();
        assertTrue(scheduler.awaitTermination(10, SECONDS));
    }

    @ForEachParallelism
    void shutdownNow_interruptsRunningTasks(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch started = new CountDownLatch(parallelism);
        CountDownLatch never = new CountDownLatch(1);
        List<Task<Boolean>> running = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            running.add(scheduler.submit(() -> {
                started.countDown();
                try {
                    never.await(30, SECONDS);
                    return false;
                } catch (InterruptedException expected) {
                    return true;
                }
            }));
        }
        assertTrue(started.await(10, SECONDS));
        scheduler.shutdownNow();
        for (Task<Boolean> task : running) {
            assertTrue(task.get(10, SECONDS), "a running task was not interrupted by shutdownNow");
        }
        assertTrue(scheduler.awaitTermination(10, SECONDS));
    }

    @ForEachParallelism
    void close_waitsForQueuedTasksToFinish(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Occupation occupation = Occupation.ofAllWorkers(scheduler);
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            scheduler.execute(runs::incrementAndGet);
        }
        Thread self = Thread.currentThread();
        CallerThread<Void> releaser = CallerThread.start("releaser", () -> {
            try {
                CallerThread.awaitBlocked(self);         // the test thread is inside close()
            } finally {
                occupation.release();
            }
            return null;
        });

        scheduler.close();
        assertTrue(scheduler.isTerminated(), "close returned before the scheduler terminated");
        assertEquals(50, runs.get(), "close returned before the queued tasks ran");
        releaser.awaitFinished(10).value();

        scheduler.close();                               // a second close is harmless
        assertTrue(scheduler.isTerminated());
    }

    @ForEachParallelism
    void close_fromInsideOneOfItsTasks_shutsDownWithoutWaitingForItself(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Task<Boolean> closer = scheduler.submit(() -> {
            scheduler.close();
            return scheduler.isShutdown();
        });
        assertTrue(closer.get(10, SECONDS), "close from a task must shut the scheduler down");
        assertTrue(scheduler.awaitTermination(10, SECONDS));
    }

    @ForEachParallelism
    void close_interruptedWhileWaiting_stopsThePool_andKeepsTheInterrupt(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Occupation occupation = Occupation.ofAllWorkers(scheduler);  // ends only when interrupted
        AtomicInteger queuedRuns = new AtomicInteger();
        scheduler.execute(queuedRuns::incrementAndGet);
        CallerThread<Boolean> closer = CallerThread.start("close", () -> {
            scheduler.close();
            return scheduler.isTerminated();
        }).awaitBlocked();
        closer.interrupt();                              // close now calls shutdownNow and waits on
        try {
            closer.awaitFinished(10);
        } finally {
            occupation.release();
        }
        assertTrue(closer.value(), "close returned before the scheduler terminated");
        assertTrue(closer.interruptedAfterwards(), "close must restore the interrupt status");
        assertEquals(0, queuedRuns.get(), "after the interrupt close stops the pool: queued tasks do not start");
        for (Task<Integer> task : occupation.tasks) {
            assertThrows(ExecutionException.class, () -> task.get(10, SECONDS),
                    "the running tasks were interrupted by the shutdownNow");
        }
    }

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

    // ================================================================== quiescence

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
        assertEquals(6765, scheduler.submit(() -> fibonacci(scheduler, 20)).get(30, SECONDS));

        SchedulerStats stats = awaitQuiescence(scheduler, 0);
        assertEquals(0, stats.activeWorkers(), () -> "workers still active: " + scheduler.stats());
        assertEquals(0, stats.queuedSubmissions(), stats::toString);
        assertTrue(stats.peakActiveWorkers() <= parallelism, stats::toString);
        assertTrue(stats.tasksExecuted() >= 10_945, () -> "fib(20) forks 10,945 tasks: " + stats);
    }

    private static int fibonacci(Scheduler scheduler, int n) {
        if (n < 2) {
            return n;
        }
        Task<Integer> left = scheduler.fork(() -> fibonacci(scheduler, n - 1));
        int right = fibonacci(scheduler, n - 2);
        return left.join() + right;
    }

    @ForEachParallelism
    void stats_doNotCountTasksCancelledBeforeTheyStarted(int parallelism) throws Exception {
        // SchedulerStats.tasksExecuted(): "a task cancelled before it started is not counted".
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Occupation occupation = Occupation.ofAllWorkers(scheduler);
        for (int i = 0; i < 10; i++) {
            assertTrue(scheduler.submit(() -> 0).cancel(false));
        }
        occupation.release();
        scheduler.shutdown();
        assertTrue(scheduler.awaitTermination(10, SECONDS));

        assertEquals(parallelism, scheduler.stats().tasksExecuted(),
                () -> "only the " + parallelism + " occupying tasks ran: " + scheduler.stats());
    }

    // ================================================================== arguments

    @ForEachParallelism
    void nullTask_isRejectedWithNullPointerException_andNothingIsQueued(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Callable<Integer> ok = () -> 1;
        List<Callable<Integer>> withNull = Arrays.asList(ok, null);

        assertThrows(NullPointerException.class, () -> scheduler.fork(null));
        assertThrows(NullPointerException.class, () -> scheduler.invoke(null));
        assertThrows(NullPointerException.class, () -> scheduler.submit((Callable<Integer>) null));
        assertThrows(NullPointerException.class, () -> scheduler.submit((Runnable) null));
        assertThrows(NullPointerException.class, () -> scheduler.submit((Runnable) null, 1));
        assertThrows(NullPointerException.class, () -> scheduler.execute(null));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAll(null));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAll(null, 1, SECONDS));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAll(withNull));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAll(withNull, 1, SECONDS));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAll(List.of(ok), 1, null));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAny(null));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAny(null, 1, SECONDS));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAny(withNull));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAny(withNull, 1, SECONDS));
        assertThrows(NullPointerException.class, () -> scheduler.invokeAny(List.of(ok), 1, null));

        assertEquals(0, scheduler.stats().outsideSubmissions(), "part of a rejected batch was queued");
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {0, -1})
    void builderParallelismBelowOne_isIllegalArgument_namingTheValue(int bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scheduler.builder().parallelism(bad).build());
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*(?<![\\d-])" + java.util.regex.Pattern.quote(Integer.toString(bad)) + "(?!\\d).*"),
                () -> "message should give the value " + bad + ": " + e.getMessage());
    }

    @ForEachParallelism
    void invokeAny_ofNoTasks_isIllegalArgument_andInvokeAllOfNoTasks_isEmpty(int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        assertThrows(IllegalArgumentException.class, () -> scheduler.invokeAny(List.<Callable<Integer>>of()));
        assertThrows(IllegalArgumentException.class,
                () -> scheduler.invokeAny(List.<Callable<Integer>>of(), 1, SECONDS));
        assertTrue(scheduler.invokeAll(List.<Callable<Integer>>of()).isEmpty());
        assertTrue(scheduler.invokeAll(List.<Callable<Integer>>of(), 1, SECONDS).isEmpty());
    }

    // ================================================================== invokeAll / invokeAny

    @ForEachParallelism
    void invokeAll_returnsEveryFutureDone_inTheOrderGiven(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int n = i;
            tasks.add(() -> {
                if (n % 5 == 4) {
                    throw new TaskFailure("planned " + n);
                }
                // Uneven work, so that completion order differs from submission order.
                long sum = 0;
                for (int k = 0; k < (30 - n) * 1_000; k++) {
                    sum += k;
                }
                return sum >= 0 ? n : -1;
            });
        }
        List<Future<Integer>> futures = scheduler.invokeAll(tasks);

        assertEquals(tasks.size(), futures.size());
        for (int i = 0; i < futures.size(); i++) {
            Future<Integer> future = futures.get(i);
            assertTrue(future.isDone(), "invokeAll returned an unfinished future");
            if (i % 5 == 4) {
                assertInstanceOf(TaskFailure.class, assertThrows(ExecutionException.class, future::get).getCause());
            } else {
                assertEquals(i, future.get(0, SECONDS), "futures must be in the order of the tasks");
            }
        }
    }

    @ForEachParallelism
    void invokeAll_withTimeout_cancelsTheUnfinishedTasks(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        try {
            List<Callable<String>> tasks = List.of(() -> "quick", awaiting(release, "slow"));
            List<Future<String>> futures = scheduler.invokeAll(tasks, 200, MILLISECONDS);

            assertEquals(2, futures.size());
            assertTrue(futures.get(0).isDone());
            assertEquals("quick", futures.get(0).get(0, SECONDS));
            assertTrue(futures.get(1).isDone(), "invokeAll returned an unfinished future");
            assertTrue(futures.get(1).isCancelled(), "the task still running at the timeout is cancelled");
            assertThrows(CancellationException.class, () -> futures.get(1).get(0, SECONDS));
        } finally {
            release.countDown();
        }
    }

    @ForEachParallelism
    void invokeAll_withTimeout_throwsInterruptedException_whenInterruptedWhileWaiting(int parallelism)
            throws Exception {
        // ExecutorService.invokeAll(tasks, timeout, unit): "InterruptedException - if interrupted
        // while waiting, in which case unfinished tasks are cancelled".
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        List<Callable<String>> tasks = List.of(awaiting(release, "a"), awaiting(release, "b"));
        try {
            CallerThread<List<Future<String>>> caller = CallerThread.start("invokeAll",
                    () -> scheduler.invokeAll(tasks, 30, SECONDS)).awaitBlocked();
            caller.interrupt();
            caller.awaitFinished(10);
            assertInstanceOf(InterruptedException.class, caller.thrown(),
                    "an interrupted timed invokeAll must throw InterruptedException");
        } finally {
            release.countDown();
        }
    }

    @ForEachParallelism
    void invokeAny_returnsTheResultOfATaskThatSucceeded(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        List<Callable<String>> tasks = List.of(
                () -> {
                    throw new TaskFailure("first fails");
                },
                () -> {
                    throw new CheckedFailure("second fails");
                },
                () -> "third succeeds");
        assertEquals("third succeeds", scheduler.invokeAny(tasks));
        assertEquals("third succeeds", scheduler.invokeAny(tasks, 10, SECONDS));
    }

    @ForEachParallelism
    void invokeAny_whenSeveralTasksSucceedAtOnce_returnsOneOfTheirResults(int parallelism) throws Exception {
        // Every task succeeds, almost together: the result must be one of theirs, never lost.
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        List<Callable<String>> tasks = new ArrayList<>();
        Set<String> results = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String result = "result " + i;
            results.add(result);
            tasks.add(() -> result);
        }
        for (int round = 0; round < 300; round++) {
            String untimed = scheduler.invokeAny(tasks);
            assertTrue(results.contains(untimed), "round " + round + ": invokeAny returned " + untimed);
            String timed = scheduler.invokeAny(tasks, 10, SECONDS);
            assertTrue(results.contains(timed), "round " + round + ": timed invokeAny returned " + timed);
        }
    }

    @ForEachParallelism
    void invokeAny_throwsExecutionException_whenEveryTaskFails(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        List<Throwable> thrown = List.of(new TaskFailure("a"), new TaskFailure("b"), new CheckedFailure("c"));
        List<Callable<String>> tasks = new ArrayList<>();
        for (Throwable failure : thrown) {
            tasks.add(() -> {
                throw (Exception) failure;
            });
        }
        ExecutionException untimed = assertThrows(ExecutionException.class, () -> scheduler.invokeAny(tasks));
        assertTrue(thrown.contains(untimed.getCause()), () -> "cause should be a task's failure: " + untimed.getCause());
        ExecutionException timed = assertThrows(ExecutionException.class,
                () -> scheduler.invokeAny(tasks, 10, SECONDS));
        assertTrue(thrown.contains(timed.getCause()), () -> "cause should be a task's failure: " + timed.getCause());
    }

    @ForEachParallelism
    void invokeAny_withTimeout_throwsTimeoutException_whenNoTaskFinishesInTime(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        try {
            List<Callable<String>> tasks = List.of(awaiting(release, "a"), awaiting(release, "b"));
            long start = System.nanoTime();
            assertThrows(TimeoutException.class, () -> scheduler.invokeAny(tasks, 100, MILLISECONDS));
            assertTimedOutOnTime(System.nanoTime() - start, 100);
        } finally {
            release.countDown();
        }
    }

    @ForEachParallelism
    @Timeout(30)
    void invokeAllAndInvokeAny_fromInsideATask_complete(int parallelism) throws Exception {
        // On parallelism 1 the only worker is the caller: it must run the tasks while it waits.
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
        Task<Integer> viaInvokeAll = scheduler.submit(() -> {
            int sum = 0;
            for (Future<Integer> future : scheduler.invokeAll(tasks)) {
                sum += future.get();
            }
            for (Future<Integer> future : scheduler.invokeAll(tasks, 10, SECONDS)) {
                sum += future.get();
            }
            return sum;
        });
        Task<Integer> viaInvokeAny = scheduler.submit(() -> scheduler.invokeAny(tasks));
        Task<Integer> viaTimedInvokeAny = scheduler.submit(() -> scheduler.invokeAny(tasks, 10, SECONDS));

        assertEquals(12, viaInvokeAll.get(20, SECONDS));
        assertTrue(Set.of(1, 2, 3).contains(viaInvokeAny.get(20, SECONDS)));
        assertTrue(Set.of(1, 2, 3).contains(viaTimedInvokeAny.get(20, SECONDS)));
    }

    // ================================================================== execute

    @ForEachParallelism
    void execute_failureReachesTheUncaughtExceptionHandler_andTheWorkerSurvives(int parallelism)
            throws Exception {
        BlockingQueue<Thread> threads = new ArrayBlockingQueue<>(16);
        BlockingQueue<Throwable> failures = new ArrayBlockingQueue<>(16);
        Scheduler scheduler = schedulerWithHandler(parallelism, (thread, failure) -> {
            threads.add(thread);
            failures.add(failure);
        });
        TaskFailure failure = new TaskFailure("planned");
        TaskError error = new TaskError("planned");

        scheduler.execute(() -> {
            throw failure;
        });
        assertSame(failure, failures.poll(10, SECONDS), "the handler did not receive the exception");
        Thread failedOn = threads.poll(10, SECONDS);
        assertNotNull(failedOn);
        assertTrue(failedOn.getName().startsWith(scheduler.name() + "-worker-"),
                () -> "the handler was called on " + failedOn.getName() + ", not on a worker");

        scheduler.execute(() -> {
            throw error;
        });
        assertSame(error, failures.poll(10, SECONDS), "the handler did not receive the error");
        threads.poll(10, SECONDS);

        // The workers carry on: all of them can run tasks at once, and on parallelism 1 the
        // worker that ran the failures runs the next task.
        Occupation occupation = Occupation.ofAllWorkers(scheduler);
        occupation.release();
        if (parallelism == 1) {
            assertSame(failedOn, scheduler.submit(Thread::currentThread).get(10, SECONDS));
            assertTrue(failedOn.isAlive());
        }
        assertNull(failures.poll(), "the handler got more than the two failures");
    }

    @ForEachParallelism
    void submit_failureDoesNotReachTheUncaughtExceptionHandler(int parallelism) throws Exception {
        // A submitted task's failure belongs to its future; only execute() reports to the handler.
        BlockingQueue<Throwable> handled = new ArrayBlockingQueue<>(16);
        Scheduler scheduler = schedulerWithHandler(parallelism, (thread, failure) -> handled.add(failure));
        Task<Object> task = scheduler.submit(() -> {
            throw new TaskFailure("planned");
        });
        assertThrows(ExecutionException.class, () -> task.get(10, SECONDS));
        TaskError marker = new TaskError("marker");
        scheduler.execute(() -> {
            throw marker;
        });
        assertSame(marker, handled.poll(10, SECONDS), "only the executed failure reaches the handler");
        scheduler.shutdown();
        assertTrue(scheduler.awaitTermination(10, SECONDS));      // every handler call has ended
        assertNull(handled.poll(), "the submitted task's failure reached the handler too");
    }
}
