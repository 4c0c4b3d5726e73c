package dev.spindle.core;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Parallel merge sort on a worker ({@code docs/design/loops.md}, "Sort"): the range is halved down
 * to leaves of {@code max(MIN_LEAF, n / (4 · parallelism))} to twice that many elements, each leaf is sorted by the JDK's serial sort,
 * and each pair of halves is merged by a merge that splits itself: the longer run is cut at its
 * middle, the other at the matching place found by binary search, and the two halves of the
 * merge are independent. Both the halves of the sort and the halves of a merge are forked only
 * when the worker's deque is empty (lazy splitting, {@link LazySplitter#both}).
 *
 * <p>Memory: one scratch buffer of the range's length, allocated once per call. A node of the
 * tree leaves its result in the array or in the scratch buffer, alternately by level, so that the
 * root's lands in the array and nothing is copied back: a leaf that must end in the scratch
 * buffer is sorted in place and copied there.
 *
 * <p>The result is the one {@link Arrays#sort} gives, element for element: primitives have only
 * one sorted order (doubles: {@code -0.0} before {@code 0.0}, NaNs last, in the order
 * {@code Arrays.sort} leaves them), and objects are sorted stably (leaves by the JDK's stable sort,
 * merges taking the left run on ties), so equal objects keep their order. It does not depend on
 * the parallelism or on what was stolen.
 *
 * <p>If the comparator throws, the call rethrows after every forked part has stopped; the range
 * then holds some of its elements in some order, as after a throwing {@code Arrays.sort}, and
 * some elements may be missing from it (they were in the scratch buffer).
 *
 * <p>Who may call: a worker of the pool, with that worker.
 */
final class ParallelSort {

    /**
     * Leaves hold at least this many elements, and a range below twice this is sorted serially:
     * sorting 4,096 elements takes a few hundred microseconds, far above the cost of a fork.
     */
    static final int MIN_LEAF = 4_096;

    /** Leaves per worker: enough for an idle worker to find one to steal, few enough merge levels. */
    static final int LEAVES_PER_WORKER = 4;

    /** A merge of at most this many elements is not split further. */
    static final int MERGE_GRAIN = 8_192;

    private ParallelSort() {
    }

    /**
     * A range of at most this many elements, sorted by a worker whose deque holds work for thieves
     * (the outer level keeps every worker busy), is one serial sort: a merge tree nobody helps with
     * costs its merges on top. A worker that goes idle meanwhile takes the waiting outer work, and
     * what it cannot help with is one sort of this size (a few milliseconds).
     */
    static final int SERIAL_WHEN_BUSY = 1 << 16;

    /**
     * Whether a range of {@code n} elements is sorted by the merge tree: large enough, someone to
     * take half, and either large or called with nothing on this worker's deque.
     */
    static boolean inParallel(Worker self, int n) {
        return self.pool().parallelism > 1 && n >= 2 * MIN_LEAF
                && (n > SERIAL_WHEN_BUSY || self.deque().isEmpty());
    }

    static void sort(Worker self, long[] array, int from, int to) {
        if (!inParallel(self, to - from)) {
            Arrays.sort(array, from, to);
            return;
        }
        mergeSort(self, new SortKernel.OfLong(array, from, to));
    }

    static void sort(Worker self, int[] array, int from, int to) {
        if (!inParallel(self, to - from)) {
            Arrays.sort(array, from, to);
            return;
        }
        mergeSort(self, new SortKernel.OfInt(array, from, to));
    }

    /**
     * Doubles: as the JDK does, first every {@code -0.0} becomes {@code 0.0} (counted) and every
     * NaN moves to the end, then the rest is sorted with {@code <}, then the first zeros become
     * {@code -0.0} again. The first pass runs in parallel; NaNs, if there are any, are moved
     * serially in the JDK's own order, so that NaNs with different payloads end in the same
     * places as after {@code Arrays.sort}.
     */
    static void sort(Worker self, double[] array, int from, int to) {
        int n = to - from;
        if (!inParallel(self, n)) {
            Arrays.sort(array, from, to);
            return;
        }
        long grain = LazySplitter.ceilDiv(n, (long) Parallel.ADAPTIVE_BLOCKS_PER_WORKER * self.pool().parallelism);
        long counts = LazySplitter.reduceBlocksToBits(self, from, to, grain, 0, LazySplitter.ceilDiv(n, grain),
                new ZerosAndNaNs(array), null);
        int negativeZeros = (int) counts;
        int nans = (int) (counts >>> 32);
        int end = nans == 0 ? to : moveNaNsToEnd(array, from, to);
        if (inParallel(self, end - from)) {
            mergeSort(self, new SortKernel.OfDouble(array, from, end));
        } else {
            Arrays.sort(array, from, end);
        }
        if (negativeZeros > 0) {
            restoreNegativeZeros(array, from, end, negativeZeros);
        }
    }

    /**
     * Objects, stably. A comparator that throws a checked exception it does not declare leaves
     * wrapped in {@link java.util.concurrent.CompletionException}, on every path, as a loop's body.
     */
    static <T> void sort(Worker self, T[] array, int from, int to, Comparator<? super T> order) {
        try {
            if (inParallel(self, to - from)) {
                mergeSort(self, new SortKernel.OfObject<>(array, from, to, order));
            } else {
                Arrays.sort(array, from, to, order);
            }
        } catch (Throwable thrown) {
            throw LazySplitter.rethrow(LazySplitter.unchecked(thrown));
        }
    }

    // ------------------------------------------------------------------ the tree

    private static void mergeSort(Worker self, SortKernel kernel) {
        int leaf = Math.max(MIN_LEAF, (int) LazySplitter.ceilDiv(kernel.n,
                (long) LEAVES_PER_WORKER * self.pool().parallelism));
        sortNode(self, kernel, leaf, 0, kernel.n, false, null);
    }

    /**
     * Sorts positions {@code [lo, hi)} into the scratch buffer if {@code intoScratch}, else the
     * array. A node is a leaf unless both halves hold at least {@code leaf} elements.
     */
    private static void sortNode(Worker self, SortKernel kernel, int leaf, int lo, int hi,
                                 boolean intoScratch, LazySplitter.Abort abort) {
        if (hi - lo < 2 * leaf) {
            kernel.sortLeaf(lo, hi, intoScratch);
            return;
        }
        int middle = (lo + hi) >>> 1;
        LazySplitter.both(self, abort,
                (worker, shared) -> sortNode(worker, kernel, leaf, lo, middle, !intoScratch, shared),
                (worker, shared) -> sortNode(worker, kernel, leaf, middle, hi, !intoScratch, shared));
        mergeNode(self, kernel, !intoScratch, lo, middle, middle, hi, lo, abort);
    }

    /**
     * Merges runs {@code [l0, l1)} and {@code [r0, r1)} of one buffer into the other at {@code d0}.
     * Cut: the longer run at its middle element {@code k}; the other run where {@code k} would go
     * in a stable merge (before equal right-run elements when {@code k} is from the left run, after
     * equal left-run elements when it is from the right run). Everything before both cuts precedes
     * everything after them, so the two halves merge independently into adjacent places.
     */
    private static void mergeNode(Worker self, SortKernel kernel, boolean fromScratch, int l0, int l1,
                                  int r0, int r1, int d0, LazySplitter.Abort abort) {
        int total = (l1 - l0) + (r1 - r0);
        if (total <= MERGE_GRAIN) {
            kernel.merge(fromScratch, l0, l1, r0, r1, d0);
            return;
        }
        int lm;
        int rm;
        if (l1 - l0 >= r1 - r0) {
            lm = (l0 + l1) >>> 1;
            rm = kernel.firstNotLess(fromScratch, r0, r1, lm);
        } else {
            rm = (r0 + r1) >>> 1;
            lm = kernel.firstGreater(fromScratch, l0, l1, rm);
        }
        int d1 = d0 + (lm - l0) + (rm - r0);
        LazySplitter.both(self, abort,
                (worker, shared) -> mergeNode(worker, kernel, fromScratch, l0, lm, r0, rm, d0, shared),
                (worker, shared) -> mergeNode(worker, kernel, fromScratch, lm, l1, rm, r1, d1, shared));
    }

    // ------------------------------------------------------------------ doubles

    /**
     * Per block: turns {@code -0.0} into {@code 0.0}; returns the NaNs counted in the high 32 bits
     * and the negative zeros in the low 32 (each below 2³¹, so the sum of two never carries).
     */
    private static final class ZerosAndNaNs implements LazySplitter.BitsReduction {
        private final double[] array;

        ZerosAndNaNs(double[] array) {
            this.array = array;
        }

        @Override
        public long map(int lo, int hi) {
            long negativeZeros = 0;
            long nans = 0;
            for (int i = lo; i < hi; i++) {
                double v = array[i];
                if (v == 0.0 && Double.doubleToRawLongBits(v) < 0) {
                    array[i] = 0.0;
                    negativeZeros++;
                } else if (v != v) {
                    nans++;
                }
            }
            return nans << 32 | negativeZeros;
        }

        @Override
        public long combine(long left, long right) {
            return left + right;
        }
    }

    /**
     * Moves every NaN of {@code [from, to)} to its end, walking down from the end and swapping
     * each NaN with the last place not yet taken by one: the order in which the JDK's
     * {@code DualPivotQuicksort} leaves them. Returns where the NaNs start.
     */
    private static int moveNaNsToEnd(double[] array, int from, int to) {
        int end = to;
        for (int k = to; k > from; ) {
            double v = array[--k];
            if (v != v) {
                array[k] = array[--end];
                array[end] = v;
            }
        }
        return end;
    }

    /** The sorted {@code [from, to)} holds zeros as {@code 0.0}: the first {@code count} become {@code -0.0}. */
    private static void restoreNegativeZeros(double[] array, int from, int to, int count) {
        int low = from;
        int high = to;
        while (low < high) {                             // the first element not below zero
            int middle = (low + high) >>> 1;
            if (array[middle] < 0.0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        for (int i = low; i < low + count; i++) {
            array[i] = -0.0;
        }
    }
}
