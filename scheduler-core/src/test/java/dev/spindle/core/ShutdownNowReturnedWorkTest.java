package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.CallerThread;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * R1/R9 of docs/reliability.md: what {@code shutdownNow()} returns is safe to run. The user's own
 * {@code Runnable} comes back as the same instance wherever one was handed over ({@code execute},
 * {@code submit(Runnable)}, an arena's executor, {@code TaskGroup.spawn}, {@code isolate} from
 * outside the pool); a {@code Callable}
 * comes back as a {@code Runnable} that calls it once; internal parts of a call that
 * {@code shutdownNow} released with a {@link CancellationException} (a loop's forked half, the
 * forked side of {@code Parallel.join}, the entry of a loop called from outside) come back as
 * no-ops. None throws an internal exception when run.
 *
 * <p>Two workers: one is held by a plain task; the other runs a loop whose block 0 waits inside a
 * {@code Parallel.join}, so the loop's upper half and the join's second side stay on its deque.
 * The user's tasks submitted from outside stay queued.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShutdownNowReturnedWorkTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /** The loop whose halves are queued when shutdownNow runs. */
    enum Loop {
        FOR_RANGE, REDUCE
    }

    /** A user's Runnable that counts its runs. */
    private static final class Counted implements Runnable {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public void run() {
            runs.incrementAndGet();
        }
    }

    @ParameterizedTest
    @EnumSource(Loop.class)
    void shutdownNow_returnsTheUsersRunnables_andNothingThatFailsWhenRun(Loop loop) throws Exception {
        Scheduler scheduler = hygiene.track(Scheduler.builder().parallelism(2)
                .name(SchedulerHygiene.uniqueName("drained")).build());
        ExecutorService arenaExecutor = Arena.builder().scheduler(scheduler).maxConcurrency(2).build()
                .asExecutorService();

        // Worker 1: held by a plain task (shutdownNow's interrupt ends it).
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch releaseHolder = new CountDownLatch(1);
        scheduler.submit(() -> {
            holding.countDown();
            return BoundedWait.holdBusy(releaseHolder, 30_000);
        });
        assertTrue(holding.await(10, TimeUnit.SECONDS), "the holding task never started");

        // Worker 2: a loop of 4 blocks forks its upper half, then block 0 forks a join's second side
        // and waits in the first; both forks stay on this worker's deque.
        int blocks = 4;
        AtomicIntegerArray loopCalls = new AtomicIntegerArray(blocks);
        Counted joinSecond = new Counted();
        CountDownLatch inJoin = new CountDownLatch(1);
        AtomicBoolean releaseLoop = new AtomicBoolean();
        RangeFunction<Integer> block = (lo, hi) -> {
            loopCalls.incrementAndGet(lo);
            if (lo == 0) {
                Parallel.join(scheduler, () -> {
                    inJoin.countDown();
                    BoundedWait.until(releaseLoop::get, 20_000);
                }, joinSecond);
            }
            return 0;
        };
        Task<?> loopTask = scheduler.submit(() -> loop == Loop.FOR_RANGE
                ? runForRange(scheduler, blocks, block)
                : Parallel.reduce(scheduler, 0, blocks, 1, 0, block, Integer::sum));
        assertTrue(inJoin.await(10, TimeUnit.SECONDS), "the loop never reached its join");

        // From outside: everything stays queued.
        Counted executed = new Counted();
        Counted submitted = new Counted();
        AtomicInteger callableRuns = new AtomicInteger();
        Counted arenaExecuted = new Counted();
        Counted arenaSubmitted = new Counted();
        Counted spawned = new Counted();
        AtomicInteger outsideLoopCalls = new AtomicInteger();
        scheduler.execute(executed);
        scheduler.submit(submitted);
        scheduler.submit((java.util.concurrent.Callable<Integer>) callableRuns::incrementAndGet);
        arenaExecutor.execute(arenaExecuted);
        arenaExecutor.submit(arenaSubmitted);
        TaskGroup group = TaskGroup.open(scheduler);
        group.spawn(spawned);
        CallerThread<Void> outsideLoop = CallerThread.start("outside forRange", () -> {
            Parallel.forRange(scheduler, 0, 10, 1, (lo, hi) -> outsideLoopCalls.incrementAndGet());
            return null;
        });
        outsideLoop.awaitBlocked();
        Counted isolated = new Counted();
        CallerThread<Void> outsideIsolate = CallerThread.start("outside isolate", () -> {
            scheduler.isolate(isolated);
            return null;
        });
        outsideIsolate.awaitBlocked();

        List<Runnable> returned = scheduler.shutdownNow();

        List<String> failures = new ArrayList<>();
        for (Runnable runnable : returned) {
            try {
                BoundedWait.call(() -> {
                    runnable.run();
                    return null;
                }, 5_000, scheduler.name());
            } catch (Throwable thrown) {
                failures.add(runnable + " threw " + thrown);
            }
        }
        releaseLoop.set(true);
        releaseHolder.countDown();

        assertTrue(failures.isEmpty(), () -> "returned Runnables failed when run: " + failures);
        Set<Runnable> identities = Collections.newSetFromMap(new IdentityHashMap<>());
        identities.addAll(returned);
        for (Counted user : List.of(executed, submitted, arenaExecuted, arenaSubmitted, spawned, isolated)) {
            assertTrue(identities.contains(user), () -> "the user's Runnable was not returned as itself: " + returned);
            assertEquals(1, user.runs.get(), "running the returned Runnable runs the user's work once");
        }
        assertEquals(1, callableRuns.get(), "the submitted Callable runs once through its Runnable");
        // 6 user Runnables, 1 Callable, the loop's upper half, the join's second side, the outside loop's entry.
        assertEquals(10, returned.size(), () -> "returned: " + returned);
        assertEquals(0, joinSecond.runs.get(), "the join's second side is an internal part: a no-op");
        assertEquals(0, loopCalls.get(2) + loopCalls.get(3), "the loop's upper half is an internal part: a no-op");
        assertEquals(0, outsideLoopCalls.get(), "the outside loop's entry is an internal part: a no-op");
        assertInstanceOf(CancellationException.class, outsideLoop.awaitFinished(10).thrown(),
                "the outside loop's caller is told its loop never ran");
        assertInstanceOf(CancellationException.class, outsideIsolate.awaitFinished(10).thrown());
        assertTrue(BoundedWait.until(loopTask::isDone, 10_000), "the loop's task did not end");
    }

    private static Void runForRange(Scheduler scheduler, int blocks, RangeFunction<Integer> block) {
        Parallel.forRange(scheduler, 0, blocks, 1, block::apply);
        return null;
    }
}
