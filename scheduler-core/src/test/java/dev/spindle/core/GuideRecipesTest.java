package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.SchedulerHygiene;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code CompletableFuture} recipes of {@code docs/guides/replacing-commonpool.md}, as written
 * there (numbered as in the guide), each run by 8 outer tasks on 2 workers, so that a recipe that
 * held workers idle would hang and fail on the timeout.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GuideRecipesTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private Scheduler spindle() {
        return hygiene.newScheduler(2);
    }

    private static int compute(int x) {
        return x * 2;
    }

    private int postProcess(int x) {
        return x + 1;
    }

    private int merge(int a, int b) {
        return a + b;
    }

    /** Runs {@code recipe} in 8 tasks of {@code spindle} and returns their results. */
    private static List<Integer> inEightTasks(Scheduler spindle, java.util.function.IntUnaryOperator recipe)
            throws Exception {
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int x = i;
            tasks.add(spindle.submit(() -> recipe.applyAsInt(x)));
        }
        List<Integer> results = new ArrayList<>();
        for (Task<Integer> task : tasks) {
            results.add(task.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void recipe1_aPipelineStartedOnTheScheduler_staysOnIt() throws Exception {
        Scheduler spindle = spindle();
        int x = 5;
        int y = 7;
        CompletableFuture<Integer> f = spindle.supplyAsync(() -> compute(x))
                .thenApplyAsync(this::postProcess)
                .thenCombineAsync(spindle.supplyAsync(() -> y), this::merge);
        assertEquals(18, f.get(60, TimeUnit.SECONDS));
        assertEquals(spindle, f.defaultExecutor());
    }

    @Test
    void recipe2_aForeignFuture_withTheSchedulerAsExecutor() throws Exception {
        Scheduler spindle = spindle();
        String[] ranOn = new String[1];
        CompletableFuture<Integer> other = CompletableFuture.completedFuture(3);
        int value = other.thenApplyAsync(v -> {
            ranOn[0] = Thread.currentThread().getName();
            return postProcess(v);
        }, spindle).get(60, TimeUnit.SECONDS);
        assertEquals(4, value);
        assertTrue(ranOn[0].startsWith(spindle.name() + "-worker"), ranOn[0]);
    }

    @Test
    void recipe3_joinOfAStageInsideTasks_completes() throws Exception {
        Scheduler spindle = spindle();
        List<Integer> results = inEightTasks(spindle,
                x -> spindle.supplyAsync(() -> compute(x)).thenApply(this::postProcess).join());
        for (int i = 0; i < 8; i++) {
            assertEquals(2 * i + 1, results.get(i));
        }
    }

    @Test
    void recipe4_forkJoinFeedingAStage() throws Exception {
        Scheduler spindle = spindle();
        List<Integer> results = inEightTasks(spindle, x -> {
            Task<Integer> task = spindle.fork(() -> compute(x));
            return task.toCompletableFuture().thenApply(this::postProcess).join();
        });
        assertEquals(15, results.get(7));
    }

    @Test
    void recipe5_schedulerJoinOfAFutureFromElsewhere_helps() throws Exception {
        Scheduler spindle = hygiene.track(Scheduler.builder().parallelism(1).detectBlockedWorkers(false)
                .maxSpareWorkers(0).name(SchedulerHygiene.uniqueName("guide")).build());
        List<Integer> results = inEightTasks(spindle,
                x -> Scheduler.join(CompletableFuture.supplyAsync(() -> compute(x), spindle).thenApply(this::postProcess)));
        assertEquals(15, results.get(7));
    }

    @Test
    void recipe6_managedBlockAroundALatch() throws Exception {
        Scheduler spindle = spindle();
        CountDownLatch gate = new CountDownLatch(1);
        List<Task<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiting.add(spindle.submit(() -> Scheduler.managedBlock(() -> gate.await(60, TimeUnit.SECONDS)) ? 1 : 0));
        }
        spindle.execute(gate::countDown);               // queued behind 8 blocked tasks on 2 workers
        int opened = 0;
        for (Task<Integer> task : waiting) {
            opened += task.get(60, TimeUnit.SECONDS);
        }
        assertEquals(8, opened);
    }
}
