package dev.spindle.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.ThreadStacks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * R9 of {@code reliability.md}: {@code shutdown}, {@code shutdownNow} and {@code close} racing
 * four submitter threads. In every round each accepted task is run exactly once or returned by
 * shutdownNow exactly once (or was cancelled by its submitter before it started), no rejected task
 * runs, no submission is accepted after one of the same thread was rejected, every future ends
 * done (so nobody stays blocked on it), a real caller blocked in {@code get} is released, and the
 * scheduler terminates. Tasks sometimes fork a child, as running tasks may after shutdown; the
 * same accounting holds for the children.
 *
 * <p>The default build runs {@value #DEFAULT_ROUNDS} rounds (about 10 s on 2 cores), or as many
 * as fit in {@value #DEFAULT_TIME_BOX_SECONDS} s: on a loaded machine the rounds take several times
 * longer, and a fixed count outran the 60 s test timeout without anything hanging.
 * {@code -Dspindle.stress=true} ({@code mvn -Pstress}) adds a run of {@value #STRESS_ROUNDS}.
 */
class SchedulerShutdownRaceTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final int DEFAULT_ROUNDS = 2_000;
    private static final long DEFAULT_TIME_BOX_SECONDS = 30;
    private static final int STRESS_ROUNDS = 10_000;
    private static final long STRESS_TIME_BOX_SECONDS = 25 * 60;

    private static final int SUBMITTERS = 4;
    private static final int PER_SUBMITTER = 48;
    private static final int TASKS = SUBMITTERS * PER_SUBMITTER;

    private enum Stop { SHUTDOWN, SHUTDOWN_NOW, CLOSE }

    /** The harness threads: four submitters, the stopper and a blocked caller. Plain JDK pool. */
    private ExecutorService harness;

    @BeforeEach
    void startHarness() {
        harness = Executors.newFixedThreadPool(SUBMITTERS + 2);
    }

    @AfterEach
    void stopHarness() throws InterruptedException {
        harness.shutdownNow();
        assertTrue(harness.awaitTermination(10, SECONDS), "the test harness threads did not stop");
    }

    /** Counts of what happened, summed over the rounds, so the test can tell it really raced. */
    private static final class Totals {
        long accepted;
        long rejected;
        long ranByPool;
        long returned;
        long cancelledBeforeStart;
        long childrenRun;
        long childrenReturned;
        int roundsWithBothAcceptedAndRejected;
        int shutdownNowRoundsThatReturnedTasks;

        @Override
        public String toString() {
            return "accepted=" + accepted + " rejected=" + rejected + " ranByPool=" + ranByPool
                    + " returned=" + returned + " cancelledBeforeStart=" + cancelledBeforeStart
                    + " childrenRun=" + childrenRun + " childrenReturned=" + childrenReturned
                    + " mixedRounds=" + roundsWithBothAcceptedAndRejected
                    + " shutdownNowRoundsReturning=" + shutdownNowRoundsThatReturnedTasks;
        }
    }

    @Test
    void shutdownShutdownNowAndClose_racingFourSubmitters_runOrReturnEveryAcceptedTask() throws Exception {
        race(DEFAULT_ROUNDS, DEFAULT_TIME_BOX_SECONDS);
    }

    /** The long form. Every wait in a round is bounded, and a round that hangs reports thread stacks. */
    @Test
    @Tag("stress")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void stress_shutdownShutdownNowAndClose_racingFourSubmitters_runOrReturnEveryAcceptedTask() throws Exception {
        race(STRESS_ROUNDS, STRESS_TIME_BOX_SECONDS);
    }

    /** Plays up to {@code rounds} rounds, starting none after {@code timeBoxSeconds}; every round checks everything. */
    private void race(int rounds, long timeBoxSeconds) throws Exception {
        Totals totals = new Totals();
        long timeBox = System.nanoTime() + SECONDS.toNanos(timeBoxSeconds);
        int played = 0;
        while (played < rounds && (played == 0 || System.nanoTime() - timeBox < 0)) {
            playRound(played, Stop.values()[played % 3], totals);
            played++;
        }
        System.out.println("R9, " + played + " of " + rounds + " rounds: " + totals);
        // The rounds must really have raced: shutdown landed among submissions, and shutdownNow
        // found queued work to return. Otherwise the invariants above were checked on easy cases.
        assertTrue(totals.roundsWithBothAcceptedAndRejected >= played / 4,
                "too few rounds where shutdown landed among the submissions: " + totals);
        assertTrue(totals.shutdownNowRoundsThatReturnedTasks >= 1,
                "shutdownNow never found queued tasks to return: " + totals);
        assertTrue(totals.cancelledBeforeStart >= 1, "no submitter cancel won the race: " + totals);
    }

    private void playRound(int round, Stop stop, Totals totals) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        String workerPrefix = scheduler.name() + "-worker-";

        AtomicIntegerArray ranByPool = new AtomicIntegerArray(TASKS);
        AtomicIntegerArray ranOutside = new AtomicIntegerArray(TASKS);
        AtomicIntegerArray childRanByPool = new AtomicIntegerArray(TASKS);
        AtomicIntegerArray childRanOutside = new AtomicIntegerArray(TASKS);
        AtomicIntegerArray accepted = new AtomicIntegerArray(TASKS);
        AtomicIntegerArray rejected = new AtomicIntegerArray(TASKS);
        AtomicIntegerArray cancelledByUs = new AtomicIntegerArray(TASKS);
        AtomicReferenceArray<Future<?>> futures = new AtomicReferenceArray<>(TASKS);
        AtomicReferenceArray<Task<?>> childFutures = new AtomicReferenceArray<>(TASKS);
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicReference<List<Runnable>> returned = new AtomicReference<>(List.of());
        AtomicReference<Future<?>> awaitedByCaller = new AtomicReference<>();

        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger submittersDone = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(SUBMITTERS + 2);
        List<Future<?>> jobs = new ArrayList<>();
        for (int s = 0; s < SUBMITTERS; s++) {
            int submitter = s;
            jobs.add(harness.submit(() -> {
                start.await(10, SECONDS);
                boolean sawRejection = false;
                for (int k = 0; k < PER_SUBMITTER; k++) {
                    int id = submitter * PER_SUBMITTER + k;
                    Runnable body = () -> {
                        boolean onWorker = Thread.currentThread().getName().startsWith(workerPrefix);
                        (onWorker ? ranByPool : ranOutside).incrementAndGet(id);
                        if (id % 5 == 0 && onWorker) {
                            // Running tasks may fork after shutdown; the child must be run or returned.
                            childFutures.set(id, scheduler.fork(() -> {
                                boolean childOnWorker = Thread.currentThread().getName().startsWith(workerPrefix);
                                (childOnWorker ? childRanByPool : childRanOutside).incrementAndGet(id);
                                return null;
                            }));
                        }
                    };
                    Callable<Object> callable = () -> {
                        body.run();
                        return null;
                    };
                    Future<?> future = null;
                    if (attempts.incrementAndGet() % 8 == 0) {
                        Thread.yield();                  // 2 cores: let the stopper in among us
                    }
                    try {
                        switch (k % 4) {
                            case 0 -> scheduler.execute(body);
                            case 1 -> future = scheduler.submit(body);
                            case 2 -> future = scheduler.submit(callable);
                            default -> future = scheduler.fork(callable);
                        }
                    } catch (RejectedExecutionException expected) {
                        rejected.set(id, 1);
                        sawRejection = true;
                        continue;
                    }
                    accepted.set(id, 1);
                    if (sawRejection) {
                        violations.add("task " + id + " was accepted after an earlier submission was rejected");
                    }
                    if (future != null) {
                        futures.set(id, future);
                        if (submitter == 0) {
                            awaitedByCaller.compareAndSet(null, future);
                        }
                        if (k % 8 == 1 && future.cancel(false)) {
                            cancelledByUs.set(id, 1);
                        }
                    }
                }
                submittersDone.incrementAndGet();
                return null;
            }));
        }
        jobs.add(harness.submit(() -> {
            start.await(10, SECONDS);
            // Land the stop among the submissions: after a random number of them has been made
            // (or once all submitters are done); the submitters carry on while it stops.
            int target = ThreadLocalRandom.current().nextInt(TASKS + TASKS / 8);
            long deadline = System.nanoTime() + SECONDS.toNanos(10);
            while (attempts.get() < target && submittersDone.get() < SUBMITTERS
                    && System.nanoTime() - deadline < 0) {
                Thread.yield();                          // 2 cores: let the submitters run
            }
            switch (stop) {
                case SHUTDOWN -> scheduler.shutdown();
                case SHUTDOWN_NOW -> returned.set(scheduler.shutdownNow());
                default -> {
                    scheduler.close();
                    if (!scheduler.isTerminated()) {
                        violations.add("close() returned before the scheduler terminated");
                    }
                }
            }
            return null;
        }));
        Future<?> firstSubmitter = jobs.get(0);
        jobs.add(harness.submit(() -> {
            // A caller blocked in get on one of submitter 0's tasks must be released.
            start.await(10, SECONDS);
            long deadline = System.nanoTime() + SECONDS.toNanos(10);
            Future<?> future;
            while ((future = awaitedByCaller.get()) == null && !firstSubmitter.isDone()
                    && System.nanoTime() - deadline < 0) {
                Thread.yield();                          // 2 cores: let the submitters run
            }
            future = awaitedByCaller.get();
            if (future != null) {
                try {
                    future.get(10, SECONDS);
                } catch (CancellationException expected) {
                    // returned by shutdownNow, or cancelled by its submitter
                } catch (TimeoutException stuck) {
                    violations.add("a caller blocked in get was not released within 10 s: " + future);
                }
            }
            return null;
        }));
        for (Future<?> job : jobs) {
            try {
                job.get(30, SECONDS);                    // rethrows a harness failure
            } catch (TimeoutException stuck) {
                throw new AssertionError("round " + round + " (" + stop + "): a harness thread is stuck; "
                        + scheduler.stats() + "\n" + ThreadStacks.of(""), stuck);
            }
        }

        assertTrue(scheduler.awaitTermination(10, SECONDS), () -> "round " + round + " (" + stop
                + "): " + scheduler + " did not terminate; " + scheduler.stats() + "\n" + ThreadStacks.of(""));

        // Run what shutdownNow returned, on this thread: each returned task's work runs here once.
        for (Runnable runnable : returned.get()) {
            runnable.run();
        }

        int roundAccepted = 0;
        int roundRejected = 0;
        int roundReturned = 0;
        for (int id = 0; id < TASKS; id++) {
            int pool = ranByPool.get(id);
            int outside = ranOutside.get(id);
            if (rejected.get(id) == 1) {
                roundRejected++;
                if (pool + outside != 0) {
                    violations.add("rejected task " + id + " ran");
                }
                continue;
            }
            roundAccepted++;
            boolean cancelled = cancelledByUs.get(id) == 1;
            if (pool > 1 || outside > 1 || pool + outside > 1) {
                violations.add("task " + id + " ran " + pool + " times in the pool and was returned " + outside + " times");
            } else if (pool + outside == 0 && !cancelled) {
                violations.add("accepted task " + id + " was neither run nor returned");
            }
            if (stop != Stop.SHUTDOWN_NOW && outside != 0) {
                violations.add("task " + id + " came back from " + stop);
            }
            totals.ranByPool += pool;
            roundReturned += outside;
            if (cancelled && pool + outside == 0) {
                totals.cancelledBeforeStart++;
            }
            Future<?> future = futures.get(id);
            if (future != null) {
                if (!future.isDone()) {
                    violations.add("the future of task " + id + " never completed: " + future);
                } else if (outside == 1 && !future.isCancelled()) {
                    violations.add("task " + id + " was returned by shutdownNow but its future is not cancelled");
                } else if (pool == 1 && !cancelled && future.isCancelled()) {
                    violations.add("task " + id + " ran but its future is cancelled");
                }
            }
            Task<?> child = childFutures.get(id);
            if (child != null) {
                int childPool = childRanByPool.get(id);
                int childOutside = childRanOutside.get(id);
                if (childPool + childOutside != 1) {
                    violations.add("child of task " + id + " ran " + childPool + " times in the pool and was returned "
                            + childOutside + " times");
                }
                if (!child.isDone()) {
                    violations.add("the future of the child of task " + id + " never completed");
                }
                totals.childrenRun += childPool;
                totals.childrenReturned += childOutside;
            }
        }
        if (returned.get().size() != roundReturned + countChildrenReturned(childRanOutside)) {
            violations.add("shutdownNow returned " + returned.get().size() + " tasks but "
                    + roundReturned + " accepted tasks and their children ran from that list");
        }
        totals.accepted += roundAccepted;
        totals.rejected += roundRejected;
        totals.returned += roundReturned;
        if (roundAccepted > 0 && roundRejected > 0) {
            totals.roundsWithBothAcceptedAndRejected++;
        }
        if (stop == Stop.SHUTDOWN_NOW && !returned.get().isEmpty()) {
            totals.shutdownNowRoundsThatReturnedTasks++;
        }
        assertEquals(TASKS, roundAccepted + roundRejected);
        assertTrue(violations.isEmpty(), () -> "round " + round + " (" + stop + "): " + violations.size()
                + " violations, e.g. " + List.copyOf(violations).subList(0, Math.min(5, violations.size())));
    }

    private static int countChildrenReturned(AtomicIntegerArray childRanOutside) {
        int count = 0;
        for (int id = 0; id < childRanOutside.length(); id++) {
            count += childRanOutside.get(id);
        }
        return count;
    }
}
