package dev.spindle.agent.scenarios;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A wait inside a {@code synchronized} block must not run another task on the same thread: that
 * task would enter the same monitor (monitors are reentrant) while the waiter is inside it. Run
 * with {@code -Dspindle.parallelism=1}, so the only worker is the waiter: a task queued behind the
 * wait either runs on another thread after the waiter leaves the block, or the check fails.
 */
public final class LockedWaitScenario {

    private static final Object LOCK = new Object();
    private static volatile boolean inside;

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicBoolean overlapped = new AtomicBoolean();
        for (int round = 0; round < 20; round++) {
            AtomicBoolean queued = new AtomicBoolean();
            CompletableFuture<Integer> stage = new CompletableFuture<>();
            Future<?> waiter = pool.submit(() -> {
                synchronized (LOCK) {
                    inside = true;
                    try {
                        while (!queued.get()) {
                            Thread.onSpinWait();         // running, not blocked: no stand-in takes the intruder
                        }
                        stage.join();                    // may not help: a monitor is held
                    } finally {
                        inside = false;
                    }
                }
                return null;
            });
            Future<?> intruder = pool.submit(() -> {
                synchronized (LOCK) {
                    if (inside) {
                        overlapped.set(true);            // entered while the waiter was inside
                    }
                }
            });
            Future<?> completer = pool.submit(() -> stage.complete(1)); // queued behind the intruder
            queued.set(true);
            waiter.get(60, TimeUnit.SECONDS);
            intruder.get(60, TimeUnit.SECONDS);
            completer.get(60, TimeUnit.SECONDS);
        }
        Check.that(!overlapped.get(), "no task entered a monitor its waiting thread held");
        pool.shutdown();
        System.out.println("DONE");
    }
}
