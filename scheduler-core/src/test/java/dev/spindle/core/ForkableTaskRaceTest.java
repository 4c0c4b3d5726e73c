package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.SchedulerHygiene;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ForkableTask} under the hostile uses: a cancel racing the run, {@code shutdownNow}
 * racing running workers that fork more, an interrupted joiner outside the pool, a join of itself,
 * a {@code Throwable} that is neither checked-declared nor unchecked, and
 * {@code toCompletableFuture}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForkableTaskRaceTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();


    private Scheduler scheduler(int parallelism) {
        return hygiene.track(Scheduler.builder().parallelism(parallelism)
                .name(SchedulerHygiene.uniqueName("forkable-race")).build());
    }

    /** Counts its computations; optionally forks one child of the same kind from its worker. */
    static final class Counted extends ForkableTask<Integer> {
        final AtomicInteger runs = new AtomicInteger();
        final List<Counted> children;

        Counted(List<Counted> children) {
            this.children = children;
        }

        @Override
        protected Integer compute() {
            runs.incrementAndGet();
            if (children != null) {
                Counted child = new Counted(null);
                synchronized (children) {
                    children.add(child);
                }
                child.fork();                            // on the worker's deque, never joined
            }
            return 7;
        }
    }

    @Test
    void cancelRacingTheRun_everyJoinEnds_andTheWorkRunsAtMostOnce() throws Exception {
        Scheduler scheduler = scheduler(2);
        List<Counted> tasks = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Counted task = new Counted(null);
            tasks.add(task);
            scheduler.fork(task);
            boolean cancelled = task.cancel(false);
            assertEquals(cancelled, task.isCancelled());
            if (cancelled) {
                assertThrows(CancellationException.class, task::join);
            } else {
                assertEquals(7, task.join());
            }
        }
        scheduler.shutdown();
        assertTrue(scheduler.awaitTermination(30, TimeUnit.SECONDS));
        for (Counted task : tasks) {
            assertTrue(task.runs.get() <= 1, "ran " + task.runs.get() + " times");
            if (!task.isCancelled()) {
                assertEquals(1, task.runs.get());
            }
        }
    }

    @Test
    void shutdownNowRacingRunningWorkers_everyTaskComputesExactlyOnce_countingTheReturnedRunnables()
            throws Exception {
        for (int round = 0; round < 5; round++) {
            Scheduler scheduler = scheduler(2);
            List<Counted> children = new ArrayList<>();
            List<Counted> parents = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                Counted parent = new Counted(children);
                parents.add(parent);
                scheduler.fork(parent);
            }
            List<Runnable> returned = scheduler.shutdownNow();
            assertTrue(scheduler.awaitTermination(30, TimeUnit.SECONDS));
            for (Runnable work : returned) {
                work.run();                              // a parent run here forks its child to global
            }
            for (Counted parent : parents) {
                assertEquals(1, parent.runs.get(), "parent " + parent);
            }
            Scheduler.global().invoke(() -> null);
            List<Counted> all;
            synchronized (children) {
                all = new ArrayList<>(children);
            }
            assertEquals(parents.size(), all.size());
            for (Counted child : all) {
                if (!child.isDone()) {                   // forked to the global scheduler above
                    child.join();
                }
                assertEquals(child.isCancelled() ? 0 : 1, child.runs.get(), "child " + child);
            }
        }
    }

    @Test
    void anInterruptedJoinerOutsideThePool_joinWaitsOn_andKeepsTheInterrupt_getThrows() throws Exception {
        Scheduler scheduler = scheduler(1);
        CountDownLatch release = new CountDownLatch(1);
        ForkableTask<Integer> held = new ForkableTask<>() {
            @Override
            protected Integer compute() throws Exception {
                assertTrue(release.await(30, TimeUnit.SECONDS));
                return 3;
            }
        };
        scheduler.fork(held);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, held::get);
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                // release anyway
            }
            release.countDown();
        });
        releaser.start();
        Thread.currentThread().interrupt();
        try {
            assertEquals(3, held.join());
            assertTrue(Thread.currentThread().isInterrupted(), "join keeps the interrupt");
        } finally {
            Thread.interrupted();
            releaser.join(30_000);
        }
    }

    @Test
    void aTaskJoiningItselfInItsCompute_failsInsteadOfHanging() {
        Scheduler scheduler = scheduler(1);
        ForkableTask<Integer> self = new ForkableTask<>() {
            @Override
            protected Integer compute() {
                return join();
            }
        };
        scheduler.fork(self);
        assertInstanceOf(IllegalStateException.class, assertThrows(RuntimeException.class, self::join));
        ForkableTask<Integer> refork = new ForkableTask<>() {
            @Override
            protected Integer compute() {
                fork();
                return 1;
            }
        };
        scheduler.fork(refork);
        assertThrows(IllegalStateException.class, refork::join);
    }

    /** Neither an Exception nor an Error: what a sneaky throw of an odd Throwable delivers. */
    static final class OddThrowable extends Throwable {
        OddThrowable() {
            super("odd");
        }
    }

    @Test
    void aThrowableNeitherExceptionNorError_isWrappedByJoin_getAndTheFuture() throws Exception {
        Scheduler scheduler = scheduler(1);
        OddThrowable odd = new OddThrowable();
        ForkableTask<Integer> thrower = new ForkableTask<>() {
            @Override
            protected Integer compute() {
                throw ForkableTaskRaceTest.<RuntimeException>sneaky(odd);
            }
        };
        scheduler.fork(thrower);
        assertSame(odd, assertThrows(CompletionException.class, thrower::join).getCause());
        assertSame(odd, assertThrows(ExecutionException.class, thrower::get).getCause());
        CompletableFuture<Integer> future = thrower.toCompletableFuture();
        assertSame(odd, assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS)).getCause());
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void toCompletableFuture_ofAForkedTask_completesWithIt_andCancellingItCancelsTheTask() throws Exception {
        Scheduler scheduler = scheduler(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        ForkableTask<Integer> blocker = new ForkableTask<>() {
            @Override
            protected Integer compute() throws Exception {
                started.countDown();
                assertTrue(release.await(30, TimeUnit.SECONDS));
                return 1;
            }
        };
        scheduler.fork(blocker);
        assertTrue(started.await(30, TimeUnit.SECONDS));
        Counted queued = new Counted(null);
        scheduler.fork(queued);
        CompletableFuture<Integer> queuedFuture = queued.toCompletableFuture();
        assertTrue(queuedFuture.cancel(false));
        assertTrue(queued.isCancelled());
        CompletableFuture<Integer> blockerFuture = blocker.toCompletableFuture();
        assertFalse(blockerFuture.isDone());
        release.countDown();
        assertEquals(1, blockerFuture.get(30, TimeUnit.SECONDS));
        scheduler.submit(() -> null).get(30, TimeUnit.SECONDS);
        assertEquals(0, queued.runs.get());
    }
}
