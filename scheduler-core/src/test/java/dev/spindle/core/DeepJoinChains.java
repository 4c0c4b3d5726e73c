package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.ThreadStacks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;

/**
 * The two deep join chains of R13 (docs/design/reliability.md) and their checks, for
 * {@link DeepJoinChainTest} (in the test JVM) and {@link DeepJoinChainChild} (in child JVMs whose
 * compiler settings put the chain's frames in a given state): afterwards every task has ended in
 * one of its three states (none pending), a failure says why (never a bare
 * {@link StackOverflowError}), and the pool still runs work. Each check throws
 * {@link AssertionError} when it does not hold.
 */
final class DeepJoinChains {

    /** How long every task of a chain may take to end, once the chain has started. */
    private static final long ALL_DONE_MILLIS = 30_000;
    /** Stack frames per thread in failure messages (a deep chain has a very long stack). */
    private static final int FRAMES_SHOWN = 30;

    private DeepJoinChains() {
    }

    /**
     * Task {@code i} joins task {@code i + 1}; all are submitted from outside, in order, so a
     * worker that joins task {@code i} finds task {@code i + 1} in the submission queue, not on its
     * deque, and helps with it (and so on down the chain).
     *
     * @return a one-line summary of how the tasks ended
     */
    static String outsideChain(Scheduler scheduler, int length) throws Exception {
        AtomicReferenceArray<Task<Integer>> tasks = new AtomicReferenceArray<>(length);
        for (int i = 0; i < length; i++) {
            int index = i;
            tasks.set(i, scheduler.submit(() -> {
                if (index == length - 1) {
                    return 1;
                }
                return successor(tasks, index + 1).join() + 1;
            }));
        }

        awaitAllDone(tasks, () -> length, scheduler, "outside-submitted chain of " + length);
        Task<Integer> first = tasks.get(0);
        if (!first.isCompletedAbnormally()) {
            assertEquals(length, first.join(), "the chain's result");
        }
        assertStillRuns(scheduler);
        return assertFailuresSayWhy(tasks, length);
    }

    /** The holder's entry for task {@code index}; the submitter sets it a moment after submitting. */
    private static Task<Integer> successor(AtomicReferenceArray<Task<Integer>> tasks, int index) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Task<Integer> next;
        while ((next = tasks.get(index)) == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("test setup: task " + index + " was not submitted within 10 s");
            }
            Thread.onSpinWait();
        }
        return next;
    }

    /**
     * Each task forks the next and joins it, so every join takes its task back and runs it inline
     * (the fast path), one level deeper.
     *
     * @return a one-line summary of how the tasks ended
     */
    static String forkChain(Scheduler scheduler, int depth) throws Exception {
        AtomicReferenceArray<Task<Integer>> forked = new AtomicReferenceArray<>(depth);
        AtomicInteger forks = new AtomicInteger();

        Object outcome = BoundedWait.call(() -> {
            try {
                return scheduler.invoke(() -> link(scheduler, forked, forks, 0, depth));
            } catch (Throwable failure) {
                return failure;
            }
        }, ALL_DONE_MILLIS, scheduler.name());

        // Index 0 is the invoked task itself (done: invoke returned); 1.. are the forked ones.
        // (a task left on a deque by a failure may still run, and fork on: the count can grow)
        awaitAllDone(forked, () -> forks.get() + 1, scheduler, "fork chain of " + depth);
        assertStillRuns(scheduler);
        if (outcome instanceof Throwable) {
            assertSaysWhy((Throwable) outcome, "the " + depth + "-deep fork chain's invoke (" + forks.get()
                    + " tasks forked)");
        } else {
            assertEquals(depth, outcome, "the chain's result");
        }
        return assertFailuresSayWhy(forked, forks.get() + 1);
    }

    private static int link(Scheduler scheduler, AtomicReferenceArray<Task<Integer>> forked, AtomicInteger forks,
                            int level, int depth) {
        if (level == depth - 1) {
            return 1;
        }
        Task<Integer> next = scheduler.fork(() -> link(scheduler, forked, forks, level + 1, depth));
        forked.set(level + 1, next);
        forks.incrementAndGet();
        return next.join() + 1;
    }

    // ------------------------------------------------------------------ checks

    /** Waits until every non-null task of {@code tasks[0, counter)} is done; fails naming the pending ones. */
    private static void awaitAllDone(AtomicReferenceArray<Task<Integer>> tasks, IntSupplier counter, Scheduler scheduler,
                                     String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ALL_DONE_MILLIS);
        int from = 0;
        int count;
        while (true) {
            count = counter.getAsInt();
            while (from < count && (tasks.get(from) == null || tasks.get(from).isDone())) {
                from++;                                  // done stays done: never look back
            }
            if (from == count && count == counter.getAsInt()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            Thread.sleep(20);
        }
        List<Integer> pending = new ArrayList<>();
        for (int i = from; i < count; i++) {
            Task<Integer> task = tasks.get(i);
            if (task != null && !task.isDone()) {
                pending.add(i);
            }
        }
        String report = what + ": " + pending.size() + " task(s) still pending " + ALL_DONE_MILLIS
                + " ms after the chain started (neither completed, failed nor cancelled), first indices "
                + pending.subList(0, Math.min(10, pending.size())) + "; " + scheduler.stats()
                + "\nthreads (top " + FRAMES_SHOWN + " frames):\n" + ThreadStacks.of(scheduler.name(), FRAMES_SHOWN);
        for (int i : pending) {
            tasks.get(i).cancel(false);                  // releases their joiners, so the pool can close
        }
        fail(report);
    }

    /** Every distinct failure among the tasks says why; returns how many failed, distinct and cancelled. */
    private static String assertFailuresSayWhy(AtomicReferenceArray<Task<Integer>> tasks, int count)
            throws InterruptedException {
        Set<Throwable> failures = Collections.newSetFromMap(new IdentityHashMap<>());
        int failed = 0;
        int cancelled = 0;
        for (int i = 0; i < count; i++) {
            Task<Integer> task = tasks.get(i);
            if (task == null || !task.isCompletedAbnormally()) {
                continue;
            }
            if (task.isCancelled()) {
                cancelled++;
                continue;
            }
            failed++;
            try {
                task.get();
            } catch (ExecutionException e) {
                failures.add(e.getCause());
            } catch (CancellationException e) {
                cancelled++;
            }
        }
        for (Throwable failure : failures) {
            assertSaysWhy(failure, "a task of the chain");
        }
        return "R13: " + count + " tasks, " + failed + " failed (" + failures.size() + " distinct failures), "
                + cancelled + " cancelled";
    }

    /** A failure says why: a message, and not a bare StackOverflowError. */
    private static void assertSaysWhy(Throwable failure, String whose) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            throw new AssertionError(whose + " failed without saying why: " + failure
                    + (failure instanceof StackOverflowError ? " (a bare StackOverflowError: the helping depth was not bounded)" : ""),
                    failure);
        }
    }

    private static void assertStillRuns(Scheduler scheduler) throws Exception {
        int value = BoundedWait.call(() -> scheduler.submit(() -> 42).get(), 10_000, scheduler.name());
        assertEquals(42, value, "a task submitted after the chain");
        int invoked = BoundedWait.call(() -> scheduler.invoke(() -> scheduler.fork(() -> 6).join() * 7),
                10_000, scheduler.name());
        assertEquals(42, invoked, "a fork/join after the chain");
    }
}
