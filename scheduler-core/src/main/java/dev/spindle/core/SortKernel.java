package dev.spindle.core;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The loops of a parallel merge sort for one element type ({@link ParallelSort} is the driver).
 * A kernel owns a range of an array and one scratch buffer of the same length, allocated once;
 * positions are offsets {@code 0..n} into the range, the same in both buffers. Every method works
 * on disjoint positions of the call that owns them, so any worker may call it; the fork or join
 * between two calls on the same positions orders them.
 *
 * <p>Order: primitives by {@code <} ({@code double}s only after {@link ParallelSort} took NaNs and
 * {@code -0.0} out of the range, so that {@code <} is {@link Double#compare}'s order); objects by
 * the comparator. Merges are stable: of two equal elements, the one from the left run comes first.
 */
abstract class SortKernel {

    /** The number of elements in the range. */
    final int n;

    SortKernel(int n) {
        this.n = n;
    }

    /**
     * Sorts the positions {@code [lo, hi)} of the array with the JDK's serial sort (stable for
     * objects), then copies them to the same positions of the scratch buffer if {@code intoScratch}.
     */
    abstract void sortLeaf(int lo, int hi, boolean intoScratch);

    /**
     * Merges the sorted runs {@code [l0, l1)} and {@code [r0, r1)} of one buffer (the scratch if
     * {@code fromScratch}, else the array) into the other buffer from position {@code d0} on.
     */
    abstract void merge(boolean fromScratch, int l0, int l1, int r0, int r1, int d0);

    /**
     * In a sorted run {@code [lo, hi)} of a buffer, the first position whose element is not less
     * than the element at {@code key} (of the same buffer): where a left-run key splits a right run.
     */
    abstract int firstNotLess(boolean inScratch, int lo, int hi, int key);

    /**
     * In a sorted run {@code [lo, hi)} of a buffer, the first position whose element is greater than
     * the element at {@code key}: where a right-run key splits a left run.
     */
    abstract int firstGreater(boolean inScratch, int lo, int hi, int key);

    /** A range of a {@code double[]}. */
    static final class OfDouble extends SortKernel {
        private final double[] array;
        private final int from;
        private final double[] scratch;

        OfDouble(double[] array, int from, int to) {
            super(to - from);
            this.array = array;
            this.from = from;
            this.scratch = new double[n];
        }

        @Override
        void sortLeaf(int lo, int hi, boolean intoScratch) {
            Arrays.sort(array, from + lo, from + hi);
            if (intoScratch) {
                System.arraycopy(array, from + lo, scratch, lo, hi - lo);
            }
        }

        @Override
        void merge(boolean fromScratch, int l0, int l1, int r0, int r1, int d0) {
            double[] src = fromScratch ? scratch : array;
            int s = fromScratch ? 0 : from;
            double[] dst = fromScratch ? array : scratch;
            int d = (fromScratch ? from : 0) + d0;
            int i = l0 + s;
            int iEnd = l1 + s;
            int j = r0 + s;
            int jEnd = r1 + s;
            if (i < iEnd && j < jEnd) {
                if (!(src[j] < src[iEnd - 1])) {          // already in order (sorted input)
                    System.arraycopy(src, i, dst, d, iEnd - i);
                    System.arraycopy(src, j, dst, d + iEnd - i, jEnd - j);
                    return;
                }
                if (src[jEnd - 1] < src[i]) {            // the right run first (reversed input)
                    System.arraycopy(src, j, dst, d, jEnd - j);
                    System.arraycopy(src, i, dst, d + jEnd - j, iEnd - i);
                    return;
                }
                while (i < iEnd && j < jEnd) {
                    double x = src[i];
                    double y = src[j];
                    if (y < x) {
                        dst[d++] = y;
                        j++;
                    } else {
                        dst[d++] = x;
                        i++;
                    }
                }
            }
            System.arraycopy(src, i, dst, d, iEnd - i);
            System.arraycopy(src, j, dst, d + iEnd - i, jEnd - j);
        }

        @Override
        int firstNotLess(boolean inScratch, int lo, int hi, int key) {
            double[] b = inScratch ? scratch : array;
            int s = inScratch ? 0 : from;
            double k = b[key + s];
            int low = lo + s;
            int high = hi + s;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (b[middle] < k) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low - s;
        }

        @Override
        int firstGreater(boolean inScratch, int lo, int hi, int key) {
            double[] b = inScratch ? scratch : array;
            int s = inScratch ? 0 : from;
            double k = b[key + s];
            int low = lo + s;
            int high = hi + s;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (k < b[middle]) {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            return low - s;
        }
    }

    /** A range of a {@code long[]}. */
    static final class OfLong extends SortKernel {
        private final long[] array;
        private final int from;
        private final long[] scratch;

        OfLong(long[] array, int from, int to) {
            super(to - from);
            this.array = array;
            this.from = from;
            this.scratch = new long[n];
        }

        @Override
        void sortLeaf(int lo, int hi, boolean intoScratch) {
            Arrays.sort(array, from + lo, from + hi);
            if (intoScratch) {
                System.arraycopy(array, from + lo, scratch, lo, hi - lo);
            }
        }

        @Override
        void merge(boolean fromScratch, int l0, int l1, int r0, int r1, int d0) {
            long[] src = fromScratch ? scratch : array;
            int s = fromScratch ? 0 : from;
            long[] dst = fromScratch ? array : scratch;
            int d = (fromScratch ? from : 0) + d0;
            int i = l0 + s;
            int iEnd = l1 + s;
            int j = r0 + s;
            int jEnd = r1 + s;
            if (i < iEnd && j < jEnd) {
                if (!(src[j] < src[iEnd - 1])) {          // already in order (sorted input)
                    System.arraycopy(src, i, dst, d, iEnd - i);
                    System.arraycopy(src, j, dst, d + iEnd - i, jEnd - j);
                    return;
                }
                if (src[jEnd - 1] < src[i]) {            // the right run first (reversed input)
                    System.arraycopy(src, j, dst, d, jEnd - j);
                    System.arraycopy(src, i, dst, d + jEnd - j, iEnd - i);
                    return;
                }
                while (i < iEnd && j < jEnd) {
                    long x = src[i];
                    long y = src[j];
                    if (y < x) {
                        dst[d++] = y;
                        j++;
                    } else {
                        dst[d++] = x;
                        i++;
                    }
                }
            }
            System.arraycopy(src, i, dst, d, iEnd - i);
            System.arraycopy(src, j, dst, d + iEnd - i, jEnd - j);
        }

        @Override
        int firstNotLess(boolean inScratch, int lo, int hi, int key) {
            long[] b = inScratch ? scratch : array;
            int s = inScratch ? 0 : from;
            long k = b[key + s];
            int low = lo + s;
            int high = hi + s;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (b[middle] < k) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low - s;
        }

        @Override
        int firstGreater(boolean inScratch, int lo, int hi, int key) {
            long[] b = inScratch ? scratch : array;
            int s = inScratch ? 0 : from;
            long k = b[key + s];
            int low = lo + s;
            int high = hi + s;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (k < b[middle]) {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            return low - s;
        }
    }

    /** A range of a {@code int[]}. */
    static final class OfInt extends SortKernel {
        private final int[] array;
        private final int from;
        private final int[] scratch;

        OfInt(int[] array, int from, int to) {
            super(to - from);
            this.array = array;
            this.from = from;
            this.scratch = new int[n];
        }

        @Override
        void sortLeaf(int lo, int hi, boolean intoScratch) {
            Arrays.sort(array, from + lo, from + hi);
            if (intoScratch) {
                System.arraycopy(array, from + lo, scratch, lo, hi - lo);
            }
        }

        @Override
        void merge(boolean fromScratch, int l0, int l1, int r0, int r1, int d0) {
            int[] src = fromScratch ? scratch : array;
            int s = fromScratch ? 0 : from;
            int[] dst = fromScratch ? array : scratch;
            int d = (fromScratch ? from : 0) + d0;
            int i = l0 + s;
            int iEnd = l1 + s;
            int j = r0 + s;
            int jEnd = r1 + s;
            if (i < iEnd && j < jEnd) {
                if (!(src[j] < src[iEnd - 1])) {          // already in order (sorted input)
                    System.arraycopy(src, i, dst, d, iEnd - i);
                    System.arraycopy(src, j, dst, d + iEnd - i, jEnd - j);
                    return;
                }
                if (src[jEnd - 1] < src[i]) {            // the right run first (reversed input)
                    System.arraycopy(src, j, dst, d, jEnd - j);
                    System.arraycopy(src, i, dst, d + jEnd - j, iEnd - i);
                    return;
                }
                while (i < iEnd && j < jEnd) {
                    int x = src[i];
                    int y = src[j];
                    if (y < x) {
                        dst[d++] = y;
                        j++;
                    } else {
                        dst[d++] = x;
                        i++;
                    }
                }
            }
            System.arraycopy(src, i, dst, d, iEnd - i);
            System.arraycopy(src, j, dst, d + iEnd - i, jEnd - j);
        }

        @Override
        int firstNotLess(boolean inScratch, int lo, int hi, int key) {
            int[] b = inScratch ? scratch : array;
            int s = inScratch ? 0 : from;
            int k = b[key + s];
            int low = lo + s;
            int high = hi + s;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (b[middle] < k) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low - s;
        }

        @Override
        int firstGreater(boolean inScratch, int lo, int hi, int key) {
            int[] b = inScratch ? scratch : array;
            int s = inScratch ? 0 : from;
            int k = b[key + s];
            int low = lo + s;
            int high = hi + s;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (k < b[middle]) {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            return low - s;
        }
    }

    /** A range of a {@code T[]} in a comparator's order. */
    static final class OfObject<T> extends SortKernel {
        private final T[] array;
        private final int from;
        private final Object[] scratch;
        private final Comparator<? super T> order;

        OfObject(T[] array, int from, int to, Comparator<? super T> order) {
            super(to - from);
            this.array = array;
            this.from = from;
            this.scratch = new Object[n];
            this.order = order;
        }

        /** Elements of either buffer came from {@code array}, so they are {@code T}s. */
        @SuppressWarnings("unchecked")
        private boolean less(Object x, Object y) {
            return order.compare((T) x, (T) y) < 0;
        }

        @Override
        void sortLeaf(int lo, int hi, boolean intoScratch) {
            Arrays.sort(array, from + lo, from + hi, order);
            if (intoScratch) {
                System.arraycopy(array, from + lo, scratch, lo, hi - lo);
            }
        }

        @Override
        void merge(boolean fromScratch, int l0, int l1, int r0, int r1, int d0) {
            Object[] src = fromScratch ? scratch : array;
            int s = fromScratch ? 0 : from;
            Object[] dst = fromScratch ? array : scratch;
            int d = (fromScratch ? from : 0) + d0;
            int i = l0 + s;
            int iEnd = l1 + s;
            int j = r0 + s;
            int jEnd = r1 + s;
            if (i < iEnd && j < jEnd) {
                if (!less(src[j], src[iEnd - 1])) {        // already in order (sorted input)
                    System.arraycopy(src, i, dst, d, iEnd - i);
                    System.arraycopy(src, j, dst, d + iEnd - i, jEnd - j);
                    return;
                }
                if (less(src[jEnd - 1], src[i])) {         // the right run first (reversed input)
                    System.arraycopy(src, j, dst, d, jEnd - j);
                    System.arraycopy(src, i, dst, d + jEnd - j, iEnd - i);
                    return;
                }
                while (i < iEnd && j < jEnd) {
                    Object x = src[i];
                    Object y = src[j];
                    if (less(y, x)) {                      // ties take the left run: stable
                        dst[d++] = y;
                        j++;
                    } else {
                        dst[d++] = x;
                        i++;
                    }
                }
            }
            System.arraycopy(src, i, dst, d, iEnd - i);
            System.arraycopy(src, j, dst, d + iEnd - i, jEnd - j);
        }

        @Override
        int firstNotLess(boolean inScratch, int lo, int hi, int key) {
            Object[] b = inScratch ? scratch : array;
            int s = inScratch ? 0 : from;
            Object k = b[key + s];
            int low = lo + s;
            int high = hi + s;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (less(b[middle], k)) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low - s;
        }

        @Override
        int firstGreater(boolean inScratch, int lo, int hi, int key) {
            Object[] b = inScratch ? scratch : array;
            int s = inScratch ? 0 : from;
            Object k = b[key + s];
            int low = lo + s;
            int high = hi + s;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (less(k, b[middle])) {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            return low - s;
        }
    }
}
