package dev.spindle.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.CallerThread;
import dev.spindle.core.testing.CheckedFailure;
import dev.spindle.core.testing.ExecutorServiceContract;
import dev.spindle.core.testing.Occupation;
import dev.spindle.core.testing.TaskError;
import dev.spindle.core.testing.TaskFailure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link ExecutorServiceContract} plus what every {@link TaskExecutor} (the scheduler, an arena's
 * executor) adds to it: its futures are {@link Task}s ({@code join}, {@code isCompletedAbnormally});
 * {@code shutdownNow} returns the user's own work and cancels its futures, releasing every caller
 * blocked on them; {@code close()} exists on JDK 17; and waiting inside one of its tasks helps, so
 * {@code invokeAll} from a task cannot deadlock.
 */
abstract class TaskExecutorContract extends ExecutorServiceContract {

    @Override
    protected final boolean cancelsWhatShutdownNowReturns() {
        return true;
    }

    @Override
    protected <T> List<Callable<T>> untimedWaits(Future<T> future) {
        return List.of(future::get, ((Task<T>) future)::join);
    }

    private static TaskExecutor executor(Fixture f) {
        return (TaskExecutor) f.executor;
    }

    // ================================================================== Task: state and exceptions

    @ForEachShape
    void task_completedNormally_isNotCompletedAbnormally_andJoinReturnsItsValue(Shape shape) throws Exception {
        Task<Integer> task = executor(open(shape)).submit(() -> 42);
        assertEquals(42, task.get(10, SECONDS));
        assertFalse(task.isCompletedAbnormally());
        assertEquals(42, task.join());
    }

    @ForEachShape
    void join_rethrowsRuntimeExceptionsAndErrorsAsTheSameInstance_andWrapsCheckedOnes(Shape shape) {
        TaskExecutor executor = executor(open(shape));
        TaskFailure failure = new TaskFailure("planned");
        TaskError error = new TaskError("planned");
        CheckedFailure checked = new CheckedFailure("planned");
        Task<Object> failsUnchecked = executor.submit(() -> {
            throw failure;
        });
        Task<Object> failsWithError = executor.submit(() -> {
            throw error;
        });
        Task<Object> failsChecked = executor.submit(() -> {
            throw checked;
        });

        assertSame(failure, assertThrows(TaskFailure.class, failsUnchecked::join));
        assertSame(error, assertThrows(TaskError.class, failsWithError::join));
        assertSame(checked, assertThrows(CompletionException.class, failsChecked::join).getCause());
        for (Task<Object> task : List.of(failsUnchecked, failsWithError, failsChecked)) {
            assertTrue(task.isDone());
            assertFalse(task.isCancelled());
            assertTrue(task.isCompletedAbnormally());
            assertFalse(task.cancel(false));
        }
    }

    @ForEachShape
    void cancelledTask_isCompletedAbnormally_andJoinThrowsCancellation(Shape shape) throws Exception {
        Fixture f = open(shape);
        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        try {
            Task<Integer> task = executor(f).submit(() -> 1);
            assertTrue(task.cancel(false));
            assertTrue(task.isCompletedAbnormally());
            assertThrows(CancellationException.class, task::join);
        } finally {
            occupation.release();
        }
    }

    @ForEachShape
    void invokeAny_withANullTask_throwsNullPointerException_beforeRunningAny(Shape shape) {
        // Spindle checks the whole batch first; the JDK's invokeAny may return before it meets the null.
        TaskExecutor executor = executor(open(shape));
        AtomicInteger runs = new AtomicInteger();
        List<Callable<Integer>> withNull = Arrays.asList(runs::incrementAndGet, null);
        assertThrows(NullPointerException.class, () -> executor.invokeAny(withNull));
        assertThrows(NullPointerException.class, () -> executor.invokeAny(withNull, 1, SECONDS));
        assertEquals(0, runs.get(), "a task of a rejected batch ran");
    }

    // ================================================================== Task: interrupts

    @ForEachShape
    void join_ignoresAnInterruptWhileWaiting_butLeavesTheFlagSet(Shape shape) throws Exception {
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> task = executor(f).submit(awaiting(release, "done"));

        CallerThread<String> joiner = CallerThread.start("joiner", task::join).awaitBlocked();
        joiner.interrupt();
        CallerThread.awaitBlocked(joiner);              // it goes back to waiting
        Thread.sleep(50);
        assertTrue(joiner.isAlive(), "join returned on an interrupt");
        assertFalse(task.isDone());
        release.countDown();

        joiner.awaitFinished(10);
        assertEquals("done", joiner.value(), "join must not end early or throw on interrupt");
        assertTrue(joiner.interruptedAfterwards(), "join must leave the interrupt status set");
    }

    @ForEachShape
    void join_ofAnInterruptedCaller_waitsForTheResult_andKeepsTheFlag(Shape shape) throws Exception {
        Fixture f = open(shape);
        CountDownLatch release = new CountDownLatch(1);
        Task<String> task = executor(f).submit(awaiting(release, "done"));
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

    // ================================================================== shutdownNow

    @ForEachShape
    void shutdownNow_returnsTheUsersOwnRunnables_andCancelsTheirFutures(Shape shape) throws Exception {
        Fixture f = open(shape);
        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        AtomicInteger runs = new AtomicInteger();
        List<Runnable> userRunnables = new ArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Runnable runnable = runs::incrementAndGet;
            switch (i % 3) {
                case 0 -> {
                    f.executor.execute(runnable);
                    userRunnables.add(runnable);
                }
                case 1 -> {
                    futures.add(f.executor.submit(runnable));
                    userRunnables.add(runnable);
                }
                default -> futures.add(f.executor.submit(runs::incrementAndGet));
            }
        }

        List<Runnable> returned = f.executor.shutdownNow();
        occupation.release();
        assertTrue(f.executor.awaitTermination(10, SECONDS));

        Set<Runnable> returnedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        returnedSet.addAll(returned);
        for (Runnable runnable : userRunnables) {
            assertTrue(returnedSet.contains(runnable), "shutdownNow must return the user's own Runnable");
        }
        for (Future<?> future : futures) {
            assertTrue(future.isCancelled(), "a returned task is cancelled so nobody waits on it");
        }
        assertEquals(0, runs.get(), "a task returned by shutdownNow also ran");
    }

    @ForEachShape
    void shutdownNow_releasesCallersBlockedInGetAndJoinOnQueuedTasks(Shape shape) throws Exception {
        Fixture f = open(shape);
        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        Task<Integer> queued = executor(f).submit(() -> 1);
        List<CallerThread<Integer>> callers = List.of(
                CallerThread.start("join", queued::join),
                CallerThread.start("get", queued::get),
                CallerThread.start("timed get", () -> queued.get(30, SECONDS)));
        for (CallerThread<Integer> caller : callers) {
            caller.awaitBlocked();
        }

        f.executor.shutdownNow();
        for (CallerThread<Integer> caller : callers) {
            assertInstanceOf(CancellationException.class, caller.awaitFinished(10).thrown(), caller.getName());
        }
        occupation.release();
        assertTrue(f.executor.awaitTermination(10, SECONDS));
    }

    // ================================================================== close (JDK 17 has no ExecutorService.close)

    @ForEachShape
    void close_waitsForQueuedTasksToFinish(Shape shape) throws Exception {
        Fixture f = open(shape);
        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            f.executor.execute(runs::incrementAndGet);
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

        executor(f).close();
        assertTrue(f.executor.isTerminated(), "close returned before the executor terminated");
        assertEquals(50, runs.get(), "close returned before the queued tasks ran");
        releaser.awaitFinished(10).value();

        executor(f).close();                             // a second close is harmless
        assertTrue(f.executor.isTerminated());
    }

    @ForEachShape
    void close_fromInsideOneOfItsTasks_shutsDownWithoutWaitingForItself(Shape shape) throws Exception {
        Fixture f = open(shape);
        Task<Boolean> closer = executor(f).submit(() -> {
            executor(f).close();
            return f.executor.isShutdown();
        });
        assertTrue(closer.get(10, SECONDS), "close from a task must shut the executor down");
        assertTrue(f.executor.awaitTermination(10, SECONDS));
    }

    @ForEachShape
    void close_interruptedWhileWaiting_stopsTheExecutor_andKeepsTheInterrupt(Shape shape) throws Exception {
        Fixture f = open(shape);
        Occupation occupation = Occupation.ofEverySlot(f.executor, f.shape.slots());
        AtomicInteger queuedRuns = new AtomicInteger();
        f.executor.execute(queuedRuns::incrementAndGet);
        CallerThread<Boolean> closer = CallerThread.start("close", () -> {
            executor(f).close();
            return f.executor.isTerminated();
        }).awaitBlocked();
        closer.interrupt();                              // close now calls shutdownNow and waits on
        try {
            if (!shutdownNowInterruptsRunningTasks()) {
                // The running tasks go on, so close waits for them.
                CallerThread.awaitBlocked(closer);
                Thread.sleep(50);
                assertTrue(closer.isAlive(), "close returned while the executor's tasks still ran");
                occupation.release();
            }
            closer.awaitFinished(10);
        } finally {
            occupation.release();
        }
        assertTrue(closer.value(), "close returned before the executor terminated");
        assertTrue(closer.interruptedAfterwards(), "close must restore the interrupt status");
        assertEquals(0, queuedRuns.get(), "after the interrupt close stops the executor: queued tasks do not start");
        for (Future<Integer> task : occupation.tasks) {
            if (shutdownNowInterruptsRunningTasks()) {
                assertThrows(ExecutionException.class, () -> task.get(10, SECONDS),
                        "the running tasks were interrupted by the shutdownNow");
            } else {
                assertEquals(1, task.get(10, SECONDS), "the running tasks ran on");
            }
        }
    }

    // ================================================================== waiting inside a task

    @ForEachShape
    @Timeout(30)
    void invokeAllAndInvokeAny_fromInsideATask_complete(Shape shape) throws Exception {
        // With one slot, the caller holds it: it must run the tasks while it waits.
        Fixture f = open(shape);
        TaskExecutor executor = executor(f);
        List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
        Task<Integer> viaInvokeAll = executor.submit(() -> {
            int sum = 0;
            for (Future<Integer> future : executor.invokeAll(tasks)) {
                sum += future.get();
            }
            for (Future<Integer> future : executor.invokeAll(tasks, 10, SECONDS)) {
                sum += future.get();
            }
            return sum;
        });
        Task<Integer> viaInvokeAny = executor.submit(() -> executor.invokeAny(tasks));
        Task<Integer> viaTimedInvokeAny = executor.submit(() -> executor.invokeAny(tasks, 10, SECONDS));

        assertEquals(12, viaInvokeAll.get(20, SECONDS));
        assertTrue(Set.of(1, 2, 3).contains(viaInvokeAny.get(20, SECONDS)));
        assertTrue(Set.of(1, 2, 3).contains(viaTimedInvokeAny.get(20, SECONDS)));
    }
}
