package dev.spindle.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.ForEachParallelism;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * R8 of {@code reliability.md}: thousands of failing tasks. Whichever way a failure comes back
 * (join, get, a join inside a worker, execute's uncaught handler) it is the task's own exception
 * instance; no failure kills a worker; and the pool does not keep failures alive, so the heap
 * stays flat over rounds of them (the JDK-8004138 shape).
 */
class SchedulerExceptionsTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final int FAILURES = 10_000;
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** A task failure that knows which task threw it and weighs 1 KiB, so that a leak shows in the heap. */
    static final class NumberedFailure extends RuntimeException {
        final int id;
        @SuppressWarnings("unused") final byte[] ballast = new byte[1024];

        NumberedFailure(int id) {
            super("planned failure " + id);
            this.id = id;
        }
    }

    static final class NumberedError extends Error {
        final int id;

        NumberedError(int id) {
            super("planned error " + id);
            this.id = id;
        }
    }

    static final class NumberedCheckedFailure extends Exception {
        final int id;

        NumberedCheckedFailure(int id) {
            super("planned checked failure " + id);
            this.id = id;
        }
    }

    /** Every third task throws an Error, every third a checked exception, the rest a RuntimeException. */
    private static Throwable failureFor(int id) {
        switch (id % 3) {
            case 0: return new NumberedFailure(id);
            case 1: return new NumberedError(id);
            default: return new NumberedCheckedFailure(id);
        }
    }

    /** A task that records the exception it throws in {@code thrown[id]}, then throws it. */
    private static java.util.concurrent.Callable<Object> failing(int id, AtomicReferenceArray<Throwable> thrown) {
        return () -> {
            Throwable failure = failureFor(id);
            thrown.set(id, failure);
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            throw (Exception) failure;
        };
    }

    private Scheduler schedulerWithHandler(int parallelism, Thread.UncaughtExceptionHandler handler) {
        return hygiene.track(Scheduler.builder()
                .parallelism(parallelism)
                .name("exceptions-handler" + NAMES.incrementAndGet())
                .uncaughtExceptionHandler(handler)
                .build());
    }

    // ------------------------------------------------------------------ via join, get, execute

    @ForEachParallelism
    void tenThousandFailures_viaJoin_rethrowTheTasksOwnExceptions(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        long executedBefore = scheduler.stats().tasksExecuted();
        failViaJoin(scheduler);
        assertWorkersSurvived(scheduler, executedBefore + FAILURES);
    }

    @ForEachParallelism
    void tenThousandFailures_viaGet_comeWrappedWithTheTasksOwnExceptionAsCause(int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        long executedBefore = scheduler.stats().tasksExecuted();
        failViaGet(scheduler);
        assertWorkersSurvived(scheduler, executedBefore + FAILURES);
    }

    @ForEachParallelism
    void tenThousandFailures_viaExecute_reachTheHandlerAsTheTasksOwnExceptions(int parallelism)
            throws Exception {
        AtomicReferenceArray<Throwable> handled = new AtomicReferenceArray<>(FAILURES);
        AtomicInteger handledCount = new AtomicInteger();
        Scheduler scheduler = schedulerWithHandler(parallelism, (thread, failure) -> {
            if (failure instanceof NumberedFailure) {
                handled.set(((NumberedFailure) failure).id, failure);
            }
            handledCount.incrementAndGet();
        });
        long executedBefore = scheduler.stats().tasksExecuted();
        failViaExecute(scheduler, handled, handledCount);
        assertWorkersSurvived(scheduler, executedBefore + FAILURES);
    }

    @ForEachParallelism
    void tenThousandFailures_joinedInsideAWorker_rethrowTheTasksOwnExceptions(int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        AtomicReferenceArray<Throwable> thrown = new AtomicReferenceArray<>(FAILURES);
        long executedBefore = scheduler.stats().tasksExecuted();
        // One parent forks every failing task, then joins them oldest first, so most joins find
        // their task stolen or buried and must help: the failure comes back through that path.
        Task<List<String>> parent = scheduler.submit(() -> {
            List<Task<Object>> children = new ArrayList<>(FAILURES);
            for (int i = 0; i < FAILURES; i++) {
                children.add(scheduler.fork(failing(i, thrown)));
            }
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < FAILURES; i++) {
                try {
                    children.get(i).join();
                    problems.add("join of task " + i + " returned normally");
                } catch (CompletionException wrapped) {
                    if (wrapped.getCause() != thrown.get(i)) {
                        problems.add("task " + i + ": wrong cause " + wrapped.getCause());
                    }
                } catch (Throwable t) {
                    if (t != thrown.get(i)) {
                        problems.add("task " + i + ": rethrew " + t + " instead of " + thrown.get(i));
                    }
                }
            }
            return problems;
        });
        List<String> problems = parent.get(30, SECONDS);
        assertTrue(problems.isEmpty(), () -> problems.size() + " problems, first: " + problems.get(0));
        assertWorkersSurvived(scheduler, executedBefore + FAILURES + 1);
    }

    private static void failViaJoin(Scheduler scheduler) {
        AtomicReferenceArray<Throwable> thrown = new AtomicReferenceArray<>(FAILURES);
        List<Task<Object>> tasks = new ArrayList<>(FAILURES);
        for (int i = 0; i < FAILURES; i++) {
            tasks.add(scheduler.submit(failing(i, thrown)));
        }
        for (int i = 0; i < FAILURES; i++) {
            Task<Object> task = tasks.get(i);
            Throwable rethrown;
            try {
                task.join();
                throw new AssertionError("join of failing task " + i + " returned normally");
            } catch (CompletionException wrapped) {
                assertTrue(thrown.get(i) instanceof NumberedCheckedFailure,
                        () -> "an unchecked failure was wrapped: " + wrapped);
                rethrown = wrapped.getCause();
            } catch (NumberedFailure | NumberedError direct) {
                rethrown = direct;
            }
            assertSame(thrown.get(i), rethrown, "join must rethrow the task's own exception");
        }
    }

    private static void failViaGet(Scheduler scheduler) throws InterruptedException {
        AtomicReferenceArray<Throwable> thrown = new AtomicReferenceArray<>(FAILURES);
        List<Task<Object>> tasks = new ArrayList<>(FAILURES);
        for (int i = 0; i < FAILURES; i++) {
            tasks.add(scheduler.submit(failing(i, thrown)));
        }
        for (int i = 0; i < FAILURES; i++) {
            Task<Object> task = tasks.get(i);
            try {
                task.get(10, SECONDS);
                fail("get of failing task " + i + " returned normally");
            } catch (ExecutionException wrapped) {
                assertSame(thrown.get(i), wrapped.getCause(), "get must wrap the task's own exception");
            } catch (java.util.concurrent.TimeoutException timedOut) {
                fail("failing task " + i + " did not complete within 10 s");
            }
        }
    }

    private static void failViaExecute(Scheduler scheduler, AtomicReferenceArray<Throwable> handled,
                                       AtomicInteger handledCount) throws InterruptedException {
        AtomicReferenceArray<Throwable> thrown = new AtomicReferenceArray<>(FAILURES);
        int countBefore = handledCount.get();
        for (int i = 0; i < FAILURES; i++) {
            int id = i;
            scheduler.execute(() -> {
                NumberedFailure failure = new NumberedFailure(id);
                thrown.set(id, failure);
                throw failure;
            });
        }
        long deadline = System.nanoTime() + SECONDS.toNanos(30);
        while (handledCount.get() - countBefore < FAILURES && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertEquals(FAILURES, handledCount.get() - countBefore, "every executed failure reaches the handler once");
        for (int i = 0; i < FAILURES; i++) {
            assertNotNull(thrown.get(i));
            assertSame(thrown.get(i), handled.get(i), "the handler must get the task's own exception");
            handled.set(i, null);
        }
    }

    /**
     * The pool still runs tasks, its executed count covers at least {@code minExecuted}, and all
     * of its workers are alive: {@code parallelism} tasks can be running at the same moment.
     */
    private static void assertWorkersSurvived(Scheduler scheduler, long minExecuted) throws Exception {
        int parallelism = scheduler.parallelism();
        CountDownLatch started = new CountDownLatch(parallelism);
        CountDownLatch release = new CountDownLatch(1);
        List<Task<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            tasks.add(scheduler.submit(() -> {
                started.countDown();
                return release.await(30, SECONDS);
            }));
        }
        boolean allStarted = started.await(10, SECONDS);
        release.countDown();
        assertTrue(allStarted, () -> "fewer than " + parallelism + " workers still run tasks: " + scheduler.stats());
        for (Task<Boolean> task : tasks) {
            assertTrue(task.get(10, SECONDS));
        }
        long deadline = System.nanoTime() + SECONDS.toNanos(5);
        while (scheduler.stats().tasksExecuted() < minExecuted + parallelism && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertTrue(scheduler.stats().tasksExecuted() >= minExecuted + parallelism,
                () -> "tasksExecuted did not grow by the failed and the later tasks: " + scheduler.stats());
    }

    // ------------------------------------------------------------------ errors

    @ForEachParallelism
    void customError_isRethrownByJoinAsTheSameInstance_andTheWorkerSurvives(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        NumberedError error = new NumberedError(7);
        Task<Thread> failed = scheduler.submit(() -> {
            throw error;
        });
        assertSame(error, assertThrows(NumberedError.class, failed::join));
        assertSame(error, assertThrows(NumberedError.class, () -> scheduler.invoke(() -> {
            throw error;
        })));
        assertWorkersSurvived(scheduler, 2);
    }

    @ForEachParallelism
    @Timeout(30)
    void stackOverflowError_isRethrownByJoinAsTheSameInstance_andTheWorkerSurvives(int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        AtomicReference<StackOverflowError> overflow = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Task<Integer> task = scheduler.submit(() -> {
            ranOn.set(Thread.currentThread());
            try {
                return recurseForever(0);
            } catch (StackOverflowError e) {
                overflow.set(e);
                throw e;
            }
        });
        StackOverflowError rethrown = assertThrows(StackOverflowError.class, task::join);
        assertNotNull(overflow.get(), "the task did not overflow its stack");
        assertSame(overflow.get(), rethrown, "join must rethrow the task's own StackOverflowError");

        // The worker that overflowed still runs tasks, including deep ones (its guard pages are back).
        if (parallelism == 1) {
            Task<Thread> next = scheduler.submit(Thread::currentThread);
            assertSame(ranOn.get(), next.get(10, SECONDS), "the only worker was replaced or died");
        }
        assertEquals(10_000, scheduler.submit(() -> recurse(10_000)).get(10, SECONDS));
        assertWorkersSurvived(scheduler, 2);
    }

    private static int recurseForever(int depth) {
        return recurseForever(depth + 1) + 1;
    }

    private static int recurse(int depth) {
        return depth == 0 ? 0 : recurse(depth - 1) + 1;
    }

    // ------------------------------------------------------------------ heap

    @Test
    @Timeout(60)
    void roundsOfTenThousandFailures_keepTheHeapFlat() throws Exception {
        // JDK-8004138 shape: exception bookkeeping kept every failure alive. Each round fails
        // 10,000 tasks three ways; every failure carries 1 KiB, so keeping one round's failures
        // alone would cost ~30 MiB, and keeping three rounds' ~90 MiB.
        AtomicReferenceArray<Throwable> handled = new AtomicReferenceArray<>(FAILURES);
        AtomicInteger handledCount = new AtomicInteger();
        Scheduler scheduler = schedulerWithHandler(2, (thread, failure) -> {
            if (failure instanceof NumberedFailure) {
                handled.set(((NumberedFailure) failure).id, failure);
            }
            handledCount.incrementAndGet();
        });
        long afterFirstRound = 0;
        long afterLastRound = 0;
        int rounds = 4;
        for (int round = 0; round < rounds; round++) {
            failViaJoin(scheduler);
            failViaGet(scheduler);
            failViaExecute(scheduler, handled, handledCount);
            long used = usedHeapAfterGc();
            if (round == 0) {
                afterFirstRound = used;
            }
            afterLastRound = used;
        }
        long growth = afterLastRound - afterFirstRound;
        assertTrue(growth <= 32L << 20,
                "used heap grew by " + (growth >> 20) + " MiB over " + (rounds - 1)
                        + " rounds of 30,000 failures; failures are being kept alive");
        assertWorkersSurvived(scheduler, (long) rounds * 3 * FAILURES);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
