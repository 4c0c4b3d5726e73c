package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.ThreadCensus;
import dev.spindle.core.testing.ThreadStacks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R12 of docs/design/reliability.md: everyday blocking inside tasks, <b>without</b>
 * {@link Scheduler#managedBlock}, never hangs the pool. Each case runs more outer tasks than
 * workers; every outer task starts a stage and waits for it in one everyday way (a
 * {@code CompletableFuture} joined, a {@code Future.get}, {@code invokeAll}, a latch counted down by
 * the sibling it executed, an arena executor used like {@code newFixedThreadPool(n)}, a barrier the
 * arena's tasks meet at), one or two levels deep, on a scheduler of one worker, of two, and on
 * {@link Scheduler#global()}, and while the scheduler is being shut down.
 *
 * <p>Each case checks: the outer tasks' results (each computed from its stages) add up; tasks
 * running their own code (not blocked) never exceed the parallelism, except by blocked calls
 * that had just returned ({@link #RESUMPTION_WINDOW_NANOS}); the live threads named after the scheduler never exceed
 * parallelism + {@link Scheduler#maxSpareWorkers()} + {@link #MONITOR_THREADS}; under shutdown the
 * scheduler terminates.
 *
 * <p>A hang fails the round after {@value #ROUND_TIMEOUT_MILLIS} ms with every thread's stack,
 * then releases every waiter of the round (futures completed, latches counted down, barriers
 * broken), so that one hung case does not take the scheduler (or the global one) down with it.
 *
 * <p>The default build runs {@value #DEFAULT_ROUNDS} rounds per case; {@code -Pstress} adds
 * {@value #STRESS_ROUNDS} rounds per pattern on parallelism 1 and on 2.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingPatternsTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final int OUTER_TASKS = 8;
    /** The barrier shape: tasks of a cap-3 arena meet in threes, as on newFixedThreadPool(3). */
    private static final int BARRIER_PARTIES = 3;
    private static final int BARRIER_OUTER_TASKS = 2 * BARRIER_PARTIES;
    private static final int ARENA_CAP = 2;
    private static final int BARRIER_ARENA_CAP = 3;

    private static final int DEFAULT_ROUNDS = 3;
    /**
     * 1,000 rounds per pattern and parallelism: 14,000 rounds of 6–8 outer tasks, each waiting
     * once or twice, so well over 10⁵ blocking waits. 10,000 per pattern took over 8 minutes for
     * the first pattern alone on two cores (a cold detection costs milliseconds per level).
     */
    private static final int STRESS_ROUNDS = 1_000;
    private static final long ROUND_TIMEOUT_MILLIS = 10_000;

    /**
     * The documented rule (docs/design/blocking.md, "The invariant, and where it bends"): more
     * tasks than the parallelism run their own code only while a blocked worker has resumed and
     * the stand-in that ran in its place has not retired yet (it finishes its task first, and the
     * monitor notices a resumption at its next check, at most 4 ms later). So at any moment the
     * excess over the parallelism is at most the number of blocked calls that returned within
     * this window. The window is generous: a check period, the confirmation, and the stand-in's
     * last task (stages here are short), on two busy cores.
     */
    static final long RESUMPTION_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Threads named after the scheduler besides its workers and spares: at most one monitor. */
    static final int MONITOR_THREADS = 1;

    /** Arenas register with their scheduler for its lifetime: one per cap on the global one. */
    private static final Map<Integer, Arena> GLOBAL_ARENAS = new ConcurrentHashMap<>();

    // ------------------------------------------------------------------ the matrix

    /** The scheduler a case runs on. */
    enum Pool {
        PARALLELISM_1(1), PARALLELISM_2(2), GLOBAL(0);

        final int parallelism;

        Pool(int parallelism) {
            this.parallelism = parallelism;
        }
    }

    /** Whether {@code shutdown()} is called while the outer tasks run. */
    enum Lifecycle { RUNNING, SHUTDOWN_WHILE_RUNNING }

    /** How a task starts its stage and waits for it. */
    enum Wait {
        /** {@code CompletableFuture.supplyAsync(stage, executor).thenApply(v -> v + 1).join()}. */
        COMPLETABLE_FUTURE_JOIN(false) {
            @Override
            long await(Round round, Callable<Long> stage) throws Exception {
                CompletableFuture<Long> joined = CompletableFuture.supplyAsync(unchecked(stage), round.stages)
                        .thenApply(value -> value + 1);
                round.onAbort(() -> joined.completeExceptionally(released()));
                return round.blocking(joined::join);
            }

            @Override
            long combine(long stageValue) {
                return stageValue + 1;
            }
        },
        /** {@code executor.submit(stage).get()}. */
        FUTURE_GET(true) {
            @Override
            long await(Round round, Callable<Long> stage) throws Exception {
                Future<Long> future = round.stages.submit(stage);
                round.onAbort(() -> future.cancel(false));
                return round.blocking(future::get);
            }
        },
        /** {@code executor.invokeAll(List.of(stage, stage))}, then {@code get()} on each. */
        INVOKE_ALL_GET(true) {
            @Override
            long await(Round round, Callable<Long> stage) throws Exception {
                List<Future<Long>> futures = round.blocking(() -> round.stages.invokeAll(List.of(stage, stage)));
                long sum = 0;
                for (Future<Long> future : futures) {
                    sum += round.blocking(future::get);
                }
                return sum;
            }

            @Override
            long combine(long stageValue) {
                return 2 * stageValue;
            }
        },
        /** {@code executor.execute(sibling)}; the sibling counts down a latch the task awaits. */
        EXECUTE_LATCH(false) {
            @Override
            long await(Round round, Callable<Long> stage) throws Exception {
                CountDownLatch done = new CountDownLatch(1);
                AtomicReference<Object> outcome = new AtomicReference<>();
                round.onAbort(done::countDown);
                round.stages.execute(() -> {
                    try {
                        outcome.set(stage.call());
                    } catch (Throwable failure) {
                        outcome.set(failure);
                    } finally {
                        done.countDown();
                    }
                });
                round.blocking(() -> {
                    done.await();
                    return null;
                });
                Object value = outcome.get();
                if (value instanceof Long) {
                    return (Long) value;
                }
                throw new ExecutionException("the sibling did not produce a value", (Throwable) value);
            }
        };

        /** Whether the wait helps (runs the stage or other tasks) when called on a worker. */
        final boolean helps;

        Wait(boolean helps) {
            this.helps = helps;
        }

        /** Starts {@code stage} on the round's stage executor and waits for its value this way. */
        abstract long await(Round round, Callable<Long> stage) throws Exception;

        /** What the outer task makes of its stage's value. */
        long combine(long stageValue) {
            return stageValue;
        }
    }

    /** A blocking pattern: the wait, and whether the tasks run in a capped arena's executor. */
    enum Pattern {
        COMPLETABLE_FUTURE_JOIN(Wait.COMPLETABLE_FUTURE_JOIN, 0),
        SUBMIT_GET(Wait.FUTURE_GET, 0),
        INVOKE_ALL_GET(Wait.INVOKE_ALL_GET, 0),
        EXECUTE_LATCH(Wait.EXECUTE_LATCH, 0),
        /** Outer tasks and their stages in {@code arena.asExecutorService()}, stage via {@code get()}. */
        ARENA_SUBMIT_GET(Wait.FUTURE_GET, ARENA_CAP),
        /** Outer tasks and stages in the arena's executor; {@code supplyAsync(f, arenaExecutor).join()}. */
        ARENA_COMPLETABLE_FUTURE_JOIN(Wait.COMPLETABLE_FUTURE_JOIN, ARENA_CAP),
        /**
         * Tasks of a cap-3 arena meet at a {@link CyclicBarrier} of three; nested, the outer tasks
         * {@code get()} a stage each (same arena) and the stages meet there.
         */
        ARENA_BARRIER(Wait.FUTURE_GET, BARRIER_ARENA_CAP);

        final Wait wait;
        /** The arena's maxConcurrency, or 0 when the tasks go to the scheduler itself. */
        final int arenaCap;

        Pattern(Wait wait, int arenaCap) {
            this.wait = wait;
            this.arenaCap = arenaCap;
        }

        int outerTasks() {
            return this == ARENA_BARRIER ? BARRIER_OUTER_TASKS : OUTER_TASKS;
        }

        /** How many of the waits of one chain are the pattern's stage waits (the barrier is not). */
        int stageWaits(int depth) {
            return this == ARENA_BARRIER ? depth - 1 : depth;
        }

        /**
         * The fewest spare workers with which any scheduler could finish the case: a wait that
         * does not help holds its thread, so a chain of {@code depth} such waits needs
         * {@code depth} stand-ins once every worker holds an outer task; the barrier needs three
         * threads at once. Helping waits need none.
         */
        int sparesNeeded(int parallelism, int depth) {
            if (this == ARENA_BARRIER) {
                return Math.max(0, BARRIER_PARTIES - parallelism);
            }
            return wait.helps ? 0 : depth;
        }

        static long leaf(int outer) {
            return 7L * (outer + 1);
        }

        /** The value outer task {@code outer} must return, computed without any task. */
        long expected(int outer, int depth) {
            long value = leaf(outer);
            for (int level = 0; level < stageWaits(depth); level++) {
                value = wait.combine(value);
            }
            return value;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Pattern.values()).flatMap(pattern -> Stream.of(Pool.values()).flatMap(pool ->
                IntStream.of(1, 2).boxed().flatMap(depth -> Stream.of(Lifecycle.values())
                        .filter(lifecycle -> pool != Pool.GLOBAL || lifecycle == Lifecycle.RUNNING)   // global ignores shutdown
                        .map(lifecycle -> Arguments.of(pattern, pool, depth, lifecycle)))));
    }

    static Stream<Arguments> stressCases() {
        return Stream.of(Pattern.values()).flatMap(pattern ->
                Stream.of(Pool.PARALLELISM_1, Pool.PARALLELISM_2).map(pool -> Arguments.of(pattern, pool)));
    }

    // ------------------------------------------------------------------ tests

    @ParameterizedTest(name = "{0} on {1}, {2} deep, {3}")
    @MethodSource("cases")
    void everydayBlockingInsideTasks_completes_withTheRightSum_runnableTasksWithinParallelism_threadsWithinCap(
            Pattern pattern, Pool pool, int depth, Lifecycle lifecycle) throws Exception {
        Setup running = lifecycle == Lifecycle.RUNNING ? setUp(pool, pattern, depth) : null;
        for (int round = 0; round < DEFAULT_ROUNDS; round++) {
            Setup setup = running != null ? running : setUp(pool, pattern, depth);
            playRound(setup, pattern, depth, lifecycle, round);
        }
    }

    /** The long form: {@value #STRESS_ROUNDS} rounds per pattern and parallelism, all depths and lifecycles mixed. */
    @ParameterizedTest(name = "stress: {0} on {1}")
    @MethodSource("stressCases")
    @Tag("stress")
    @Timeout(value = 30, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stress_everydayBlockingInsideTasks_aThousandRoundsPerPatternAndPool_completes_withinParallelismAndCap(
            Pattern pattern, Pool pool) throws Exception {
        Setup running = setUp(pool, pattern, 1, 2);
        for (int round = 0; round < STRESS_ROUNDS; round++) {
            int depth = 1 + (round & 1);
            Lifecycle lifecycle = (round & 2) == 0 ? Lifecycle.RUNNING : Lifecycle.SHUTDOWN_WHILE_RUNNING;
            Setup setup = lifecycle == Lifecycle.RUNNING ? running : setUp(pool, pattern, 1, 2);
            playRound(setup, pattern, depth, lifecycle, round);
        }
    }

    // ------------------------------------------------------------------ one round

    /** A scheduler and, for arena patterns, the arena's executor. */
    private static final class Setup {
        final Scheduler scheduler;
        final ExecutorService arenaExecutor;

        Setup(Scheduler scheduler, ExecutorService arenaExecutor) {
            this.scheduler = scheduler;
            this.arenaExecutor = arenaExecutor;
        }
    }

    /** A scheduler (and arena) on which the pattern, at each of the given depths, can complete. */
    private Setup setUp(Pool pool, Pattern pattern, int... depths) {
        int parallelism = pool == Pool.GLOBAL ? Scheduler.global().parallelism() : pool.parallelism;
        int sparesNeeded = IntStream.of(depths).map(depth -> pattern.sparesNeeded(parallelism, depth)).max().orElse(0);
        if (pool == Pool.GLOBAL) {
            Scheduler global = Scheduler.global();
            assumeTrue(global.maxSpareWorkers() >= sparesNeeded, () -> "the global scheduler ("
                    + global.parallelism() + " workers, " + global.maxSpareWorkers()
                    + " spares) cannot hold this shape with any engine: it needs " + sparesNeeded + " spares");
            ExecutorService globalArena = pattern.arenaCap == 0 ? null
                    : GLOBAL_ARENAS.computeIfAbsent(pattern.arenaCap, cap -> Arena.builder().scheduler(global)
                            .maxConcurrency(cap).name("blocking-patterns-cap" + cap).build()).asExecutorService();
            return new Setup(global, globalArena);
        }
        Scheduler scheduler = build(pool.parallelism, -1);
        if (scheduler.maxSpareWorkers() < sparesNeeded) {
            // A chain of non-helping waits needs that many threads whatever the engine does: give it
            // the spares, and test that it uses them (the default cap is the engine's choice).
            scheduler.close();
            scheduler = build(pool.parallelism, sparesNeeded);
        }
        ExecutorService arenaExecutor = pattern.arenaCap == 0 ? null : Arena.builder().scheduler(scheduler)
                .maxConcurrency(pattern.arenaCap).name("blocking-patterns-cap" + pattern.arenaCap).build()
                .asExecutorService();
        return new Setup(scheduler, arenaExecutor);
    }

    private Scheduler build(int parallelism, int maxSpareWorkers) {
        Scheduler.Builder builder = Scheduler.builder().parallelism(parallelism)
                .name(SchedulerHygiene.uniqueName("bp") + "-p" + parallelism);
        if (maxSpareWorkers >= 0) {
            builder.maxSpareWorkers(maxSpareWorkers);
        }
        return hygiene.track(builder.build());
    }

    private void playRound(Setup setup, Pattern pattern, int depth, Lifecycle lifecycle, int roundNumber)
            throws Exception {
        Scheduler scheduler = setup.scheduler;
        ExecutorService executor = setup.arenaExecutor != null ? setup.arenaExecutor : scheduler;
        int parallelism = scheduler.parallelism();
        String what = pattern + " on " + scheduler + " (" + scheduler.maxSpareWorkers() + " spares), "
                + depth + " deep, " + lifecycle + ", round " + roundNumber;
        Round round = new Round(pattern, executor, depth, lifecycle == Lifecycle.SHUTDOWN_WHILE_RUNNING,
                parallelism);

        List<Future<Long>> outers = new ArrayList<>();
        long expected = 0;
        try (ThreadCensus census = new ThreadCensus(ownThreadOf(scheduler))) {
            for (int i = 0; i < pattern.outerTasks(); i++) {
                int outer = i;
                outers.add(executor.submit(() -> round.body(outer, 0)));
                expected += pattern.expected(outer, depth);
            }
            round.onAbort(() -> outers.forEach(future -> future.cancel(false)));
            if (round.shutdownWhileRunning) {
                if (!BoundedWait.until(() -> round.outersStarted.get() > 0, ROUND_TIMEOUT_MILLIS)) {
                    round.abort();
                    throw new AssertionError(what + ": no outer task started within " + ROUND_TIMEOUT_MILLIS
                            + " ms; threads:\n" + ThreadStacks.of(scheduler.name()));
                }
                scheduler.shutdown();                    // the outer tasks are accepted and running
                round.shutdownCalled = true;
            }

            long sum;
            try {
                sum = BoundedWait.call(() -> {
                    long total = 0;
                    for (Future<Long> future : outers) {
                        total += future.get();
                    }
                    return total;
                }, ROUND_TIMEOUT_MILLIS, scheduler.name());
            } catch (AssertionError hung) {
                round.abort();
                throw new AssertionError(what + ": " + hung.getMessage(), hung);
            } catch (ExecutionException | RuntimeException failed) {
                round.abort();
                Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
                throw new AssertionError(what + ": an outer task failed: " + cause, cause);
            }
            assertEquals(expected, sum, () -> what + ": the outer tasks' results");

            if (round.shutdownWhileRunning) {
                assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS), () -> what
                        + ": not terminated 10 s after shutdown and the tasks' end; threads:\n"
                        + ThreadStacks.of(scheduler.name()));
            }
            census.stop();
            String excess = round.probe.unexplainedExcess.get();
            assertTrue(excess == null, () -> what + ": more tasks ran their own code at once than the"
                    + " parallelism plus the blocked calls that had just returned: " + excess);
            int threadCap = parallelism + scheduler.maxSpareWorkers() + MONITOR_THREADS;
            assertTrue(census.most() <= threadCap, () -> what + ": " + census.most() + " live threads named after "
                    + scheduler.name() + " at once, above parallelism + maxSpareWorkers + " + MONITOR_THREADS
                    + " = " + threadCap + ": " + census.names());
        }
    }

    /** This scheduler's threads: {@code <name>-…}, but not another scheduler's {@code <name>-<n>-…}. */
    private static Predicate<String> ownThreadOf(Scheduler scheduler) {
        String prefix = scheduler.name() + "-";
        return name -> name.startsWith(prefix) && name.length() > prefix.length()
                && !Character.isDigit(name.charAt(prefix.length()));
    }

    /** What the tasks of one round share. */
    static final class Round {
        final Pattern pattern;
        /** Where stages go: the scheduler itself, or the arena's executor. */
        final ExecutorService stages;
        final int depth;
        final boolean shutdownWhileRunning;
        final Probe probe;
        final CyclicBarrier barrier = new CyclicBarrier(BARRIER_PARTIES);
        final AtomicInteger outersStarted = new AtomicInteger();
        volatile boolean shutdownCalled;
        private volatile boolean aborted;
        private final ConcurrentLinkedQueue<Runnable> releases = new ConcurrentLinkedQueue<>();

        Round(Pattern pattern, ExecutorService stages, int depth, boolean shutdownWhileRunning,
              int parallelism) {
            this.probe = new Probe(parallelism);
            this.pattern = pattern;
            this.stages = stages;
            this.depth = depth;
            this.shutdownWhileRunning = shutdownWhileRunning;
        }

        /** The body of every task: an outer task is level 0, its stage level 1, and so on. */
        long body(int outer, int level) throws Exception {
            probe.enter();
            try {
                if (level == 0) {
                    outersStarted.incrementAndGet();
                    if (shutdownWhileRunning) {
                        // Running, not blocked: stay until the test has called shutdown(), so
                        // that every stage below is started after it.
                        BoundedWait.until(() -> shutdownCalled || aborted, ROUND_TIMEOUT_MILLIS);
                    }
                }
                if (pattern == Pattern.ARENA_BARRIER && level == depth - 1) {
                    blocking(() -> barrier.await(2 * ROUND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
                    return Pattern.leaf(outer);
                }
                if (pattern != Pattern.ARENA_BARRIER && level == depth) {
                    return Pattern.leaf(outer);
                }
                return pattern.wait.await(this, () -> body(outer, level + 1));
            } finally {
                probe.exit();
            }
        }

        /** Runs a blocking call, not counted as running while it waits. */
        <T> T blocking(Callable<T> wait) throws Exception {
            if (aborted) {
                throw released();
            }
            return probe.blocking(wait);
        }

        /** Registers what releases a waiter if the round hangs. */
        void onAbort(Runnable release) {
            releases.add(release);
            if (aborted) {
                drain();
            }
        }

        /** After a hang: releases every waiter, now and later. */
        void abort() {
            aborted = true;
            barrier.reset();                             // parties waiting now get BrokenBarrierException
            drain();
        }

        private void drain() {
            for (Runnable release; (release = releases.poll()) != null; ) {
                try {
                    release.run();
                } catch (RuntimeException ignored) {
                    // best effort: the round has failed already
                }
            }
        }
    }

    private static CancellationException released() {
        return new CancellationException("released by the test after the round hung");
    }

    private static Supplier<Long> unchecked(Callable<Long> stage) {
        return () -> {
            try {
                return stage.call();
            } catch (RuntimeException | Error unchecked) {
                throw unchecked;
            } catch (Exception checked) {
                throw new CompletionException(checked);
            }
        };
    }

    /**
     * Tasks running their own code: a task counts from entry to exit, except while it is inside
     * a blocking call (a task that helps inside the call counts again for what it runs there).
     * Whenever more than the parallelism run, the excess must be explained by blocked calls that
     * returned within {@link #RESUMPTION_WINDOW_NANOS}; the first unexplained sample is kept.
     */
    static final class Probe {
        final int parallelism;
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        /**
         * When blocked calls returned, across rounds: a stand-in from the previous round may still
         * run when the next round starts.
         */
        static final java.util.concurrent.ConcurrentLinkedDeque<Long> resumptions = new java.util.concurrent.ConcurrentLinkedDeque<>();
        final java.util.concurrent.atomic.AtomicReference<String> unexplainedExcess =
                new java.util.concurrent.atomic.AtomicReference<>();

        Probe(int parallelism) {
            this.parallelism = parallelism;
        }

        void enter() {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            if (now > parallelism) {
                long since = System.nanoTime() - RESUMPTION_WINDOW_NANOS;
                long recent = resumptions.stream().filter(t -> t - since > 0).count();
                if (now - parallelism > recent) {
                    unexplainedExcess.compareAndSet(null, now + " running with parallelism " + parallelism
                            + " and " + recent + " blocked call(s) returned in the last "
                            + TimeUnit.NANOSECONDS.toMillis(RESUMPTION_WINDOW_NANOS) + " ms");
                }
            }
        }

        void exit() {
            running.decrementAndGet();
        }

        <T> T blocking(Callable<T> call) throws Exception {
            running.decrementAndGet();                   // just before it blocks
            try {
                return call.call();
            } finally {
                long now = System.nanoTime();
                resumptions.addLast(now);
                for (Long oldest = resumptions.peekFirst(); oldest != null
                        && now - oldest > 2 * RESUMPTION_WINDOW_NANOS; oldest = resumptions.peekFirst()) {
                    resumptions.remove(oldest);          // keep the list short
                }
                enter();                                 // it runs again
            }
        }
    }
}
