package dev.spindle.core;

import java.util.stream.Stream;

/**
 * The {@code ExecutorService} contract ({@link TaskExecutorContract}) on {@link Scheduler}, at
 * parallelism 1, 2 and 4 (4 oversubscribes this 2-core machine on purpose). What only the
 * scheduler does (fork, invoke, stats, the global scheduler) is in {@link SchedulerTest}.
 */
class SchedulerContractTest extends TaskExecutorContract {

    static Stream<Shape> shapes() {
        return Stream.of(1, 2, 4).map(parallelism ->
                new Shape("parallelism " + parallelism, parallelism, parallelism, scheduler -> scheduler));
    }

    @Override
    protected boolean shutdownNowInterruptsRunningTasks() {
        return true;
    }
}
