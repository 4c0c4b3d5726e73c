package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.SchedulerHygiene;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R5, the JDK-8078490 shape: work that arrives while workers are going to sleep, or are asleep,
 * is always picked up. A lost wake-up shows as a task that does not start within 10 s.
 */
class LostWakeupTest {

    private static final boolean STRESS = Boolean.getBoolean("spindle.stress");
    private static final long START_BOUND_NANOS = TimeUnit.SECONDS.toNanos(10);

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    // ------------------------------------------------------------------ outside submissions

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    @Timeout(value = STRESS_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void submitsAfterRandomIdleGaps_eachStartWithinTenSeconds(int parallelism) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        int submits = STRESS ? 1_000_000 : 30_000;          // stress: 10^6 idle-to-busy cycles (the soak)
        SplittableRandom random = new SplittableRandom(8078490L + parallelism);
        Thread submitter = Thread.currentThread();
        AtomicInteger started = new AtomicInteger();
        Runnable countStart = () -> {
            started.incrementAndGet();
            LockSupport.unpark(submitter);
        };
        long parksBefore = scheduler.stats().parks();
        int submitted = 0;
        while (submitted < submits) {
            String gap = idleGap(random);
            // Mostly one task at a time, so a lost wake-up cannot be hidden by the next
            // submission's; sometimes two back to back, so two notifications race one sleeper.
            int batch = parallelism > 1 && random.nextInt(10) == 0 ? 2 : 1;
            for (int k = 0; k < batch && submitted < submits; k++) {
                if (random.nextBoolean()) {
                    scheduler.execute(countStart);
                } else {
                    scheduler.submit(countStart);
                }
                submitted++;
            }
            if (!awaitCount(started, submitted, START_BOUND_NANOS)) {
                fail("task " + submitted + " of " + submits + " (submitted after " + gap + ") did not start within 10 s: "
                        + started.get() + " started; " + scheduler.stats());
            }
        }
        long parks = scheduler.stats().parks() - parksBefore;
        assertTrue(parks >= 100, "workers parked only " + parks + " times: the test did not exercise waking sleepers");
    }

    /** Waits a random gap, as the bug history suggests: mostly none, sometimes long enough to sleep. */
    private static String idleGap(SplittableRandom random) {
        int kind = random.nextInt(100);
        if (kind < 55) {
            return "no gap";
        }
        if (kind < 70) {
            int spins = 1 + random.nextInt(2_000);
            for (int i = 0; i < spins; i++) {
                Thread.onSpinWait();
            }
            return spins + " spins";
        }
        if (kind < 95) {
            long nanos = 1_000 + random.nextInt(19_000);
            LockSupport.parkNanos(nanos);            // a few µs asked, usually ~50 µs slept
            return "parkNanos(" + nanos + ")";
        }
        long nanos = 200_000 + random.nextInt(1_800_000);
        LockSupport.parkNanos(nanos);                // long enough for the workers to park
        return "parkNanos(" + nanos + ")";
    }

    /** Waits until {@code counter >= target}: spins a little, then parks (tasks unpark us). */
    private static boolean awaitCount(AtomicInteger counter, int target, long boundNanos) {
        for (int spin = 0; spin < 200; spin++) {
            if (counter.get() >= target) {
                return true;
            }
            Thread.onSpinWait();
        }
        long deadline = System.nanoTime() + boundNanos;
        while (counter.get() < target) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(1)));
        }
        return true;
    }

    // ------------------------------------------------------------------ a worker's own fork

    /**
     * With both workers asleep, task A forks B and then stays busy until B has started. Only the
     * sleeping worker can run B, so B starting shows that a worker's push wakes a sleeper.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void forkFromABusyWorker_wakesASleepingWorkerToStealIt() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        awaitAllWorkersParked(scheduler);
        long wakeupsBefore = scheduler.stats().wakeups();

        AtomicReference<Thread> ranB = new AtomicReference<>();
        Task<Thread> a = scheduler.submit(() -> {
            Task<Object> b = scheduler.fork(() -> {
                ranB.set(Thread.currentThread());
                return null;
            });
            long deadline = System.nanoTime() + START_BOUND_NANOS;
            while (ranB.get() == null && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();                 // busy: this worker will not run B itself
            }
            b.join();
            return Thread.currentThread();
        });
        Thread ranA = a.get(20, TimeUnit.SECONDS);
        assertNotSame(ranA, ranB.get(),
                "B was not stolen within 10 s while A's worker stayed busy: the fork did not wake the sleeping worker; "
                        + scheduler.stats());
        assertTrue(scheduler.stats().wakeups() - wakeupsBefore >= 2,
                "expected a wake-up for A's submission and one for B's fork; " + scheduler.stats());
    }

    /**
     * The same, many times, with the fork landing at random points of the other worker's way to
     * sleep (spinning, registering, re-checking, parked): the push must never slip
     * between the other worker's re-check and its park. Task A forks B, stays busy until B has
     * finished on the other worker, waits a random few microseconds (the other worker is now on
     * its way to sleep) and forks the next B; each B must be stolen within 10 s.
     */
    @Test
    @Timeout(value = STRESS_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void forkWhileTheOtherWorkerFallsAsleep_isAlwaysStolen() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        int tasks = STRESS ? 1_000 : 100;
        int forksPerTask = 1_000;
        // A time box as well, so that a loaded machine (where a round can take 10x longer) keeps
        // the default build short.
        long timeBox = System.nanoTime() + TimeUnit.SECONDS.toNanos(STRESS ? 300 : 10);
        for (int t = 0; t < tasks && System.nanoTime() - timeBox < 0; t++) {
            long seed = t;
            Task<String> a = scheduler.submit(
                    () -> StealRace.forkAndWaitForAThief(scheduler, forksPerTask, seed, START_BOUND_NANOS));
            String problem = a.get(30, TimeUnit.SECONDS);
            if (problem != null) {
                fail("task " + t + ", " + problem + "; " + scheduler.stats());
            }
        }
    }

    /** The longest test here in the stress build; the default build stays far below it. */
    private static final long STRESS_TIMEOUT_SECONDS = 600;

    private static void awaitAllWorkersParked(Scheduler scheduler) throws InterruptedException {
        String prefix = scheduler.name() + "-worker-";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            int parked = 0;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith(prefix) && thread.getState() == Thread.State.WAITING) {
                    parked++;
                }
            }
            if (parked == scheduler.parallelism() && scheduler.stats().parks() >= scheduler.parallelism()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("workers of " + scheduler + " did not all go to sleep within 10 s; " + scheduler.stats());
            }
            Thread.sleep(5);
        }
    }
}
