package dev.spindle.core.testing;

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
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.Scheduler;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R1 of {@code reliability.md}: the JSR166 TCK behaviours of an {@link ExecutorService}, written
 * once and run for every executor Spindle hands out, as JCTools runs one {@code QueueSanityTest}
 * for every queue. A subclass names its executor through a static {@code shapes()} method that
 * returns the {@link Shape}s to test it in; each test here runs once per shape.
 *
 * <p>Families: state after completion, exceptions, interrupts, timeouts, lifecycle (with a
 * shutdown racing four submitters), arguments, invokeAll/invokeAny, execute's uncaught handler,
 * and waiting on a worker. Only what the {@code ExecutorService} interface promises is asserted
 * here; what an executor adds (Spindle's {@code Task}, {@code close()} on JDK 17) is tested by the
 * subclass that knows it.
 *
 * <p>Every test has a hard timeout (60 s) and checks with {@link SchedulerHygiene} that the
 * schedulers it made terminate and leave the test thread's interrupt status clear.
 */
@Timeout(60)
public abstract class ExecutorServiceContract {

    /** Rounds of the shutdown race; {@code -Pstress} runs the long form. */
    private static final int RACE_ROUNDS = Boolean.getBoolean("spindle.stress") ? 2_000 : 50;
    private static final AtomicInteger SERIAL = new AtomicInteger();

    @RegisterExtension
    protected final SchedulerHygiene hygiene = new SchedulerHygiene();

    /**
     * One configuration of the executor under test: built on a scheduler of {@code parallelism}
     * workers, it runs at most {@code slots} tasks at once, and every one of those slots can hold
     * a task at the same time (so {@code slots <= parallelism}).
     *
     * @param name how the test report names the shape
     * @param executorOn builds the executor on the given scheduler (an executor that is the
     *     scheduler returns it)
     */
    public record Shape(String name, int parallelism, int slots, Function<Scheduler, ExecutorService> executorOn) {
        public Shape {
            if (slots < 1 || slots > parallelism) {
                throw new IllegalArgumentException("slots must be in [1, parallelism " + parallelism + "], was " + slots);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Runs the test once per shape of the subclass's static {@code shapes()}. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    protected @interface ForEachShape {
    }

    /**
     * Whether the futures of the tasks {@code shutdownNow()} returns are cancelled, so that nobody
     * waits on them forever. The JDK's {@code ThreadPoolExecutor} leaves them pending; Spindle's
     * own executors cancel them.
     */
    protected abstract boolean cancelsWhatShutdownNowReturns();

    /**
     * Whether {@code shutdownNow()} interrupts the tasks running at that moment. The interface
     * promises only a best effort; an executor whose tasks run on threads shared with other work
     * (an arena's) leaves them running, and its test asserts that instead.
     */
    protected abstract boolean shutdownNowInterruptsRunningTasks();

    /**
     * The ways a caller can wait for {@code future} without a timeout: {@code get()}, and whatever
     * the executor's futures add (Spindle's {@code Task.join()}).
     */
    protected <T> List<Callable<T>> untimedWaits(Future<T> future) {
        return List.of(future::get);
    }

    /**
     * The executor under test, on a scheduler of its own whose uncaught-exception handler records
     * what reaches it (an {@code execute}d task's failure). Closed and checked after the test.
     */
    protected final class Fixture {
        public final Shape shape;
        public final Scheduler scheduler;
        public final ExecutorService executor;
        public final BlockingQueue<Throwable> uncaught = new ArrayBlockingQueue<>(16);
        public final BlockingQueue<Thread> uncaughtThreads = new ArrayBlockingQueue<>(16);

        Fixture(Shape shape) {
            this.shape = shape;
            this.scheduler = newScheduler(shape, (thread, failure) -> {
                uncaughtThreads.add(thread);
                uncaught.add(failure);
            });
            this.executor = shape.executorOn().apply(scheduler);
        }

        /** How the scheduler's worker threads are named. */
        public String workerPrefix() {
            return scheduler.name() + "-worker-";
        }
    }

    /** A fixture for {@code shape}. */
    protected Fixture open(Shape shape) {
        return new Fixture(shape);
    }

    private Scheduler newScheduler(Shape shape, Thread.UncaughtExceptionHandler handler) {
        Scheduler.Builder builder = Scheduler.builder()
                .parallelism(shape.parallelism())
                .name("contract" + SERIAL.incrementAndGet() + "-p" + shape.parallelism());
        if (handler != null) {
            builder.uncaughtExceptionHandler(handler);
        }
        return hygiene.track(builder.build());
    }

    /** A task that stays pending until {@code release} is counted down (or its thread is interrupted). */
    protected static <T> Callable<T> awaiting(CountDownLatch release, T value) {
        return () -> {
            assertTrue(release.await(30, SECONDS), "task was never released");
            return value;
        };
    }

    /**
     * A task of another scheduler that returns "done" once {@code release} opens: a worker of the
     * executor under test that waits for it has nothing to help with, and must really wait.
     */
    private Future<String> pendingElsewhere(CountDownLatch release) {
        return hygiene.newScheduler(1).submit(awaiting(release, "done"));
    }

    /** Never before the deadline; after it by less than a noisy 2-core box can excuse (2 s). */
    protected static void assertTimedOutOnTime(long elapsedNanos, long deadlineMillis) {
        assertTrue(elapsedNanos >= MILLISECONDS.toNanos(deadlineMillis),
                () -> "timed out after " + elapsedNanos / 1_000 + " us, before its " + deadlineMillis + " ms deadline");
        assertTrue(elapsedNanos < MILLISECONDS.toNanos(deadlineMillis) + SECONDS.toNanos(2),
                () -> "timed out after " + elapsedNanos / 1_000_000 + " ms, long after its " + deadlineMillis + " ms deadline");
    }

    // ================================================================== state after completion

    @ForEachShape
    void completedTask_isDoneNotCancelled_andCancelReturnsFalse(Shape shape) throws Exception {
        Fixture f = open(shape);
        Future<Integer> task = f.executor.submit(() -> 42);

        assertEquals(42, task.get(10, SECONDS));
        assertTrue(task.isDone());
        assertFalse(task.isCancelled());
        assertFalse(task.cancel(false));
        assertFalse(task.cancel(true));
        assertFalse(task.isCancelled(), "a failed cancel must not change the state");
        assertEquals(42, task.get());
        assertEquals("result", f.executor.submit(() -> { }, "result").get(10, SECONDS));
        assertNull(f.executor.submit(() -> { }).get(10, SECONDS));
    }

    @ForEachShape
    void failedTask_isDoneNotCancelled_andCancelReturnsFalse(Shape shape) throws Exception {
        Fixture f = open(shape);
        TaskFailure failure = new TaskFailure("planned");
        Future<Integer> task = f.executor.submit(() -> {
            throw failure;
        });

        assertSame(failure, assertThrows(ExecutionException.class, () -> task.get(10, SECONDS)).getCause());
        assertTrue(task.isDone());
        assertFalse(task.isCancelled());
        assertFalse(task.cancel(false));
        assertFalse(task.isCancelled());
    }

    @ForEachShape
    void cancelledTask_isDoneAndCancelled_neverRuns_andGetThrowsCancellation(Shape shape) throws Exception {
        Fixture f = open(shape);
        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        AtomicInteger runs = new AtomicInteger();
        Future<Integer> task = f.executor.submit(() -> runs.incrementAndGet());

        assertTrue(task.cancel(false), "a queued task can be cancelled");
        assertFalse(task.cancel(true), "only the first cancel succeeds");
        assertTrue(task.isCancelled());
        assertTrue(task.isDone());
        assertThrows(CancellationException.class, task::get);
        assertThrows(CancellationException.class, () -> task.get(10, SECONDS));

        occupation.release();
        assertEquals(5, f.executor.submit(() -> 5).get(10, SECONDS), "a task queued behind the cancelled one");
        f.executor.shutdown();
        assertTrue(f.executor.awaitTermination(10, SECONDS));
        assertEquals(0, runs.get(), "a task cancelled before it started must never run");
    }

    @ForEachShape
    void awaitTermination_afterShutdown_isTrueWhenAQueuedTaskWasCancelled(Shape shape) throws Exception {
        Fixture f = open(shape);
        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        Future<?> queued = f.executor.submit(() -> { });
        assertTrue(queued.cancel(false));

        occupation.release();
        f.executor.shutdown();

        assertTrue(f.executor.awaitTermination(2, SECONDS),
                "executor never terminated: a task cancelled before it started still counts as unfinished");
        assertTrue(f.executor.isTerminated());
    }

    // ================================================================== exceptions

    @ForEachShape
    void get_wrapsTheTasksFailureInExecutionExceptionWithTheOriginalAsCause(Shape shape) throws Exception {
        Fixture f = open(shape);
        List<Throwable> failures = List.of(
                new TaskFailure("planned"), new TaskError("planned"), new CheckedFailure("planned"));
        for (Throwable failure : failures) {
            Future<Object> task = f.executor.submit(() -> {
                if (failure instanceof Exception) {
                    throw (Exception) failure;
                }
                throw (Error) failure;
            });
            assertSame(failure, assertThrows(ExecutionException.class, () -> task.get(10, SECONDS)).getCause());
            assertSame(failure, assertThrows(ExecutionException.class, task::get).getCause());
            assertTrue(task.isDone());
            assertFalse(task.isCancelled());
        }
        assertEquals(7, f.executor.submit(() -> 7).get(10, SECONDS), "failures must not kill workers");
        assertTrue(f.uncaught.isEmpty(), "submit() failures belong to the future, not the uncaught handler");
    }

    @ForEachShape
    void taskFailures_doNotKillWorkers(Shape shape) throws Exception {
        Fixture f = open(shape);
        List<Future<Object>> failing = new ArrayList<>();
        for (int i = 0; i < 50 * shape.slots(); i++) {
            int n = i;
            failing.add(f.executor.submit(() -> {
                if (n % 2 == 0) {
                    throw new TaskFailure("planned " + n);
                }
                throw new TaskError("planned " + n);
            }));
        }
        for (Future<Object> task : failing) {
            assertThrows(ExecutionException.class, () -> task.get(10, SECONDS));
        }
        // Every slot can still run a task: all of them at the same moment.
        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        occupation.release();
        for (Future<Integer> task : occupation.tasks) {
            assertEquals(1, task.get(10, SECONDS));
        }
    }

    @ForEachShape
    void execute_failureReachesTheUncaughtExceptionHandlerOnce_andTheWorkerSurvives(Shape shape) throws Exception {
        Fixture f = open(shape);
        TaskFailure failure = new TaskFailure("planned");
        TaskError error = new TaskError("planned");

        f.executor.execute(() -> {
            throw failure;
        });
        assertSame(failure, f.uncaught.poll(10, SECONDS), "the handler did not receive the exception");
        Thread failedOn = f.uncaughtThreads.poll(10, SECONDS);
        assertNotNull(failedOn);
        assertTrue(failedOn.getName().startsWith(f.workerPrefix()),
                () -> "the handler was called on " + failedOn.getName() + ", not on a worker");

        f.executor.execute(() -> {
            throw error;
        });
        assertSame(error, f.uncaught.poll(10, SECONDS), "the handler did not receive the error");
        f.uncaughtThreads.poll(10, SECONDS);

        // The workers carry on: every slot can run a task at once, and on a single worker the
        // worker that ran the failures runs the next task.
        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        occupation.release();
        if (shape.parallelism() == 1) {
            assertSame(failedOn, f.executor.submit(Thread::currentThread).get(10, SECONDS));
            assertTrue(failedOn.isAlive());
        }
        Thread.sleep(50);                                // room for a second, wrong report
        assertNull(f.uncaught.poll(), "the handler got more than the two failures");
    }

    @ForEachShape
    void submit_failureDoesNotReachTheUncaughtExceptionHandler(Shape shape) throws Exception {
        // A submitted task's failure belongs to its future; only execute() reports to the handler.
        Fixture f = open(shape);
        Future<Object> task = f.executor.submit(() -> {
            throw new TaskFailure("planned");
        });
        assertThrows(ExecutionException.class, () -> task.get(10, SECONDS));
        TaskError marker = new TaskError("marker");
        f.executor.execute(() -> {
            throw marker;
        });
        assertSame(marker, f.uncaught.poll(10, SECONDS), "only the executed failure reaches the handler");
        f.scheduler.shutdown();
        assertTrue(f.scheduler.awaitTermination(10, SECONDS));    // every handler call has ended
        assertNull(f.uncaught.poll(), "the submitted task's failure reached the handler too");
    }

    // ================================================================== interrupts

    @ForEachShape
    void get_throwsInterruptedException_ifInterruptedBeforeTheCall(Shape shape) {
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> task = f.executor.submit(awaiting(release, "done"));
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

    @ForEachShape
    void get_throwsInterruptedException_ifInterruptedWhileWaiting(Shape shape) throws Exception {
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> task = f.executor.submit(awaiting(release, "done"));
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

    @ForEachShape
    void get_onAWorker_throwsInterruptedException_ifInterruptedWhileWaiting(Shape shape) throws Exception {
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> pending = pendingElsewhere(release);
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        try {
            Future<String> waiter = f.executor.submit(() -> {
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

    @ForEachShape
    void aTaskNeverInheritsTheInterruptOfAnEarlierTask(Shape shape) throws Exception {
        Fixture f = open(shape);
        // Every slot runs a task that ends by interrupting its own thread; the checks are queued
        // behind, so whichever thread takes a check has just had its interrupt status set.
        CountDownLatch started = new CountDownLatch(shape.slots());
        CountDownLatch release = new CountDownLatch(1);
        List<Future<Boolean>> interrupters = new ArrayList<>();
        for (int i = 0; i < shape.slots(); i++) {
            interrupters.add(f.executor.submit(() -> {
                started.countDown();
                assertTrue(BoundedWait.holdBusy(release, 30_000));
                Thread.currentThread().interrupt();
                return Thread.currentThread().isInterrupted();
            }));
        }
        assertTrue(started.await(10, SECONDS));
        List<Future<Boolean>> checks = new ArrayList<>();
        for (int i = 0; i < 4 * shape.slots(); i++) {
            checks.add(f.executor.submit(() -> Thread.currentThread().isInterrupted()));
        }
        release.countDown();
        for (Future<Boolean> interrupter : interrupters) {
            assertTrue(interrupter.get(10, SECONDS), "the interrupter's own flag was set");
        }
        for (Future<Boolean> check : checks) {
            assertFalse(check.get(10, SECONDS), "a task inherited the previous task's interrupt");
        }
        // Interrupters one after another on an idle executor, then checks: none sees a flag.
        for (int i = 0; i < 2 * shape.parallelism(); i++) {
            f.executor.submit(() -> Thread.currentThread().interrupt()).get(10, SECONDS);
        }
        List<Future<Boolean>> later = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            later.add(f.executor.submit(() -> Thread.currentThread().isInterrupted()));
        }
        for (Future<Boolean> check : later) {
            assertFalse(check.get(10, SECONDS), "a task started with an interrupt meant for an earlier one");
        }
    }

    // ================================================================== timeouts

    @ForEachShape
    void timedGet_fromOutside_neverReturnsBeforeItsDeadline_norLongAfter(Shape shape) throws Exception {
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> task = f.executor.submit(awaiting(release, "done"));
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

    @ForEachShape
    void timedGet_onAWorker_neverReturnsBeforeItsDeadline_norLongAfter(Shape shape) throws Exception {
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> pending = pendingElsewhere(release);
        try {
            Future<Long> waiter = f.executor.submit(() -> {
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

    @ForEachShape
    void timedGet_withZeroOrNegativeTimeout_timesOutAtOnceWhenPending_andReturnsWhenDone(Shape shape)
            throws Exception {
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> task = f.executor.submit(awaiting(release, "done"));
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

    @ForEachShape
    void timedGet_withTheLargestTimeout_waitsForTheResult(Shape shape) throws Exception {
        // System.nanoTime() + Long.MAX_VALUE overflows: the deadline arithmetic must not turn it
        // into a deadline in the past.
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> task = pendingElsewhere(release);
        try {
            Future<String> onWorker = f.executor.submit(() -> task.get(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
            Future<String> ownTask = f.executor.submit(awaiting(release, "own"));
            CallerThread<String> outside = CallerThread.start("timed get",
                    () -> task.get(Long.MAX_VALUE, TimeUnit.DAYS)).awaitBlocked();
            CallerThread<String> outsideOwn = CallerThread.start("timed get of own",
                    () -> ownTask.get(Long.MAX_VALUE, TimeUnit.DAYS)).awaitBlocked();
            assertThrows(TimeoutException.class, () -> onWorker.get(50, MILLISECONDS),
                    "the worker's get with the largest timeout returned early");
            assertTrue(outside.isAlive(), "the outside get with the largest timeout returned early");
            assertTrue(outsideOwn.isAlive(), "the outside get with the largest timeout returned early");
            release.countDown();
            assertEquals("done", outside.awaitFinished(10).value());
            assertEquals("own", outsideOwn.awaitFinished(10).value());
            assertEquals("done", onWorker.get(10, SECONDS));
        } finally {
            release.countDown();
        }
    }

    @ForEachShape
    void timedGet_twoWaitersOnANeverFinishingTask_bothTimeOutOnTime(Shape shape) throws Exception {
        // JDK-8390870 shape: with two waiters, a timed get busy-waited and ignored its deadline.
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> task = f.executor.submit(awaiting(release, "done"));
        try {
            for (int round = 0; round < 3; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                CallerThread<String> shorter = CallerThread.start("waiter 50 ms", () -> {
                    together.await(10, SECONDS);
                    return task.get(50, MILLISECONDS);
                });
                CallerThread<String> longer = CallerThread.start("waiter 150 ms", () -> {
                    together.await(10, SECONDS);
                    return task.get(150, MILLISECONDS);
                });
                assertInstanceOf(TimeoutException.class, shorter.awaitFinished(10).thrown());
                assertInstanceOf(TimeoutException.class, longer.awaitFinished(10).thrown());
                assertTimedOutOnTime(shorter.elapsedNanos(), 50);
                assertTimedOutOnTime(longer.elapsedNanos(), 150);
            }
            // The waiters that gave up must not stop later waiters from being woken.
            List<CallerThread<String>> later = new ArrayList<>();
            for (Callable<String> wait : untimedWaits(task)) {
                later.add(CallerThread.start("later waiter", wait).awaitBlocked());
            }
            release.countDown();
            for (CallerThread<String> waiter : later) {
                assertEquals("done", waiter.awaitFinished(10).value());
            }
        } finally {
            release.countDown();
        }
    }

    // ================================================================== lifecycle

    @ForEachShape
    void submissionsFromOutside_afterShutdown_areRejected(Shape shape) {
        Fixture f = open(shape);
        f.executor.shutdown();
        assertTrue(f.executor.isShutdown());
        assertRejectsEverySubmission(f.executor);
    }

    @ForEachShape
    void submissionsFromOutside_afterShutdownNow_areRejected(Shape shape) {
        Fixture f = open(shape);
        f.executor.shutdownNow();
        assertTrue(f.executor.isShutdown());
        assertRejectsEverySubmission(f.executor);
    }

    /** Every way to submit throws {@link RejectedExecutionException}, and nothing runs. */
    protected static void assertRejectsEverySubmission(ExecutorService executor) {
        AtomicInteger runs = new AtomicInteger();
        Callable<Integer> callable = runs::incrementAndGet;
        Runnable runnable = runs::incrementAndGet;
        List<Callable<Integer>> callables = List.of(callable, callable);

        assertThrows(RejectedExecutionException.class, () -> executor.submit(callable));
        assertThrows(RejectedExecutionException.class, () -> executor.submit(runnable));
        assertThrows(RejectedExecutionException.class, () -> executor.submit(runnable, 1));
        assertThrows(RejectedExecutionException.class, () -> executor.execute(runnable));
        assertThrows(RejectedExecutionException.class, () -> executor.invokeAll(callables));
        assertThrows(RejectedExecutionException.class, () -> executor.invokeAll(callables, 10, SECONDS));
        assertThrows(RejectedExecutionException.class, () -> executor.invokeAny(callables));
        assertThrows(RejectedExecutionException.class, () -> executor.invokeAny(callables, 10, SECONDS));
        assertEquals(0, runs.get(), "a rejected task ran");
    }

    @ForEachShape
    void awaitTermination_timesOutOnALiveExecutor_andIsTrueOnceShutDownAndDone(Shape shape) throws Exception {
        Fixture f = open(shape);
        assertEquals(5, f.executor.submit(() -> 5).get(10, SECONDS));
        long start = System.nanoTime();
        assertFalse(f.executor.awaitTermination(50, MILLISECONDS), "a live executor does not terminate");
        assertTrue(System.nanoTime() - start >= MILLISECONDS.toNanos(50), "awaitTermination returned early");
        assertFalse(f.executor.isTerminated());

        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        AtomicInteger queuedRan = new AtomicInteger();
        f.executor.submit(queuedRan::incrementAndGet);
        f.executor.shutdown();
        assertFalse(f.executor.awaitTermination(50, MILLISECONDS), "terminated while tasks still run");
        assertFalse(f.executor.isTerminated());
        occupation.release();

        assertTrue(f.executor.awaitTermination(10, SECONDS));
        assertTrue(f.executor.isTerminated());
        assertTrue(f.executor.awaitTermination(0, SECONDS), "stays terminated");
        assertEquals(1, queuedRan.get(), "shutdown() must let queued tasks run");
    }

    @ForEachShape
    void shutdown_movesFromRunningToShutdownToTerminated_andQueuedTasksStillRun(Shape shape) throws Exception {
        Fixture f = open(shape);
        assertFalse(f.executor.isShutdown());
        assertFalse(f.executor.isTerminated());

        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        AtomicInteger queuedRuns = new AtomicInteger();
        List<Future<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            queued.add(f.executor.submit(queuedRuns::incrementAndGet));
        }
        f.executor.shutdown();
        assertTrue(f.executor.isShutdown());
        assertFalse(f.executor.isTerminated(), "tasks are still running");
        assertFalse(f.executor.awaitTermination(20, MILLISECONDS));

        occupation.release();
        assertTrue(f.executor.awaitTermination(10, SECONDS));
        assertTrue(f.executor.isShutdown());
        assertTrue(f.executor.isTerminated());
        assertEquals(20, queuedRuns.get(), "shutdown must let queued tasks run");
        for (Future<Integer> task : queued) {
            assertTrue(task.isDone() && !task.isCancelled());
        }
    }

    @ForEachShape
    void shutdownNow_returnsTheTasksThatNeverRan_andEveryAcceptedTaskIsRunOrReturned(Shape shape)
            throws Exception {
        Fixture f = open(shape);
        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        AtomicInteger runs = new AtomicInteger();
        int accepted = 0;
        for (int i = 0; i < 30; i++) {
            switch (i % 3) {
                case 0 -> f.executor.execute(runs::incrementAndGet);
                case 1 -> f.executor.submit((Runnable) runs::incrementAndGet);
                default -> f.executor.submit(runs::incrementAndGet);
            }
            accepted++;
        }

        List<Runnable> returned = f.executor.shutdownNow();
        assertTrue(f.executor.isShutdown());
        occupation.release();
        assertTrue(f.executor.awaitTermination(10, SECONDS));

        // Every slot was held when shutdownNow ran, so no queued task had started.
        assertEquals(accepted, returned.size(), "shutdownNow must return every task that never ran");
        assertEquals(0, runs.get(), "no queued task may start after shutdownNow");
        // The returned work is the real work: running it does what the tasks would have done.
        for (Runnable runnable : returned) {
            runnable.run();
        }
        assertEquals(accepted, runs.get());
    }

    @ForEachShape
    void shutdownNow_interruptsRunningTasks_orLetsThemRunOn(Shape shape) throws Exception {
        Fixture f = open(shape);
        CountDownLatch started = new CountDownLatch(shape.slots());
        CountDownLatch release = new CountDownLatch(1);
        List<Future<String>> running = new ArrayList<>();
        for (int i = 0; i < shape.slots(); i++) {
            running.add(f.executor.submit(() -> {
                started.countDown();
                try {
                    return release.await(30, SECONDS) ? "ran on" : "never released";
                } catch (InterruptedException expected) {
                    return "interrupted";
                }
            }));
        }
        assertTrue(started.await(10, SECONDS));
        f.executor.shutdownNow();
        if (shutdownNowInterruptsRunningTasks()) {
            for (Future<String> task : running) {
                assertEquals("interrupted", task.get(10, SECONDS), "a running task was not interrupted by shutdownNow");
            }
        } else {
            assertFalse(f.executor.awaitTermination(50, MILLISECONDS), "terminated while its tasks still run");
            release.countDown();
            for (Future<String> task : running) {
                assertEquals("ran on", task.get(10, SECONDS), "a running task was interrupted by shutdownNow");
            }
        }
        assertTrue(f.executor.awaitTermination(10, SECONDS));
    }

    /**
     * R9: four submitters race a {@code shutdown} or {@code shutdownNow} (every other round), on a
     * fresh executor each round. Every accepted task runs exactly once or is returned (never both);
     * a rejected one never runs; the executor terminates.
     */
    @ForEachShape
    @Timeout(120)
    void shutdownRacingFourSubmitters_everyAcceptedTaskIsRunOrReturned_neverBoth(Shape shape) throws Exception {
        int perSubmitter = 2_000;
        Scheduler scheduler = null;
        for (int round = 0; round < RACE_ROUNDS; round++) {
            if (scheduler == null || scheduler.isShutdown() || round % 50 == 0) {
                scheduler = newScheduler(shape, null);   // arenas stay registered: keep scans short
            }
            boolean now = round % 2 == 0;
            ExecutorService executor = shape.executorOn().apply(scheduler);
            RaceRound race = new RaceRound(4 * perSubmitter);
            AtomicInteger[] acceptedUpTo = new AtomicInteger[4];
            ConcurrentHashMap<Integer, Future<?>> futures = new ConcurrentHashMap<>();
            AtomicInteger acceptedCount = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> submitters = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                int base = s * perSubmitter;
                AtomicInteger upTo = acceptedUpTo[s] = new AtomicInteger(base);
                Thread submitter = new Thread(() -> {
                    try {
                        go.await();
                        for (int id = base; id < base + perSubmitter; id++) {
                            RaceRound.Numbered task = race.task(id);
                            if (id % 2 == 0) {
                                executor.execute(task);
                            } else {
                                futures.put(id, executor.submit(task));
                            }
                            upTo.set(id + 1);
                            acceptedCount.incrementAndGet();
                        }
                    } catch (RejectedExecutionException | InterruptedException stop) {
                        // shut down: stop submitting
                    }
                }, "racing-submitter-" + s);
                submitter.start();
                submitters.add(submitter);
            }
            go.countDown();
            int after = ThreadLocalRandom.current().nextInt(60);
            BoundedWait.until(() -> acceptedCount.get() >= after, 5_000);
            List<Runnable> returned = now ? executor.shutdownNow() : List.of();
            if (!now) {
                executor.shutdown();
            }
            for (Thread submitter : submitters) {
                submitter.join(10_000);
            }
            String what = "round " + round + " (" + (now ? "shutdownNow" : "shutdown") + ") of " + executor;
            if (!executor.awaitTermination(10, SECONDS)) {
                fail(what + " never terminated: " + scheduler.stats() + ", accepted " + acceptedCount.get()
                        + ", returned " + returned.size() + "\n" + ThreadStacks.of(scheduler.name()));
            }
            race.drained = true;                         // runs from now on are of returned work
            for (Runnable task : returned) {
                task.run();
            }

            List<String> wrong = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                for (int id = s * perSubmitter; id < (s + 1) * perSubmitter; id++) {
                    int inPool = race.ranInPool.get(id);
                    int afterwards = race.ranAfterwards.get(id);
                    boolean accepted = id < acceptedUpTo[s].get();
                    if (inPool + afterwards != (accepted ? 1 : 0)) {
                        wrong.add(id + (accepted ? " accepted" : " rejected") + ": ran " + inPool
                                + ", returned " + afterwards + ", future " + futures.get(id));
                    } else if (afterwards == 1 && cancelsWhatShutdownNowReturns() && futures.containsKey(id)
                            && !futures.get(id).isCancelled()) {
                        wrong.add(id + " returned by shutdownNow but " + futures.get(id));
                    }
                }
            }
            assertEquals(returned.size(), race.ranAfterwards.length() - countZeros(race.ranAfterwards),
                    what + ": a returned Runnable is not one accepted task");
            assertEquals(List.of(), wrong.subList(0, Math.min(5, wrong.size())),
                    what + ": " + wrong.size() + " tasks neither run exactly once nor returned; accepted "
                            + acceptedCount.get() + ", returned " + returned.size());
        }
    }

    private static int countZeros(AtomicIntegerArray counts) {
        int zeros = 0;
        for (int i = 0; i < counts.length(); i++) {
            zeros += counts.get(i) == 0 ? 1 : 0;
        }
        return zeros;
    }

    /** One round of the shutdown race: which task ran in the executor, and which was returned. */
    private static final class RaceRound {
        final AtomicIntegerArray ranInPool;
        final AtomicIntegerArray ranAfterwards;
        /** Set once the executor has terminated: a run after that is of a task shutdownNow returned. */
        volatile boolean drained;

        RaceRound(int tasks) {
            ranInPool = new AtomicIntegerArray(tasks);
            ranAfterwards = new AtomicIntegerArray(tasks);
        }

        Numbered task(int id) {
            return new Numbered(id);
        }

        /** A task that counts its runs. */
        final class Numbered implements Runnable {
            final int id;

            Numbered(int id) {
                this.id = id;
            }

            @Override
            public void run() {
                (drained ? ranAfterwards : ranInPool).incrementAndGet(id);
            }

            @Override
            public String toString() {
                return "task " + id;
            }
        }
    }

    // ================================================================== arguments

    @ForEachShape
    void nullArguments_throwNullPointerException(Shape shape) throws Exception {
        ExecutorService executor = open(shape).executor;
        Callable<Integer> ok = () -> 1;
        List<Callable<Integer>> withNull = Arrays.asList(ok, null);

        assertThrows(NullPointerException.class, () -> executor.submit((Callable<Integer>) null));
        assertThrows(NullPointerException.class, () -> executor.submit((Runnable) null));
        assertThrows(NullPointerException.class, () -> executor.submit((Runnable) null, 1));
        assertThrows(NullPointerException.class, () -> executor.execute(null));
        assertThrows(NullPointerException.class, () -> executor.invokeAll(null));
        assertThrows(NullPointerException.class, () -> executor.invokeAll(null, 1, SECONDS));
        assertThrows(NullPointerException.class, () -> executor.invokeAll(withNull));
        assertThrows(NullPointerException.class, () -> executor.invokeAll(withNull, 1, SECONDS));
        assertThrows(NullPointerException.class, () -> executor.invokeAll(List.of(ok), 1, null));
        assertThrows(NullPointerException.class, () -> executor.invokeAny(null));
        assertThrows(NullPointerException.class, () -> executor.invokeAny(null, 1, SECONDS));
        // A null element "subject to execution" throws; the JDK's invokeAny may return from an
        // earlier task before it reaches the null, so either outcome is the contract.
        for (int round = 0; round < 2; round++) {
            boolean timed = round == 1;
            try {
                assertEquals(1, timed ? executor.invokeAny(withNull, 10, SECONDS) : executor.invokeAny(withNull));
            } catch (NullPointerException expected) {
                // the null was reached
            }
        }
        assertThrows(NullPointerException.class, () -> executor.invokeAny(List.of(ok), 1, null));
        assertThrows(NullPointerException.class, () -> executor.awaitTermination(1, null));
    }

    @ForEachShape
    void invokeAny_ofNoTasks_isIllegalArgument_andInvokeAllOfNoTasks_isEmpty(Shape shape) throws Exception {
        ExecutorService executor = open(shape).executor;
        assertThrows(IllegalArgumentException.class, () -> executor.invokeAny(List.<Callable<Integer>>of()));
        assertThrows(IllegalArgumentException.class,
                () -> executor.invokeAny(List.<Callable<Integer>>of(), 1, SECONDS));
        assertTrue(executor.invokeAll(List.<Callable<Integer>>of()).isEmpty());
        assertTrue(executor.invokeAll(List.<Callable<Integer>>of(), 1, SECONDS).isEmpty());
    }

    // ================================================================== invokeAll / invokeAny

    @ForEachShape
    void invokeAll_returnsEveryFutureDone_inTheOrderGiven(Shape shape) throws Exception {
        Fixture f = open(shape);
        List<Callable<Integer>> tasks = new ArrayList<>();
        List<TaskFailure> failures = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int n = i;
            TaskFailure failure = new TaskFailure("planned " + n);
            failures.add(failure);
            tasks.add(() -> {
                if (n % 5 == 4) {
                    throw failure;
                }
                // Uneven work, so that completion order differs from submission order.
                long sum = 0;
                for (int k = 0; k < (30 - n) * 1_000; k++) {
                    sum += k;
                }
                return sum >= 0 ? n : -1;
            });
        }
        List<Future<Integer>> futures = BoundedWait.call(() -> f.executor.invokeAll(tasks), 20_000,
                f.scheduler.name());

        assertEquals(tasks.size(), futures.size());
        for (int i = 0; i < futures.size(); i++) {
            Future<Integer> future = futures.get(i);
            assertTrue(future.isDone(), "invokeAll returned an unfinished future");
            if (i % 5 == 4) {
                assertSame(failures.get(i), assertThrows(ExecutionException.class, future::get).getCause());
            } else {
                assertEquals(i, future.get(0, SECONDS), "futures must be in the order of the tasks");
            }
        }
    }

    @ForEachShape
    void invokeAll_withTimeout_cancelsTheUnfinishedTasks(Shape shape) throws Exception {
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        try {
            List<Callable<String>> tasks = List.of(() -> "quick", awaiting(release, "slow"));
            long start = System.nanoTime();
            List<Future<String>> futures = f.executor.invokeAll(tasks, 100, MILLISECONDS);
            assertTimedOutOnTime(System.nanoTime() - start, 100);

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

    @ForEachShape
    void invokeAll_withTimeout_throwsInterruptedException_whenInterruptedWhileWaiting(Shape shape)
            throws Exception {
        // ExecutorService.invokeAll(tasks, timeout, unit): "InterruptedException - if interrupted
        // while waiting, in which case unfinished tasks are cancelled".
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        List<Callable<String>> tasks = List.of(awaiting(release, "a"), awaiting(release, "b"));
        try {
            CallerThread<List<Future<String>>> caller = CallerThread.start("invokeAll",
                    () -> f.executor.invokeAll(tasks, 30, SECONDS)).awaitBlocked();
            caller.interrupt();
            caller.awaitFinished(10);
            assertInstanceOf(InterruptedException.class, caller.thrown(),
                    "an interrupted timed invokeAll must throw InterruptedException");
        } finally {
            release.countDown();
        }
    }

    @ForEachShape
    void invokeAny_returnsTheResultOfATaskThatSucceeded(Shape shape) throws Exception {
        ExecutorService executor = open(shape).executor;
        List<Callable<String>> tasks = List.of(
                () -> {
                    throw new TaskFailure("first fails");
                },
                () -> {
                    throw new CheckedFailure("second fails");
                },
                () -> "third succeeds");
        assertEquals("third succeeds", executor.invokeAny(tasks));
        assertEquals("third succeeds", executor.invokeAny(tasks, 10, SECONDS));
    }

    @ForEachShape
    void invokeAny_whenSeveralTasksSucceedAtOnce_returnsOneOfTheirResults(Shape shape) throws Exception {
        // Every task succeeds, almost together: the result must be one of theirs, never lost.
        ExecutorService executor = open(shape).executor;
        List<Callable<String>> tasks = new ArrayList<>();
        Set<String> results = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String result = "result " + i;
            results.add(result);
            tasks.add(() -> result);
        }
        for (int round = 0; round < 300; round++) {
            String untimed = executor.invokeAny(tasks);
            assertTrue(results.contains(untimed), "round " + round + ": invokeAny returned " + untimed);
            String timed = executor.invokeAny(tasks, 10, SECONDS);
            assertTrue(results.contains(timed), "round " + round + ": timed invokeAny returned " + timed);
        }
    }

    @ForEachShape
    void invokeAny_throwsExecutionException_whenEveryTaskFails(Shape shape) {
        ExecutorService executor = open(shape).executor;
        List<Throwable> thrown = List.of(new TaskFailure("a"), new TaskFailure("b"), new CheckedFailure("c"));
        List<Callable<String>> tasks = new ArrayList<>();
        for (Throwable failure : thrown) {
            tasks.add(() -> {
                throw (Exception) failure;
            });
        }
        ExecutionException untimed = assertThrows(ExecutionException.class, () -> executor.invokeAny(tasks));
        assertTrue(thrown.contains(untimed.getCause()), () -> "cause should be a task's failure: " + untimed.getCause());
        ExecutionException timed = assertThrows(ExecutionException.class,
                () -> executor.invokeAny(tasks, 10, SECONDS));
        assertTrue(thrown.contains(timed.getCause()), () -> "cause should be a task's failure: " + timed.getCause());
    }

    @ForEachShape
    void invokeAny_withTimeout_throwsTimeoutException_whenNoTaskFinishesInTime(Shape shape) {
        ExecutorService executor = open(shape).executor;
        CountDownLatch release = new CountDownLatch(1);
        try {
            List<Callable<String>> tasks = List.of(awaiting(release, "a"), awaiting(release, "b"));
            long start = System.nanoTime();
            assertThrows(TimeoutException.class, () -> executor.invokeAny(tasks, 100, MILLISECONDS));
            assertTimedOutOnTime(System.nanoTime() - start, 100);
        } finally {
            release.countDown();
        }
    }

    // ================================================================== interoperation and waiting on a worker

    @ForEachShape
    void completableFuture_runsOnTheSchedulersWorkers(Shape shape) throws Exception {
        Fixture f = open(shape);
        String prefix = f.workerPrefix();

        CompletableFuture<String> chain = CompletableFuture
                .supplyAsync(() -> Thread.currentThread().getName(), f.executor)
                .thenApplyAsync(first -> first + "|" + Thread.currentThread().getName(), f.executor);
        String[] threads = chain.get(10, SECONDS).split("\\|");

        assertTrue(threads[0].startsWith(prefix) && threads[1].startsWith(prefix), () -> String.join(", ", threads));
        assertEquals(42, CompletableFuture.supplyAsync(() -> 42, f.executor).get(10, SECONDS));
    }

    /** A worker that waits for a task of the executor helps run it, so even one worker cannot deadlock. */
    @ForEachShape
    void waitingOnAWorker_helps_soItCannotDeadlock(Shape shape) throws Exception {
        Fixture f = open(shape);

        int viaGet = BoundedWait.call(() -> f.scheduler.invoke(() -> f.executor.submit(() -> 42).get()),
                20_000, f.scheduler.name());
        int viaInvokeAll = BoundedWait.call(() -> f.scheduler.invoke(() -> {
            int sum = 0;
            List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
            for (Future<Integer> future : f.executor.invokeAll(tasks)) {
                sum += future.get();
            }
            return sum;
        }), 20_000, f.scheduler.name());

        assertEquals(42, viaGet);
        assertEquals(6, viaInvokeAll);
    }
}
