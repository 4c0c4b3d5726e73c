package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R6: joins nested inside tasks (fib, a 10,000-deep chain, joins across two schedulers) finish
 * without deadlock or {@link StackOverflowError}, and helping never puts more than
 * {@code parallelism} threads into this scheduler's tasks.
 */
class NestedJoinTest {

    private static final boolean STRESS = Boolean.getBoolean("spindle.stress");
    private static final long WAIT_SECONDS = 30;

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /** Waits a bounded time for a task submitted from the test thread; fails with the pool's state. */
    private static <T> T await(Future<T> future, Scheduler scheduler) throws InterruptedException, ExecutionException {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not done within " + WAIT_SECONDS + " s (deadlock?) on " + scheduler
                    + ": " + scheduler.stats(), e);
        }
    }

    // ------------------------------------------------------------------ fib

    static Stream<Arguments> fibCases() {
        return Stream.of(1, 2).flatMap(p -> IntStream.rangeClosed(20, 25).mapToObj(n -> Arguments.of(p, n)));
    }

    private static long fibTasks(Scheduler scheduler, int n) {
        if (n < 2) {
            return n;
        }
        Task<Long> minus1 = scheduler.fork(() -> fibTasks(scheduler, n - 1));
        Task<Long> minus2 = scheduler.fork(() -> fibTasks(scheduler, n - 2));
        return minus2.join() + minus1.join();
    }

    private static long fibPlain(int n) {
        return n < 2 ? n : fibPlain(n - 1) + fibPlain(n - 2);
    }

    @ParameterizedTest(name = "parallelism {0}, fib({1})")
    @MethodSource("fibCases")
    void fib_withEveryCallATask_equalsThePlainRecursiveFib(int parallelism, int n) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        long result = await(scheduler.submit(() -> fibTasks(scheduler, n)), scheduler);
        assertEquals(fibPlain(n), result);
    }

    // ------------------------------------------------------------------ deep chain

    private static int chain(Scheduler scheduler, int remaining) {
        if (remaining == 1) {
            return 1;
        }
        Task<Integer> next = scheduler.fork(() -> chain(scheduler, remaining - 1));
        return next.join() + 1;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void chainTenThousandDeep_eachForkingAndJoiningTheNext_completesWithoutStackOverflow(int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        int depth = 10_000;
        for (int round = 0; round < (STRESS ? 20 : 2); round++) {
            int length;
            try {
                length = await(scheduler.submit(() -> chain(scheduler, depth)), scheduler);
            } catch (ExecutionException e) {
                throw new AssertionError("the chain failed in round " + round + ": " + e.getCause(), e.getCause());
            }
            assertEquals(depth, length);
        }
    }

    // ------------------------------------------------------------------ across two schedulers

    /**
     * A task on {@code here} that, unless {@code level} is the last, starts the next level on
     * {@code there} and joins it; levels alternate between the two schedulers.
     */
    private static int pingPong(Scheduler here, Scheduler there, int level, int levels, boolean viaFork) {
        if (level == levels) {
            return level;
        }
        // From a worker of the other scheduler, fork and submit both queue for that scheduler.
        Task<Integer> next = viaFork
                ? there.fork(() -> pingPong(there, here, level + 1, levels, viaFork))
                : there.submit(() -> pingPong(there, here, level + 1, levels, viaFork));
        return next.join();
    }

    @org.junit.jupiter.api.Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void joinOnAnotherSchedulersTask_thatJoinsBackOnTheFirst_completesWithoutDeadlock() throws Exception {
        Scheduler a = hygiene.newScheduler(1);
        Scheduler b = hygiene.newScheduler(1);

        // Mutual joins: a task on A joins a task on B that joins a task on A.
        Task<Integer> onA = a.submit(() -> {
            Task<Integer> onB = b.submit(() -> {
                Task<Integer> backOnA = a.submit(() -> 42);
                return backOnA.join() + 1;
            });
            return onB.join() + 1;
        });
        assertEquals(44, await(onA, a));

        // And random depths of the same ping-pong, from both sides, started from outside.
        SplittableRandom random = new SplittableRandom(6);
        int rounds = STRESS ? 20_000 : 2_000;
        for (int round = 0; round < rounds; round++) {
            int levels = 1 + random.nextInt(6);
            boolean startOnA = random.nextBoolean();
            boolean viaFork = random.nextBoolean();
            Scheduler first = startOnA ? a : b;
            Scheduler second = startOnA ? b : a;
            Task<Integer> top = first.submit(() -> pingPong(first, second, 0, levels, viaFork));
            int reached;
            try {
                reached = top.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("round " + round + " (" + levels + " levels, starting on "
                        + (startOnA ? "A" : "B") + (viaFork ? ", fork" : ", submit") + ") deadlocked; A: "
                        + a.stats() + "; B: " + b.stats(), e);
            }
            assertEquals(levels, reached);
        }
    }

    // ------------------------------------------------------------------ peak concurrency

    /**
     * Counts the threads that are inside this scheduler's tasks. A thread counts once however many
     * tasks are nested on its stack (a helping join runs tasks inside tasks), so the count is the
     * number of threads running the pool's work, which must never exceed the parallelism.
     */
    private static final class Occupancy {
        final AtomicInteger threadsInside = new AtomicInteger();
        final AtomicInteger maxThreadsInside = new AtomicInteger();
        /** Tasks running their own code right now (a task waiting in join does not count). */
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final Set<String> threadNames = ConcurrentHashMap.newKeySet();
        private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

        void enter() {
            threadNames.add(Thread.currentThread().getName());
            if (depth.get()[0]++ == 0) {
                maxThreadsInside.accumulateAndGet(threadsInside.incrementAndGet(), Math::max);
            }
            resume();
        }

        void exit() {
            suspend();
            if (--depth.get()[0] == 0) {
                threadsInside.decrementAndGet();
            }
        }

        /** Before a join: this task stops running its own code. */
        void suspend() {
            running.decrementAndGet();
        }

        /** After a join: it runs again. */
        void resume() {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        }
    }

    private static long tree(Scheduler scheduler, Occupancy occupancy, int depth, SplittableRandom random) {
        occupancy.enter();
        try {
            if (depth == 0) {
                BoundedWait.busyFor(5 + random.nextInt(20));
                return 1;
            }
            SplittableRandom left = random.split();
            SplittableRandom right = random.split();
            Task<Long> a = scheduler.fork(() -> tree(scheduler, occupancy, depth - 1, left));
            Task<Long> b = scheduler.fork(() -> tree(scheduler, occupancy, depth - 1, right));
            BoundedWait.busyFor(random.nextInt(5));
            occupancy.suspend();
            long sum;
            try {
                sum = random.nextBoolean() ? a.join() + b.join() : b.join() + a.join();
            } finally {
                occupancy.resume();
            }
            return sum;
        } finally {
            occupancy.exit();
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void helpingJoins_neverPutMoreThanParallelismThreadsIntoTasks(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        Occupancy occupancy = new Occupancy();
        int rounds = STRESS ? 100 : 10;
        for (int round = 0; round < rounds; round++) {
            SplittableRandom random = new SplittableRandom(round);
            long leaves = await(scheduler.submit(() -> tree(scheduler, occupancy, 10, random)), scheduler);
            assertEquals(1024, leaves);
        }
        assertTrue(occupancy.maxThreadsInside.get() <= parallelism,
                "threads inside tasks at once: " + occupancy.maxThreadsInside.get() + " > parallelism " + parallelism);
        assertTrue(occupancy.maxRunning.get() <= parallelism,
                "tasks running their own code at once: " + occupancy.maxRunning.get() + " > parallelism " + parallelism);
        int peak = scheduler.stats().peakActiveWorkers();
        assertTrue(peak <= parallelism, "stats().peakActiveWorkers() " + peak + " > parallelism " + parallelism);
        assertTrue(peak >= 1, "peakActiveWorkers() " + peak + " after running tasks");
        String prefix = scheduler.name() + "-worker-";
        for (String name : occupancy.threadNames) {
            if (!name.startsWith(prefix)) {
                fail("a task ran on " + name + ", which is not a worker of " + scheduler);
            }
        }
        assertTrue(occupancy.threadNames.size() <= parallelism, "tasks ran on " + occupancy.threadNames);
    }
}
