package dev.spindle.core.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The checks the JSR166 harness makes after every test, for schedulers: every scheduler the test
 * made (through {@link #newScheduler}) is closed and terminates within 10 s, none of its worker
 * threads is still alive, and the test thread's interrupt status is clear.
 *
 * <p>Use with {@code @RegisterExtension final SchedulerHygiene hygiene = new SchedulerHygiene();}.
 */
public final class SchedulerHygiene implements BeforeEachCallback, AfterEachCallback {

    private static final java.util.concurrent.atomic.AtomicInteger SERIAL = new java.util.concurrent.atomic.AtomicInteger();

    private final List<Scheduler> schedulers = new ArrayList<>();

    /** A scheduler of {@code parallelism} workers that is closed and checked after the test. */
    public Scheduler newScheduler(int parallelism) {
        return track(Scheduler.builder().parallelism(parallelism).name(uniqueName("test") + "-p" + parallelism).build());
    }

    /**
     * {@code prefix} followed by a number no other call in this JVM got: a name for a scheduler a
     * test builds itself, so that the after-test check finds its workers and no other's.
     */
    public static String uniqueName(String prefix) {
        return prefix + SERIAL.incrementAndGet();
    }

    /** Registers a scheduler built elsewhere for the after-test checks. */
    public Scheduler track(Scheduler scheduler) {
        synchronized (schedulers) {
            schedulers.add(scheduler);
        }
        return scheduler;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Thread.interrupted();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        boolean interrupted = Thread.interrupted();
        List<Scheduler> made;
        synchronized (schedulers) {
            made = new ArrayList<>(schedulers);
            schedulers.clear();
        }
        for (Scheduler scheduler : made) {
            scheduler.shutdownNow();
            assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS),
                    () -> scheduler + " did not terminate within 10 s");
            String prefix = scheduler.name() + "-worker-";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ThreadStacks.liveThreadsNamed(prefix) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(ThreadStacks.liveThreadsNamed(prefix) == 0, () -> "worker threads of " + scheduler + " still alive");
        }
        assertFalse(interrupted, "the test left its thread's interrupt status set");
    }
}
