package dev.spindle.core;

import dev.spindle.core.internal.WorkStealingDeque;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.function.BinaryOperator;

/**
 * Lazy binary splitting of a range of blocks, on a worker (see {@code docs/design/loops.md}).
 *
 * <p>A range of {@code n} indices is cut into blocks of {@code grain} indices, aligned at
 * {@code from + k * grain}. A worker forks the upper half of what is left only if its own deque is
 * empty: nobody has stolen from it work they could take, so an idle worker may be waiting for
 * some. Otherwise it runs the next block itself and asks again. When the outer level already
 * keeps every worker busy, deques are non-empty, nothing splits, and the loop runs as a plain loop
 * plus one deque check per block. The block walk takes {@code int} or {@code long} indices
 * ({@link #forBlocks}, {@link #forLongBlocks}); 2-D tiles are a 1-D walk over the tile indices.
 * Reductions walk a fixed balanced binary tree of blocks with the same rule at every node, boxed
 * ({@link #reduceBlocks}) or with primitive results carried as {@code long} bits
 * ({@link #reduceBlocksToBits}); {@link #both} is one node of such a tree for the sort. The
 * algorithms built on these ({@link ParallelSort}, {@link ParallelScan}, {@link SpliteratorWalk})
 * use the same flag, fork and join helpers, which is why those are package-private.
 *
 * <p>Because the tree is fixed by {@code grain} alone, a reduction combines its partial results in
 * the same order whatever was stolen, so it is deterministic for a given grain, even for
 * floating-point addition.
 *
 * <p><b>Failure.</b> All parts of a loop that can run at the same time share one {@link Abort}. A
 * branch that fails sets it, then waits for everything it forked: forked parts check it before
 * each block and stop, so no body call starts once the failure is known, and none is still running
 * when the loop rethrows. (Cancelling the forked tasks instead would not do: a task that has
 * already started cannot be stopped, and the loop must not return while it runs.) The flag is
 * created at the first fork and is null until then: a loop that never splits (the common case
 * under a saturated outer level) allocates nothing for it. That is enough because parts only run
 * concurrently below a fork, and the fork hands its flag to both sides; sequential siblings that
 * never forked do not overlap in time, and a failure in one propagates before the next starts.
 *
 * <p>Who may call: only a worker thread, with that worker ({@code self}).
 */
final class LazySplitter {

    private LazySplitter() {
    }

    /**
     * Set when some part of a loop failed: the parts not yet run are skipped. One per loop call;
     * written once, read before every block (a volatile load that stays in the reader's cache).
     */
    static final class Abort {
        volatile boolean set;
    }

    /** Whether some part failed; {@code abort} may be null (nothing forked yet, nothing to stop). */
    static boolean aborted(Abort abort) {
        return abort != null && abort.set;
    }

    /** The flag to share with a part about to be forked: the one in use, or a new one. */
    static Abort forFork(Abort abort) {
        return abort != null ? abort : new Abort();
    }

    /**
     * Thrown by a skipped part of a tree walk (reductions, {@link #both}, sort, scan); never reaches
     * the caller: the failure that set the flag is reported instead.
     */
    static final RuntimeException SKIPPED = new RuntimeException("skipped after a failure", null,
            false, false) {
        private static final long serialVersionUID = 1L;
    };

    /**
     * Runs {@code body} on the blocks {@code [firstBlock, endBlock)} of a 1-D range: lazy binary
     * splitting proper. Before each body call, if this worker's deque is empty and more than one
     * block is left, the upper half of what is left is forked; otherwise the next blocks run here.
     * No recursion and no allocation unless it splits. Loops have no result, so unlike
     * {@link #reduceBlocks} they need no fixed tree.
     *
     * <p>{@code maxBlocksPerCall} is 1 when the caller chose the grain: every body call gets
     * exactly one block, as {@link Parallel#forRange(Scheduler, int, int, int, RangeBody)} promises.
     * When the grain is ours (the adaptive per-index loop) it may be larger: each time the worker
     * declines to split, the next call gets twice as many consecutive blocks, up to that cap; a
     * split starts again at one. A loop nested in a saturated outer level therefore makes a few
     * body calls and deque checks instead of one per block, while a thief still finds the
     * upper halves on the deque (see {@code docs/design/loops.md}, "Coalescing").
     */
    static void forBlocks(Worker self, long from, long to, long grain, long firstBlock, long endBlock,
                          long maxBlocksPerCall, RangeBody body, Abort abort) {
        walkBlocks(self, from, to, grain, firstBlock, endBlock, maxBlocksPerCall, body, INT_INDICES, abort);
    }

    /** {@link #forBlocks} for a body that takes {@code long} indices. */
    static void forLongBlocks(Worker self, long from, long to, long grain, long firstBlock,
                              long endBlock, long maxBlocksPerCall, LongRangeBody body, Abort abort) {
        walkBlocks(self, from, to, grain, firstBlock, endBlock, maxBlocksPerCall, body, LONG_INDICES, abort);
    }

    /**
     * How a block is handed to a body of type {@code B}: as {@code int} or as {@code long} indices.
     * Two constants, so the loop is written once and a call allocates nothing for it.
     */
    private interface Indices<B> {
        void run(B body, long lo, long hi);
    }

    private static final Indices<RangeBody> INT_INDICES = (body, lo, hi) -> body.run((int) lo, (int) hi);
    private static final Indices<LongRangeBody> LONG_INDICES = LongRangeBody::run;

    private static <B> void walkBlocks(Worker self, long from, long to, long grain, long firstBlock,
                                       long endBlock, long maxBlocksPerCall, B body, Indices<B> indices,
                                       Abort abort) {
        long next = firstBlock;
        long end = endBlock;
        long blocksPerCall = 1;
        Task<?>[] forked = null;                         // the upper halves, joined newest first
        int forkedCount = 0;
        Throwable failure = null;
        // Read once: the per-block split test is then two loads of the deque's indices.
        WorkStealingDeque<Task<?>> deque = self.deque();
        boolean anyoneToTake = self.pool().parallelism > 1;
        try {
            while (next < end && !aborted(abort)) {
                if (end - next > 1 && anyoneToTake && deque.isEmpty()) {
                    long middle = next + ((end - next) >>> 1);
                    long upperEnd = end;
                    Abort shared = forFork(abort);
                    abort = shared;
                    Task<Void> upper = forkOn(self, (Callable<Void> & DrainedWork.InternalPart) () -> {
                        walkBlocks(currentWorker(self), from, to, grain, middle, upperEnd,
                                maxBlocksPerCall, body, indices, shared);
                        return null;
                    });
                    if (forked == null) {
                        forked = new Task<?>[8];
                    } else if (forkedCount == forked.length) {
                        forked = Arrays.copyOf(forked, forkedCount * 2);
                    }
                    forked[forkedCount++] = upper;
                    end = middle;
                    blocksPerCall = 1;
                    continue;
                }
                long blocks = Math.min(blocksPerCall, end - next);
                long lo = from + next * grain;           // next * grain < to - from: no overflow
                indices.run(body, lo, runEnd(lo, to, blocks, grain));
                next += blocks;
                if (blocksPerCall < maxBlocksPerCall) {
                    blocksPerCall = Math.min(maxBlocksPerCall, blocksPerCall << 1);
                }
            }
        } catch (Throwable thrown) {                     // Throwable: a sneaky checked one too (R14)
            if (abort != null) {
                abort.set = true;                        // null: nothing forked, nobody to stop
            }
            failure = unchecked(thrown);
        }
        for (int i = forkedCount - 1; i >= 0; i--) {
            failure = joinRecordingFailure(forked[i], failure, abort);
        }
        rethrow(failure);
    }

    /**
     * The end of {@code blocks} blocks of {@code grain} starting at {@code lo}, cut at {@code to}:
     * {@code min(to, lo + blocks * grain)} without overflowing when {@code grain} is near
     * {@code Long.MAX_VALUE}.
     */
    static long runEnd(long lo, long to, long blocks, long grain) {
        long remaining = to - lo;
        return remaining / grain < blocks ? to : lo + blocks * grain;
    }

    /** Reduces the blocks {@code [firstBlock, endBlock)} of a 1-D range, combining left to right. */
    static <R> R reduceBlocks(Worker self, long from, long to, long grain, long firstBlock,
                              long endBlock, RangeFunction<R> map, BinaryOperator<R> combine,
                              Abort abort) {
        if (aborted(abort)) {
            throw SKIPPED;
        }
        long blocks = endBlock - firstBlock;
        if (blocks == 1) {
            long lo = from + firstBlock * grain;
            long hi = runEnd(lo, to, 1, grain);
            try {
                return map.apply((int) lo, (int) hi);
            } catch (Throwable thrown) {                 // a sneaky checked one leaves wrapped (R14)
                throw rethrow(unchecked(thrown));
            }
        }
        long middle = firstBlock + (blocks >>> 1);
        if (!shouldSplit(self)) {
            R left = reduceBlocks(self, from, to, grain, firstBlock, middle, map, combine, abort);
            R right = reduceBlocks(self, from, to, grain, middle, endBlock, map, combine, abort);
            return combine(combine, left, right);
        }
        Abort shared = forFork(abort);
        Task<R> rightTask = forkOn(self, (Callable<R> & DrainedWork.InternalPart) () -> reduceBlocks(
                currentWorker(self), from, to, grain, middle, endBlock, map, combine, shared));
        R left;
        try {
            left = reduceBlocks(self, from, to, grain, firstBlock, middle, map, combine, shared);
        } catch (Throwable failure) {                    // anything: the forked part is joined first
            shared.set = true;
            throw rethrow(joinRecordingFailure(rightTask, unchecked(failure), shared));
        }
        return combine(combine, left, rightTask.join());
    }

    /** {@code combine.apply}, with a sneaky checked exception wrapped as a body's is. */
    private static <R> R combine(BinaryOperator<R> combine, R left, R right) {
        try {
            return combine.apply(left, right);
        } catch (Throwable thrown) {
            throw rethrow(unchecked(thrown));
        }
    }

    /**
     * A reduction whose partial results are primitives carried as the bits of a {@code long}: an
     * {@code int}, a {@code long}, or a {@code double}'s raw bits ({@link PrimitiveReduction}). One
     * tree walk serves all three, and no partial result is boxed.
     */
    interface BitsReduction {
        /** The partial result of the indices {@code [lo, hi)}, as bits. */
        long map(int lo, int hi);

        /** The bits of {@code left ⊕ right}. */
        long combine(long left, long right);
    }

    /**
     * {@link #reduceBlocks} for a {@link BitsReduction}: the same fixed tree, the same combination
     * order, and so the same determinism, with no object per block. A forked right half carries its
     * result in the part itself ({@link BitsPart}), so a fork allocates what a loop's fork does.
     */
    static long reduceBlocksToBits(Worker self, long from, long to, long grain, long firstBlock,
                                   long endBlock, BitsReduction reduction, Abort abort) {
        if (aborted(abort)) {
            throw SKIPPED;
        }
        long blocks = endBlock - firstBlock;
        if (blocks == 1) {
            long lo = from + firstBlock * grain;
            long hi = runEnd(lo, to, 1, grain);
            try {
                return reduction.map((int) lo, (int) hi);
            } catch (Throwable thrown) {                 // a sneaky checked one leaves wrapped (R14)
                throw rethrow(unchecked(thrown));
            }
        }
        long middle = firstBlock + (blocks >>> 1);
        if (!shouldSplit(self)) {
            long left = reduceBlocksToBits(self, from, to, grain, firstBlock, middle, reduction, abort);
            long right = reduceBlocksToBits(self, from, to, grain, middle, endBlock, reduction, abort);
            return combineBits(reduction, left, right);
        }
        Abort shared = forFork(abort);
        BitsPart right = new BitsPart(self, from, to, grain, middle, endBlock, reduction, shared);
        Task<Void> rightTask = forkOn(self, right);
        long left;
        try {
            left = reduceBlocksToBits(self, from, to, grain, firstBlock, middle, reduction, shared);
        } catch (Throwable failure) {                    // anything: the forked part is joined first
            shared.set = true;
            throw rethrow(joinRecordingFailure(rightTask, unchecked(failure), shared));
        }
        rightTask.join();                                // happens-before: right.result is visible
        return combineBits(reduction, left, right.result);
    }

    /** {@code reduction.combine}, with a sneaky checked exception wrapped as a body's is. */
    private static long combineBits(BitsReduction reduction, long left, long right) {
        try {
            return reduction.combine(left, right);
        } catch (Throwable thrown) {
            throw rethrow(unchecked(thrown));
        }
    }

    /**
     * The forked right half of a {@link #reduceBlocksToBits} node; its result is read by the forker
     * after {@code join()}, which orders the write before the read (Task's completion).
     */
    private static final class BitsPart implements Callable<Void>, DrainedWork.InternalPart {
        private final Worker forker;
        private final long from;
        private final long to;
        private final long grain;
        private final long firstBlock;
        private final long endBlock;
        private final BitsReduction reduction;
        private final Abort abort;
        long result;

        BitsPart(Worker forker, long from, long to, long grain, long firstBlock, long endBlock,
                 BitsReduction reduction, Abort abort) {
            this.forker = forker;
            this.from = from;
            this.to = to;
            this.grain = grain;
            this.firstBlock = firstBlock;
            this.endBlock = endBlock;
            this.reduction = reduction;
            this.abort = abort;
        }

        @Override
        public Void call() {
            result = reduceBlocksToBits(currentWorker(forker), from, to, grain, firstBlock, endBlock,
                    reduction, abort);
            return null;
        }
    }

    /** One side of a node of a fixed tree, run by whichever worker takes it, under {@code abort}. */
    @FunctionalInterface
    interface Side {
        void run(Worker self, Abort abort);
    }

    /**
     * The node of a fixed tree with two sides (sort, merge): {@code second} is forked if this
     * worker's deque is empty and someone could take it, and otherwise runs here after
     * {@code first}. Returns when both are done. A failure of either sets the shared flag, waits
     * for the other, and is rethrown (the second failure suppressed), so nothing of the node runs
     * after this returns or throws. Throws {@link #SKIPPED} if the walk was already aborted.
     */
    static void both(Worker self, Abort abort, Side first, Side second) {
        if (aborted(abort)) {
            throw SKIPPED;
        }
        if (!shouldSplit(self)) {
            first.run(self, abort);
            second.run(self, abort);
            return;
        }
        Abort shared = forFork(abort);
        Task<Void> secondTask = forkOn(self, (Callable<Void> & DrainedWork.InternalPart) () -> {
            second.run(currentWorker(self), shared);
            return null;
        });
        try {
            first.run(self, shared);
        } catch (Throwable failure) {                    // anything: the forked side is joined first
            shared.set = true;
            throw rethrow(joinRecordingFailure(secondTask, unchecked(failure), shared));
        }
        secondTask.join();
    }

    /**
     * Runs {@code body} on every tile of {@code grid}, one tile per call: the tiles in row-major
     * order, split lazily as {@link #forBlocks} splits blocks. A 2-D loop has no result, so it needs
     * no fixed tree: the question "is my deque empty?" is asked before <em>every</em> tile, and a
     * worker whose deque empties while it runs a tile (a thief took its outer work) forks half of
     * the tiles it has left at once. A fixed tree asks only when a node is entered, and a worker
     * that entered the first half of the tree while its deque was full ran that whole half alone
     * (a large GEMM nested in a batch kept the other worker idle for half the product).
     */
    static void forTiles(Worker self, TileGrid grid, TileBody body) {
        forTiles(self, grid, body, Integer.MAX_VALUE);
    }

    /**
     * {@link #forTiles(Worker, TileGrid, TileBody)}, for grids of up to {@code maxTiles} tiles at a
     * time: a larger grid (int bounds with small tiles reach 2⁶⁴ tiles, more than a block index
     * holds) is cut in half along its longer side, at a tile boundary, and the halves run one after
     * the other, each split lazily inside. Tests pass a small {@code maxTiles}.
     */
    static void forTiles(Worker self, TileGrid grid, TileBody body, long maxTiles) {
        long rowTiles = grid.rowTiles();
        long colTiles = grid.colTiles();
        if (rowTiles > maxTiles / colTiles) {            // rowTiles · colTiles > maxTiles, without overflow
            if (rowTiles >= colTiles) {
                int middle = (int) (grid.rowFrom + (rowTiles / 2) * grid.tileRows);
                forTiles(self, grid.rows(grid.rowFrom, middle), body, maxTiles);
                forTiles(self, grid.rows(middle, grid.rowTo), body, maxTiles);
            } else {
                int middle = (int) (grid.colFrom + (colTiles / 2) * grid.tileCols);
                forTiles(self, grid.cols(grid.colFrom, middle), body, maxTiles);
                forTiles(self, grid.cols(middle, grid.colTo), body, maxTiles);
            }
            return;
        }
        int columns = (int) colTiles;
        long tiles = rowTiles * colTiles;
        RangeBody runTiles = (first, end) -> {
            for (int t = first; t < end; t++) {
                grid.run(t / columns, t % columns, body);
            }
        };
        forBlocks(self, 0, tiles, 1, 0, tiles, 1, runTiles, null);
    }

    /** The tiling of a rows × columns range. */
    static final class TileGrid {
        final int rowFrom;
        final int rowTo;
        final int colFrom;
        final int colTo;
        final int tileRows;
        final int tileCols;

        TileGrid(int rowFrom, int rowTo, int colFrom, int colTo, int tileRows, int tileCols) {
            this.rowFrom = rowFrom;
            this.rowTo = rowTo;
            this.colFrom = colFrom;
            this.colTo = colTo;
            this.tileRows = tileRows;
            this.tileCols = tileCols;
        }

        long rowTiles() {
            return ceilDiv((long) rowTo - rowFrom, tileRows);
        }

        long colTiles() {
            return ceilDiv((long) colTo - colFrom, tileCols);
        }

        /** The tiles of rows {@code [from, to)}; {@code from} is on a tile boundary of this grid. */
        TileGrid rows(int from, int to) {
            return new TileGrid(from, to, colFrom, colTo, tileRows, tileCols);
        }

        /** The tiles of columns {@code [from, to)}; {@code from} is on a tile boundary of this grid. */
        TileGrid cols(int from, int to) {
            return new TileGrid(rowFrom, rowTo, from, to, tileRows, tileCols);
        }

        void run(int tileRow, int tileCol, TileBody body) {
            long r0 = rowFrom + (long) tileRow * tileRows;
            long c0 = colFrom + (long) tileCol * tileCols;
            body.run((int) r0, (int) Math.min(rowTo, r0 + tileRows),
                    (int) c0, (int) Math.min(colTo, c0 + tileCols));
        }
    }

    /** {@code ceil(n / d)} for {@code n >= 0} and {@code d >= 1}, without overflow. */
    static long ceilDiv(long n, long d) {
        return n / d + (n % d == 0 ? 0 : 1);
    }

    /** Split when this worker's deque is empty and there is anyone to take the other half. */
    static boolean shouldSplit(Worker self) {
        return self.pool().parallelism > 1 && self.deque().isEmpty();
    }

    /**
     * Forks {@code work} onto {@code self}'s deque. Callers pass a lambda cast to
     * {@code Callable & DrainedWork.InternalPart}: if {@code shutdownNow()} drains the part, the
     * loop sees it cancelled and fails, and what is returned for it does nothing (run outside the
     * pool, the part would push onto this worker's deque from a foreign thread).
     */
    static <T> Task<T> forkOn(Worker self, Callable<T> work) {
        Task<T> task = Task.of(work, self.currentRegion());
        self.push(task);
        return task;
    }

    /** The worker running a forked half: the thief's, or {@code forker} if it ran the half itself. */
    static Worker currentWorker(Worker forker) {
        Worker worker = forker.pool().currentWorker();
        return worker != null ? worker : forker;
    }

    /**
     * Waits for a forked part (helping) and returns the failure to report: {@code failure} with
     * the part's own failure added as suppressed, or the part's failure if there was none yet.
     * Sets {@code abort} if the part failed.
     */
    static Throwable joinRecordingFailure(Task<?> part, Throwable failure, Abort abort) {
        try {
            part.join();
            return failure;
        } catch (Throwable partFailed) {                 // join wraps checked ones; be sure anyway
            if (partFailed == SKIPPED) {
                return failure;
            }
            abort.set = true;
            if (failure == null || failure == SKIPPED) {
                return partFailed;                       // the first real failure wins over a skip
            }
            if (partFailed != failure) {
                failure.addSuppressed(partFailed);
            }
            return failure;
        }
    }

    /**
     * What a loop reports for {@code thrown}: a {@link RuntimeException} or {@link Error} as it is,
     * a checked exception (thrown by a body that does not declare it: Kotlin, Lombok's
     * {@code @SneakyThrows}) wrapped in {@link CompletionException}, as {@link Task#join()} reports
     * it. Wrapping where it is caught makes the report the same whether the failing part ran on
     * the caller's worker or was forked and joined, and whether the loop was called on a worker or
     * from outside the pool.
     */
    static Throwable unchecked(Throwable thrown) {
        if (thrown instanceof RuntimeException || thrown instanceof Error) {
            return thrown;
        }
        return new CompletionException(thrown);
    }

    /** Throws {@code failure} if there is one, as {@link #unchecked} reports it. */
    static RuntimeException rethrow(Throwable failure) {
        Throwable report = failure == null ? null : unchecked(failure);
        if (report instanceof RuntimeException) {
            throw (RuntimeException) report;
        }
        if (report instanceof Error) {
            throw (Error) report;
        }
        return null;
    }
}
