package dev.spindle.agent.scenarios;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * More tasks waiting for each other than Spindle has stand-ins for (run with
 * {@code -Dspindle.maxSpareWorkers=2}): 12 tasks of a cached pool and 12 of a fixed pool of 12 meet
 * at barriers, as they do on the JDK's pools. The agent starts the tasks no worker can take on
 * threads of their own.
 */
public final class StarvedPoolScenario {

    public static void main(String[] args) throws Exception {
        meet(Executors.newCachedThreadPool(), "cached pool");
        meet(Executors.newFixedThreadPool(12), "fixed pool of 12");
        System.out.println("DONE");
    }

    private static void meet(ExecutorService pool, String what) throws Exception {
        TasksAtABarrier.meet(pool, 12);
        pool.shutdown();
        Check.that(pool.awaitTermination(30, TimeUnit.SECONDS), "12 tasks of a " + what
                + " met at a barrier with 2 spare workers");
    }
}
