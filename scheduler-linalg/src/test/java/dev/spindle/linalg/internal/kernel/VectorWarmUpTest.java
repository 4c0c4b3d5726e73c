package dev.spindle.linalg.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The warm-up that keeps products off the Vector API kernel until C2 has compiled it: it answers
 * from the kernel's allocations, switches to the kernel anyway when its budget runs out (or when it
 * is interrupted), keeps the portable kernel only for a kernel that throws, starts one thread
 * however many callers ask, records its answer as a JFR event, and its thread ends. Every wait is
 * bounded; the module's default test timeout dumps the threads of a hang.
 *
 * <p>What a loaded machine cannot break is asserted in this JVM: the warm-up of the real kernel
 * answers within its budget and products then get the kernel, compiled or not. Whether the probe
 * sees C2's code is asserted only where that is deterministic: in a fresh JVM with {@code -Xbatch},
 * where each compile finishes before the call that asked for it goes on, so the kernel is compiled
 * after the same number of calls however busy the machine is.
 */
class VectorWarmUpTest {

    private static final long WAIT_MILLIS = 50_000;

    @Test
    void theVectorKernel_isReadyWithinTheBudget_compiledOrNot_andTheWarmUpThreadEnds() {
        MicroKernel vector = MicroKernels.vectorOrNull();
        assertNotNull(vector, MicroKernels.vectorUnavailableReason());
        LongSupplier counter = ThreadAllocation.counterOrNull();
        assertNotNull(counter, "HotSpot counts each thread's allocations");
        Set<Thread> warmers = ConcurrentHashMap.newKeySet();
        VectorWarmUp warmUp = new VectorWarmUp(recordingThreads(vector, warmers), counter,
                TimeUnit.SECONDS.toNanos(5));
        warmUp.startIfCold();
        assertTrue(BoundedWait.until(() -> warmUp.outcome() != null, WAIT_MILLIS), "no answer");
        assertTrue(warmUp.isReady(), warmUp.outcome() + ": " + warmUp.detail());
        assertTrue(warmUp.outcome() == WarmUpOutcome.COMPILED || warmUp.outcome() == WarmUpOutcome.BUDGET_SPENT,
                warmUp.outcome() + ": " + warmUp.detail());
        assertTrue(warmUp.calls() > 0, "calls: " + warmUp.calls());
        assertEquals(1, warmers.size(), warmers.toString());
        Thread warmer = warmers.iterator().next();
        assertEquals(VectorWarmUp.THREAD_NAME, warmer.getName());
        assertTrue(warmer.isDaemon());
        assertTrue(BoundedWait.until(() -> !warmer.isAlive(), WAIT_MILLIS), "the warm-up thread did not end");
    }

    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void theVectorKernel_isSeenCompiled_inAFreshJvmWhoseCompilesDoNotRunBehindTheCalls()
            throws IOException, InterruptedException {
        for (String javaHome : ChildJvm.javaHomes()) {
            List<String> command = List.of(ChildJvm.java(javaHome), "-Xbatch", "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"), VectorWarmUpTest.class.getName());
            ChildJvm.Result result = ChildJvm.run(command, Map.of(), 180);
            assertEquals(0, result.exitCode(), result::toString);
            assertTrue(result.output().lines().anyMatch(line -> line.startsWith("outcome COMPILED ")),
                    result::toString);
        }
    }

    /**
     * The child of the {@code -Xbatch} test: warms up the real Vector API kernel with a budget no
     * machine reaches, and prints how it ended.
     */
    public static void main(String[] args) {
        VectorWarmUp warmUp = new VectorWarmUp(MicroKernels.vectorOrNull(), ThreadAllocation.counterOrNull(),
                TimeUnit.MINUTES.toNanos(10));
        warmUp.startIfCold();
        if (!BoundedWait.until(() -> warmUp.outcome() != null, 170_000)) {
            System.out.println("no outcome");
            System.exit(1);
        }
        System.out.println("outcome " + warmUp.outcome() + " after " + warmUp.calls() + " calls, "
                + warmUp.elapsedMillis() + " ms: " + warmUp.detail());
    }

    @Test
    void aKernelThatKeepsAllocating_isUsedWhenTheBudgetRunsOut_andTheReasonSaysSo() {
        Set<Thread> warmers = ConcurrentHashMap.newKeySet();
        VectorWarmUp warmUp = onPortable(warmers, allocatingMoreEachTime(), TimeUnit.MILLISECONDS.toNanos(20));
        warmUp.startIfCold();
        assertTrue(BoundedWait.until(() -> warmUp.outcome() != null, WAIT_MILLIS));
        assertEquals(WarmUpOutcome.BUDGET_SPENT, warmUp.outcome(), warmUp.detail());
        assertTrue(warmUp.detail().contains("20 ms switch budget"), warmUp.detail());
        assertTrue(warmUp.elapsedMillis() >= 20, "switched after " + warmUp.elapsedMillis() + " ms");
        assertTrue(warmUp.isReady(), "products use the kernel after the budget");
        Thread warmer = warmers.iterator().next();
        assertTrue(BoundedWait.until(() -> !warmer.isAlive(), WAIT_MILLIS), "the warm-up thread did not end");
        assertTrue(warmUp.isReady());
        assertEquals(1, warmers.size(), "asking again starts no second warm-up");
    }

    @Test
    void anInterruptedWarmUp_endsAndHandsTheKernelToProducts() {
        Set<Thread> warmers = ConcurrentHashMap.newKeySet();
        VectorWarmUp warmUp = onPortable(warmers, allocatingMoreEachTime(), TimeUnit.MINUTES.toNanos(10));
        warmUp.startIfCold();
        assertTrue(BoundedWait.until(() -> !warmers.isEmpty(), WAIT_MILLIS));
        Thread warmer = warmers.iterator().next();
        warmer.interrupt();
        assertTrue(BoundedWait.until(() -> warmUp.outcome() != null, WAIT_MILLIS), "the interrupt was lost");
        assertEquals(WarmUpOutcome.NOT_MEASURED, warmUp.outcome(), warmUp.detail());
        assertTrue(warmUp.detail().contains("interrupted"), warmUp.detail());
        assertTrue(warmUp.isReady());
        assertTrue(BoundedWait.until(() -> !warmer.isAlive(), WAIT_MILLIS), "the warm-up thread did not end");
    }

    @Test
    void aKernelThatThrows_isNeverUsed_andTheFailureIsNamed() {
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
        assertTrue(BoundedWait.until(() -> warmUp.outcome() != null, WAIT_MILLIS));
        assertEquals(WarmUpOutcome.KERNEL_FAILED, warmUp.outcome());
        assertTrue(warmUp.detail().contains("boom"), warmUp.detail());
        assertFalse(warmUp.isReady());
    }

    @Test
    void theOutcome_isRecordedAsAFlightEvent() throws Exception {
        Path file = Files.createTempFile("spindle-kernel-switch", ".jfr");
        try {
            try (Recording recording = new Recording()) {
                recording.enable("dev.spindle.linalg.KernelSwitch");
                recording.start();
                LongSupplier alwaysMore = allocatingMoreEachTime();
                VectorWarmUp warmUp = new VectorWarmUp(MicroKernels.portable(), alwaysMore,
                        TimeUnit.MILLISECONDS.toNanos(5));
                warmUp.startIfCold();
                assertTrue(BoundedWait.until(() -> warmUp.outcome() != null, WAIT_MILLIS));
                recording.stop();
                recording.dump(file);
            }
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.spindle.linalg.KernelSwitch"))
                    .collect(Collectors.toList());
            assertEquals(1, events.size(), events.toString());
            RecordedEvent event = events.get(0);
            assertEquals("BUDGET_SPENT", event.getString("outcome"));
            assertEquals(MicroKernels.portable().name(), event.getString("kernel"));
            assertTrue(event.getBoolean("productsUseKernel"));
            assertTrue(event.getLong("warmUpCalls") > 0, event.toString());
            assertTrue(event.getString("detail").contains("switch budget"), event.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void theFirstAsk_startsNothing_andTheSecondStartsTheWarmUp() {
        Set<Thread> warmers = ConcurrentHashMap.newKeySet();
        VectorWarmUp warmUp = onPortable(warmers, ThreadAllocation.counterOrNull(), TimeUnit.SECONDS.toNanos(40));
        assertFalse(warmUp.isReady(), "the first product runs on the portable kernel");
        assertFalse(BoundedWait.until(() -> !warmers.isEmpty(), 200), "the first ask started the warm-up");
        warmUp.isReady();
        assertTrue(BoundedWait.until(warmUp::isReady, WAIT_MILLIS), "no answer: " + warmUp.outcome());
        assertEquals(1, warmers.size(), warmers.toString());
    }

    @Test
    void withoutAnAllocationCounter_theKernelIsUsedAtOnce_andNoThreadStarts() {
        Set<Thread> warmers = ConcurrentHashMap.newKeySet();
        VectorWarmUp warmUp = onPortable(warmers, null, TimeUnit.SECONDS.toNanos(40));
        assertTrue(warmUp.isReady());
        assertEquals(WarmUpOutcome.NOT_MEASURED, warmUp.outcome());
        assertTrue(warmers.isEmpty());
    }

    @Test
    void aNegativeBudget_isRejectedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VectorWarmUp(MicroKernels.portable(), null, -1));
        assertTrue(e.getMessage().contains("switchAfterNanos") && e.getMessage().contains("-1"), e.getMessage());
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
                warmUp.isReady();
                warmUp.isReady();
            }, "warm-up-caller-" + i);
            callers[i].start();
        }
        start.countDown();
        for (Thread caller : callers) {
            caller.join(WAIT_MILLIS);
            assertFalse(caller.isAlive(), caller.getName() + " blocked in isReady()");
        }
        assertTrue(BoundedWait.until(() -> !warmers.isEmpty(), WAIT_MILLIS));
        release.countDown();
        assertTrue(BoundedWait.until(warmUp::isReady, WAIT_MILLIS), "no answer: " + warmUp.outcome());
        assertEquals(1, warmers.size(), warmers.toString());
    }

    /**
     * An allocation counter for a kernel whose loop boxes: each reading adds more than the one
     * before, so the deep calls of a round always seem to allocate more than the shallow ones.
     */
    private static LongSupplier allocatingMoreEachTime() {
        AtomicLong readings = new AtomicLong();
        return () -> {
            long n = readings.incrementAndGet();
            return 64 * n * n;
        };
    }

    @Test
    void aKernelThatAllocatesTheSameOnDeepAndShallowBlocks_isSeenCompiled() {
        LongSupplier sameEachTime = new AtomicLong()::incrementAndGet;   // a fixed cost per call, none per step
        VectorWarmUp warmUp = new VectorWarmUp(MicroKernels.portable(), sameEachTime, TimeUnit.MINUTES.toNanos(10));
        warmUp.startIfCold();
        assertTrue(BoundedWait.until(() -> warmUp.outcome() != null, WAIT_MILLIS));
        assertEquals(WarmUpOutcome.COMPILED, warmUp.outcome(), warmUp.detail());
    }

    /** {@code kernel}, noting every thread that calls it. */
    /** A warm-up of the portable kernel that records in {@code warmers} every thread the kernel runs on. */
    private static VectorWarmUp onPortable(Set<Thread> warmers, LongSupplier allocations, long budgetNanos) {
        return new VectorWarmUp(recordingThreads(MicroKernels.portable(), warmers), allocations, budgetNanos);
    }

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
