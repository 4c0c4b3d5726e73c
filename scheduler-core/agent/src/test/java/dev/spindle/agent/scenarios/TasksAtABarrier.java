package dev.spindle.agent.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Tasks that wait for each other: {@code parties} tasks of one pool meet at a barrier, which only
 * works if the pool runs them all at once (the JDK's pools start a thread each; under the agent,
 * blocked workers get stand-ins or threads of their own).
 */
final class TasksAtABarrier {

    private TasksAtABarrier() {
    }

    /** Submits the tasks to {@code pool} and waits until all have met (each wait bounded by 60 s). */
    static void meet(ExecutorService pool, int parties) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(parties);
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < parties; i++) {
            tasks.add(pool.submit(() -> {
                barrier.await(60, TimeUnit.SECONDS);
                return null;
            }));
        }
        for (Future<?> task : tasks) {
            task.get(60, TimeUnit.SECONDS);
        }
    }
}
