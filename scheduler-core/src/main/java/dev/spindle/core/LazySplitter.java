package dev.spindle.core;

import java.util.function.BinaryOperator;

/**
 * Lazy binary splitting of a range of blocks, on a worker (see {@code docs/design/loops.md}).
 *
 * <p>A range of {@code n} indices is cut into blocks of {@code grain} indices, aligned at
 * {@code from + k * grain}. A worker forks the upper half of what is left only if its own deque is
 * empty: nobody has stolen from it work they could take, so an idle worker may be waiting for
 * some. Otherwise it runs the next block itself and asks again. When the outer level already
 * keeps every worker busy, deques are non-empty, nothing splits, and the loop runs as a plain loop
 * plus one deque check per block. Reductions and 2-D tiles walk a fixed balanced binary tree of
 * blocks with the same rule at every node.
 *
 * <p>Because the tree is fixed by {@code grain} alone, a reduction combines its partial results in
 * the same order whatever was stolen, so it is deterministic for a given grain, even for
 * floating-point addition.
 *
 * <p>Who may call: only a worker thread, with that worker ({@code self}).
 */
final class LazySplitter {

    private LazySplitter() {
    }

    /**
     * Runs {@code body} on the blocks {@code [firstBlock, endBlock)} of a 1-D range: lazy binary
     * splitting proper. Before each block, if this worker's deque is empty and more than one block
     * is left, the upper half of what is left is forked; otherwise the next block runs here. No
     * recursion and no allocation unless it splits: one deque check and one body call per block.
     * Loops have no result, so unlike {@link #reduceBlocks} they need no fixed tree.
     */
    static void forBlocks(Worker self, long from, long to, long grain, long firstBlock, long endBlock,
                          RangeBody body) {
        long next = firstBlock;
        long end = endBlock;
        Task<?>[] forked = null;                         // the upper halves, joined in reverse order
        int forkedCount = 0;
        try {
            while (next < end) {
                if (end - next > 1 && shouldSplit(self)) {
                    long middle = next + ((end - next) >>> 1);
                    long upperEnd = end;
                    Task<Void> upper = forkOn(self, () -> {
                        forBlocks(currentWorker(self), from, to, grain, middle, upperEnd, body);
                        return null;
                    });
                    if (forked == null) {
                        forked = new Task<?>[8];
                    } else if (forkedCount == forked.length) {
                        forked = java.util.Arrays.copyOf(forked, forkedCount * 2);
                    }
                    forked[forkedCount++] = upper;
                    end = middle;
                    continue;
                }
                long lo = from + next * grain;
                body.run((int) lo, (int) Math.min(to, lo + grain));
                next++;
            }
        } catch (RuntimeException | Error failure) {
            for (int i = forkedCount - 1; i >= 0; i--) {
                settleAfterFailure(forked[i], failure);
            }
            throw failure;
        }
        for (int i = forkedCount - 1; i >= 0; i--) {
            try {
                forked[i].join();
            } catch (RuntimeException | Error failure) {
                for (int j = i - 1; j >= 0; j--) {
                    settleAfterFailure(forked[j], failure);
                }
                throw failure;
            }
        }
    }

    /** Reduces the blocks {@code [firstBlock, endBlock)} of a 1-D range, combining left to right. */
    static <R> R reduceBlocks(Worker self, long from, long to, long grain, long firstBlock,
                              long endBlock, RangeFunction<R> map, BinaryOperator<R> combine) {
        long blocks = endBlock - firstBlock;
        if (blocks == 1) {
            long lo = from + firstBlock * grain;
            long hi = Math.min(to, lo + grain);
            return map.apply((int) lo, (int) hi);
        }
        long middle = firstBlock + (blocks >>> 1);
        if (!shouldSplit(self)) {
            R left = reduceBlocks(self, from, to, grain, firstBlock, middle, map, combine);
            R right = reduceBlocks(self, from, to, grain, middle, endBlock, map, combine);
            return combine.apply(left, right);
        }
        Task<R> rightTask = forkOn(self, () ->
                reduceBlocks(currentWorker(self), from, to, grain, middle, endBlock, map, combine));
        R left;
        try {
            left = reduceBlocks(self, from, to, grain, firstBlock, middle, map, combine);
        } catch (RuntimeException | Error failure) {
            settleAfterFailure(rightTask, failure);
            throw failure;
        }
        return combine.apply(left, rightTask.join());
    }

    /**
     * Runs {@code body} on the tiles {@code [tileRow0, tileRow1) × [tileCol0, tileCol1)} of a 2-D
     * range, halving the longer side of the rectangle at each split.
     */
    static void forTiles(Worker self, TileGrid grid, int tileRow0, int tileRow1, int tileCol0,
                         int tileCol1, TileBody body) {
        int tileRows = tileRow1 - tileRow0;
        int tileCols = tileCol1 - tileCol0;
        if (tileRows == 1 && tileCols == 1) {
            grid.run(tileRow0, tileCol0, body);
            return;
        }
        boolean splitRows = tileRows >= tileCols;
        int middle = splitRows ? tileRow0 + (tileRows >>> 1) : tileCol0 + (tileCols >>> 1);
        int r1 = splitRows ? middle : tileRow1;
        int c1 = splitRows ? tileCol1 : middle;
        int r0b = splitRows ? middle : tileRow0;
        int c0b = splitRows ? tileCol0 : middle;
        if (!shouldSplit(self)) {
            forTiles(self, grid, tileRow0, r1, tileCol0, c1, body);
            forTiles(self, grid, r0b, tileRow1, c0b, tileCol1, body);
            return;
        }
        Task<Void> second = forkOn(self, () -> {
            forTiles(currentWorker(self), grid, r0b, tileRow1, c0b, tileCol1, body);
            return null;
        });
        try {
            forTiles(self, grid, tileRow0, r1, tileCol0, c1, body);
        } catch (RuntimeException | Error failure) {
            settleAfterFailure(second, failure);
            throw failure;
        }
        second.join();
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

        int rowTiles() {
            return (int) ceilDiv((long) rowTo - rowFrom, tileRows);
        }

        int colTiles() {
            return (int) ceilDiv((long) colTo - colFrom, tileCols);
        }

        void run(int tileRow, int tileCol, TileBody body) {
            long r0 = rowFrom + (long) tileRow * tileRows;
            long c0 = colFrom + (long) tileCol * tileCols;
            body.run((int) r0, (int) Math.min(rowTo, r0 + tileRows),
                    (int) c0, (int) Math.min(colTo, c0 + tileCols));
        }
    }

    static long ceilDiv(long n, long d) {
        return (n + d - 1) / d;
    }

    /** Split when this worker's deque is empty and there is anyone to take the other half. */
    private static boolean shouldSplit(Worker self) {
        return self.pool().parallelism > 1 && self.deque().isEmpty();
    }

    private static <T> Task<T> forkOn(Worker self, java.util.concurrent.Callable<T> work) {
        Task<T> task = new Task<>(work, self.currentRegion());
        self.push(task);
        return task;
    }

    /** The worker running a forked half: the thief's, or {@code forker} if it ran the half itself. */
    private static Worker currentWorker(Worker forker) {
        Worker worker = forker.pool().currentWorker();
        return worker != null ? worker : forker;
    }

    /**
     * The left half failed: the right half must not outlive the loop. Cancel it if it has not
     * started, else wait for it; its own failure, if any, is added as suppressed.
     */
    static void settleAfterFailure(Task<?> right, Throwable failure) {
        if (!right.cancel(false)) {
            try {
                right.join();
            } catch (Throwable alsoFailed) {
                if (alsoFailed != failure) {
                    failure.addSuppressed(alsoFailed);
                }
            }
        }
    }
}
