package dev.spindle.bench.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cern.colt.matrix.tdouble.impl.DenseDoubleMatrix2D;
import dev.spindle.core.PoolCensus;
import dev.spindle.core.PoolLimits;
import dev.spindle.core.ThreadPools;
import edu.emory.mathcs.utils.ConcurrencyUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.ejml.concurrency.EjmlConcurrency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ojalgo.OjAlgoUtils;
import org.ojalgo.concurrent.DaemonPoolExecutor;
import org.ojalgo.machine.VirtualMachine;
import smile.util.MulticoreExecutor;

/**
 * {@link ThreadPools} against the real libraries: the census finds each library's pool once the
 * library has started threads (OpenBLAS's are native threads, found in {@code /proc}), and each
 * limit takes effect, is read back by the library's own getter, and is undone by {@code close()}.
 * The libraries are dependencies of this module only (see its pom).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThreadPoolsLibrariesTest {

    private static PoolCensus.Pool library(PoolCensus census, String name) {
        for (PoolCensus.Pool pool : census.pools(PoolCensus.Kind.LIBRARY)) {
            if (pool.name().equals(name)) {
                return pool;
            }
        }
        return null;
    }

    private static boolean listedAsExecutor(PoolCensus census, Set<String> threadNames) {
        for (PoolCensus.Pool pool : census.pools(PoolCensus.Kind.THREAD_POOL_EXECUTOR)) {
            for (String name : threadNames) {
                if (pool.threadNames().contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ ojAlgo

    @Test
    void ojAlgo_censusFindsItsDaemonThreads() throws Exception {
        String daemon = DaemonPoolExecutor.invoke(() -> Thread.currentThread().getName()).get();
        PoolCensus census = ThreadPools.info();
        PoolCensus.Pool row = library(census, PoolLimits.OJALGO);
        assertNotNull(row, census.toString());
        assertTrue(row.threadNames().contains(daemon), census.toString());
        assertEquals(OjAlgoUtils.ENVIRONMENT.threads, row.parallelism(), census.toString());
        assertFalse(listedAsExecutor(census, Set.of(daemon)), "counted twice:\n" + census);
    }

    @Test
    void ojAlgo_limitReplacesTheEnvironment_andCloseRestoresTheSameOne() {
        VirtualMachine saved = OjAlgoUtils.ENVIRONMENT;
        try (PoolLimits limits = ThreadPools.limits().ojAlgo(1).apply()) {
            PoolLimits.Change change = limits.change(PoolLimits.OJALGO);
            assertTrue(change.applied(), change.toString());
            assertEquals(saved.threads, change.before());
            assertEquals(1, OjAlgoUtils.ENVIRONMENT.threads);
            assertEquals(1, change.after());
        }
        assertSame(saved, OjAlgoUtils.ENVIRONMENT);
    }

    // ------------------------------------------------------------------ EJML

    @Test
    void ejml_censusTellsItsForkJoinPoolFromOthers() {
        int saved = EjmlConcurrency.getMaxThreads();
        EjmlConcurrency.setMaxThreads(2);
        try {
            Set<String> ran = ConcurrentHashMap.newKeySet();
            EjmlConcurrency.loopFor(0, 64, i -> {
                ran.add(Thread.currentThread().getName());
                long end = System.nanoTime() + 2_000_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            });
            PoolCensus census = ThreadPools.info();
            PoolCensus.Pool row = library(census, PoolLimits.EJML);
            assertNotNull(row, census.toString());
            assertEquals(2, row.parallelism(), census.toString());
            assertTrue(row.threads() >= 1 && row.threadNames().containsAll(ran), census.toString());
            for (PoolCensus.Pool other : census.pools(PoolCensus.Kind.FORK_JOIN_POOL)) {
                for (String name : ran) {
                    assertFalse(other.threadNames().contains(name), "EJML's thread " + name
                            + " also listed as a plain ForkJoinPool:\n" + census);
                }
            }
        } finally {
            EjmlConcurrency.setMaxThreads(saved);
        }
    }

    @Test
    void ejml_limitSetsMaxThreads_andCloseSetsThePreviousBack() {
        int saved = EjmlConcurrency.getMaxThreads();
        boolean useConcurrent = EjmlConcurrency.USE_CONCURRENT;
        try (PoolLimits limits = ThreadPools.limits().ejml(1).apply()) {
            assertTrue(limits.change(PoolLimits.EJML).applied(), limits.toString());
            assertEquals(1, EjmlConcurrency.getMaxThreads());
            assertFalse(EjmlConcurrency.USE_CONCURRENT, "EJML itself turns concurrency off at one thread");
        }
        assertEquals(saved, EjmlConcurrency.getMaxThreads());
        assertEquals(useConcurrent, EjmlConcurrency.USE_CONCURRENT);
    }

    // ------------------------------------------------------------------ OpenBLAS (native threads)

    /**
     * How long loading OpenBLAS may take. It takes well under a second on a quiet machine, but 30 to
     * 50 s were measured on 2 cores with two busy loops and other builds running, so the bound is
     * far above that; the method's own timeout is above it again.
     */
    private static final long OPENBLAS_LOAD_MILLIS = 240_000;

    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void openBlas_censusFindsItsNativeThreads_andTheLimitIsSetAndRestored() throws Exception {
        // The native threads inherit the name of the thread that makes OpenBLAS start them, so this
        // test must be the one that loads OpenBLAS in its JVM: loaded earlier by another thread,
        // OpenBLAS's threads carry that thread's name and the loader below adds one or none.
        assertFalse(openBlasLoaded(), "OpenBLAS was loaded in this JVM before this test: it must run in a JVM"
                + " where nothing else loads OpenBLAS (scheduler-bench's pom gives OpenBlasGemmTest a JVM of its"
                + " own; -Dtest=... overrides that split). Loaded: " + Loader.getLoadedLibraries().keySet());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loader = new Thread(() -> {
            try {
                openblas_nolapack.blas_set_num_threads(3);   // loads OpenBLAS, then asks for 3 threads
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "openblas-loader");
        loader.start();
        // Everything below reads the state the loader leaves behind, so wait until it has finished:
        // while it still runs, its own Java thread claims one of its native threads in the census,
        // OpenBLAS may not have started its threads yet, and blas_get_num_threads() still says -1.
        loader.join(OPENBLAS_LOAD_MILLIS);
        assertFalse(loader.isAlive(), () -> "OpenBLAS still loading after " + OPENBLAS_LOAD_MILLIS + " ms, at:\n"
                + stack(loader));
        assertNull(failure.get(), () -> "loading OpenBLAS failed: " + failure.get());
        assertEquals(3, openblas_nolapack.blas_get_num_threads());

        PoolCensus census = ThreadPools.info();
        assertTrue(census.nativeThreadsVisible(), "this test runs on Linux");
        PoolCensus.Pool nativeRow = null;
        for (PoolCensus.Pool pool : census.pools(PoolCensus.Kind.NATIVE)) {
            if (pool.name().equals("openblas-loader")) {
                nativeRow = pool;
            }
        }
        assertNotNull(nativeRow, "OpenBLAS's threads not found:\n" + census);
        assertTrue(nativeRow.threads() >= 2, census.toString());   // 3 threads: the caller and 2 of its own
        assertTrue(nativeRow.cpuNanos() >= 0, census.toString());
        PoolCensus.Pool blas = library(census, PoolLimits.OPENBLAS + " (bytedeco)");
        assertNotNull(blas, census.toString());
        assertEquals(3, blas.parallelism(), census.toString());

        try (PoolLimits limits = ThreadPools.limits().openBlas(1).apply()) {
            PoolLimits.Change change = limits.change(PoolLimits.OPENBLAS);
            assertTrue(change.applied(), change.toString());
            assertEquals(3, change.before());
            assertEquals(1, openblas_nolapack.blas_get_num_threads());
        }
        assertEquals(3, openblas_nolapack.blas_get_num_threads());
    }

    /** Whether JavaCPP has loaded any OpenBLAS bridge (nolapack, full, ...) in this JVM. */
    private static boolean openBlasLoaded() {
        for (String library : Loader.getLoadedLibraries().keySet()) {
            if (library.contains("openblas")) {
                return true;
            }
        }
        return false;
    }

    private static String stack(Thread thread) {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : thread.getStackTrace()) {
            text.append("\tat ").append(frame).append('\n');
        }
        return text.toString();
    }

    // ------------------------------------------------------------------ Smile

    /**
     * One method, in order, because Smile reads {@code smile.threads} once per JVM: the limit set
     * before first use sizes the pool; after that it is refused, saying why; close() restores the
     * property either way.
     */
    @Test
    void smile_limitBeforeFirstUseSizesItsPool_afterwardsItIsRefused_andTheCensusShowsThePool() throws Exception {
        assertNull(System.getProperty("smile.threads"));
        try (PoolLimits limits = ThreadPools.limits().smile(3).apply()) {
            assertTrue(limits.change(PoolLimits.SMILE).applied(), limits.toString());
            assertEquals("3", System.getProperty("smile.threads"));
            assertEquals(3, MulticoreExecutor.getThreadPoolSize());   // Smile's first use reads it
        }
        assertNull(System.getProperty("smile.threads"), "close() restores the property");

        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tasks.add(() -> Thread.currentThread().getName());
        }
        Set<String> ran = ConcurrentHashMap.newKeySet();
        ran.addAll(MulticoreExecutor.run(tasks));
        PoolCensus census = ThreadPools.info();
        PoolCensus.Pool row = library(census, PoolLimits.SMILE);
        assertNotNull(row, census.toString());
        assertEquals(3, row.parallelism(), census.toString());
        assertTrue(row.threads() >= 1 && row.countedElsewhere(), census.toString());
        assertTrue(listedAsExecutor(census, ran), "Smile's threads are ThreadPoolExecutor workers:\n" + census);

        try (PoolLimits late = ThreadPools.limits().smile(1).apply()) {
            PoolLimits.Change change = late.change(PoolLimits.SMILE);
            assertFalse(change.applied(), change.toString());
            assertTrue(change.detail().contains("already started with 3"), change.toString());
            assertNull(System.getProperty("smile.threads"));
        }
    }

    // ------------------------------------------------------------------ Parallel Colt

    @Test
    void parallelColt_censusFindsItsThreadsByTheirHandler() {
        int saved = ConcurrencyUtils.getNumberOfThreads();
        ConcurrencyUtils.setNumberOfThreads(2);
        try {
            new DenseDoubleMatrix2D(400, 400).assign(1.0);  // above Colt's threshold: split over its pool
            PoolCensus census = ThreadPools.info();
            PoolCensus.Pool row = library(census, PoolLimits.PARALLEL_COLT);
            assertNotNull(row, census.toString());
            assertEquals(2, row.parallelism(), census.toString());
            assertTrue(row.threads() >= 1, census.toString());
            assertTrue(row.threadNames().get(0).matches("pool-\\d+-thread-\\d+"), census.toString());
            assertFalse(listedAsExecutor(census, Set.copyOf(row.threadNames())), "counted twice:\n" + census);
        } finally {
            ConcurrencyUtils.setNumberOfThreads(saved);
        }
    }

    @Test
    void parallelColt_nestedLimitsRestoreInOrder_andASettingChangedSinceIsLeftAlone() {
        int saved = ConcurrencyUtils.getNumberOfThreads();
        try {
            try (PoolLimits outer = ThreadPools.limits().parallelColt(2).apply()) {
                assertEquals(2, ConcurrencyUtils.getNumberOfThreads());
                try (PoolLimits inner = ThreadPools.limit(1)) {
                    assertTrue(inner.change(PoolLimits.PARALLEL_COLT).applied(), inner.toString());
                    assertEquals(1, ConcurrencyUtils.getNumberOfThreads());
                }
                assertEquals(2, ConcurrencyUtils.getNumberOfThreads(), "the inner limit restored the outer one");
            }
            assertEquals(saved, ConcurrencyUtils.getNumberOfThreads());

            PoolLimits overridden = ThreadPools.limits().parallelColt(1).apply();
            ConcurrencyUtils.setNumberOfThreads(5);          // the application changes it meanwhile
            overridden.close();
            assertEquals(5, ConcurrencyUtils.getNumberOfThreads(), "close() leaves someone else's setting alone");
            overridden.close();                              // idempotent
            assertEquals(5, ConcurrencyUtils.getNumberOfThreads());
        } finally {
            ConcurrencyUtils.setNumberOfThreads(saved);
        }
    }
}
