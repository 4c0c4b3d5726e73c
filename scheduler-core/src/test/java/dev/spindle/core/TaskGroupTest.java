package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.Occupation;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.Thrown;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TaskGroup}: structured waiting, failure policies, cancellation and nesting.
 * Joins ignore interrupts, so timeouts run the test in a separate thread: a hang fails, never sticks.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskGroupTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    // ------------------------------------------------------------------ waiting

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void close_waitsForEverySpawnedTask_includingTasksSpawnedByTasks(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        LongAdder finished = new LongAdder();
        int roots = 4;
        int depth = 6;                                   // each root is a binary tree of 2^7 - 1 nodes

        TaskGroup group = TaskGroup.open(scheduler);
        for (int r = 0; r < roots; r++) {
            group.spawn(() -> spawnTree(group, depth, finished));
        }
        group.close();

        assertEquals(roots * ((1L << (depth + 1)) - 1), finished.sum(), "tasks finished when close() returned");
    }

    private static void spawnTree(TaskGroup group, int depth, LongAdder finished) {
        if (depth > 0) {
            group.spawn(() -> spawnTree(group, depth - 1, finished));
            group.spawn(() -> spawnTree(group, depth - 1, finished));
        }
        BoundedWait.busyFor(depth == 0 ? 200 : 20);
        finished.increment();
    }

    @Test
    void close_makesEverythingTheTasksWroteVisible() {
        Scheduler scheduler = hygiene.newScheduler(2);
        long[] written = new long[1000];                 // plain writes, read after close()

        try (TaskGroup group = TaskGroup.open(scheduler)) {
            for (int i = 0; i < written.length; i++) {
                int index = i;
                group.spawn(() -> written[index] = index + 1L);
            }
        }

        for (int i = 0; i < written.length; i++) {
            assertEquals(i + 1L, written[i], "slot " + i);
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void close_insideAWorkerOfAOneWorkerScheduler_helpsInsteadOfDeadlocking() {
        Scheduler scheduler = hygiene.newScheduler(1);

        long finished = scheduler.invoke(() -> {
            LongAdder count = new LongAdder();
            try (TaskGroup group = TaskGroup.open(scheduler)) {
                for (int i = 0; i < 100; i++) {
                    group.spawn(() -> {
                        try (TaskGroup inner = TaskGroup.open(scheduler)) {   // nested close, same worker
                            inner.spawn(count::increment);
                            inner.spawn(count::increment);
                        }
                        count.increment();
                    });
                }
            }
            return count.sum();
        });

        assertEquals(300, finished);
    }

    // ------------------------------------------------------------------ failures

    @Test
    void runAll_closeRethrowsTheFirstFailure_withEveryLaterOneSuppressed() {
        Scheduler scheduler = hygiene.newScheduler(2);
        List<IllegalStateException> failures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            failures.add(new IllegalStateException("failure " + i));
        }
        LongAdder succeeded = new LongAdder();
        TaskGroup group = TaskGroup.open(scheduler, TaskGroup.FailurePolicy.RUN_ALL);
        for (IllegalStateException failure : failures) {
            group.spawn(() -> {
                throw failure;
            });
            group.spawn(succeeded::increment);
        }

        IllegalStateException thrown = assertThrows(IllegalStateException.class, group::close);

        assertEquals(10, succeeded.sum(), "RUN_ALL must let every other task run");
        assertEquals(9, thrown.getSuppressed().length);
        Set<Throwable> reported = new HashSet<>(Arrays.asList(thrown.getSuppressed()));
        reported.add(thrown);
        assertEquals(new HashSet<>(failures), reported, "every failure is the thrown one or suppressed");
        assertFalse(group.isCancelled(), "RUN_ALL does not cancel the group");
    }

    @Test
    void close_calledAgainAfterRethrowing_doesNothing() {
        Scheduler scheduler = hygiene.newScheduler(2);
        TaskGroup group = TaskGroup.open(scheduler, TaskGroup.FailurePolicy.RUN_ALL);
        group.spawn(() -> {
            throw new IllegalStateException("once");
        });

        assertThrows(IllegalStateException.class, group::close);
        assertDoesNotThrow(group::close);
    }

    @Test
    void cancelPending_afterAFailure_queuedTasksNeverStart() throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(1);
        // The only worker is held busy, so everything below queues in FIFO order behind it. Busy,
        // not blocked: a blocked worker gets a stand-in once work waits, and the stand-in and the
        // released worker could then run the failure and the next task at the same time.
        Occupation occupation = Occupation.ofOneWorker(scheduler);
        IllegalStateException failure = new IllegalStateException("first task fails");
        AtomicInteger ranAfterFailure = new AtomicInteger();

        TaskGroup group = TaskGroup.open(scheduler);
        group.spawn(() -> {
            throw failure;
        });
        for (int i = 0; i < 20; i++) {
            group.spawn(ranAfterFailure::incrementAndGet);
        }
        occupation.release();

        IllegalStateException thrown = assertThrows(IllegalStateException.class, group::close);
        assertSame(failure, thrown);
        assertTrue(group.isCancelled(), "CANCEL_PENDING cancels the group on the first failure");
        assertEquals(0, ranAfterFailure.get(), "tasks queued behind the failure started anyway");
    }

    @Test
    void cancelPending_spawnedInsideAWorker_failureOnTopOfTheDequeCancelsTheRest() {
        Scheduler scheduler = hygiene.newScheduler(1);
        IllegalStateException failure = new IllegalStateException("newest task fails");
        AtomicInteger ranAfterFailure = new AtomicInteger();

        // On one worker the deque is LIFO: the failing task, spawned last, runs first.
        Throwable thrown = scheduler.invoke(() -> {
            TaskGroup group = TaskGroup.open(scheduler);
            for (int i = 0; i < 20; i++) {
                group.spawn(ranAfterFailure::incrementAndGet);
            }
            group.spawn(() -> {
                throw failure;
            });
            return Thrown.by(group::close);
        });

        assertSame(failure, thrown);
        assertEquals(0, ranAfterFailure.get(), "tasks pending at the failure started anyway");
    }

    @Test
    void close_rethrowsAnErrorAsItIs() {
        Scheduler scheduler = hygiene.newScheduler(2);
        StackOverflowError error = new StackOverflowError("a member's error");
        TaskGroup group = TaskGroup.open(scheduler);
        group.spawn(() -> {
            throw error;
        });

        Error thrown = assertThrows(Error.class, group::close);

        assertSame(error, thrown);
    }

    @Test
    void close_wrapsACheckedExceptionInCompletionException() {
        Scheduler scheduler = hygiene.newScheduler(2);
        IOException checked = new IOException("sneaky");
        TaskGroup group = TaskGroup.open(scheduler);
        group.spawn(() -> TaskGroupTest.<RuntimeException>sneakyThrow(checked));

        CompletionException thrown = assertThrows(CompletionException.class, group::close);

        assertSame(checked, thrown.getCause());
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void aFailingMember_doesNotKillItsWorker() {
        Scheduler scheduler = hygiene.newScheduler(1);
        for (int round = 0; round < 100; round++) {
            TaskGroup group = TaskGroup.open(scheduler);
            group.spawn(() -> {
                throw new IllegalStateException("fails");
            });
            assertThrows(IllegalStateException.class, group::close);
        }

        assertEquals(7, scheduler.invoke(() -> 7), "the worker must survive its tasks' failures");
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void cancel_pendingTasksNeverStart_andARunningTaskSeesIsCancelled() throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch sawCancelled = new CountDownLatch(1);
        AtomicInteger pendingRan = new AtomicInteger();

        TaskGroup group = TaskGroup.open(scheduler);
        group.spawn(() -> {
            running.countDown();
            if (BoundedWait.until(group::isCancelled, 10_000)) {
                sawCancelled.countDown();
            }
        });
        for (int i = 0; i < 10; i++) {
            group.spawn(pendingRan::incrementAndGet);   // queued behind the running task
        }
        assertTrue(running.await(10, TimeUnit.SECONDS));
        group.cancel();

        assertTrue(sawCancelled.await(10, TimeUnit.SECONDS), "the running task never saw isCancelled()");
        group.close();
        assertTrue(BoundedWait.until(() -> scheduler.stats().queuedSubmissions() == 0, 10_000));
        assertEquals(0, pendingRan.get(), "pending tasks started after cancel()");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void close_afterCancel_stillWaitsForTheTaskThatWasRunning() throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(1);
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();

        TaskGroup group = TaskGroup.open(scheduler);
        group.spawn(() -> {
            running.countDown();
            BoundedWait.until(group::isCancelled, 10_000);
            BoundedWait.busyFor(200_000);                 // winds down for a while after seeing it
            finished.set(true);
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        group.cancel();
        group.close();

        assertTrue(finished.get(), "close() returned while a task of the group was still running");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void cancelPending_close_stillWaitsForATaskRunningAtTheFailure() throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(2);
        CountDownLatch slowRunning = new CountDownLatch(1);
        AtomicBoolean slowFinished = new AtomicBoolean();
        IllegalStateException failure = new IllegalStateException("fails while the other runs");

        TaskGroup group = TaskGroup.open(scheduler);
        group.spawn(() -> {
            slowRunning.countDown();
            BoundedWait.busyFor(300_000);
            slowFinished.set(true);
        });
        assertTrue(slowRunning.await(10, TimeUnit.SECONDS));
        group.spawn(() -> {
            throw failure;
        });
        // close() only after the failure has cancelled the group, while the slow task still runs.
        assertTrue(BoundedWait.until(group::isCancelled, 10_000), "the failure never cancelled the group");

        IllegalStateException thrown = assertThrows(IllegalStateException.class, group::close);
        assertSame(failure, thrown);
        assertTrue(slowFinished.get(), "close() returned while a task of the group was still running");
    }

    @Test
    void spawn_afterCancel_startsNothing() {
        Scheduler scheduler = hygiene.newScheduler(2);
        AtomicBoolean ran = new AtomicBoolean();
        TaskGroup group = TaskGroup.open(scheduler);

        group.cancel();
        group.spawn(() -> ran.set(true));
        group.close();

        assertFalse(ran.get());
        assertTrue(group.isCancelled());
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void cancellingTheParent_cancelsAChildGroupOpenedInsideAParentTask() throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(2);
        CountDownLatch childTaskRunning = new CountDownLatch(1);
        CountDownLatch childSawCancel = new CountDownLatch(1);
        AtomicReference<TaskGroup> childGroup = new AtomicReference<>();

        TaskGroup parent = TaskGroup.open(scheduler);
        parent.spawn(() -> {
            try (TaskGroup child = TaskGroup.open(scheduler)) {
                childGroup.set(child);
                child.spawn(() -> {
                    childTaskRunning.countDown();
                    if (BoundedWait.until(child::isCancelled, 10_000)) {
                        childSawCancel.countDown();
                    }
                });
            }
        });
        assertTrue(childTaskRunning.await(10, TimeUnit.SECONDS));
        parent.cancel();

        assertTrue(childSawCancel.await(10, TimeUnit.SECONDS),
                "the child group's running task never saw child.isCancelled()");
        parent.close();
        assertTrue(childGroup.get().isCancelled());
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aChildGroupOpenedInACancelledParent_startsCancelled() throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(2);
        CountDownLatch parentTaskRunning = new CountDownLatch(1);
        CountDownLatch parentCancelled = new CountDownLatch(1);
        AtomicBoolean childStartedCancelled = new AtomicBoolean();
        AtomicBoolean childTaskRan = new AtomicBoolean();

        TaskGroup parent = TaskGroup.open(scheduler);
        parent.spawn(() -> {
            parentTaskRunning.countDown();
            try {
                parentCancelled.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            try (TaskGroup child = TaskGroup.open(scheduler)) {
                childStartedCancelled.set(child.isCancelled());
                child.spawn(() -> childTaskRan.set(true));
            }
        });
        assertTrue(parentTaskRunning.await(10, TimeUnit.SECONDS));
        parent.cancel();
        parentCancelled.countDown();
        // The parent task may outlive close() if close() does not wait for it; wait for it here.
        assertTrue(BoundedWait.until(childStartedCancelled::get, 10_000), "child group not cancelled at open");
        parent.close();
        assertFalse(childTaskRan.get(), "a task of a cancelled child group ran");
    }

    // ------------------------------------------------------------------ arguments and state

    @Test
    void spawn_afterClose_fromAnOutsideThread_throwsIllegalState() {
        Scheduler scheduler = hygiene.newScheduler(2);
        TaskGroup group = TaskGroup.open(scheduler);
        group.spawn(() -> { });
        group.close();

        assertThrows(IllegalStateException.class, () -> group.spawn(() -> { }));
    }

    @Test
    void spawn_afterClose_fromAWorkerOutsideTheGroup_throwsIllegalState() {
        Scheduler scheduler = hygiene.newScheduler(2);
        TaskGroup group = TaskGroup.open(scheduler);
        group.close();

        Throwable thrown = scheduler.invoke(() -> Thrown.by(() -> group.spawn(() -> { })));

        assertInstanceOf(IllegalStateException.class, thrown);
    }

    @Test
    void nullArguments_throwNullPointer() {
        Scheduler scheduler = hygiene.newScheduler(1);
        TaskGroup group = TaskGroup.open(scheduler);

        assertThrows(NullPointerException.class, () -> group.spawn(null));
        assertThrows(NullPointerException.class, () -> TaskGroup.open((Scheduler) null));
        assertThrows(NullPointerException.class, () -> TaskGroup.open(scheduler, null));
        group.close();
    }
}
