package dev.spindle.linalg.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The warm-up that keeps products off the Vector API kernel until C2 has compiled it: it answers
 * from the kernel's allocations, gives up on a kernel that never stops allocating or that throws,
 * starts one thread however many callers ask, and that thread ends. Every wait is bounded; the
 * module's default test timeout dumps the threads of a hang.
 */
class VectorWarmUpTest {

    private static final long WAIT_MILLIS = 50_000;

    @Test
    void theVectorKernel_isReportedCompiled_andTheWarmUpThreadEnds() {
        MicroKernel vector = MicroKernels.vectorOrNull();
        assertNotNull(vector, MicroKernels.vectorUnavailableReason());
        LongSupplier counter = ThreadAllocation.counterOrNull();
        assertNotNull(counter, "HotSpot counts each thread's allocations");
        Set<Thread> warmers = ConcurrentHashMap.newKeySet();
        VectorWarmUp warmUp = new VectorWarmUp(recordingThreads(vector, warmers), counter,
                TimeUnit.SECONDS.toNanos(40));
        warmUp.startIfCold();
        assertTrue(BoundedWait.until(warmUp::isCompiled, WAIT_MILLIS), "not compiled: " + warmUp.gaveUpBecause());
        assertNull(warmUp.gaveUpBecause());
        assertEquals(1, warmers.size(), warmers.toString());
        Thread warmer = warmers.iterator().next();
        assertEquals(VectorWarmUp.THREAD_NAME, warmer.getName());
        assertTrue(warmer.isDaemon());
        assertTrue(BoundedWait.until(() -> !warmer.isAlive(), WAIT_MILLIS), "the warm-up thread did not end");
    }

    @Test
    void aKernelThatKeepsAllocating_isGivenUpOn_andNeverReportedCompiled() {
        AtomicLong allocated = new AtomicLong();
        LongSupplier alwaysMore = () -> allocated.addAndGet(64);   // every reading later than the one before
        Set<Thread> warmers = ConcurrentHashMap.newKeySet();
        VectorWarmUp warmUp = new VectorWarmUp(recordingThreads(MicroKernels.portable(), warmers), alwaysMore,
                TimeUnit.MILLISECONDS.toNanos(20));
        warmUp.startIfCold();
        assertTrue(BoundedWait.until(() -> warmUp.gaveUpBecause() != null, WAIT_MILLIS));
        assertTrue(warmUp.gaveUpBecause().contains("still allocated"), warmUp.gaveUpBecause());
        assertFalse(warmUp.isCompiled());
        Thread warmer = warmers.iterator().next();
        assertTrue(BoundedWait.until(() -> !warmer.isAlive(), WAIT_MILLIS), "the warm-up thread did not end");
        assertFalse(warmUp.isCompiled(), "asking again starts no second warm-up");
        assertEquals(1, warmers.size());
    }

    @Test
    void aKernelThatThrows_isGivenUpOn_andTheFailureIsNamed() {
        IllegalStateException boom = new IllegalStateException("boom");
        MicroKernel throwing = new DelegatingKernel(MicroKernels.portable()) {
            @Override
            public void multiplySet(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
                                    int ldc) {
                throw boom;
            }
        };
        VectorWarmUp warmUp = new VectorWarmUp(throwing, ThreadAllocation.counterOrNull(), TimeUnit.SECONDS.toNanos(40));
        warmUp.startIfCold();
        assertTrue(BoundedWait.until(() -> warmUp.gaveUpBecause() != null, WAIT_MILLIS));
        assertTrue(warmUp.gaveUpBecause().contains("boom"), warmUp.gaveUpBecause());
        assertFalse(warmUp.isCompiled());
    }

    @Test
    void theFirstAsk_startsNothing_andTheSecondStartsTheWarmUp() {
        Set<Thread> warmers = ConcurrentHashMap.newKeySet();
        VectorWarmUp warmUp = new VectorWarmUp(recordingThreads(MicroKernels.portable(), warmers),
                ThreadAllocation.counterOrNull(), TimeUnit.SECONDS.toNanos(40));
        assertFalse(warmUp.isCompiled(), "the first product runs on the portable kernel");
        assertFalse(BoundedWait.until(() -> !warmers.isEmpty(), 200), "the first ask started the warm-up");
        warmUp.isCompiled();
        assertTrue(BoundedWait.until(warmUp::isCompiled, WAIT_MILLIS), "not compiled: " + warmUp.gaveUpBecause());
        assertEquals(1, warmers.size(), warmers.toString());
    }

    @Test
    void withoutAnAllocationCounter_theKernelIsUsedAtOnce_andNoThreadStarts() {
        Set<Thread> warmers = ConcurrentHashMap.newKeySet();
        VectorWarmUp warmUp = new VectorWarmUp(recordingThreads(MicroKernels.portable(), warmers), null,
                TimeUnit.SECONDS.toNanos(40));
        assertTrue(warmUp.isCompiled());
        assertTrue(warmers.isEmpty());
    }

    @Test
    void manyCallersAtOnce_startOneWarmUp() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Set<Thread> warmers = ConcurrentHashMap.newKeySet();
        MicroKernel held = new DelegatingKernel(MicroKernels.portable()) {
            @Override
            public void multiplySet(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
                                    int ldc) {
                warmers.add(Thread.currentThread());
                try {
                    release.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                super.multiplySet(kc, a, aOff, b, bOff, c, cOff, ldc);
            }
        };
        VectorWarmUp warmUp = new VectorWarmUp(held, ThreadAllocation.counterOrNull(), TimeUnit.SECONDS.toNanos(40));
        CountDownLatch start = new CountDownLatch(1);
        Thread[] callers = new Thread[8];
        for (int i = 0; i < callers.length; i++) {
            callers[i] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException interrupted) {
                    return;
                }
                warmUp.isCompiled();
                warmUp.isCompiled();
            }, "warm-up-caller-" + i);
            callers[i].start();
        }
        start.countDown();
        for (Thread caller : callers) {
            caller.join(WAIT_MILLIS);
            assertFalse(caller.isAlive(), caller.getName() + " blocked in isCompiled()");
        }
        assertTrue(BoundedWait.until(() -> !warmers.isEmpty(), WAIT_MILLIS));
        release.countDown();
        assertTrue(BoundedWait.until(warmUp::isCompiled, WAIT_MILLIS), "not compiled: " + warmUp.gaveUpBecause());
        assertEquals(1, warmers.size(), warmers.toString());
    }

    /** {@code kernel}, noting every thread that calls it. */
    private static MicroKernel recordingThreads(MicroKernel kernel, Set<Thread> threads) {
        return new DelegatingKernel(kernel) {
            @Override
            public void multiplySet(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
                                    int ldc) {
                threads.add(Thread.currentThread());
                super.multiplySet(kc, a, aOff, b, bOff, c, cOff, ldc);
            }
        };
    }

    /** A kernel that passes every call to another; subclasses change a call. */
    private static class DelegatingKernel implements MicroKernel {
        private final MicroKernel kernel;

        DelegatingKernel(MicroKernel kernel) {
            this.kernel = kernel;
        }

        @Override
        public String name() {
            return kernel.name();
        }

        @Override
        public int mr() {
            return kernel.mr();
        }

        @Override
        public int nr() {
            return kernel.nr();
        }

        @Override
        public void multiplyAdd(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int ldc) {
            kernel.multiplyAdd(kc, a, aOff, b, bOff, c, cOff, ldc);
        }

        @Override
        public void multiplySet(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int ldc) {
            kernel.multiplySet(kc, a, aOff, b, bOff, c, cOff, ldc);
        }
    }
}
