package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Scheduler#supplyAsync} and {@link Scheduler#runAsync}: the stage pipeline they start stays
 * on the scheduler — every async method without an executor, at any depth of dependents, runs on
 * one of its workers — and failures are reported as {@code CompletableFuture}'s are.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SchedulerStageTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private Scheduler scheduler() {
        return hygiene.newScheduler(2);
    }

    private static String thread() {
        return Thread.currentThread().getName();
    }

    @Test
    void asyncDependentsWithoutAnExecutor_runOnTheScheduler_atEveryDepth() throws Exception {
        Scheduler scheduler = scheduler();
        String prefix = scheduler.name() + "-worker";
        CompletableFuture<String> first = scheduler.supplyAsync(SchedulerStageTest::thread);
        CompletableFuture<String> second = first.thenApplyAsync(t -> thread());
        CompletableFuture<String> third = second.thenCombineAsync(scheduler.supplyAsync(() -> 1), (t, one) -> thread());
        CompletableFuture<String> fourth = third.handleAsync((t, failure) -> thread())
                .thenComposeAsync(t -> CompletableFuture.completedFuture(thread()));
        AtomicReference<String> accepted = new AtomicReference<>();
        fourth.thenAcceptAsync(t -> accepted.set(thread())).get(30, TimeUnit.SECONDS);
        for (String name : new String[] {first.get(), second.get(), third.get(), fourth.get(), accepted.get()}) {
            assertTrue(name.startsWith(prefix), "ran on " + name + ", not on " + prefix);
        }
        assertSame(scheduler, second.defaultExecutor());
        assertSame(scheduler, fourth.defaultExecutor());
    }

    @Test
    void runAsync_runsTheActionOnTheScheduler() throws Exception {
        Scheduler scheduler = scheduler();
        AtomicReference<String> ran = new AtomicReference<>();
        scheduler.runAsync(() -> ran.set(thread())).get(30, TimeUnit.SECONDS);
        assertTrue(ran.get().startsWith(scheduler.name() + "-worker"), ran.get());
    }

    @Test
    void aFailingSupplier_completesExceptionally_asSupplyAsyncDoes() {
        Scheduler scheduler = scheduler();
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Integer> failed = scheduler.supplyAsync(() -> {
            throw boom;
        });
        CompletionException thrown = assertThrows(CompletionException.class, failed::join);
        assertSame(boom, thrown.getCause());
        CompletableFuture<Integer> recovered = failed.exceptionallyAsync(failure -> 7);
        assertEquals(7, recovered.join());
    }

    @Test
    void waitingForAStageInsideATask_helpsWithScheduler_join() throws Exception {
        Scheduler scheduler = hygiene.track(Scheduler.builder().parallelism(1).detectBlockedWorkers(false)
                .maxSpareWorkers(0).name(SchedulerHygiene.uniqueName("stage")).build());
        int value = BoundedWait.call(() -> scheduler.invoke(() -> Scheduler.join(
                scheduler.supplyAsync(() -> 20).thenApplyAsync(v -> v + 1))), 20_000, scheduler.name());
        assertEquals(21, value);
    }

    @Test
    void afterShutdown_fromOutside_isRejected_andNullIsRefusedByName() {
        Scheduler scheduler = scheduler();
        scheduler.shutdown();
        assertThrows(RejectedExecutionException.class, () -> scheduler.supplyAsync(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> scheduler.runAsync(() -> { }));
        NullPointerException npe = assertThrows(NullPointerException.class, () -> scheduler.supplyAsync(null));
        assertEquals("supplier", npe.getMessage());
        assertInstanceOf(NullPointerException.class, assertThrows(NullPointerException.class,
                () -> scheduler.runAsync(null)));
    }
}
