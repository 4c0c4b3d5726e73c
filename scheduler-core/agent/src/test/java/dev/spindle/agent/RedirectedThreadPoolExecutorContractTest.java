package dev.spindle.agent;

import dev.spindle.core.testing.ExecutorServiceContract;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The {@code ExecutorService} contract on the agent's pool, {@link RedirectedThreadPoolExecutor},
 * in one JVM without the agent: a single-thread pool on one worker, and a pool of three on four.
 * Like the {@code ThreadPoolExecutor} it replaces, it interrupts its running tasks on
 * {@code shutdownNow} and leaves the futures of the tasks it returns pending. What only this pool
 * does (its cap under concurrent submissions) is in {@link RedirectedThreadPoolExecutorTest}.
 */
class RedirectedThreadPoolExecutorContractTest extends ExecutorServiceContract {

    static Stream<Shape> shapes() {
        return Stream.of(new int[] {1, 1}, new int[] {4, 3}).map(shape -> {
            int parallelism = shape[0];
            int cap = shape[1];
            return new Shape("parallelism " + parallelism + ", cap " + cap, parallelism, cap,
                    scheduler -> new RedirectedThreadPoolExecutor(scheduler, "contract(" + cap + ")", cap, false,
                            Executors.defaultThreadFactory(),
                            new ThreadFactoryProbe.Traits(null, Thread.currentThread().getContextClassLoader())));
        });
    }

    @Override
    protected boolean cancelsWhatShutdownNowReturns() {
        return false;
    }

    @Override
    protected boolean shutdownNowInterruptsRunningTasks() {
        return true;
    }
}
