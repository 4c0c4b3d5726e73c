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
 * as a {@link LocalScan}, whose takers claim its blocks one at a time from the front and write
 * their {@code local} values (more takers join in as their deques empty). When the walker reaches
 * a forked half, it closes it: no block is claimed after that. Then:
 *
 * <ul>
 *   <li>the blocks nobody claimed the walker walks itself, as if it had never forked (a half
 *       nobody took costs no pass at all);
 *   <li>the blocks others scanned (it waits only for those still in progress) get their carries
 *       in one short serial pass over their last elements, and the walker forks the pass that adds
 *       each carry to its block's elements, and walks on without waiting for it.
 * </ul>
 *
 * So a scan nobody helps with is one pass over the data (the walker keeps two dependency chains,
 * {@code local} and {@code carry ⊕ local}, which a core runs side by side); each block another
 * worker scans costs one more pass, made by the other worker. This is the coupling of a sequential
 * and a parallel prefix by work stealing of Roch, Traoré and Bernard ("On-line adaptive parallel
 * prefix computation", Euro-Par 2006), the sequential process preempting the thieves when it
 * reaches their part, with a fixed block grid so that the result does not depend on what was
 * stolen.
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
        LocalScan[] halves = null;                       // forked halves not yet reached, newest last
        int halfCount = 0;
        Task<?>[] carryPasses = null;
        int carryPassCount = 0;
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
                        if (halves == null) {
                            halves = new LocalScan[8];
                        } else if (halfCount == halves.length) {
                            halves = Arrays.copyOf(halves, halfCount * 2);
                        }
                        halves[halfCount++] = half;
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
                if (halfCount == 0) {
                    break;
                }
                LocalScan half = halves[--halfCount];    // it starts at next
                int scanned = half.close();
                half.task.join();                        // the claimed blocks are done; unstarted, it pops
                end = half.end;
                if (scanned > half.first) {
                    kernel.carriesFor(half.first, scanned);
                    if (carryPasses == null) {
                        carryPasses = new Task<?>[8];
                    } else if (carryPassCount == carryPasses.length) {
                        carryPasses = Arrays.copyOf(carryPasses, carryPassCount * 2);
                    }
                    carryPasses[carryPassCount++] = LazySplitter.forkOn(self,
                            new CarryPass(self, kernel, half.first, scanned, abort));
                    next = scanned;
                }
            }
        } catch (Throwable thrown) {                     // a sneaky checked one too (R14)
            if (abort != null) {
                abort.set = true;
            }
            failure = LazySplitter.unchecked(thrown);
        }
        for (int i = halfCount - 1; i >= 0; i--) {
            halves[i].close();                           // nothing more is claimed
            failure = LazySplitter.joinRecordingFailure(halves[i].task, failure, abort);
        }
        for (int i = carryPassCount - 1; i >= 0; i--) {
            failure = LazySplitter.joinRecordingFailure(carryPasses[i], failure, abort);
        }
        LazySplitter.rethrow(failure);
    }

    /**
     * The forked upper half {@code [first, end)} of the walker's blocks. Whoever runs it claims
     * blocks one at a time (an atomic increment of {@link #next}) and writes their {@code local}
     * values; while its deque is empty it forks a helper that claims from the same half. The
     * walker {@link #close closes} the half when it reaches it: the increment and the close are
     * atomic on one field, so every block is claimed by exactly one of them. The task completes
     * after every helper it forked, so the walker's join orders every {@code local} written here
     * before the walker reads them.
     */
    static final class LocalScan implements Callable<Void>, DrainedWork.InternalPart {
        private static final VarHandle NEXT;

        static {
            try {
                NEXT = MethodHandles.lookup().findVarHandle(LocalScan.class, "next", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Worker forker;
        private final ScanKernel kernel;
        final int first;
        final int end;
        private final LazySplitter.Abort abort;
        /** The next block to claim; {@code end} or more once closed (late claims only add to it). */
        private volatile int next;
        /** The task that runs this; set by the walker right after the fork, read only by the walker. */
        Task<Void> task;

        LocalScan(Worker forker, ScanKernel kernel, int first, int end, LazySplitter.Abort abort) {
            this.forker = forker;
            this.kernel = kernel;
            this.first = first;
            this.end = end;
            this.abort = abort;
            this.next = first;
        }

        /** Walker: no block is claimed from now on; returns the end of the blocks claimed before. */
        int close() {
            return Math.min(end, (int) NEXT.getAndSet(this, end));
        }

        @Override
        public Void call() {
            scanClaimed(LazySplitter.currentWorker(forker));
            return null;
        }

        /** Claims and scans blocks until none is left; helpers forked on the way are joined. */
        private void scanClaimed(Worker self) {
            boolean anyoneToTake = self.pool().parallelism > 1;
            Task<?>[] helpers = null;
            int helperCount = 0;
            Throwable failure = null;
            try {
                while (!LazySplitter.aborted(abort)) {
                    if (anyoneToTake && end - next > 1 && self.deque().isEmpty()) {
                        if (helpers == null) {
                            helpers = new Task<?>[4];
                        } else if (helperCount == helpers.length) {
                            helpers = Arrays.copyOf(helpers, helperCount * 2);
                        }
                        helpers[helperCount++] = LazySplitter.forkOn(self,
                                (Callable<Void> & DrainedWork.InternalPart) () -> {
                                    scanClaimed(LazySplitter.currentWorker(self));
                                    return null;
                                });
                    }
                    int block = (int) NEXT.getAndAdd(this, 1);
                    if (block >= end) {
                        break;
                    }
                    kernel.localScan(block);
                }
            } catch (Throwable thrown) {                 // a sneaky checked one too (R14)
                abort.set = true;
                failure = LazySplitter.unchecked(thrown);
            }
            for (int i = helperCount - 1; i >= 0; i--) {
                failure = LazySplitter.joinRecordingFailure(helpers[i], failure, abort);
            }
            LazySplitter.rethrow(failure);
        }
    }

    /**
     * Adds each block's carry to the {@code local} values of blocks {@code [first, end)}, after the
     * walker recorded the carries (the fork orders that before this runs); split lazily.
     */
    private static final class CarryPass implements Callable<Void>, DrainedWork.InternalPart {
        private final Worker forker;
        private final ScanKernel kernel;
        private final int first;
        private final int end;
        private final LazySplitter.Abort abort;

        CarryPass(Worker forker, ScanKernel kernel, int first, int end, LazySplitter.Abort abort) {
            this.forker = forker;
            this.kernel = kernel;
            this.first = first;
            this.end = end;
            this.abort = abort;
        }

        @Override
        public Void call() {
            LazySplitter.forBlocks(LazySplitter.currentWorker(forker), first, end, 1, 0, end - first, 1,
                    (lo, hi) -> {
                        for (int b = lo; b < hi; b++) {
                            kernel.applyCarry(b);
                        }
                    }, abort);
            return null;
        }
    }
}
