package dev.spindle.core;

import java.util.stream.Stream;

/**
 * The {@code ExecutorService} contract ({@link TaskExecutorContract}) on an arena's
 * {@link Arena#asExecutorService()}, for parallelism 1, 2 and 4 and caps 1 and 2. What only the
 * arena executor does is in {@link ArenaExecutorServiceTest}.
 */
class ArenaExecutorServiceContractTest extends TaskExecutorContract {

    static Stream<Shape> shapes() {
        return Stream.of(new int[] {1, 1}, new int[] {1, 2}, new int[] {2, 1}, new int[] {2, 2},
                new int[] {4, 1}, new int[] {4, 2}).map(shape -> arenaExecutor(shape[0], shape[1]));
    }

    private static Shape arenaExecutor(int parallelism, int cap) {
        return new Shape("parallelism " + parallelism + ", cap " + cap, parallelism, Math.min(parallelism, cap),
                scheduler -> Arena.builder().scheduler(scheduler).maxConcurrency(cap).build().asExecutorService());
    }

    /** Its tasks run on workers shared with other work: shutdownNow leaves them running. */
    @Override
    protected boolean shutdownNowInterruptsRunningTasks() {
        return false;
    }
}
