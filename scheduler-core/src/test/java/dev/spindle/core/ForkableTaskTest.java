package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ForkableTask}: a task that is its own work keeps every guarantee of a forked
 * {@code Callable} (results, exceptions, cancel, {@code shutdownNow}, the region it was forked in),
 * is forked at most once, and a wait on one that was never forked fails instead of hanging.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForkableTaskTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();


    private Scheduler scheduler(int parallelism) {
        return hygiene.track(Scheduler.builder().parallelism(parallelism)
                .name(SchedulerHygiene.uniqueName("forkable")).build());
    }

    /** fib with every call a task, as {@code RecursiveTask} code is written. */
    static final class Fib extends ForkableTask<Integer> {
        final int n;

        Fib(int n) {
            this.n = n;
        }

        @Override
        protected Integer compute() {
            if (n < 2) {
                return n;
            }
            ForkableTask<Integer> first = new Fib(n - 1).fork();   // on this worker's deque
            int second = new Fib(n - 2).compute();
            return first.join() + second;
        }
    }

    /** A task that runs a body, counting its runs. */
    static final class Body<T> extends ForkableTask<T> {
        final java.util.concurrent.Callable<T> body;
        final AtomicInteger runs = new AtomicInteger();

        Body(java.util.concurrent.Callable<T> body) {
            this.body = body;
        }

        @Override
        protected T compute() throws Exception {
            runs.incrementAndGet();
            return body.call();
        }
    }

    private static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void fib_forkedAsTasksOfTheirOwnWork_equalsTheSequentialResult(int parallelism) throws Exception {
        Scheduler scheduler = scheduler(parallelism);
        assertEquals(fib(22), scheduler.invoke(() -> new Fib(22).compute()));
        ForkableTask<Integer> root = scheduler.fork(new Fib(20));   // from outside: submitted
        assertEquals(fib(20), root.get(30, TimeUnit.SECONDS));
        assertTrue(root.isDone() && !root.isCompletedAbnormally());
    }

    @Test
    void fork_onAWorker_staysInItsScheduler_andOutsideAnyPool_goesToTheGlobalOne() throws Exception {
        Scheduler scheduler = scheduler(2);
        String inside = scheduler.invoke(() -> new Body<>(() -> Thread.currentThread().getName()).fork().join());
        assertTrue(inside.startsWith(scheduler.name() + "-worker"), inside);
        String outside = new Body<>(() -> Thread.currentThread().getName()).fork().get(30, TimeUnit.SECONDS);
        assertTrue(outside.startsWith(Scheduler.global().name() + "-worker"), outside);
    }

    @Test
    void join_rethrowsTheComputationsException_andGetWrapsIt() throws Exception {
        Scheduler scheduler = scheduler(2);
        IllegalArgumentException failure = new IllegalArgumentException("boom");
        Body<Integer> failing = new Body<>(() -> {
            throw failure;
        });
        Body<Integer> checked = new Body<>(() -> {
            throw new java.io.IOException("checked");
        });
        scheduler.invoke(() -> {
            scheduler.fork(failing);
            scheduler.fork(checked);
            assertSame(failure, assertThrows(IllegalArgumentException.class, failing::join));
            CompletionException wrapped = assertThrows(CompletionException.class, checked::join);
            assertInstanceOf(java.io.IOException.class, wrapped.getCause());
            return null;
        });
        ExecutionException viaGet = assertThrows(ExecutionException.class, () -> failing.get(10, TimeUnit.SECONDS));
        assertSame(failure, viaGet.getCause());
        assertEquals(1, failing.runs.get());
    }

    @Test
    void aSecondFork_throwsIllegalStateException_andTheTaskRunsOnce() throws Exception {
        Scheduler scheduler = scheduler(1);
        Body<Integer> task = new Body<>(() -> 5);
        scheduler.invoke(() -> {
            scheduler.fork(task);
            assertThrows(IllegalStateException.class, () -> scheduler.fork(task));
            return task.join();
        });
        assertThrows(IllegalStateException.class, () -> scheduler.fork(task));
        assertEquals(5, task.join());
        assertEquals(1, task.runs.get());
    }

    @Test
    void waitingForATaskNeverForked_throwsInsteadOfHanging() throws Exception {
        Scheduler scheduler = scheduler(1);
        Body<Integer> never = new Body<>(() -> 1);
        assertThrows(IllegalStateException.class, never::join);                       // outside the pool
        assertThrows(IllegalStateException.class, () -> never.get(30, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, never::toCompletableFuture);          // a future that never ends
        scheduler.invoke(() -> assertThrows(IllegalStateException.class, never::join));  // on a worker
        assertEquals(0, never.runs.get());
        assertEquals(1, new Body<>(() -> 1).compute(), "compute() stays a plain call");
    }

    @Test
    void cancelBeforeItRuns_itNeverRuns_andJoinThrowsCancellationException() throws Exception {
        Scheduler scheduler = scheduler(1);
        CountDownLatch release = new CountDownLatch(1);
        occupyTheOnlyWorker(scheduler, release);
        Body<Integer> queued = new Body<>(() -> 1);
        scheduler.fork(queued);
        assertTrue(queued.cancel(false));
        release.countDown();
        assertThrows(CancellationException.class, queued::join);
        scheduler.submit(() -> null).get(30, TimeUnit.SECONDS);     // the worker has passed the queue
        assertEquals(0, queued.runs.get());
        assertFalse(queued.cancel(false));
    }

    @Test
    void shutdownNow_cancelsAQueuedTask_andReturnsARunnableThatComputesItOnce() throws Exception {
        Scheduler scheduler = scheduler(1);
        CountDownLatch release = new CountDownLatch(1);
        occupyTheOnlyWorker(scheduler, release);
        Body<Integer> queued = new Body<>(() -> 1);
        scheduler.fork(queued);
        List<Runnable> returned = scheduler.shutdownNow();
        release.countDown();
        assertEquals(1, returned.size(), returned.toString());
        assertThrows(CancellationException.class, queued::join);
        assertEquals(0, queued.runs.get());
        returned.get(0).run();
        assertEquals(1, queued.runs.get());
        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS));

        Body<Integer> late = new Body<>(() -> 1);
        assertThrows(RejectedExecutionException.class, () -> scheduler.fork(late));
        assertThrows(CancellationException.class, late::join, "a rejected fork must not leave a join waiting");
    }

    @Test
    void aTaskForkedInsideAnArena_countsAgainstTheArenasCap() {
        Scheduler scheduler = scheduler(2);
        Arena arena = Arena.builder().scheduler(scheduler).maxConcurrency(1).build();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        final class Leaf extends ForkableTask<Integer> {
            final int depth;

            Leaf(int depth) {
                this.depth = depth;
            }

            @Override
            protected Integer compute() {
                int now = inside.incrementAndGet();
                peak.accumulateAndGet(now, Math::max);
                try {
                    if (depth == 0) {
                        long until = System.nanoTime() + 20_000;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        return 1;
                    }
                } finally {
                    inside.decrementAndGet();
                }
                ForkableTask<Integer> left = scheduler.fork(new Leaf(depth - 1));
                ForkableTask<Integer> right = scheduler.fork(new Leaf(depth - 1));
                return left.join() + right.join();
            }
        }
        assertEquals(256, arena.execute(() -> new Leaf(8).compute()));
        assertEquals(1, peak.get(), "two leaves ran at once in an arena capped at 1");
    }

    /**
     * Keeps the only worker of {@code scheduler} busy until {@code release} opens (or the worker is
     * interrupted, as {@code shutdownNow} does), so that what is forked next stays queued.
     */
    private static void occupyTheOnlyWorker(Scheduler scheduler, CountDownLatch release) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        scheduler.submit(() -> {
            busy.countDown();
            return BoundedWait.holdBusy(release, 30_000);
        });
        assertTrue(busy.await(10, TimeUnit.SECONDS), "the worker did not start the task that holds it");
    }
}
