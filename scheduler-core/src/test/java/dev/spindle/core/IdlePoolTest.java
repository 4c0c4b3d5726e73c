package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.ForkedFibonacci;
import dev.spindle.core.testing.SchedulerHygiene;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R10: once the work is done, the workers go to sleep and stay asleep (no spinning, no timed
 * polling that adds up), and a sleeping pool still runs what it is given.
 */
class IdlePoolTest {

    /** The budget for the whole pool over the quiet window; OpenMP-style spinning blows it. */
    private static final long CPU_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long QUIET_WINDOW_MILLIS = 2_000;

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /** A burst of forked work and outside submissions, waited for. */
    private static void burst(Scheduler scheduler) throws Exception {
        List<Task<Long>> submitted = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            submitted.add(scheduler.submit(() -> ForkedFibonacci.of(scheduler, 18)));
        }
        for (int i = 0; i < 2_000; i++) {
            scheduler.execute(() -> { });
        }
        for (Task<Long> task : submitted) {
            try {
                assertEquals(2584L, task.get(30, TimeUnit.SECONDS));
            } catch (TimeoutException e) {
                fail("the burst did not finish within 30 s: " + scheduler.stats());
            }
        }
    }

    private static List<Thread> workerThreads(Scheduler scheduler) {
        String prefix = scheduler.name() + "-worker-";
        List<Thread> workers = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(prefix)) {
                workers.add(thread);
            }
        }
        return workers;
    }

    /**
     * {@code ThreadMXBean.getThreadCpuTime}, reached reflectively: the test sources compile as part
     * of module {@code dev.spindle.core}, which does not read {@code java.management} (and should
     * not, for a test). The tests run on the class path, where the call is allowed.
     */
    private static final class ThreadCpuClock {
        private final Object bean;
        private final Method cpuTime;
        private final boolean supported;

        ThreadCpuClock() throws ReflectiveOperationException {
            Class<?> beanType = Class.forName("java.lang.management.ThreadMXBean");
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            cpuTime = beanType.getMethod("getThreadCpuTime", long.class);
            supported = (Boolean) beanType.getMethod("isThreadCpuTimeSupported").invoke(bean);
            if (supported && !(Boolean) beanType.getMethod("isThreadCpuTimeEnabled").invoke(bean)) {
                beanType.getMethod("setThreadCpuTimeEnabled", boolean.class).invoke(bean, true);
            }
        }

        boolean supported() {
            return supported;
        }

        /** CPU time of a live thread in nanoseconds, or -1 if it is not alive. */
        long cpuNanos(Thread thread) {
            try {
                return (Long) cpuTime.invoke(bean, thread.getId());
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new AssertionError("getThreadCpuTime failed", e);
            }
        }
    }

    private static long cpuNanos(ThreadCpuClock clock, List<Thread> workers) {
        long total = 0;
        for (Thread worker : workers) {
            long cpu = clock.cpuNanos(worker);
            assertTrue(cpu >= 0, worker.getName() + " has no CPU time (dead?)");
            total += cpu;
        }
        return total;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void idlePool_afterABurst_burnsNoCpu(int parallelism) throws Exception {
        ThreadCpuClock clock = new ThreadCpuClock();
        assertTrue(clock.supported(), "per-thread CPU time is not supported by this JVM: R10 cannot be checked");
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        burst(scheduler);

        Thread.sleep(100);                           // let the workers spin down
        List<Thread> workers = workerThreads(scheduler);
        assertEquals(parallelism, workers.size(), "worker threads of " + scheduler);
        long before = cpuNanos(clock, workers);
        long parksBefore = scheduler.stats().parks();
        Thread.sleep(QUIET_WINDOW_MILLIS);
        long used = cpuNanos(clock, workers) - before;

        assertTrue(used < CPU_BUDGET_NANOS, "an idle pool of " + parallelism + " used "
                + TimeUnit.NANOSECONDS.toMillis(used) + " ms CPU in a " + QUIET_WINDOW_MILLIS
                + " ms quiet window (budget " + TimeUnit.NANOSECONDS.toMillis(CPU_BUDGET_NANOS) + " ms); "
                + (scheduler.stats().parks() - parksBefore) + " parks in the window; " + scheduler.stats());
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void taskSubmittedToASleepingPool_startsAndCompletes(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        long parksBeforeWork = scheduler.stats().parks();
        burst(scheduler);
        for (int round = 0; round < 3; round++) {
            awaitAllWorkersAsleep(scheduler, parksBeforeWork);
            // Correctness only: it runs, and the work it forks runs too; no latency bound.
            parksBeforeWork = scheduler.stats().parks();
            Task<Long> task = scheduler.submit(() -> ForkedFibonacci.of(scheduler, 15));
            try {
                assertEquals(610L, task.get(10, TimeUnit.SECONDS));
            } catch (TimeoutException e) {
                fail("a task submitted to a sleeping pool did not complete within 10 s (round " + round + "): "
                        + scheduler.stats());
            }
            awaitAllWorkersAsleep(scheduler, parksBeforeWork);
            parksBeforeWork = scheduler.stats().parks();
            Task<String> forked = scheduler.fork(() -> "forked from outside");
            try {
                assertEquals("forked from outside", forked.get(10, TimeUnit.SECONDS));
            } catch (TimeoutException e) {
                fail("a task forked from outside into a sleeping pool did not complete within 10 s (round "
                        + round + "): " + scheduler.stats());
            }
        }
    }

    /**
     * Waits until the workers went to sleep after the last work (parks grew past
     * {@code parksBeforeWork}) and every worker thread is parked without a timeout.
     */
    private static void awaitAllWorkersAsleep(Scheduler scheduler, long parksBeforeWork) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            int parked = 0;
            for (Thread worker : workerThreads(scheduler)) {
                if (worker.getState() == Thread.State.WAITING) {
                    parked++;
                }
            }
            if (parked == scheduler.parallelism() && scheduler.stats().parks() > parksBeforeWork) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("workers of " + scheduler + " did not all go to sleep within 10 s: " + scheduler.stats());
            }
            Thread.sleep(5);
        }
    }
}
