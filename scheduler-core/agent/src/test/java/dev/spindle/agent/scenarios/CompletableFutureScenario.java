package dev.spindle.agent.scenarios;

import dev.spindle.core.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * CompletableFuture under the agent: default async stages run on Spindle's workers, and a task
 * that waits for a stage ({@code join}, {@code get}) or for a task of another redirected pool
 * ({@code Future.get}) helps instead of blocking, so the pool needs no stand-in. (The program
 * names Spindle only to read its statistics.)
 */
public final class CompletableFutureScenario {

    public static void main(String[] args) throws Exception {
        Set<Thread> before = Check.liveThreads();
        String supplier = CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).join();
        Check.that(supplier.startsWith("spindle-worker"), "supplyAsync runs on Spindle: " + supplier);
        String stage = CompletableFuture.completedFuture(1)
                .thenApplyAsync(x -> Thread.currentThread().getName()).get();
        Check.that(stage.startsWith("spindle-worker"), "thenApplyAsync runs on Spindle: " + stage);
        String[] ran = new String[1];
        CompletableFuture.runAsync(() -> ran[0] = Thread.currentThread().getName()).join();
        Check.that(ran[0].startsWith("spindle-worker"), "runAsync runs on Spindle: " + ran[0]);

        ExecutorService outer = Executors.newFixedThreadPool(8);
        ExecutorService inner = Executors.newFixedThreadPool(2);
        rounds(outer, inner, 2);                        // warm-up: classes load, code compiles
        long sparesBefore = Scheduler.global().stats().spareThreadsStarted();
        long total = rounds(outer, inner, 20);
        long spares = Scheduler.global().stats().spareThreadsStarted() - sparesBefore;
        Check.that(total == 20L * 8 * (1 + 2 + 3), "8 outer tasks x 20 rounds waiting for stages, sum " + total);
        Check.that(spares == 0, "waiting for stages and inner-pool futures helped, stand-ins started: " + spares);
        outer.shutdown();
        inner.shutdown();
        Check.that(outer.awaitTermination(30, TimeUnit.SECONDS) && inner.awaitTermination(30, TimeUnit.SECONDS),
                "pools terminate");
        Set<String> foreign = Check.foreignThreadsSince(before);
        Check.that(foreign.isEmpty(), "no thread but Spindle's was started: " + foreign);
        System.out.println("DONE");
    }

    private static long rounds(ExecutorService outer, ExecutorService inner, int rounds) throws Exception {
        long total = 0;
        for (int r = 0; r < rounds; r++) {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(outer.submit(() -> {
                    long a = CompletableFuture.supplyAsync(() -> 1L).thenApply(x -> x).join();
                    long b = CompletableFuture.supplyAsync(() -> 2L).thenApplyAsync(x -> x).get();
                    long c = inner.submit(() -> 3L).get();
                    return a + b + c;
                }));
            }
            for (Future<Long> f : futures) {
                total += f.get();
            }
        }
        return total;
    }
}
