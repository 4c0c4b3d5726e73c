package dev.spindle.core.testing;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Tasks that hold every slot of an executor until released, so that whatever is submitted next
 * stays queued. Busy, not blocked: a blocked task gets a stand-in worker, or lends its arena
 * permit, and the tasks held back would run. Released tasks return 1; an interrupt (from
 * {@code shutdownNow}) ends them with {@link InterruptedException}.
 */
public final class Occupation {

    /** The holding tasks, one per slot. */
    public final List<Future<Integer>> tasks = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private Occupation() {
    }

    /**
     * Submits {@code slots} holding tasks to {@code executor} and waits (at most 10 s) until every
     * one of them runs; {@code slots} must be how many tasks the executor runs at once.
     */
    public static Occupation ofEverySlot(ExecutorService executor, int slots) throws InterruptedException {
        return ofSlots(executor, slots);
    }

    /**
     * Holds one worker of {@code executor} busy (waits at most 10 s until it runs): on a scheduler
     * of two, the other worker then runs alone, and nobody steals what it forks.
     */
    public static Occupation ofOneWorker(ExecutorService executor) throws InterruptedException {
        return ofSlots(executor, 1);
    }

    private static Occupation ofSlots(ExecutorService executor, int slots) throws InterruptedException {
        Occupation occupation = new Occupation();
        CountDownLatch started = new CountDownLatch(slots);
        for (int i = 0; i < slots; i++) {
            occupation.tasks.add(executor.submit(() -> {
                started.countDown();
                assertTrue(BoundedWait.holdBusy(occupation.release, 30_000), "occupation was never released");
                return 1;
            }));
        }
        assertTrue(started.await(10, SECONDS), () -> "not every slot started an occupying task: " + executor);
        return occupation;
    }

    /** Lets the holding tasks return. */
    public void release() {
        release.countDown();
    }
}
