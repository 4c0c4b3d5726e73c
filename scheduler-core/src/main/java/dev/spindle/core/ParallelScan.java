package dev.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * An inclusive scan on a worker, split lazily, with a result fixed by the blocks
 * ({@code docs/design/loops.md}, "Scan"; the values are defined in {@link ScanKernel}).
 *
 * <p>The calling worker is the <em>walker</em>: it goes through the blocks in order and writes
 * final results, carrying the last one into the next block. Before each block it asks the question
 * of every lazy loop: is my deque empty? If so, it forks the upper half of the blocks it has left
 * as a {@link LocalScan}: whoever takes it computes each block's {@code local} values (itself split
 * lazily, block by block). When the walker reaches a forked half:
 *
 * <ul>
 *   <li>nobody has started it: the walker takes it back ({@link LocalScan#reclaim}) and walks
 *       those blocks itself, as if it had never forked (no pass is added);
 *   <li>it was started: the walker waits for it (helping), computes the carries of its blocks in
 *       one short serial pass over their last elements, and adds each block's carry to its
 *       elements, split lazily again, so the thief helps.
 * </ul>
 *
 * So a scan nobody helps with is one pass over the data (the walker keeps two dependency chains,
 * {@code local} and {@code carry ⊕ local}, which a core runs side by side); each stolen block costs
 * one more pass, made in parallel. This is the coupling of a sequential and a parallel prefix by
 * work stealing of Roch, Traoré and Bernard ("On-line adaptive parallel prefix computation",
 * Euro-Par 2006), with a fixed block grid so that the result does not depend on what was stolen.
 *
 * <p>Failure: an operator that throws stops the walker and every part, as in a loop; the call
 * rethrows after every forked part has stopped. The destination then holds partial results.
 *
 * <p>Who may call: a worker of the pool, with that worker.
 */
final class ParallelScan {

    /** Blocks hold at least this many elements: a range of at most this many is one serial pass. */
    static final int MIN_GRAIN = 4_096;

    /** At most this many blocks: enough for an idle worker to find some, a small carry array. */
    static final int MAX_BLOCKS = 256;

    private ParallelScan() {
    }

    /**
     * The block size for {@code n} elements: {@code max(4096, ceil(n / 256))}. It depends on the
     * length alone, so the result is the same on every scheduler and at every parallelism.
     */
    static int grain(int n) {
        return (int) Math.max(MIN_GRAIN, LazySplitter.ceilDiv(n, MAX_BLOCKS));
    }

    /** Scans every block of {@code kernel}; see the class comment. */
    static void scan(Worker self, ScanKernel kernel) {
        boolean anyoneToTake = self.pool().parallelism > 1;
        LazySplitter.Abort abort = null;
        LocalScan[] forked = null;                       // upper halves, joined newest first
        int forkedCount = 0;
        Throwable failure = null;
        int next = 0;                                    // the walker's next block
        int end = kernel.blocks;                         // where the newest forked half starts
        try {
            while (true) {
                while (next < end) {
                    if (LazySplitter.aborted(abort)) {
                        throw LazySplitter.SKIPPED;      // a part failed; its failure is reported
                    }
                    if (end - next > 1 && anyoneToTake && self.deque().isEmpty()) {
                        int middle = next + ((end - next) >>> 1);
                        abort = LazySplitter.forFork(abort);
                        LocalScan half = new LocalScan(self, kernel, middle, end, abort);
                        if (forked == null) {
                            forked = new LocalScan[8];
                        } else if (forkedCount == forked.length) {
                            forked = Arrays.copyOf(forked, forkedCount * 2);
                        }
                        forked[forkedCount++] = half;
                        half.task = LazySplitter.forkOn(self, half);
                        end = middle;
                        continue;
                    }
                    if (next == 0) {
                        kernel.scanFirstBlock();
                    } else {
                        kernel.walkBlock(next);
                    }
                    next++;
                }
                if (forkedCount == 0) {
                    break;
                }
                LocalScan half = forked[forkedCount - 1];    // starts at next
                if (half.reclaim()) {
                    forkedCount--;
                    half.task.join();                    // pops it; it finds itself reclaimed
                    end = half.end;                      // walk its blocks here, as if never forked
                    continue;
                }
                half.task.join();
                forkedCount--;
                kernel.carriesFor(half.first, half.end);
                LazySplitter.forBlocks(self, half.first, half.end, 1, 0, half.end - half.first, 1,
                        (lo, hi) -> {
                            for (int b = lo; b < hi; b++) {
                                kernel.applyCarry(b);
                            }
                        }, abort);
                next = half.end;
                end = half.end;
            }
        } catch (Throwable thrown) {                     // a sneaky checked one too (R14)
            if (abort != null) {
                abort.set = true;
            }
            failure = LazySplitter.unchecked(thrown);
        }
        for (int i = forkedCount - 1; i >= 0; i--) {
            forked[i].reclaim();                         // one not started never starts
            failure = LazySplitter.joinRecordingFailure(forked[i].task, failure, abort);
        }
        LazySplitter.rethrow(failure);
    }

    /**
     * The forked upper half of the walker's blocks: their {@code local} values, unless the walker
     * took the half back first. Exactly one of {@link #call} and {@link #reclaim} wins (a CAS on
     * {@link #state}); if {@code call} wins, the walker joins the task, which orders every
     * {@code local} written here before the walker reads them.
     */
    static final class LocalScan implements Callable<Void>, DrainedWork.InternalPart {
        private static final int WAITING = 0;
        private static final int STARTED = 1;
        private static final int RECLAIMED = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(LocalScan.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Worker forker;
        private final ScanKernel kernel;
        final int first;
        final int end;
        private final LazySplitter.Abort abort;
        private volatile int state;
        /** The task that runs this; set by the walker right after the fork, read only by the walker. */
        Task<Void> task;

        LocalScan(Worker forker, ScanKernel kernel, int first, int end, LazySplitter.Abort abort) {
            this.forker = forker;
            this.kernel = kernel;
            this.first = first;
            this.end = end;
            this.abort = abort;
        }

        /** Walker: takes the half back if nobody has started it; true if it did. */
        boolean reclaim() {
            return STATE.compareAndSet(this, WAITING, RECLAIMED);
        }

        @Override
        public Void call() {
            if (!STATE.compareAndSet(this, WAITING, STARTED)) {
                return null;                             // the walker took it back
            }
            LazySplitter.forBlocks(LazySplitter.currentWorker(forker), first, end, 1, 0, end - first, 1,
                    (lo, hi) -> {
                        for (int b = lo; b < hi; b++) {
                            kernel.localScan(b);
                        }
                    }, abort);
            return null;
        }
    }
}
