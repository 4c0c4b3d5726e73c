package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Scheduler#join(java.util.concurrent.Future)} helps while it waits for a foreign future,
 * and {@link Task#toCompletableFuture()} bridges a task to stages. The pools here detect no
 * blocked workers, so a wait that did not help would hang (and the timeout would fail it).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForeignWaitTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private Scheduler oneWorkerWithoutStandIns() {
        return hygiene.track(Scheduler.builder().parallelism(1).detectBlockedWorkers(false).maxSpareWorkers(0)
                .name(SchedulerHygiene.uniqueName("fw")).build());
    }

    @Test
    void joinOfACompletableFuture_whoseStageIsQueuedInThePool_helpsItRun() throws Exception {
        Scheduler scheduler = oneWorkerWithoutStandIns();
        int value = BoundedWait.call(() -> scheduler.invoke(() -> Scheduler.join(
                CompletableFuture.supplyAsync(() -> 20, scheduler).thenApply(v -> v + 1))), 20_000, scheduler.name());
        assertEquals(21, value);
    }

    @Test
    void joinOfAFutureTask_queuedInThePool_helpsItRun() throws Exception {
        Scheduler scheduler = oneWorkerWithoutStandIns();
        int value = BoundedWait.call(() -> scheduler.invoke(() -> {
            FutureTask<Integer> stage = new FutureTask<>(() -> 42);
            scheduler.execute(stage);
            return Scheduler.join(stage);
        }), 20_000, scheduler.name());
        assertEquals(42, value);
    }

    @Test
    void join_reportsFailuresAsTaskJoinDoes() throws Exception {
        Scheduler scheduler = oneWorkerWithoutStandIns();
        IllegalStateException unchecked = new IllegalStateException("boom");
        IOException checked = new IOException("io");
        assertSame(unchecked, assertThrows(IllegalStateException.class, () -> scheduler.invoke(() ->
                Scheduler.join(CompletableFuture.supplyAsync(() -> { throw unchecked; }, scheduler)))));
        CompletionException wrapped = assertThrows(CompletionException.class, () -> scheduler.invoke(() -> {
            FutureTask<Integer> stage = new FutureTask<>(() -> { throw checked; });
            scheduler.execute(stage);
            return Scheduler.join(stage);
        }));
        assertSame(checked, wrapped.getCause());
        CompletableFuture<Integer> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);
        assertThrows(CancellationException.class, () -> Scheduler.join(cancelled));
        assertThrows(NullPointerException.class, () -> Scheduler.join(null));
    }

    @Test
    void join_keepsTheInterruptStatus() throws Exception {
        CompletableFuture<Integer> done = CompletableFuture.completedFuture(5);
        Thread.currentThread().interrupt();
        try {
            assertEquals(5, Scheduler.join(done));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void toCompletableFuture_completesWithTheTasksOutcome_andCancellingItCancelsTheTask() throws Exception {
        Scheduler scheduler = oneWorkerWithoutStandIns();
        assertEquals(8, scheduler.submit(() -> 7).toCompletableFuture().thenApply(v -> v + 1).get(10, TimeUnit.SECONDS));

        IllegalArgumentException failure = new IllegalArgumentException("bad");
        CompletableFuture<Object> failed = scheduler.submit(() -> { throw failure; }).toCompletableFuture();
        CompletionException thrown = assertThrows(CompletionException.class, failed::join);
        assertSame(failure, thrown.getCause());

        // A task still queued behind a busy worker: cancelling the stage cancels it, so it never runs.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Task<Boolean> holder = scheduler.submit(() -> BoundedWait.holdBusy(release, 20_000));
        AtomicInteger runs = new AtomicInteger();
        Task<Integer> queued = scheduler.submit(runs::incrementAndGet);
        assertTrue(queued.toCompletableFuture().cancel(false));
        assertTrue(queued.isCancelled());
        release.countDown();
        assertTrue(holder.get(10, TimeUnit.SECONDS));
        assertEquals(9, scheduler.submit(() -> 9).get(10, TimeUnit.SECONDS));
        assertEquals(0, runs.get(), "a cancelled task ran");
    }
}
