package dev.spindle.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spindle.bench.workload.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ThreadCensusTest {

    @Test
    void contextSwitches_countTheSwitchesOfOtherThreads_notOnlyTheMainOne() throws Exception {
        assumeTrue(ThreadCensus.isContextSwitchCountAvailable(), "needs /proc/self/task (Linux)");
        ContextSwitches before = ThreadCensus.contextSwitches();
        CountDownLatch done = new CountDownLatch(1);
        Thread sleeper = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                LockSupport.parkNanos(100_000);          // each park is a voluntary switch
            }
            done.countDown();
            LockSupport.park();                          // stay alive until read
        });
        sleeper.setDaemon(true);
        sleeper.start();
        done.await();
        ContextSwitches delta = ThreadCensus.contextSwitches().minus(before);
        LockSupport.unpark(sleeper);
        sleeper.join();
        assertTrue(delta.voluntary() >= 100, "voluntary switches seen: " + delta);
    }

    @Test
    void window_reportsThePeakOfThreadsStartedAndEndedInsideIt() throws Exception {
        int baseline = ThreadCensus.liveThreads();
        ThreadCensus.Window window = ThreadCensus.open(baseline);
        CountDownLatch started = new CountDownLatch(5);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        started.await();
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        ThreadCensus.Census census = window.close();
        assertEquals(baseline, census.baselineThreads());
        assertTrue(census.peakThreadsAboveBaseline() >= 5, census.toString());
    }

    @Test
    void between_leavesOutThreadsThatEnded_andCountsNewOnesInFull() {
        java.util.Map<String, ContextSwitches> first = java.util.Map.of("1", new ContextSwitches(10, 5),
                "2", new ContextSwitches(100, 100));
        java.util.Map<String, ContextSwitches> second = java.util.Map.of("1", new ContextSwitches(12, 6),
                "3", new ContextSwitches(7, 1));
        ContextSwitches delta = ThreadCensus.between(first, second);
        assertEquals(new ContextSwitches(2 + 7, 1 + 1), delta);
    }

    @Test
    void cpuLists_areCounted() {
        assertEquals(2, Cores.countCpuList("0-1"));
        assertEquals(6, Cores.countCpuList("0-3,8,10"));
        assertEquals(1, Cores.countCpuList("5"));
        assertTrue(Cores.real() >= 1);
    }

    @Test
    void baseline_leavesOutOnlyTheIdleThreadsOfTheVariantsOwnSharedPool() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread idleCommonPoolLike = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ForkJoinPool.commonPool-worker-census-test");
        idleCommonPoolLike.start();
        try {
            // Same threads for all three readings: serial owns no shared pool, fjp-nested owns the
            // common pool. A real idle common-pool worker may end between readings; read again then.
            int serial;
            int fjp;
            int ojalgo;
            long commonPoolThreads;
            long ojAlgoThreads;   // idle ojAlgo-daemon threads an earlier test (ojalgo-default) left
            int attempts = 0;
            do {
                int before = ThreadCensus.liveThreads();
                serial = ThreadCensus.baselineFor(Variant.SERIAL);
                fjp = ThreadCensus.baselineFor(Variant.FJP_NESTED);
                ojalgo = ThreadCensus.baselineFor(Variant.OJALGO_DEFAULT);
                commonPoolThreads = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("ForkJoinPool.commonPool-")).count();
                ojAlgoThreads = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("ojAlgo-daemon")).count();
                if (ThreadCensus.liveThreads() == before && serial == before) {
                    break;
                }
            } while (++attempts < 100);

            assertTrue(commonPoolThreads >= 1);
            assertEquals(serial - commonPoolThreads, fjp, "fjp-nested counts the common pool's idle threads as its own");
            assertEquals(serial - ojAlgoThreads, ojalgo,
                    "ojalgo-default counts ojAlgo's idle threads as its own, not the common pool's");
        } finally {
            release.countDown();
            idleCommonPoolLike.join();
        }
    }

    @Test
    void census_mergedOverRounds_keepsTheWindowThatAddedMost_andSumsTheSwitches() {
        // The second window starts with two idle threads another variant left alive: its peak is
        // higher, but the variant added fewer threads in it than in the first.
        ThreadCensus.Census first = new ThreadCensus.Census(20, 25, new ContextSwitches(5, 1));
        ThreadCensus.Census second = new ThreadCensus.Census(22, 26, new ContextSwitches(7, 3));
        ThreadCensus.Census merged = first.merge(second);
        assertEquals(5, merged.peakThreadsAboveBaseline());
        assertEquals(20, merged.baselineThreads());
        assertEquals(25, merged.peakThreads());
        assertEquals(new ContextSwitches(12, 4), merged.switches());
        assertEquals(5, second.merge(first).peakThreadsAboveBaseline(), "the order of the windows does not matter");
    }
}
