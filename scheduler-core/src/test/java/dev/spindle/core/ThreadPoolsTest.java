package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ThreadPools}: the census finds each kind of pool that the JDK and Spindle start, with the
 * threads that really run in it; limits reject bad counts and skip absent libraries. The common
 * pool's knob and the census of a fresh JVM are checked in child JVMs ({@link ThreadPoolsChildTest});
 * the libraries' knobs where the libraries are, in scheduler-bench.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThreadPoolsTest {

    private static final long WAIT_MS = 30_000;

    /** A task that records its thread's name, says it started, and waits for the release. */
    private static Runnable holding(Set<String> names, CountDownLatch started, CountDownLatch release) {
        return () -> {
            names.add(Thread.currentThread().getName());
            started.countDown();
            try {
                release.await(WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static PoolCensus.Pool rowHolding(PoolCensus census, PoolCensus.Kind kind, Set<String> threadNames) {
        for (PoolCensus.Pool pool : census.pools(kind)) {
            if (pool.threadNames().containsAll(threadNames)) {
                return pool;
            }
        }
        return null;
    }

    private static PoolCensus.Pool named(PoolCensus census, PoolCensus.Kind kind, String name) {
        for (PoolCensus.Pool pool : census.pools(kind)) {
            if (pool.name().equals(name)) {
                return pool;
            }
        }
        return null;
    }

    @Test
    void census_findsTheSchedulerArenaCommonPoolForkJoinPoolAndExecutorsThatRunTasks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Scheduler scheduler = Scheduler.builder().name("census-sched").parallelism(2).build();
        ForkJoinPool extra = new ForkJoinPool(3);
        ExecutorService fixed = Executors.newFixedThreadPool(2);
        AtomicInteger counter = new AtomicInteger();
        ExecutorService named = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "census-exec-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Thread plain = new Thread(() -> {
            try {
                release.await(WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "census-plain");
        plain.setDaemon(true);
        plain.start();
        List<Future<?>> held = new ArrayList<>();
        try {
            Arena arena = Arena.builder().scheduler(scheduler).maxConcurrency(1).name("census-arena").build();
            Set<String> inArena = ConcurrentHashMap.newKeySet();
            Set<String> inCommon = ConcurrentHashMap.newKeySet();
            Set<String> inExtra = ConcurrentHashMap.newKeySet();
            Set<String> inFixed = ConcurrentHashMap.newKeySet();
            Set<String> inNamed = ConcurrentHashMap.newKeySet();
            CountDownLatch started = new CountDownLatch(5);
            held.add(arena.asExecutorService().submit(() -> {
                inArena.add(Thread.currentThread().getName());
                started.countDown();
                return BoundedWait.holdBusy(release, WAIT_MS);   // busy, so the arena counts it inside
            }));
            held.add(ForkJoinPool.commonPool().submit(holding(inCommon, started, release)));
            held.add(extra.submit(holding(inExtra, started, release)));
            held.add(fixed.submit(holding(inFixed, started, release)));
            held.add(named.submit(holding(inNamed, started, release)));
            assertTrue(started.await(WAIT_MS, TimeUnit.MILLISECONDS), "the held tasks did not all start");

            PoolCensus census = ThreadPools.info();
            String table = census.toString();

            PoolCensus.Pool spindle = named(census, PoolCensus.Kind.SPINDLE_SCHEDULER, "census-sched");
            assertNotNull(spindle, table);
            assertEquals(2, spindle.parallelism(), table);
            assertTrue(spindle.threadNames().containsAll(inArena), table);
            assertTrue(spindle.threads() >= 2, table);            // two workers and the stall monitor
            assertTrue(spindle.runnable() >= 1, table);           // the one holding busy in the arena
            assertTrue(spindle.cpuNanos() > 0, table);

            PoolCensus.Pool arenaRow = named(census, PoolCensus.Kind.SPINDLE_ARENA, "census-arena");
            assertNotNull(arenaRow, table);
            assertEquals(1, arenaRow.parallelism(), table);
            assertEquals(1, arenaRow.threads(), table);
            assertTrue(arenaRow.countedElsewhere(), table);

            PoolCensus.Pool common = rowHolding(census, PoolCensus.Kind.COMMON_POOL, inCommon);
            assertNotNull(common, table);
            assertEquals(ForkJoinPool.getCommonPoolParallelism(), common.parallelism(), table);

            PoolCensus.Pool extraRow = rowHolding(census, PoolCensus.Kind.FORK_JOIN_POOL, inExtra);
            assertNotNull(extraRow, table);
            assertEquals(3, extraRow.parallelism(), table);
            assertTrue(extraRow.name().startsWith("ForkJoinPool-"), table);

            PoolCensus.Pool fixedRow = rowHolding(census, PoolCensus.Kind.THREAD_POOL_EXECUTOR, inFixed);
            assertNotNull(fixedRow, table);
            assertTrue(fixedRow.name().matches("pool-\\d+"), table);
            assertEquals(fixedRow.name() + "-thread-1", inFixed.iterator().next(), table);

            PoolCensus.Pool namedRow = named(census, PoolCensus.Kind.THREAD_POOL_EXECUTOR, "census-exec");
            assertNotNull(namedRow, table);
            assertTrue(namedRow.threadNames().containsAll(inNamed), table);

            PoolCensus.Pool others = census.pools(PoolCensus.Kind.OTHER_JAVA).get(0);
            assertTrue(others.threadNames().contains("census-plain"), table);

            for (String shown : List.of("census-sched", "census-arena", "ForkJoinPool.commonPool()",
                    extraRow.name(), fixedRow.name(), "census-exec")) {
                assertTrue(table.contains(shown), () -> "the table does not show " + shown + ":\n" + table);
            }
            assertEquals(Files.isDirectory(Paths.get("/proc/self/task")), census.nativeThreadsVisible());
            int rowSum = 0;
            for (PoolCensus.Pool pool : census.pools()) {
                rowSum += pool.countedElsewhere() ? 0 : pool.threads();
            }
            assertEquals(rowSum, census.totalThreads());
            assertTrue(census.totalThreads() >= Thread.getAllStackTraces().size() - 8, table);
        } finally {
            release.countDown();
            for (Future<?> future : held) {
                future.get(WAIT_MS, TimeUnit.MILLISECONDS);
            }
            fixed.shutdown();
            named.shutdown();
            extra.shutdown();
            scheduler.close();
            assertTrue(fixed.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS));
            assertTrue(named.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS));
            assertTrue(extra.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS));
            plain.join(WAIT_MS);
        }
    }

    @Test
    void census_ofAClosedScheduler_listsItNoMore() throws Exception {
        Scheduler scheduler = Scheduler.builder().name("census-closed").parallelism(1).build();
        assertEquals(1, (int) scheduler.invoke(() -> 1));
        assertNotNull(named(ThreadPools.info(), PoolCensus.Kind.SPINDLE_SCHEDULER, "census-closed"));
        scheduler.close();
        assertTrue(scheduler.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS));
        Supplier<PoolCensus.Pool> row = () -> named(ThreadPools.info(), PoolCensus.Kind.SPINDLE_SCHEDULER, "census-closed");
        assertTrue(BoundedWait.until(() -> row.get() == null, WAIT_MS), () -> "still listed: " + row.get());
    }

    @Test
    void census_fromAnInterruptedThread_seesEverything_andKeepsTheInterrupt() {
        PoolCensus quiet = ThreadPools.info();
        Thread.currentThread().interrupt();
        PoolCensus interrupted;
        try {
            interrupted = ThreadPools.info();
            assertTrue(Thread.currentThread().isInterrupted(), "the census cleared the interrupt status");
        } finally {
            Thread.interrupted();
        }
        assertEquals(quiet.nativeThreadsVisible(), interrupted.nativeThreadsVisible());
        assertEquals(quiet.pools(PoolCensus.Kind.JVM_INTERNAL).size(),
                interrupted.pools(PoolCensus.Kind.JVM_INTERNAL).size(), interrupted.toString());
    }

    @Test
    void census_fromInsideASpindleTask_countsTheCallingWorker() throws Exception {
        Scheduler scheduler = Scheduler.builder().name("census-inside").parallelism(1).build();
        try {
            PoolCensus census = BoundedWait.call(() -> scheduler.invoke(ThreadPools::info), WAIT_MS, "census-inside");
            PoolCensus.Pool row = named(census, PoolCensus.Kind.SPINDLE_SCHEDULER, "census-inside");
            assertNotNull(row, census.toString());
            assertTrue(row.threadNames().contains("census-inside-worker-1"), census.toString());
            assertEquals(1, row.runnable(), census.toString());   // the worker taking the census
        } finally {
            scheduler.close();
        }
    }

    @Test
    void limit_rejectsCountsBelowOneOrAbsurd_namingTheValue() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> ThreadPools.limit(0));
        assertTrue(zero.getMessage().contains("was 0"), zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> ThreadPools.limit(-3));
        assertTrue(negative.getMessage().contains("was -3"), negative.getMessage());
        IllegalArgumentException absurd = assertThrows(IllegalArgumentException.class, () -> ThreadPools.limit(5000));
        assertTrue(absurd.getMessage().contains("was 5000"), absurd.getMessage());
        assertEquals(4096, PoolLimits.MAX_THREADS);
        assertNotNull(ThreadPools.limits().threads(PoolLimits.MAX_THREADS), "the largest count is accepted");
        IllegalArgumentException ojAlgo = assertThrows(IllegalArgumentException.class,
                () -> ThreadPools.limits().ojAlgo(0));
        assertTrue(ojAlgo.getMessage().contains("ojAlgo") && ojAlgo.getMessage().contains("was 0"), ojAlgo.getMessage());
        for (String library : List.of(PoolLimits.EJML, PoolLimits.OPENBLAS, PoolLimits.MKL, PoolLimits.SMILE,
                PoolLimits.PARALLEL_COLT, PoolLimits.COMMON_POOL)) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> {
                PoolLimits.Builder builder = ThreadPools.limits();
                switch (library) {
                    case PoolLimits.EJML: builder.ejml(-1); break;
                    case PoolLimits.OPENBLAS: builder.openBlas(-1); break;
                    case PoolLimits.MKL: builder.mkl(-1); break;
                    case PoolLimits.SMILE: builder.smile(-1); break;
                    case PoolLimits.PARALLEL_COLT: builder.parallelColt(-1); break;
                    default: builder.commonPool(-1); break;
                }
            });
            assertTrue(thrown.getMessage().contains(library) && thrown.getMessage().contains("was -1"),
                    thrown.getMessage());
        }
    }

    @Test
    void limit_skipsLibrariesThatAreNotOnTheClassPath_sayingSo() {
        // scheduler-core's test class path holds none of the libraries.
        try (PoolLimits limits = ThreadPools.limits().ojAlgo(1).ejml(1).openBlas(1).mkl(1).smile(1)
                .parallelColt(1).apply()) {
            assertEquals(6, limits.changes().size(), limits.toString());
            for (PoolLimits.Change change : limits.changes()) {
                assertFalse(change.applied(), change.toString());
                assertTrue(change.detail().contains("not on the class path"), change.toString());
            }
            assertNull(limits.change(PoolLimits.COMMON_POOL), "not asked for, so not touched");
        }
        assertEquals(null, System.getProperty("smile.threads"), "an absent Smile gets no property");
    }

    /** A knob of this test's own: records what it was asked to do, and fails on demand. */
    private static final class RecordingKnob extends LibraryPool {
        private final RuntimeException failure;
        final List<String> calls = new ArrayList<>();

        RecordingKnob(String name, RuntimeException failure) {
            super(name);
            this.failure = failure;
        }

        @Override
        PoolLimits.Change limit(int threads, LibraryClasses classes) {
            if (failure != null) {
                throw failure;
            }
            calls.add("set " + threads);
            return PoolLimits.Change.applied(name(), 8, threads, "test knob", () -> calls.add("restore 8"));
        }
    }

    @Test
    void aKnobThatThrows_rollsBackTheChangesAlreadyMade_andTheFailurePropagates() {
        RecordingKnob first = new RecordingKnob(PoolLimits.OJALGO, null);
        IllegalStateException broken = new IllegalStateException("broken knob");
        RecordingKnob second = new RecordingKnob(PoolLimits.EJML, broken);
        RecordingKnob never = new RecordingKnob(PoolLimits.SMILE, null);
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> ThreadPools.limits().threads(2).apply(List.of(first, second, never)));
        assertEquals(broken, thrown);
        assertEquals(List.of("set 2", "restore 8"), first.calls, "the applied change was undone");
        assertTrue(never.calls.isEmpty(), "nothing after the failure was touched");
    }

    @Test
    void aRestoreThatFails_isReported_afterEveryOtherChangeWasRestored() {
        RecordingKnob restored = new RecordingKnob(PoolLimits.OJALGO, null);
        LibraryPool failingRestore = new LibraryPool(PoolLimits.EJML) {
            @Override
            PoolLimits.Change limit(int threads, LibraryClasses classes) {
                return PoolLimits.Change.applied(name(), 4, threads, "test knob", () -> {
                    throw new NoSuchMethodException("gone");
                });
            }
        };
        PoolLimits limits = ThreadPools.limits().threads(1).apply(List.of(restored, failingRestore));
        IllegalStateException thrown = assertThrows(IllegalStateException.class, limits::close);
        assertTrue(thrown.getMessage().contains(PoolLimits.EJML), thrown.getMessage());
        assertTrue(thrown.getCause() instanceof NoSuchMethodException, String.valueOf(thrown.getCause()));
        assertEquals(List.of("set 1", "restore 8"), restored.calls, "the other change was still restored");
        limits.close();                                  // closed once: nothing is restored twice
        assertEquals(List.of("set 1", "restore 8"), restored.calls);
    }

    @Test
    void limitWithNothingChosen_changesNothing_andClosesTwiceQuietly() {
        PoolLimits limits = ThreadPools.limits().apply();
        assertTrue(limits.changes().isEmpty());
        limits.close();
        limits.close();
        assertTrue(limits.toString().contains("closed"));
    }
}
