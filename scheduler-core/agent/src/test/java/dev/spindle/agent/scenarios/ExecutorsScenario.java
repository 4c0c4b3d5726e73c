package dev.spindle.agent.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The Executors factories under the agent: contract, caps, order, lifecycle, and no new threads. */
public final class ExecutorsScenario {

    public static void main(String[] args) throws Exception {
        Set<Thread> before = Check.liveThreads();

        ExecutorService fixed = Executors.newFixedThreadPool(2);
        Check.that(fixed instanceof ThreadPoolExecutor, "newFixedThreadPool is still a ThreadPoolExecutor");
        Check.that(fixed.getClass().getName().contains("Redirected"), "newFixedThreadPool is redirected: " + fixed);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            results.add(fixed.submit(() -> {
                peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                Thread.sleep(3);                         // blocks: the cap must still hold
                now.decrementAndGet();
                return n * n;
            }));
        }
        int sum = 0;
        for (Future<Integer> f : results) {
            sum += f.get();
        }
        Check.that(sum == 2470, "fixed pool results, sum " + sum);
        Check.that(peak.get() <= 2, "fixed pool of 2 ran at most 2 at once, peak " + peak.get());

        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            calls.add(() -> "r" + n);
        }
        List<Future<String>> all = fixed.invokeAll(calls);
        Check.that(all.get(9).get().equals("r9"), "invokeAll");
        Check.that(fixed.invokeAny(calls).startsWith("r"), "invokeAny");

        ExecutorService single = Executors.newSingleThreadExecutor();
        ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        AtomicInteger singleNow = new AtomicInteger();
        AtomicInteger singlePeak = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            int n = i;
            single.execute(() -> {
                singlePeak.accumulateAndGet(singleNow.incrementAndGet(), Math::max);
                if (n % 50 == 0) {
                    sleep(2);                            // a blocked task keeps its turn
                }
                order.add(n);
                singleNow.decrementAndGet();
            });
        }
        single.shutdown();
        Check.that(single.awaitTermination(30, TimeUnit.SECONDS), "single-thread executor terminates");
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i);
        }
        Check.that(new ArrayList<>(order).equals(expected), "single-thread executor runs in submission order");
        Check.that(singlePeak.get() == 1, "single-thread executor runs one at a time, peak " + singlePeak.get());

        // 24 tasks of a cached pool wait for each other: the JDK starts 24 threads; Spindle gives
        // the blocked workers stand-ins, so all arrive.
        ExecutorService cached = Executors.newCachedThreadPool();
        Check.that(cached instanceof ThreadPoolExecutor, "newCachedThreadPool is still a ThreadPoolExecutor");
        TasksAtABarrier.meet(cached, 24);
        Check.that(true, "24 cached-pool tasks met at a barrier");

        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        CountDownLatch reported = new CountDownLatch(1);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            uncaught.set(e);
            reported.countDown();
        });
        fixed.execute(() -> {
            throw new IllegalStateException("from execute");
        });
        Check.that(reported.await(30, TimeUnit.SECONDS) && uncaught.get().getMessage().equals("from execute"),
                "an exception from execute reaches the uncaught exception handler");

        fixed.shutdown();
        Check.that(fixed.awaitTermination(30, TimeUnit.SECONDS), "fixed pool terminates after shutdown");
        boolean rejected = false;
        try {
            fixed.execute(() -> { });
        } catch (RejectedExecutionException expectedRejection) {
            rejected = true;
        }
        Check.that(rejected, "execute after shutdown is rejected");

        ExecutorService one = Executors.newFixedThreadPool(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        one.execute(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        for (int i = 0; i < 5; i++) {
            one.execute(() -> { });
        }
        started.await();
        List<Runnable> never = one.shutdownNow();
        Check.that(never.size() == 5, "shutdownNow returns the 5 waiting tasks, got " + never.size());
        Check.that(one.awaitTermination(30, TimeUnit.SECONDS) && interrupted.get(),
                "shutdownNow interrupts the running task and the pool terminates");

        cached.shutdown();
        Check.that(cached.awaitTermination(30, TimeUnit.SECONDS), "cached pool terminates");
        Set<String> foreign = Check.foreignThreadsSince(before);
        Check.that(foreign.isEmpty(), "no thread but Spindle's was started: " + foreign);
        System.out.println("DONE");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
