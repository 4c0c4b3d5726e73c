package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.Occupation;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What only an arena's {@link Arena#asExecutorService()} does beyond the {@code ExecutorService}
 * contract ({@link ArenaExecutorServiceContractTest}): it is a view of its arena, so shutting it
 * down leaves the arena working, and a worker outside the arena that waits on it while every
 * permit is taken waits until its task has really run.
 */
class ArenaExecutorServiceTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    static Stream<Arguments> shapes() {
        return Stream.of(arguments(1, 1), arguments(1, 2), arguments(2, 1), arguments(2, 2),
                arguments(4, 1), arguments(4, 2));
    }

    /** The shapes with a worker left over once every permit is taken (parallelism > cap). */
    static Stream<Arguments> shapesWithAWorkerOutsideTheArena() {
        return shapes().filter(shape -> (int) shape.get()[0] > (int) shape.get()[1]);
    }

    @ParameterizedTest(name = "parallelism {0}, cap {1}")
    @MethodSource("shapes")
    void shuttingTheExecutorDown_leavesItsArenaWorking(int parallelism, int cap) {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        for (boolean now : new boolean[] {false, true}) {
            Arena arena = Arena.builder().scheduler(scheduler).maxConcurrency(cap).build();
            ExecutorService executor = arena.asExecutorService();
            if (now) {
                executor.shutdownNow();
            } else {
                executor.shutdown();
            }
            assertThrows(RejectedExecutionException.class, () -> executor.submit(() -> 1));
            assertEquals(3, arena.execute(() -> 3), "shutting the executor down must not affect its arena");
        }
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
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        ExecutorService executor = Arena.builder().scheduler(scheduler).maxConcurrency(cap).build()
                .asExecutorService();

        Object viaGet = waitedForOnAWorker(scheduler, executor, cap, 42, Future::get);
        Object viaJoin = waitedForOnAWorker(scheduler, executor, cap, 43, task -> ((Task<Integer>) task).join());

        assertEquals(42, viaGet, "get() on a worker returned before the task ran");
        assertEquals(43, viaJoin, "join() on a worker returned before the task ran");
    }

    /** How a task on a worker waits for a task it submitted. */
    @FunctionalInterface
    private interface WaitFor {
        Object await(Future<Integer> task) throws Exception;
    }

    /**
     * With every slot of the arena held until {@link #releaseLater} frees them, a task on a worker
     * submits a task returning {@code value} and waits for it with {@code wait}: what the wait
     * returned, or what it threw (and whether the task was done then).
     */
    private static Object waitedForOnAWorker(Scheduler scheduler, ExecutorService executor, int cap, int value,
                                             WaitFor wait) throws Exception {
        Thread releaser = releaseLater(Occupation.ofEverySlot(executor, cap));
        Object outcome = BoundedWait.call(() -> scheduler.invoke(() -> {
            Future<Integer> task = executor.submit(() -> value);
            try {
                return wait.await(task);
            } catch (Throwable t) {
                return t + " (done: " + task.isDone() + ")";
            }
        }), 20_000, scheduler.name());
        releaser.join(10_000);
        return outcome;
    }

    private static Thread releaseLater(Occupation occupation) {
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            occupation.release();
        }, "slot-releaser");
        releaser.start();
        return releaser;
    }
}
