package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.CallerThread;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.ThreadStacks;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * R1/R9 of docs/reliability.md: {@code shutdownNow()} releases every blocked caller, including one
 * in {@code invokeAny} or {@code invokeAll} whose tasks were all still queued. {@code invokeAny}
 * then throws {@link ExecutionException} with a {@link CancellationException} as its cause (as
 * {@code AbstractExecutorService.invokeAny} does when no task completed normally), and
 * {@code invokeAll} returns its futures, all done and cancelled.
 *
 * <p>Each case holds the only worker busy, so the invoked tasks stay queued until the shutdown.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BulkInvocationShutdownNowTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /** Which executor the calls go through, and which {@code shutdownNow} drains them. */
    enum Setup {
        SCHEDULER,
        ARENA_EXECUTOR_DRAINED_BY_SCHEDULER,
        ARENA_EXECUTOR_DRAINED_BY_ITSELF
    }

    /** A 1-worker scheduler whose worker is held busy, and the executor under test. */
    private final class Fixture {
        final Scheduler scheduler;
        final ExecutorService executor;
        final Setup setup;
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger invokedRuns = new AtomicInteger();

        Fixture(Setup setup) throws InterruptedException {
            this.setup = setup;
            scheduler = hygiene.track(Scheduler.builder().parallelism(1)
                    .name(SchedulerHygiene.uniqueName("bulk")).build());
            executor = setup == Setup.SCHEDULER ? scheduler
                    : Arena.builder().scheduler(scheduler).maxConcurrency(1).build().asExecutorService();
            CountDownLatch busy = new CountDownLatch(1);
            scheduler.submit(() -> {
                busy.countDown();
                return BoundedWait.holdBusy(release, 30_000);  // shutdownNow's interrupt also ends it
            });
            assertTrue(busy.await(10, TimeUnit.SECONDS), "the task holding the worker never started");
        }

        List<Callable<Integer>> tasks() {
            Callable<Integer> task = () -> {
                invokedRuns.incrementAndGet();
                return 1;
            };
            return List.of(task, task, task);
        }

        void shutdownNow() {
            if (setup == Setup.ARENA_EXECUTOR_DRAINED_BY_ITSELF) {
                executor.shutdownNow();
            } else {
                scheduler.shutdownNow();
            }
            release.countDown();
        }
    }

    /** Waits (bounded) for {@code caller} to end; a hang fails with the threads' stacks. */
    private static <T> CallerThread<T> awaitFinished(CallerThread<T> caller, String schedulerName)
            throws InterruptedException {
        caller.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(caller.isAlive(), () -> caller.getName() + " still blocked 10 s after shutdownNow:\n"
                + ThreadStacks.of(caller.getName() + "|" + schedulerName));
        return caller;
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void invokeAny_whoseTasksAreCancelledByShutdownNow_throwsExecutionException(Setup setup) throws Exception {
        Fixture f = new Fixture(setup);
        CallerThread<Integer> untimed = CallerThread.start("invokeAny", () -> f.executor.invokeAny(f.tasks()));
        CallerThread<Integer> timed = CallerThread.start("timed invokeAny",
                () -> f.executor.invokeAny(f.tasks(), 30, TimeUnit.SECONDS));
        untimed.awaitBlocked();
        timed.awaitBlocked();

        f.shutdownNow();

        for (CallerThread<Integer> caller : List.of(untimed, timed)) {
            Throwable thrown = awaitFinished(caller, f.scheduler.name()).thrown();
            ExecutionException failed = assertInstanceOf(ExecutionException.class, thrown, caller.getName());
            assertInstanceOf(CancellationException.class, failed.getCause(), caller.getName());
        }
        assertEquals(0, f.invokedRuns.get(), "a task cancelled by shutdownNow ran");
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void invokeAll_whoseTasksAreCancelledByShutdownNow_returnsCancelledFutures(Setup setup) throws Exception {
        Fixture f = new Fixture(setup);
        CallerThread<List<Future<Integer>>> untimed = CallerThread.start("invokeAll",
                () -> f.executor.invokeAll(f.tasks()));
        CallerThread<List<Future<Integer>>> timed = CallerThread.start("timed invokeAll",
                () -> f.executor.invokeAll(f.tasks(), 30, TimeUnit.SECONDS));
        untimed.awaitBlocked();
        timed.awaitBlocked();

        f.shutdownNow();

        for (CallerThread<List<Future<Integer>>> caller : List.of(untimed, timed)) {
            List<Future<Integer>> futures = awaitFinished(caller, f.scheduler.name()).value();
            assertEquals(3, futures.size());
            for (Future<Integer> future : futures) {
                assertTrue(future.isDone() && future.isCancelled(), () -> caller.getName() + ": " + future);
            }
        }
        assertEquals(0, f.invokedRuns.get(), "a task cancelled by shutdownNow ran");
    }

    /**
     * {@code invokeAny} through an arena's executor while that executor's {@code shutdownNow()}
     * runs at a random moment: before the task is queued, while it is queued, while a worker
     * starts it, or after it ran. Every time the call returns the value or throws, never hangs. The
     * narrow case: a worker has started the task when {@code shutdownNow} claims it, so the task's
     * cancel finds it started and tells its work nothing; the executor must tell the work (which
     * counts the invokeAny's tasks out) itself.
     */
    @org.junit.jupiter.api.Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void invokeAny_racingItsArenaExecutorsShutdownNow_alwaysEnds() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int s = 0; s < 8; s++) {
            Scheduler scheduler = hygiene.track(Scheduler.builder().parallelism(2)
                    .name(SchedulerHygiene.uniqueName("anyrace")).build());
            for (int round = 0; round < 150; round++) {
                ExecutorService executor = Arena.builder().scheduler(scheduler).maxConcurrency(1).build()
                        .asExecutorService();
                CallerThread<String> caller = CallerThread.start("invokeAny race " + s + "." + round, () -> {
                    try {
                        return "returned " + executor.invokeAny(List.of(() -> 7));
                    } catch (ExecutionException failed) {
                        assertInstanceOf(CancellationException.class, failed.getCause());
                        return "cancelled";
                    } catch (java.util.concurrent.RejectedExecutionException rejected) {
                        return "rejected";
                    }
                });
                for (int spins = random.nextInt(20_000); spins > 0; spins--) {
                    Thread.onSpinWait();
                }
                executor.shutdownNow();
                String outcome = awaitFinished(caller, scheduler.name()).value();
                assertTrue(outcome.equals("returned 7") || outcome.equals("cancelled")
                        || outcome.equals("rejected"), outcome);
            }
            scheduler.shutdown();
            assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS), "scheduler did not terminate");
        }
    }
}
