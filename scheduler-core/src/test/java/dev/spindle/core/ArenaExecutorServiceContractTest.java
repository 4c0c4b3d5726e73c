package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.ThreadStacks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R1 of docs/design/reliability.md — the JSR166 TCK behaviours — on {@link Arena#asExecutorService()},
 * for parallelism 1, 2 and 4 and caps 1 and 2. Joins ignore interrupts, so timeouts run the test in
 * a separate thread: a hang fails, never sticks.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ArenaExecutorServiceContractTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final boolean STRESS = "true".equals(System.getProperty("spindle.stress"));
    private static final AtomicInteger SERIAL = new AtomicInteger();

    static Stream<Arguments> shapes() {
        return Stream.of(arguments(1, 1), arguments(1, 2), arguments(2, 1), arguments(2, 2),
                arguments(4, 1), arguments(4, 2));
    }

    /** The shapes with a worker left over once every permit is taken (parallelism > cap). */
    static Stream<Arguments> shapesWithAWorkerOutsideTheArena() {
        return shapes().filter(shape -> (int) shape.get()[0] > (int) shape.get()[1]);
    }

    /** A scheduler with a recording uncaught-exception handler, an arena on it, and its executor. */
    private final class Fixture {
        final Scheduler scheduler;
        final Arena arena;
        final ExecutorService executor;
        final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> uncaughtThreads = new ConcurrentLinkedQueue<>();
        /** How many arena tasks can run at once: min(parallelism, cap). */
        final int slots;

        Fixture(int parallelism, int cap) {
            scheduler = hygiene.track(Scheduler.builder()
                    .parallelism(parallelism)
                    .name("aes" + SERIAL.incrementAndGet() + "-p" + parallelism)
                    .uncaughtExceptionHandler((thread, failure) -> {
                        uncaughtThreads.add(thread.getName());
                        uncaught.add(failure);
                    })
                    .build());
            arena = Arena.builder().scheduler(scheduler).maxConcurrency(cap).build();
            executor = arena.asExecutorService();
            slots = Math.min(parallelism, cap);
        }

        /** Fills every slot with a task that waits for the returned latch; later tasks stay queued. */
        CountDownLatch occupyEverySlot() throws InterruptedException {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(slots);
            for (int i = 0; i < slots; i++) {
                executor.submit(() -> {
                    running.countDown();
                    // Busy, not blocked: a blocked task lends its slot (and gets a stand-in), so
                    // the later tasks would not stay queued.
                    return BoundedWait.until(() -> release.getCount() == 0, 20_000);
                });
            }
            assertTrue(running.await(10, TimeUnit.SECONDS), "the slot-filling tasks never all started");
            return release;
        }
    }

    /** Waits until {@code thread} is blocked (parked or waiting). */
    private static void awaitBlocked(Thread thread) {
        assertTrue(BoundedWait.until(() -> thread.getState() == Thread.State.WAITING
                || thread.getState() == Thread.State.TIMED_WAITING, 10_000), thread + " never blocked");
    }

    // ------------------------------------------------------------------ 1. state after completion

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void completedTask_isDoneNotCancelled_andCannotBeCancelled(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);

        Future<Integer> future = f.executor.submit(() -> 42);
        assertEquals(42, future.get(10, TimeUnit.SECONDS));

        assertTrue(future.isDone());
        assertFalse(future.isCancelled());
        assertFalse(future.cancel(false));
        assertFalse(future.cancel(true));
        assertFalse(future.isCancelled());
        assertEquals(42, ((Task<Integer>) future).join());
        assertEquals("result", f.executor.submit(() -> { }, "result").get(10, TimeUnit.SECONDS));
        assertNull(f.executor.submit(() -> { }).get(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void cancelledBeforeItStarts_neverRuns_andJoinAndGetThrowCancellation(int parallelism, int cap)
            throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        CountDownLatch release = f.occupyEverySlot();
        AtomicBoolean ran = new AtomicBoolean();

        Future<?> queued = f.executor.submit(() -> ran.set(true));
        assertTrue(queued.cancel(false));

        assertTrue(queued.isCancelled());
        assertTrue(queued.isDone());
        assertFalse(queued.cancel(true), "a second cancel must return false");
        assertThrows(CancellationException.class, queued::get);
        assertThrows(CancellationException.class, () -> queued.get(1, TimeUnit.SECONDS));
        assertThrows(CancellationException.class, ((Task<?>) queued)::join);
        release.countDown();
        f.executor.submit(() -> { }).get(10, TimeUnit.SECONDS);    // queued behind the cancelled one
        assertFalse(ran.get(), "a task cancelled before it started ran");
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void awaitTermination_afterShutdown_isTrueWhenAQueuedTaskWasCancelled(int parallelism, int cap)
            throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        CountDownLatch release = f.occupyEverySlot();
        Future<?> queued = f.executor.submit(() -> { });
        assertTrue(queued.cancel(false));

        release.countDown();
        f.executor.shutdown();

        assertTrue(f.executor.awaitTermination(2, TimeUnit.SECONDS),
                "executor never terminated: a task cancelled before it started still counts as unfinished");
        assertTrue(f.executor.isTerminated());
    }

    // ------------------------------------------------------------------ 2. exceptions

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void failures_getWrapsInExecutionException_joinRethrowsAsIs(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        IllegalStateException unchecked = new IllegalStateException("unchecked");
        AssertionError error = new AssertionError("error");
        IOException checked = new IOException("checked");

        Future<Object> failsUnchecked = f.executor.submit(() -> {
            throw unchecked;
        });
        Future<Object> failsWithError = f.executor.submit(() -> {
            throw error;
        });
        Future<Object> failsChecked = f.executor.submit(() -> {
            throw checked;
        });

        assertSame(unchecked, assertThrows(ExecutionException.class, () -> failsUnchecked.get(10, TimeUnit.SECONDS)).getCause());
        assertSame(error, assertThrows(ExecutionException.class, failsWithError::get).getCause());
        assertSame(checked, assertThrows(ExecutionException.class, failsChecked::get).getCause());
        assertSame(unchecked, assertThrows(IllegalStateException.class, ((Task<Object>) failsUnchecked)::join));
        assertSame(error, assertThrows(AssertionError.class, ((Task<Object>) failsWithError)::join));
        assertSame(checked, assertThrows(CompletionException.class, ((Task<Object>) failsChecked)::join).getCause());
        for (Future<Object> future : List.of(failsUnchecked, failsWithError, failsChecked)) {
            assertTrue(future.isDone());
            assertFalse(future.isCancelled());
            assertTrue(((Task<Object>) future).isCompletedAbnormally());
        }
        assertEquals(7, f.executor.submit(() -> 7).get(10, TimeUnit.SECONDS), "failures must not kill workers");
        assertTrue(f.uncaught.isEmpty(), "submit() failures belong to the future, not the uncaught handler");
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void execute_failureReachesTheSchedulersUncaughtExceptionHandlerOnce(int parallelism, int cap)
            throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        IllegalStateException failure = new IllegalStateException("from execute");

        f.executor.execute(() -> {
            throw failure;
        });

        assertTrue(BoundedWait.until(() -> !f.uncaught.isEmpty(), 10_000), "the handler never saw the failure");
        assertEquals(7, f.executor.submit(() -> 7).get(10, TimeUnit.SECONDS), "the worker must survive");
        Thread.sleep(100);                               // room for a second, wrong report
        assertEquals(List.of(failure), new ArrayList<>(f.uncaught));
        assertTrue(f.uncaughtThreads.peek().startsWith(f.scheduler.name() + "-worker-"), f.uncaughtThreads.peek());
    }

    // ------------------------------------------------------------------ 3. interrupts

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void get_interruptedBeforeWaiting_throwsInterruptedAndClearsTheStatus(int parallelism, int cap)
            throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        CountDownLatch release = f.occupyEverySlot();
        Future<?> queued = f.executor.submit(() -> { });
        try {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, queued::get);
            assertFalse(Thread.interrupted(), "get must clear the interrupt status it reports");
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> queued.get(10, TimeUnit.SECONDS));
            assertFalse(Thread.interrupted());
        } finally {
            Thread.interrupted();
            release.countDown();
        }
        queued.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void get_interruptedWhileWaiting_throwsInterrupted(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        CountDownLatch release = f.occupyEverySlot();
        Future<?> queued = f.executor.submit(() -> { });
        AtomicReference<Throwable> untimed = new AtomicReference<>();
        AtomicReference<Throwable> timed = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                queued.get();
            } catch (Throwable t) {
                untimed.set(t);
            }
            try {
                queued.get(20, TimeUnit.SECONDS);
            } catch (Throwable t) {
                timed.set(t);
            }
        }, "interrupted-getter");
        try {
            waiter.start();
            awaitBlocked(waiter);
            waiter.interrupt();
            assertTrue(BoundedWait.until(() -> untimed.get() != null, 10_000));
            awaitBlocked(waiter);
            waiter.interrupt();
            waiter.join(10_000);
        } finally {
            release.countDown();
        }
        assertInstanceOf(InterruptedException.class, untimed.get());
        assertInstanceOf(InterruptedException.class, timed.get());
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void join_ignoresAnInterruptButKeepsTheStatus(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        CountDownLatch release = f.occupyEverySlot();
        Task<Integer> queued = (Task<Integer>) f.executor.submit(() -> 5);
        AtomicReference<Object> joined = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread joiner = new Thread(() -> {
            try {
                joined.set(queued.join());
            } catch (Throwable t) {
                joined.set(t);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        }, "interrupted-joiner");
        joiner.start();
        awaitBlocked(joiner);
        joiner.interrupt();
        Thread.sleep(50);
        assertTrue(joiner.isAlive(), "join returned on an interrupt");
        release.countDown();
        joiner.join(10_000);

        assertEquals(5, joined.get());
        assertTrue(stillInterrupted.get(), "join must keep the interrupt status");
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void aTaskNeverInheritsTheInterruptOfAnEarlierTask(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        for (int i = 0; i < 2 * parallelism; i++) {
            f.executor.submit(() -> Thread.currentThread().interrupt()).get(10, TimeUnit.SECONDS);
        }
        List<Future<Boolean>> later = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            later.add(f.executor.submit(() -> Thread.currentThread().isInterrupted()));
        }

        for (Future<Boolean> future : later) {
            assertFalse(future.get(10, TimeUnit.SECONDS), "a task started with an interrupt meant for an earlier one");
        }
    }

    // ------------------------------------------------------------------ 4. timeouts

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void timedGet_neverReturnsBeforeItsDeadline_norLongAfter_evenWithTwoWaiters(int parallelism, int cap)
            throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        CountDownLatch release = f.occupyEverySlot();
        Future<?> queued = f.executor.submit(() -> { });
        long timeoutMillis = 200;
        ConcurrentLinkedQueue<Long> elapsed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
        Runnable timedWaiter = () -> {
            long start = System.nanoTime();
            try {
                queued.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (Throwable t) {
                outcomes.add(t);
            }
            elapsed.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        };
        try {
            Thread second = new Thread(timedWaiter, "second-timed-getter");
            second.start();
            timedWaiter.run();
            second.join(10_000);

            assertThrows(TimeoutException.class, () -> queued.get(0, TimeUnit.MILLISECONDS));
            assertThrows(TimeoutException.class, () -> queued.get(-1, TimeUnit.SECONDS));
        } finally {
            release.countDown();
        }
        assertEquals(2, outcomes.size());
        for (Throwable outcome : outcomes) {
            assertInstanceOf(TimeoutException.class, outcome);
        }
        for (long millis : elapsed) {
            assertTrue(millis >= timeoutMillis, () -> "timed get returned after " + millis + " ms, before its deadline");
            assertTrue(millis < timeoutMillis + 5_000, () -> "timed get returned " + millis + " ms after it started");
        }
        assertNull(queued.get(10, TimeUnit.SECONDS));
    }

    // ------------------------------------------------------------------ 5. lifecycle

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void afterShutdown_everySubmissionIsRejected(int parallelism, int cap) {
        Fixture f = new Fixture(parallelism, cap);

        f.executor.shutdown();

        assertTrue(f.executor.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> f.executor.execute(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> f.executor.submit(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> f.executor.submit(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> f.executor.submit(() -> { }, 1));
        assertThrows(RejectedExecutionException.class, () -> f.executor.invokeAll(List.of(() -> 1)));
        assertThrows(RejectedExecutionException.class, () -> f.executor.invokeAny(List.of(() -> 1)));
        assertEquals(3, f.arena.execute(() -> 3), "shutting the executor down must not affect its arena");
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void awaitTermination_timesOutOnALiveExecutor_andIsTrueOnceShutDownAndDone(int parallelism, int cap)
            throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        CountDownLatch release = f.occupyEverySlot();
        AtomicInteger queuedRan = new AtomicInteger();
        f.executor.submit(queuedRan::incrementAndGet);

        long start = System.nanoTime();
        assertFalse(f.executor.awaitTermination(100, TimeUnit.MILLISECONDS), "terminated while live");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100), "awaitTermination returned early");
        f.executor.shutdown();
        assertFalse(f.executor.awaitTermination(100, TimeUnit.MILLISECONDS), "terminated while tasks still run");
        assertFalse(f.executor.isTerminated());
        release.countDown();

        assertTrue(f.executor.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(f.executor.isTerminated());
        assertEquals(1, queuedRan.get(), "shutdown() must let queued tasks run");
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void shutdownNow_returnsTheTasksThatNeverStarted_andReleasesBlockedGetCallers(int parallelism, int cap)
            throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        CountDownLatch release = f.occupyEverySlot();
        Set<Integer> neverStartedRan = ConcurrentHashMap.newKeySet();
        List<Runnable> queuedWork = new ArrayList<>();
        List<Future<?>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Runnable work = new Numbered(i, neverStartedRan);
            queuedWork.add(work);
            queued.add(f.executor.submit(work));
        }
        ConcurrentLinkedQueue<Throwable> released = new ConcurrentLinkedQueue<>();
        List<Thread> getters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Future<?> awaited = queued.get(i);
            Thread getter = new Thread(() -> {
                try {
                    awaited.get();
                    released.add(new AssertionError("get returned normally"));
                } catch (Throwable t) {
                    released.add(t);
                }
            }, "blocked-getter-" + i);
            getter.start();
            getters.add(getter);
        }
        getters.forEach(ArenaExecutorServiceContractTest::awaitBlocked);

        List<Runnable> returned = f.executor.shutdownNow();

        for (Thread getter : getters) {
            getter.join(10_000);
            assertFalse(getter.isAlive(), getter + " still blocked after shutdownNow");
        }
        assertEquals(2, released.size());
        released.forEach(t -> assertInstanceOf(CancellationException.class, t));
        assertEquals(Set.copyOf(queuedWork), Set.copyOf(returned), "shutdownNow returns the user's own Runnables");
        assertEquals(5, returned.size());
        queued.forEach(future -> assertTrue(future.isCancelled()));
        assertThrows(RejectedExecutionException.class, () -> f.executor.submit(() -> { }));
        release.countDown();
        assertTrue(f.executor.awaitTermination(10, TimeUnit.SECONDS));
        f.arena.execute(() -> null);                     // anything still queued has had its chance
        assertEquals(Set.of(), neverStartedRan, "tasks returned by shutdownNow also ran");
    }

    /** A task that knows which one it is, for the accounting race. */
    private static final class Numbered implements Runnable {
        final int id;
        final Set<Integer> ran;

        Numbered(int id, Set<Integer> ran) {
            this.id = id;
            this.ran = ran;
        }

        @Override
        public void run() {
            ran.add(id);
        }
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shutdownRacingFourSubmitters_everyAcceptedTaskIsRunOrReturned_neverBoth(int parallelism, int cap)
            throws Exception {
        int rounds = STRESS ? 2_000 : 100;
        Scheduler scheduler = null;
        for (int round = 0; round < rounds; round++) {
            if (round % 50 == 0) {
                scheduler = new Fixture(parallelism, cap).scheduler;     // arenas stay registered: keep scans short
            }
            boolean now = round % 2 == 0;
            Arena arena = Arena.builder().scheduler(scheduler).maxConcurrency(cap).build();
            ExecutorService executor = arena.asExecutorService();
            Set<Integer> ran = ConcurrentHashMap.newKeySet();
            Set<Integer> accepted = ConcurrentHashMap.newKeySet();
            ConcurrentHashMap<Integer, Future<?>> futures = new ConcurrentHashMap<>();
            AtomicInteger ids = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> submitters = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                Thread submitter = new Thread(() -> {
                    try {
                        go.await();
                        for (int k = 0; k < 2_000; k++) {
                            int id = ids.incrementAndGet();
                            futures.put(id, executor.submit(new Numbered(id, ran)));
                            accepted.add(id);
                        }
                    } catch (RejectedExecutionException | InterruptedException stop) {
                        // shut down: stop submitting
                    }
                }, "racing-submitter-" + s);
                submitter.start();
                submitters.add(submitter);
            }
            go.countDown();
            int after = ThreadLocalRandom.current().nextInt(60);
            BoundedWait.until(() -> accepted.size() >= after, 5_000);
            List<Runnable> returned = now ? executor.shutdownNow() : Collections.emptyList();
            if (!now) {
                executor.shutdown();
            }
            for (Thread submitter : submitters) {
                submitter.join(10_000);
            }

            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                fail("round " + round + " (" + (now ? "shutdownNow" : "shutdown") + ") never terminated: "
                        + executor + ", " + arena + ", " + scheduler.stats() + ", accepted "
                        + accepted.size() + ", ran " + ran.size() + ", returned " + returned.size()
                        + ThreadStacks.of(scheduler.name()));
            }
            Set<Integer> returnedIds = new HashSet<>();
            for (Runnable task : returned) {
                returnedIds.add(((Numbered) task).id);
            }
            Set<Integer> both = new HashSet<>(ran);
            both.retainAll(returnedIds);
            assertEquals(Set.of(), both, "round " + round + ": tasks both run and returned");
            Set<Integer> accounted = new HashSet<>(ran);
            accounted.addAll(returnedIds);
            Set<Integer> lost = new HashSet<>(accepted);
            lost.removeAll(accounted);
            int acceptedCount = accepted.size();
            StringBuilder lostStates = new StringBuilder();
            for (int id : lost) {
                lostStates.append(' ').append(id).append('=').append(futures.get(id));
            }
            assertEquals(Set.of(), lost, "round " + round + " (" + (now ? "shutdownNow" : "shutdown") + "): accepted "
                    + acceptedCount + ", ran " + ran.size() + ", returned " + returnedIds.size()
                    + "; neither run nor returned:" + lostStates);
            assertEquals(acceptedCount, ran.size() + returnedIds.size());
            for (int id : returnedIds) {
                Future<?> future = futures.get(id);
                assertTrue(future.isCancelled(), "round " + round + ": returned by shutdownNow but " + future);
            }

        }
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void close_shutsDownAndWaitsForTheTasks(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            f.executor.submit(() -> {
                BoundedWait.busyFor(500);
                ran.incrementAndGet();
            });
        }

        BoundedWait.call(() -> {
            ((AutoCloseable) f.executor).close();
            return null;
        }, 20_000, f.scheduler.name());

        assertTrue(f.executor.isTerminated());
        assertEquals(20, ran.get());
    }

    // ------------------------------------------------------------------ bulk

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void invokeAll_returnsDoneFuturesInOrder_withFailuresInsideThem(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        IllegalStateException failure = new IllegalStateException("third fails");
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int value = i;
            tasks.add(() -> {
                if (value == 2) {
                    throw failure;
                }
                BoundedWait.busyFor(200);
                return value * 10;
            });
        }

        List<Future<Integer>> futures = BoundedWait.call(() -> f.executor.invokeAll(tasks), 20_000, f.scheduler.name());

        assertEquals(6, futures.size());
        for (int i = 0; i < 6; i++) {
            Future<Integer> future = futures.get(i);
            assertTrue(future.isDone());
            if (i == 2) {
                assertSame(failure, assertThrows(ExecutionException.class, future::get).getCause());
            } else {
                assertEquals(i * 10, future.get());
            }
        }
        assertEquals(List.of(), f.executor.invokeAll(List.of()));
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void timedInvokeAll_cancelsWhatIsNotDoneByTheDeadline(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        CountDownLatch neverReleased = new CountDownLatch(1);
        List<Callable<String>> tasks = List.of(() -> "fast", () -> {
            neverReleased.await(10, TimeUnit.SECONDS);
            return "slow";
        });

        long start = System.nanoTime();
        List<Future<String>> futures = f.executor.invokeAll(tasks, 300, TimeUnit.MILLISECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        neverReleased.countDown();

        assertTrue(millis >= 300 && millis < 5_300, () -> "timed invokeAll took " + millis + " ms");
        assertTrue(futures.get(1).isDone());
        assertTrue(futures.get(1).isCancelled(), "the task still running at the deadline must be cancelled");
        assertTrue(futures.get(0).isDone());
        if (!futures.get(0).isCancelled()) {
            assertEquals("fast", futures.get(0).get());
        }
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void invokeAny_returnsASuccessfulResult_andThrowsWhenAllFail(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        IllegalStateException failure = new IllegalStateException("fails");
        List<Callable<String>> oneSucceeds = List.of(() -> {
            throw failure;
        }, () -> "ok", () -> {
            throw failure;
        });
        List<Callable<String>> allFail = List.of(() -> {
            throw failure;
        }, () -> {
            throw failure;
        });

        assertEquals("ok", f.executor.invokeAny(oneSucceeds));
        assertEquals("ok", f.executor.invokeAny(oneSucceeds, 10, TimeUnit.SECONDS));
        assertSame(failure, assertThrows(ExecutionException.class, () -> f.executor.invokeAny(allFail)).getCause());
        assertThrows(ExecutionException.class, () -> f.executor.invokeAny(allFail, 10, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> f.executor.invokeAny(List.of()));
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void timedInvokeAny_throwsTimeoutWhenNothingCompletesInTime(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        CountDownLatch neverReleased = new CountDownLatch(1);
        Callable<String> slow = () -> {
            neverReleased.await(10, TimeUnit.SECONDS);
            return "slow";
        };

        long start = System.nanoTime();
        try {
            assertThrows(TimeoutException.class, () -> f.executor.invokeAny(List.of(slow, slow), 300, TimeUnit.MILLISECONDS));
        } finally {
            neverReleased.countDown();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 300 && millis < 5_300, () -> "timed invokeAny took " + millis + " ms");
    }

    // ------------------------------------------------------------------ arguments

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void nullArguments_throwNullPointer(int parallelism, int cap) {
        Fixture f = new Fixture(parallelism, cap);
        ExecutorService executor = f.executor;
        List<Callable<Integer>> withNull = new ArrayList<>();
        withNull.add(() -> 1);
        withNull.add(null);
        Collection<Callable<Integer>> none = null;

        assertThrows(NullPointerException.class, () -> executor.execute(null));
        assertThrows(NullPointerException.class, () -> executor.submit((Runnable) null));
        assertThrows(NullPointerException.class, () -> executor.submit((Callable<Integer>) null));
        assertThrows(NullPointerException.class, () -> executor.submit(null, 1));
        assertThrows(NullPointerException.class, () -> executor.invokeAll(none));
        assertThrows(NullPointerException.class, () -> executor.invokeAll(withNull));
        assertThrows(NullPointerException.class, () -> executor.invokeAll(List.of(() -> 1), 1, null));
        assertThrows(NullPointerException.class, () -> executor.invokeAny(none));
        assertThrows(NullPointerException.class, () -> executor.invokeAny(withNull));
        assertThrows(NullPointerException.class, () -> executor.invokeAny(List.of(() -> 1), 1, null));
        assertThrows(NullPointerException.class, () -> executor.awaitTermination(1, null));
    }

    // ------------------------------------------------------------------ interoperation

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void completableFuture_runsOnTheArenaExecutor(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        String prefix = f.scheduler.name() + "-worker-";

        CompletableFuture<String> chain = CompletableFuture
                .supplyAsync(() -> Thread.currentThread().getName(), f.executor)
                .thenApplyAsync(first -> first + "|" + Thread.currentThread().getName(), f.executor);
        String[] threads = chain.get(10, TimeUnit.SECONDS).split("\\|");

        assertTrue(threads[0].startsWith(prefix) && threads[1].startsWith(prefix), () -> String.join(", ", threads));
        assertEquals(42, CompletableFuture.supplyAsync(() -> 42, f.executor).get(10, TimeUnit.SECONDS));
    }

    // ------------------------------------------------------------------ waiting on a worker

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void waitingOnAWorker_helps_soItCannotDeadlock(int parallelism, int cap) throws Exception {
        Fixture f = new Fixture(parallelism, cap);

        int viaGet = BoundedWait.call(() -> f.scheduler.invoke(() -> f.executor.submit(() -> 42).get()),
                20_000, f.scheduler.name());
        int viaInvokeAll = BoundedWait.call(() -> f.scheduler.invoke(() -> {
            int sum = 0;
            List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
            for (Future<Integer> future : f.executor.invokeAll(tasks)) {
                sum += future.get();
            }
            return sum;
        }), 20_000, f.scheduler.name());

        assertEquals(42, viaGet);
        assertEquals(6, viaInvokeAll);
    }

    /**
     * A worker outside the arena submits to it and waits while every permit is taken: the task
     * lands on the worker's own deque, the wait's fast path takes it back and "runs" it — which,
     * at the cap, only forwards it to the arena's queue. The wait must go on until it has run.
     */
    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapesWithAWorkerOutsideTheArena")
    void waitingOnAWorker_whileTheArenaIsAtItsCap_returnsOnlyOnceTheTaskHasRun(int parallelism, int cap)
            throws Exception {
        Fixture f = new Fixture(parallelism, cap);
        CountDownLatch release = f.occupyEverySlot();
        Thread releaser = releaseLater(release);
        Object viaGet = BoundedWait.call(() -> f.scheduler.invoke(() -> {
            Future<Integer> future = f.executor.submit(() -> 42);
            try {
                return future.get();
            } catch (Throwable t) {
                return t + " (done: " + future.isDone() + ")";
            }
        }), 20_000, f.scheduler.name());
        releaser.join(10_000);

        CountDownLatch releaseAgain = f.occupyEverySlot();
        Thread releaserAgain = releaseLater(releaseAgain);
        Object viaJoin = BoundedWait.call(() -> f.scheduler.invoke(() -> {
            Task<Integer> task = (Task<Integer>) f.executor.submit(() -> 43);
            try {
                return task.join();
            } catch (Throwable t) {
                return t + " (done: " + task.isDone() + ")";
            }
        }), 20_000, f.scheduler.name());
        releaserAgain.join(10_000);

        assertEquals(42, viaGet, "get() on a worker returned before the task ran");
        assertEquals(43, viaJoin, "join() on a worker returned before the task ran");
    }

    private static Thread releaseLater(CountDownLatch release) {
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        }, "slot-releaser");
        releaser.start();
        return releaser;
    }
}
