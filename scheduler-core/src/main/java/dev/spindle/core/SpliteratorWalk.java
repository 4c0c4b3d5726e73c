package dev.spindle.core;

import java.util.Arrays;
import java.util.Spliterator;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code forEach} over a {@link Spliterator}, split lazily ({@code docs/design/loops.md},
 * "forEach"): before each batch of elements the worker asks whether its deque is empty, and if so
 * calls {@link Spliterator#trySplit()} and forks a walk of what the spliterator keeps (the part
 * after the split), going on with the part split off (the part before it). A spliterator that
 * declines to split ({@code trySplit} returns null) is not asked again. At the end the worker joins
 * what it forked, newest first.
 *
 * <p>Batches grow as in the per-index loop: one element, then twice as many each time the worker
 * declines to split, up to {@code max(1, min(1024, estimateSize / (16 · parallelism)))}; a split
 * starts again at one. So a walk nested in a saturated outer level asks once per batch, not per
 * element, and a walk of a few expensive elements still asks before each of them at first.
 *
 * <p>Failure as in the other loops: one {@link LazySplitter.Abort} per walk, created at the first
 * fork; a failing action stops every part, and the call rethrows after all of them have stopped.
 *
 * <p>Who may call: a worker, with that worker. A spliterator is used by one thread at a time: the
 * one running its walk; a fork hands the other part to the task that walks it.
 */
final class SpliteratorWalk {

    /** The largest batch: a thief arriving mid-batch waits at most this many elements for a split. */
    static final int MAX_BATCH = 1_024;

    private SpliteratorWalk() {
    }

    static <T> void forEach(Worker self, Spliterator<T> items, Consumer<? super T> action,
                            LazySplitter.Abort abort) {
        int parallelism = self.pool().parallelism;
        boolean splittable = parallelism > 1;
        long maxBatch = Math.max(1, Math.min(MAX_BATCH,
                items.estimateSize() / ((long) Parallel.ADAPTIVE_BLOCKS_PER_WORKER * parallelism)));
        long batch = 1;
        Spliterator<T> mine = items;
        Task<?>[] forked = null;                         // joined newest first
        int forkedCount = 0;
        Throwable failure = null;
        try {
            boolean more = true;
            while (more && !LazySplitter.aborted(abort)) {
                if (splittable && self.deque().isEmpty()) {
                    Spliterator<T> before = mine.trySplit();
                    if (before == null) {
                        splittable = false;
                    } else {
                        Spliterator<T> after = mine;
                        mine = before;
                        LazySplitter.Abort shared = LazySplitter.forFork(abort);
                        abort = shared;
                        Task<Void> part = LazySplitter.forkOn(self, (Callable<Void> & DrainedWork.InternalPart) () -> {
                            forEach(LazySplitter.currentWorker(self), after, action, shared);
                            return null;
                        });
                        if (forked == null) {
                            forked = new Task<?>[8];
                        } else if (forkedCount == forked.length) {
                            forked = Arrays.copyOf(forked, forkedCount * 2);
                        }
                        forked[forkedCount++] = part;
                        batch = 1;
                        continue;
                    }
                }
                for (long k = 0; k < batch && more; k++) {
                    more = mine.tryAdvance(action);
                }
                if (batch < maxBatch) {
                    batch = Math.min(maxBatch, batch << 1);
                }
            }
        } catch (Throwable thrown) {                     // a sneaky checked one too (R14)
            if (abort != null) {
                abort.set = true;
            }
            failure = LazySplitter.unchecked(thrown);
        }
        for (int i = forkedCount - 1; i >= 0; i--) {
            failure = LazySplitter.joinRecordingFailure(forked[i], failure, abort);
        }
        LazySplitter.rethrow(failure);
    }
}
