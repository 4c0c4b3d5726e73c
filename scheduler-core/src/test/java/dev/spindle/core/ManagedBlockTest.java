package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.ThreadCensus;
import dev.spindle.core.testing.ThreadStacks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * R7 of docs/design/reliability.md and docs/design/blocking.md: {@link Scheduler#managedBlock}
 * lends spare workers to blocked ones, never more than the cap, and the spares retire and exit.
 * Joins ignore interrupts, so timeouts run the test in a separate thread: a hang fails, never sticks.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ManagedBlockTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final boolean STRESS = "true".equals(System.getProperty("spindle.stress"));

    private Scheduler scheduler(int parallelism, int maxSpareWorkers) {
        Scheduler.Builder builder = Scheduler.builder()
                .parallelism(parallelism)
                .name(SchedulerHygiene.uniqueName("mb") + "-p" + parallelism);
        if (maxSpareWorkers >= 0) {
            builder.maxSpareWorkers(maxSpareWorkers);
        }
        return hygiene.track(builder.build());
    }

    /** Counts the tasks inside a managed block now, and the most at once. */
    private static final class Blocked {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        boolean awaitIn(CountDownLatch latch) {
            return Scheduler.managedBlock(() -> {
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
                try {
                    return latch.await(20, TimeUnit.SECONDS);
                } finally {
                    now.decrementAndGet();
                }
            });
        }
    }

    private static void assertAllTrue(List<Future<Boolean>> futures, String what) throws Exception {
        for (Future<Boolean> future : futures) {
            try {
                assertTrue(future.get(20, TimeUnit.SECONDS), what);
            } catch (TimeoutException hung) {
                throw new AssertionError("a task did not finish within 20 s; threads:\n" + ThreadStacks.of(""), hung);
            }
        }
    }

    // ------------------------------------------------------------------ R7

    @Test
    void r7_twiceParallelismTasksBlockedOnALatchReleasedByALaterTask_finish_withinParallelismPlusCap()
            throws Exception {
        int parallelism = 2;
        int cap = 2 * parallelism;                       // blocking.md: the default cap cannot hold this shape
        int rounds = STRESS ? 200 : 3;
        for (int round = 0; round < rounds; round++) {
            Scheduler scheduler = scheduler(parallelism, cap);
            try (ThreadCensus census = ThreadCensus.withPrefix(scheduler.name() + "-worker")) {
                CountDownLatch latch = new CountDownLatch(1);
                Blocked blocked = new Blocked();
                List<Future<Boolean>> tasks = new ArrayList<>();
                for (int i = 0; i < 2 * parallelism; i++) {
                    tasks.add(scheduler.submit(() -> blocked.awaitIn(latch)));
                }
                tasks.add(scheduler.submit(() -> {
                    latch.countDown();                   // the later task that releases them all
                    return true;
                }));

                assertAllTrue(tasks, "a blocked task was never released by the later task");
                census.close();
                assertTrue(census.most() <= parallelism + cap,
                        () -> census.most() + " live worker threads, more than parallelism + cap: " + census.names());
            }
        }
    }

    @Test
    void defaultCap_tenBlockedTasks_eachGetsAStandIn_andNoThreadStartsForAnythingElse()
            throws Exception {
        int parallelism = 2;
        int tasksToBlock = 10;
        Scheduler scheduler = scheduler(parallelism, -1);
        assertEquals(Scheduler.DEFAULT_MAX_SPARE_WORKERS, scheduler.maxSpareWorkers(),
                "the default cap is ForkJoinPool's spare count");
        try (ThreadCensus census = ThreadCensus.withPrefix(scheduler.name() + "-worker")) {
            CountDownLatch latch = new CountDownLatch(1);
            Blocked blocked = new Blocked();
            List<Future<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < tasksToBlock; i++) {
                tasks.add(scheduler.submit(() -> blocked.awaitIn(latch)));
            }
            assertTrue(BoundedWait.until(() -> blocked.now.get() == tasksToBlock, 10_000),
                    () -> "spares did not stand in: " + blocked.now.get() + " tasks blocked");
            Thread.sleep(200);                           // room to overshoot, if it would
            latch.countDown();

            assertAllTrue(tasks, "a blocked task timed out instead of being released");
            census.close();
            assertEquals(tasksToBlock, blocked.most.get(), "tasks blocked at once");
            // A spare per blocked worker, at most: the regular workers plus one per blocked task.
            assertTrue(census.most() <= parallelism + tasksToBlock,
                    () -> census.most() + " live worker threads: " + census.names());
        }
    }

    @Test
    void noSpares_noSpareThreadEverAppears_andBlockedWorkersAreNotCountedActive() throws Exception {
        int parallelism = 2;
        Scheduler scheduler = scheduler(parallelism, 0);
        try (ThreadCensus census = ThreadCensus.withPrefix(scheduler.name() + "-worker")) {
            CountDownLatch latch = new CountDownLatch(1);
            Blocked blocked = new Blocked();
            List<Future<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(scheduler.submit(() -> blocked.awaitIn(latch)));
            }
            assertTrue(BoundedWait.until(() -> blocked.now.get() == parallelism, 10_000));
            Thread.sleep(200);
            int activeWhileBlocked = scheduler.stats().activeWorkers();
            int blockedAtOnce = blocked.now.get();
            latch.countDown();

            assertAllTrue(tasks, "a blocked task timed out instead of being released");
            census.close();
            assertEquals(parallelism, blockedAtOnce, "without spares only the workers themselves can block");
            assertEquals(0, activeWhileBlocked, "blocked workers must not count as active");
            assertTrue(census.names().stream().noneMatch(name -> name.contains("spare")),
                    () -> "spare threads appeared with maxSpareWorkers(0): " + census.names());
            assertTrue(census.most() <= parallelism, () -> census.names().toString());
        }
    }

    // ------------------------------------------------------------------ calling conventions

    @Test
    void fromANonWorkerThread_theCallJustRunsThere() throws Exception {
        Scheduler scheduler = scheduler(2, -1);      // exists only so that its threads can be counted
        Thread caller = Thread.currentThread();

        try (ThreadCensus census = ThreadCensus.withPrefix(scheduler.name() + "-worker")) {
            Thread ranOn = Scheduler.managedBlock(Thread::currentThread);
            census.close();

            assertSame(caller, ranOn);
            assertTrue(census.names().stream().noneMatch(name -> name.contains("spare")), census.names().toString());
        }
        assertEquals("value", Scheduler.managedBlock(() -> "value"));
    }

    @Test
    void fromAWorker_returnsTheValue() {
        Scheduler scheduler = scheduler(1, -1);

        String value = scheduler.invoke(() -> Scheduler.managedBlock(() -> "blocked and back"));

        assertEquals("blocked and back", value);
    }

    @Test
    void exceptions_checkedAreWrappedInCompletionException_uncheckedAndErrorsPassAsTheyAre() {
        Scheduler scheduler = scheduler(2, -1);
        IOException checked = new IOException("checked");
        IllegalStateException unchecked = new IllegalStateException("unchecked");
        AssertionError error = new AssertionError("error");

        assertSame(checked, assertThrows(CompletionException.class, () -> Scheduler.managedBlock(() -> {
            throw checked;
        })).getCause());
        assertSame(unchecked, assertThrows(IllegalStateException.class, () -> Scheduler.managedBlock(() -> {
            throw unchecked;
        })));
        assertSame(error, assertThrows(AssertionError.class, () -> Scheduler.managedBlock(() -> {
            throw error;
        })));
        Object onWorker = scheduler.invoke(() -> {
            try {
                return Scheduler.managedBlock(() -> {
                    throw checked;
                });
            } catch (CompletionException wrapped) {
                return wrapped.getCause();
            }
        });
        assertSame(checked, onWorker);
        assertSame(unchecked, assertThrows(IllegalStateException.class, () -> scheduler.invoke(
                () -> Scheduler.managedBlock(() -> {
                    throw unchecked;
                }))));
        assertThrows(NullPointerException.class, () -> Scheduler.managedBlock(null));
        assertEquals(5, scheduler.invoke(() -> 5), "failures in managed blocks must not kill workers");
    }

    /**
     * Back-to-back managed blocks on one worker, each waiting for a sibling only a stand-in can
     * run: every one must get its stand-in, also while the previous one's spare is retiring. A
     * blocking call that found its retiring spare's slot not yet free gave up after a bounded spin
     * and blocked forever without a stand-in (seen in BlockedWorkerBenchmark on two busy cores).
     * With detection off, nothing else could rescue it; with detection on, the monitor is the
     * safety net too.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "detection {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void backToBackManagedBlocks_eachGetsItsStandIn_evenWhileTheLastOneRetires(boolean detection)
            throws Exception {
        Scheduler scheduler = hygiene.track(Scheduler.builder().parallelism(1).detectBlockedWorkers(detection)
                .name(SchedulerHygiene.uniqueName("mb") + "-backtoback").build());
        int rounds = STRESS ? 200_000 : 5_000;
        for (int round = 0; round < rounds; round++) {
            Future<Boolean> outer = scheduler.submit(() -> {
                CountDownLatch sibling = new CountDownLatch(1);
                scheduler.execute(sibling::countDown);      // on this worker's deque: only a stand-in runs it
                return Scheduler.managedBlock(() -> sibling.await(20, TimeUnit.SECONDS));
            });
            int at = round;
            assertTrue(BoundedWait.call(() -> outer.get(), 20_000, scheduler.name()),
                    () -> "round " + at + ": the sibling never ran: " + scheduler.stats());
        }
    }

    // ------------------------------------------------------------------ spares retire and exit

    @Test
    void spares_retireAfterTheBlockedCallsReturn_andAreReusedNotMultiplied() throws Exception {
        int parallelism = 2;
        Scheduler scheduler = scheduler(parallelism, parallelism);
        try (ThreadCensus census = ThreadCensus.withPrefix(scheduler.name() + "-worker")) {
            for (int round = 0; round < 3; round++) {
                CountDownLatch latch = new CountDownLatch(1);
                Blocked blocked = new Blocked();
                List<Future<Boolean>> tasks = new ArrayList<>();
                for (int i = 0; i < 2 * parallelism; i++) {
                    tasks.add(scheduler.submit(() -> blocked.awaitIn(latch)));
                }
                assertTrue(BoundedWait.until(() -> blocked.now.get() == 2 * parallelism, 10_000),
                        "round " + round + ": spares did not stand in");
                latch.countDown();
                assertAllTrue(tasks, "a blocked task timed out");

                assertTrue(BoundedWait.until(() -> scheduler.stats().activeWorkers() == 0, 10_000),
                        () -> "workers still counted active after the blocked calls returned: " + scheduler.stats());
                List<Future<Integer>> burst = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    int value = i;
                    burst.add(scheduler.submit(() -> value));
                }
                long sum = 0;
                for (Future<Integer> future : burst) {
                    sum += future.get(20, TimeUnit.SECONDS);
                }
                assertEquals(499_500, sum);
            }
            census.close();
            assertTrue(census.most() <= 2 * parallelism, () -> census.names().toString());
            assertEquals(Set.of(scheduler.name() + "-worker-1", scheduler.name() + "-worker-2",
                    scheduler.name() + "-worker-spare-1", scheduler.name() + "-worker-spare-2"), census.names(),
                    "spares are created once, then reused");
        }
    }

    @Test
    void afterClose_noSpareThreadIsAlive() throws Exception {
        int parallelism = 2;
        Scheduler scheduler = scheduler(parallelism, -1);
        CountDownLatch latch = new CountDownLatch(1);
        Blocked blocked = new Blocked();
        List<Future<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < 2 * parallelism; i++) {
            tasks.add(scheduler.submit(() -> blocked.awaitIn(latch)));
        }
        assertTrue(BoundedWait.until(() -> blocked.now.get() == 2 * parallelism, 10_000));
        assertTrue(ThreadStacks.liveThreadsNamed(scheduler.name() + "-worker-spare-") > 0, "no spare started");
        latch.countDown();
        assertAllTrue(tasks, "a blocked task timed out");

        BoundedWait.call(() -> {
            scheduler.close();
            return null;
        }, 20_000, scheduler.name());

        assertTrue(scheduler.isTerminated());
        assertTrue(BoundedWait.until(() -> ThreadStacks.liveThreadsNamed(scheduler.name() + "-worker") == 0, 10_000),
                () -> "threads still alive after close:\n" + ThreadStacks.of(scheduler.name() + "-worker"));
    }

    @Test
    void close_whileSparesStandIn_stillTerminatesWithNoThreadLeft() throws Exception {
        int parallelism = 2;
        Scheduler scheduler = scheduler(parallelism, -1);
        CountDownLatch latch = new CountDownLatch(1);
        Blocked blocked = new Blocked();
        for (int i = 0; i < 2 * parallelism; i++) {
            scheduler.submit(() -> blocked.awaitIn(latch));
        }
        assertTrue(BoundedWait.until(() -> blocked.now.get() == 2 * parallelism, 10_000));

        scheduler.shutdown();
        latch.countDown();

        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS),
                () -> "not terminated:\n" + ThreadStacks.of(scheduler.name() + "-worker"));
        assertTrue(BoundedWait.until(() -> ThreadStacks.liveThreadsNamed(scheduler.name() + "-worker") == 0, 10_000),
                () -> "threads still alive after termination:\n" + ThreadStacks.of(scheduler.name() + "-worker"));
    }
}
