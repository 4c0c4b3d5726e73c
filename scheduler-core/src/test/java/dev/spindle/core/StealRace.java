package dev.spindle.core;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fork that races another worker's way to sleep: task A, running on a worker, forks B after a
 * random delay and stays busy until B is done, so only another worker can run B. Shared by the
 * lost-wake-up tests ({@code LostWakeupTest}, {@code LargePoolTest}).
 */
final class StealRace {

    private StealRace() {
    }

    /**
     * Runs {@code forks} rounds of the race from the calling worker. Delays before each fork: none,
     * uniform over the first 20 µs (a worker registers to sleep some microseconds after its last
     * task), or log-uniform from 0.5 µs to 200 µs, so every phase gets its share on a faster or a
     * loaded machine.
     *
     * @param boundNanos how long B may take to be stolen before the round fails
     * @return null, or what went wrong
     */
    static String forkAndWaitForAThief(Scheduler scheduler, int forks, long seed, long boundNanos) {
        SplittableRandom random = new SplittableRandom(seed);
        Thread self = Thread.currentThread();
        for (int i = 0; i < forks; i++) {
            int kind = random.nextInt(8);
            long delay = kind == 0 ? 0
                    : kind <= 4 ? random.nextLong(20_000)
                    : (long) (500 * Math.pow(400, random.nextDouble()));
            long until = System.nanoTime() + delay;
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            AtomicReference<Thread> ranB = new AtomicReference<>();
            Task<Object> b = scheduler.fork(() -> {
                ranB.set(Thread.currentThread());
                return null;
            });
            long deadline = System.nanoTime() + boundNanos;
            while (!b.isDone() && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();                     // busy: this worker does not run B itself
            }
            boolean stolen = ranB.get() != null;
            b.join();
            if (!stolen) {
                return "fork " + i + ": B (forked " + delay + " ns after the previous B finished) was not stolen within "
                        + boundNanos / 1_000_000 + " ms";
            }
            if (ranB.get() == self) {
                return "fork " + i + ": B ran on A's own worker while A was busy";
            }
        }
        return null;
    }
}
