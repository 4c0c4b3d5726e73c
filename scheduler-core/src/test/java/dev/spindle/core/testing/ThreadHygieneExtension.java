package dev.spindle.core.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JSR166 harness's checks, applied to every test class of a module by JUnit's extension
 * auto-detection ({@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in the module's test resources):
 *
 * <ul>
 *   <li>after every test, the test thread's interrupt status is clear (a test that leaves it set
 *       fails, and the status is cleared so the next test starts clean);
 *   <li>after every test class, no Spindle worker thread that the class started is still alive
 *       ten seconds later: every scheduler it built was closed and has terminated. The global
 *       scheduler ({@code spindle-worker-N}) is never closed and is exempt.
 * </ul>
 *
 * <p>Per-test scheduler checks live in {@code SchedulerHygiene}; this one also covers the classes
 * that build a scheduler per class, and modules that cannot see the scheduler's internals. A
 * worker thread is recognised by its name, {@code <scheduler name>-worker-<n>} or
 * {@code …-worker-spare-<n>}; ForkJoinPool's threads ({@code ForkJoinPool…-worker-n}) are not ours.
 */
public final class ThreadHygieneExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final String GLOBAL_WORKER_PREFIX = "spindle-worker-";
    private static final long GRACE_SECONDS = 10;

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ThreadHygieneExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(context.getUniqueId(), liveWorkerThreads());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Thread.interrupted();                            // start clean even after a foreign test
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (Thread.interrupted()) {
            throw new AssertionError("the test left its thread's interrupt status set: "
                    + context.getDisplayName());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Set<Thread> before = (Set<Thread>) context.getStore(NAMESPACE).remove(context.getUniqueId());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
        List<Thread> leaked = leakedSince(before);
        while (!leaked.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
            leaked = leakedSince(before);
        }
        if (!leaked.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Thread thread : leaked) {
                names.add(thread.getName() + " (" + thread.getState() + ")");
            }
            throw new AssertionError(context.getDisplayName() + " left Spindle worker threads alive "
                    + GRACE_SECONDS + " s after its last test (a scheduler not closed, or one that "
                    + "did not terminate): " + names);
        }
    }

    private static List<Thread> leakedSince(Set<Thread> before) {
        List<Thread> leaked = new ArrayList<>();
        for (Thread thread : liveWorkerThreads()) {
            if ((before == null || !before.contains(thread))
                    && !thread.getName().startsWith(GLOBAL_WORKER_PREFIX)) {
                leaked.add(thread);
            }
        }
        return leaked;
    }

    /** The live threads named like Spindle workers. */
    static Set<Thread> liveWorkerThreads() {
        Set<Thread> workers = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (thread.isAlive() && name.contains("-worker-") && !name.startsWith("ForkJoinPool")) {
                workers.add(thread);
            }
        }
        return workers;
    }
}
