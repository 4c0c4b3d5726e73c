package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.BodyFailures;
import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.Occupation;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.ThreadStacks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Arena}: the cap on threads, priorities without starvation, and {@code execute}. Joins
 * ignore interrupts, so timeouts run the test in a separate thread: a hang fails, never sticks.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ArenaTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final boolean STRESS = "true".equals(System.getProperty("spindle.stress"));

    /**
     * Counts the distinct threads inside some code at once, and the most seen. A thread that enters
     * again while inside (a task helping in a join) counts once, as for the arena's own cap.
     */
    static final class ThreadsInside {
        private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();

        void enter() {
            int[] d = depth.get();
            if (d[0]++ == 0) {
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
            }
        }

        void exit() {
            int[] d = depth.get();
            if (--d[0] == 0) {
                now.decrementAndGet();
            }
        }

        /** Runs {@code micros} of busy work counted as inside. */
        void spinInside(long micros) {
            enter();
            try {
                BoundedWait.busyFor(micros);
            } finally {
                exit();
            }
        }

        int most() {
            return most.get();
        }
    }

    private Arena arena(Scheduler scheduler, int maxConcurrency) {
        return Arena.builder().scheduler(scheduler).maxConcurrency(maxConcurrency).build();
    }

    private static void awaitAll(List<? extends Future<?>> futures) throws Exception {
        for (Future<?> future : futures) {
            try {
                future.get(20, TimeUnit.SECONDS);
            } catch (TimeoutException hung) {
                fail("an arena task did not complete within 20 s; workers:\n" + ThreadStacks.of(""));
            }
        }
    }

    // ------------------------------------------------------------------ the cap

    @ParameterizedTest(name = "maxConcurrency {0}")
    @ValueSource(ints = {1, 2})
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void submittedFromOutside_neverMoreThreadsInsideThanTheCap(int cap) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(4);
        Arena arena = arena(scheduler, cap);
        ThreadsInside inside = new ThreadsInside();
        ExecutorService executor = arena.asExecutorService();

        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            futures.add(executor.submit(() -> inside.spinInside(500)));
        }
        awaitAll(futures);

        assertTrue(inside.most() >= 1 && inside.most() <= cap, () -> inside.most() + " threads inside at once, cap " + cap);
        assertTrue(arena.peakConcurrency() <= cap, () -> "peakConcurrency " + arena.peakConcurrency() + ", cap " + cap);
    }

    @ParameterizedTest(name = "maxConcurrency {0}")
    @ValueSource(ints = {1, 2})
    void parallelLoopInsideAnArenaTask_neverMoreThreadsInsideThanTheCap(int cap) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(4);
        Arena arena = arena(scheduler, cap);
        ThreadsInside inside = new ThreadsInside();
        AtomicInteger blocks = new AtomicInteger();
        int rounds = STRESS ? 300 : 3;

        for (int round = 0; round < rounds; round++) {
            // One loop through execute(), and four at once through the executor.
            BoundedWait.call(() -> arena.execute(() -> {
                Parallel.forRange(scheduler, 0, 400, 1, (lo, hi) -> {
                    blocks.incrementAndGet();
                    inside.spinInside(50);
                });
                return null;
            }), 20_000, scheduler.name());
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(arena.asExecutorService().submit(() -> Parallel.forRange(scheduler, 0, 200, 1, (lo, hi) -> {
                    blocks.incrementAndGet();
                    inside.spinInside(50);
                })));
            }
            awaitAll(futures);
        }

        assertEquals(rounds * (400 + 4 * 200), blocks.get());
        assertTrue(inside.most() <= cap, () -> inside.most() + " threads inside at once, cap " + cap);
        assertTrue(arena.peakConcurrency() <= cap, () -> "peakConcurrency " + arena.peakConcurrency() + ", cap " + cap);
    }

    @ParameterizedTest(name = "maxConcurrency {0}")
    @ValueSource(ints = {1, 2})
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tasksForkedInsideAnArenaTask_countAgainstTheCap(int cap) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(4);
        Arena arena = arena(scheduler, cap);
        ThreadsInside inside = new ThreadsInside();

        long sum = arena.execute(() -> {
            List<Task<Integer>> forked = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int value = i;
                forked.add(scheduler.fork(() -> {
                    inside.spinInside(200);
                    return value;
                }));
            }
            long total = 0;
            for (Task<Integer> task : forked) {
                total += task.join();
            }
            return total;
        });

        assertEquals(4950, sum);
        assertTrue(inside.most() <= cap, () -> inside.most() + " threads inside at once, cap " + cap);
        assertTrue(arena.peakConcurrency() <= cap, () -> "peakConcurrency " + arena.peakConcurrency() + ", cap " + cap);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void capAboveParallelism_isAllowedAndEverythingRuns() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        Arena arena = arena(scheduler, 8);
        AtomicInteger ran = new AtomicInteger();

        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(arena.asExecutorService().submit(ran::incrementAndGet));
        }
        awaitAll(futures);

        assertEquals(50, ran.get());
        assertTrue(arena.peakConcurrency() <= 2, "only the scheduler's 2 workers can be inside");
    }

    @Test
    void defaults_capIsTheParallelism_priorityNormal() {
        Scheduler scheduler = hygiene.newScheduler(3);
        Arena arena = Arena.builder().scheduler(scheduler).build();

        assertEquals(3, arena.maxConcurrency());
        assertEquals(Arena.Priority.NORMAL, arena.priority());
        assertSame(scheduler, arena.scheduler());
        assertSame(arena.asExecutorService(), arena.asExecutorService());
    }

    // ------------------------------------------------------------------ execute

    @Test
    void execute_returnsTheValue_fromOutsideAndFromAWorker() {
        Scheduler scheduler = hygiene.newScheduler(2);
        Arena arena = arena(scheduler, 1);

        assertEquals("outside", arena.execute(() -> "outside"));
        assertEquals("inside", scheduler.invoke(() -> arena.execute(() -> "inside")));
        assertTrue(arena.execute(() -> Thread.currentThread().getName()).startsWith(scheduler.name() + "-worker-"),
                "an arena task runs on a worker of its scheduler");
    }

    @Test
    void execute_rethrowsRuntimeExceptionsAndErrorsAsTheyAre() {
        Scheduler scheduler = hygiene.newScheduler(2);
        Arena arena = arena(scheduler, 1);
        BodyFailures.assertRethrownAsThrown(scheduler, arena::execute);
    }

    // ------------------------------------------------------------------ forwarding at the cap

    /**
     * A task forwarded to the arena's queue because the arena is at its cap can only be run by a
     * thread that holds a permit. When the only holder is asleep in a join, the forward must wake
     * it: waking some other sleeper, which cannot enter the arena, loses the wake-up.
     *
     * <p>Set-up on 4 workers, cap 1: the permit holder A runs arena task X, which joins task Q (not
     * in the arena) and sleeps. Q, on worker W, waits until every other worker sleeps, then submits
     * Y to the arena from W (onto W's own deque) and waits for Y. W cannot enter the arena, so Y is
     * forwarded; only A can run it. Sleepers are woken lowest index first, so the scenario decides
     * something only when at least two sleepers other than W have a lower index than A (the push
     * and the forward each wake one); other rounds are repeated.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void taskForwardedAtTheCap_reachesThePermitHolderAsleepInAJoin() throws Exception {
        int deciding = 0;
        for (int round = 0; round < 50 && deciding < 2; round++) {
            ForwardingRound result = forwardingRound(hygiene.newScheduler(4));
            if (!result.deciding) {
                continue;
            }
            deciding++;
            assertTrue(result.yRanWithinMillis >= 0 && result.yRanWithinMillis < 1_000,
                    "task forwarded at the cap did not run while its permit holder slept: " + result);
        }
        assertTrue(deciding > 0, "no round in 50 reached the deciding worker layout: the test proved nothing");
    }

    /**
     * A thief that finds an arena task in another worker's deque while the arena is at its cap
     * passes it over and sleeps. When the permit holder then blocks without saying so, the stall
     * monitor lends its permit, and the thief must be woken: the task is in the blocked holder's
     * deque, not in the arena's queue, so waking only for queued tasks loses the wake-up. No spare
     * workers here, so the thief is the only one who can run it. (BlockingPatternsTest's
     * {@code ARENA_COMPLETABLE_FUTURE_JOIN} on one worker hung this way under load: the blocked
     * holder was a spare, counted as its own stand-in, and the one regular worker slept.)
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTaskPassedOverAtTheCap_runsOnceItsBlockedHolderLendsThePermit() throws Exception {
        Scheduler scheduler = hygiene.track(Scheduler.builder().parallelism(2).maxSpareWorkers(0)
                .name("passed-over").build());
        ExecutorService arena = Arena.builder().scheduler(scheduler).maxConcurrency(1).name("cap-1").build()
                .asExecutorService();
        for (int round = 0; round < 5; round++) {
            CountDownLatch innerRan = new CountDownLatch(1);
            AtomicBoolean passedOver = new AtomicBoolean();
            Future<Boolean> outer = arena.submit(() -> {
                long parks = scheduler.stats().parks();
                arena.execute(innerRan::countDown);      // onto this worker's deque; the other may not enter
                // Running with the permit until the other worker, woken by the push, has looked at
                // the task, passed it over and parked again.
                passedOver.set(BoundedWait.until(() -> scheduler.stats().parks() > parks
                        && otherWorkerWaiting(scheduler.name()), 10_000));
                return innerRan.await(10, TimeUnit.SECONDS);   // blocked: the monitor lends the permit
            });
            assertTrue(outer.get(30, TimeUnit.SECONDS), () -> "the task passed over at the cap"
                    + " did not run while the permit holder was blocked; threads:\n" + ThreadStacks.of(scheduler.name()));
            assertTrue(passedOver.get(), "the other worker never parked after the push: the round proved nothing");
        }
    }

    /** Whether a worker of the named scheduler other than the calling thread is parked. */
    private static boolean otherWorkerWaiting(String schedulerName) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread != Thread.currentThread() && thread.getName().startsWith(schedulerName + "-worker-")
                    && thread.getState() == Thread.State.WAITING) {
                return true;
            }
        }
        return false;
    }

    private static final class ForwardingRound {
        volatile boolean deciding;
        volatile String layout = "?";
        volatile long yRanWithinMillis = -1;             // -1: Y had not run when Q gave up

        @Override
        public String toString() {
            return layout + ", Y ran after " + yRanWithinMillis + " ms";
        }
    }

    private static int workerIndex(Thread thread) {
        String name = thread.getName();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1)) - 1;
    }

    private static boolean allOtherWorkersWaiting(String prefix, Thread except) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread != except && thread.getName().startsWith(prefix) && thread.getState() != Thread.State.WAITING) {
                return false;
            }
        }
        return true;
    }

    private ForwardingRound forwardingRound(Scheduler scheduler) throws Exception {
        String prefix = scheduler.name() + "-worker-";
        Arena arena = arena(scheduler, 1);
        ExecutorService executor = arena.asExecutorService();
        ForwardingRound result = new ForwardingRound();
        assertTrue(BoundedWait.until(() -> allOtherWorkersWaiting(prefix, null), 5_000), "workers never went to sleep");

        // Occupy three workers one by one, so that X (the permit holder) lands on the last one.
        AtomicBoolean stopOccupying = new AtomicBoolean();
        for (int i = 0; i < 3; i++) {
            CountDownLatch occupied = new CountDownLatch(1);
            scheduler.submit(() -> {
                occupied.countDown();
                BoundedWait.until(stopOccupying::get, 10_000);
            });
            assertTrue(occupied.await(5, TimeUnit.SECONDS));
        }
        AtomicReference<Thread> holder = new AtomicReference<>();
        AtomicReference<Thread> qThread = new AtomicReference<>();
        AtomicReference<Task<?>> q = new AtomicReference<>();
        CountDownLatch xRunning = new CountDownLatch(1);
        Future<?> x = executor.submit(() -> {
            holder.set(Thread.currentThread());
            xRunning.countDown();
            BoundedWait.until(() -> q.get() != null && qThread.get() != null, 10_000);
            q.get().join();                              // A sleeps here: nothing else to help with
        });
        assertTrue(xRunning.await(5, TimeUnit.SECONDS));
        stopOccupying.set(true);

        q.set(scheduler.submit(() -> {
            Thread w = Thread.currentThread();
            qThread.set(w);
            boolean othersAsleep = BoundedWait.until(() -> allOtherWorkersWaiting(prefix, w), 5_000);
            int a = workerIndex(holder.get());
            int lowerSleepers = 0;
            for (int i = 0; i < a; i++) {
                lowerSleepers += i == workerIndex(w) ? 0 : 1;
            }
            result.layout = "holder index " + a + ", Q on index " + workerIndex(w) + ", others asleep " + othersAsleep;
            result.deciding = othersAsleep && lowerSleepers >= 2;
            long start = System.nanoTime();
            AtomicLong ranAt = new AtomicLong();
            Task<?> y = (Task<?>) executor.submit(() -> ranAt.set(System.nanoTime()));
            long giveUp = start + TimeUnit.SECONDS.toNanos(2);
            while (!y.isDone() && System.nanoTime() - giveUp < 0) {
                try {
                    y.get(100, TimeUnit.MILLISECONDS);
                } catch (Exception notYet) {
                    // keep waiting until Y is done or we give up
                }
            }
            if (ranAt.get() != 0) {
                result.yRanWithinMillis = TimeUnit.NANOSECONDS.toMillis(ranAt.get() - start);
            }
        }));
        x.get(20, TimeUnit.SECONDS);
        return result;
    }

    // ------------------------------------------------------------------ priority

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void highPriority_queuedTasksStartBeforeLowPriorityOnes() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(1);
        ExecutorService low = Arena.builder().scheduler(scheduler).priority(Arena.Priority.LOW).name("low").build()
                .asExecutorService();
        ExecutorService high = Arena.builder().scheduler(scheduler).priority(Arena.Priority.HIGH).name("high").build()
                .asExecutorService();
        // The only worker is held busy, not blocked: a blocked worker gets a stand-in as soon as
        // work waits, and the stand-in would start the LOW tasks while the HIGH ones are still
        // being submitted.
        Occupation occupation = Occupation.ofOneWorker(scheduler);
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();

        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(low.submit(() -> order.add("LOW")));
        }
        for (int i = 0; i < 20; i++) {
            futures.add(high.submit(() -> order.add("HIGH")));
        }
        occupation.release();
        awaitAll(futures);

        List<String> started = new ArrayList<>(order);
        long highInFirst20 = started.subList(0, 20).stream().filter("HIGH"::equals).count();
        int lastHigh = started.lastIndexOf("HIGH");
        long lowBeforeLastHigh = started.subList(0, lastHigh).stream().filter("LOW"::equals).count();
        // One scan in 16 serves LOW first: 40 scans hold at most 3 such scans.
        assertTrue(highInFirst20 >= 15, () -> "start order " + started);
        assertTrue(lowBeforeLastHigh <= 3, () -> "start order " + started);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void lowPriority_isNotStarvedByAStreamOfHighPriorityTasks() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(1);
        ExecutorService low = Arena.builder().scheduler(scheduler).priority(Arena.Priority.LOW).build()
                .asExecutorService();
        ExecutorService high = Arena.builder().scheduler(scheduler).priority(Arena.Priority.HIGH).build()
                .asExecutorService();
        AtomicLong highQueued = new AtomicLong();
        CountDownLatch lowDone = new CountDownLatch(10);
        AtomicLong lowSawNoHighQueued = new AtomicLong();
        Runnable highTask = () -> {
            highQueued.decrementAndGet();
            BoundedWait.busyFor(10);
        };
        // Start with a backlog of high-priority work, then keep it coming until the low tasks finish.
        // The worker is held busy, not blocked, while the backlog builds: a blocked worker's
        // stand-in would drain the backlog before the low tasks arrive.
        Occupation occupation = Occupation.ofOneWorker(scheduler);
        for (int i = 0; i < 1000; i++) {
            highQueued.incrementAndGet();
            high.execute(highTask);
        }
        for (int i = 0; i < 10; i++) {
            low.execute(() -> {
                if (highQueued.get() <= 0) {
                    lowSawNoHighQueued.incrementAndGet();
                }
                lowDone.countDown();
            });
        }
        AtomicBoolean stopFeeding = new AtomicBoolean();
        Thread feeder = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!stopFeeding.get() && System.nanoTime() - deadline < 0) {
                if (highQueued.get() < 1000) {
                    highQueued.incrementAndGet();
                    high.execute(highTask);
                } else {
                    Thread.yield();
                }
            }
        }, "high-priority-feeder");
        feeder.start();
        try {
            occupation.release();
            assertTrue(lowDone.await(15, TimeUnit.SECONDS), "low-priority tasks starved: "
                    + lowDone.getCount() + " of 10 never ran");
        } finally {
            stopFeeding.set(true);
            feeder.join(20_000);
        }
        assertEquals(0, lowSawNoHighQueued.get(), "low tasks ran only after the high-priority stream dried up");
    }

    // ------------------------------------------------------------------ builder

    @ParameterizedTest(name = "maxConcurrency {0}")
    @ValueSource(ints = {0, -3, Integer.MIN_VALUE})
    void builder_maxConcurrencyBelowOne_throwsIllegalArgumentNamingTheValue(int value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Arena.builder().maxConcurrency(value));

        assertTrue(e.getMessage().contains(String.valueOf(value)), e.getMessage());
    }

    @Test
    void builder_rejectsNullAndBlankArguments() {
        assertThrows(NullPointerException.class, () -> Arena.builder().scheduler(null));
        assertThrows(NullPointerException.class, () -> Arena.builder().priority(null));
        assertThrows(NullPointerException.class, () -> Arena.builder().name(null));
        assertInstanceOf(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> Arena.builder().name("  ")));
        Scheduler scheduler = hygiene.newScheduler(1);
        assertThrows(NullPointerException.class, () -> arena(scheduler, 1).execute(null));
    }
}
