package dev.spindle.core;

import java.util.function.DoubleBinaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * The loops of an inclusive scan for one element type ({@link ParallelScan} is the driver). The
 * range of {@code n} elements is cut into blocks of {@code grain} (the last may be shorter), and
 * every result is defined by the blocks alone, whoever computes it:
 *
 * <pre>
 *   local(i)  = x[lo] ⊕ x[lo+1] ⊕ … ⊕ x[i]       (left to right, within i's block [lo, hi))
 *   out(i)    = local(i)                          in block 0
 *   out(i)    = carry(b) ⊕ local(i)               in block b ≥ 1, where carry(b) = out(last of block b−1)
 * </pre>
 *
 * Two ways reach these values: the walker's pass ({@link #walkBlock}), and a thief's
 * {@link #localScan} followed by {@link #applyCarry} once the carry is known. For {@code double}s the
 * walker keeps both chains ({@code local} and {@code carry ⊕ local}), so both ways give the same
 * bits and the result depends on the values and the block size only, whatever was stolen. For
 * {@code long}s and {@code int}s the operator must be associative (the contract, as for
 * {@code Arrays.parallelPrefix}), so the walker runs the serial chain from the carry, one operation
 * per element, and every way gives the serial scan.
 *
 * <p>Threads: {@link #scanFirstBlock}, {@link #walkBlock} and {@link #carriesFor} are the walker's
 * (the one thread that owns the call) and use its running carry; {@link #localScan} and
 * {@link #applyCarry} may run on any worker, each on blocks no one else touches at that moment,
 * ordered after the walker's writes by the fork that hands the blocks over.
 */
abstract class ScanKernel {

    /** The number of elements, and the block size. */
    final int n;
    final int grain;
    final int blocks;

    ScanKernel(int n, int grain) {
        this.n = n;
        this.grain = grain;
        this.blocks = (int) LazySplitter.ceilDiv(n, grain);
    }

    /** The first offset of block {@code b}. */
    final int blockStart(int b) {
        return b * grain;                                // b < blocks, so below n: no overflow
    }

    /** One past the last offset of block {@code b}. */
    final int blockEnd(int b) {
        int lo = b * grain;
        return lo + Math.min(grain, n - lo);
    }

    /** Walker: block 0, which has no carry; its last result becomes the carry. */
    abstract void scanFirstBlock();

    /** Walker: block {@code b ≥ 1} from the carry; its last result becomes the carry. */
    abstract void walkBlock(int b);

    /** Any worker: {@code local(i)} for every {@code i} of block {@code b ≥ 1}, into the destination. */
    abstract void localScan(int b);

    /**
     * Walker: after {@link #localScan} of blocks {@code [first, end)}, records each one's carry and
     * moves the running carry past them (reading each block's last {@code local}).
     */
    abstract void carriesFor(int first, int end);

    /** Any worker: {@code out(i) = carry(b) ⊕ local(i)} over block {@code b}, after {@link #carriesFor}. */
    abstract void applyCarry(int b);

    /** A scan of {@code double}s with a {@link DoubleBinaryOperator}. */
    static final class OfDouble extends ScanKernel {
        private final double[] source;
        private final int sourceFrom;
        private final double[] destination;
        private final int destinationFrom;
        private final DoubleBinaryOperator op;
        /** Walker only. */
        private double carry;
        /** carry(b) per block; written by the walker before the blocks are handed on. */
        private final double[] carries;

        OfDouble(double[] source, int sourceFrom, double[] destination, int destinationFrom, int n, int grain,
                DoubleBinaryOperator op) {
            super(n, grain);
            this.source = source;
            this.sourceFrom = sourceFrom;
            this.destination = destination;
            this.destinationFrom = destinationFrom;
            this.op = op;
            this.carries = blocks > 1 ? new double[blocks] : null;
        }

        @Override
        void scanFirstBlock() {
            carry = scan(0);
        }

        @Override
        void localScan(int b) {
            scan(b);
        }

        /** {@code local(i)} over block {@code b} into the destination; returns the last. */
        private double scan(int b) {
            int s = sourceFrom - destinationFrom;
            int i = destinationFrom + blockStart(b);
            int end = destinationFrom + blockEnd(b);
            double local = source[i + s];
            destination[i] = local;
            for (i++; i < end; i++) {
                local = op.applyAsDouble(local, source[i + s]);
                destination[i] = local;
            }
            return local;
        }

        @Override
        void walkBlock(int b) {
            int s = sourceFrom - destinationFrom;
            int i = destinationFrom + blockStart(b);
            int end = destinationFrom + blockEnd(b);
            double c = carry;
            double local = source[i + s];
            double out = op.applyAsDouble(c, local);
            destination[i] = out;
            for (i++; i < end; i++) {                     // two chains: local, and c ⊕ local
                local = op.applyAsDouble(local, source[i + s]);
                out = op.applyAsDouble(c, local);
                destination[i] = out;
            }
            carry = out;
        }

        @Override
        void carriesFor(int first, int end) {
            double c = carry;
            for (int b = first; b < end; b++) {
                carries[b] = c;
                c = op.applyAsDouble(c, destination[destinationFrom + blockEnd(b) - 1]);
            }
            carry = c;
        }

        @Override
        void applyCarry(int b) {
            double c = carries[b];
            int end = destinationFrom + blockEnd(b);
            for (int i = destinationFrom + blockStart(b); i < end; i++) {
                destination[i] = op.applyAsDouble(c, destination[i]);
            }
        }
    }

    /** A scan of {@code long}s with a {@link LongBinaryOperator}. */
    static final class OfLong extends ScanKernel {
        private final long[] source;
        private final int sourceFrom;
        private final long[] destination;
        private final int destinationFrom;
        private final LongBinaryOperator op;
        /** Walker only. */
        private long carry;
        /** carry(b) per block; written by the walker before the blocks are handed on. */
        private final long[] carries;

        OfLong(long[] source, int sourceFrom, long[] destination, int destinationFrom, int n, int grain,
                LongBinaryOperator op) {
            super(n, grain);
            this.source = source;
            this.sourceFrom = sourceFrom;
            this.destination = destination;
            this.destinationFrom = destinationFrom;
            this.op = op;
            this.carries = blocks > 1 ? new long[blocks] : null;
        }

        @Override
        void scanFirstBlock() {
            carry = scan(0);
        }

        @Override
        void localScan(int b) {
            scan(b);
        }

        /** {@code local(i)} over block {@code b} into the destination; returns the last. */
        private long scan(int b) {
            int s = sourceFrom - destinationFrom;
            int i = destinationFrom + blockStart(b);
            int end = destinationFrom + blockEnd(b);
            long local = source[i + s];
            destination[i] = local;
            for (i++; i < end; i++) {
                local = op.applyAsLong(local, source[i + s]);
                destination[i] = local;
            }
            return local;
        }

        /**
         * The serial chain from the carry: for the associative operator the contract requires,
         * {@code carry ⊕ x[lo] ⊕ … ⊕ x[i]} equals {@code carry ⊕ local(i)}, at one operation per element.
         */
        @Override
        void walkBlock(int b) {
            int s = sourceFrom - destinationFrom;
            int end = destinationFrom + blockEnd(b);
            long out = carry;
            for (int i = destinationFrom + blockStart(b); i < end; i++) {
                out = op.applyAsLong(out, source[i + s]);
                destination[i] = out;
            }
            carry = out;
        }

        @Override
        void carriesFor(int first, int end) {
            long c = carry;
            for (int b = first; b < end; b++) {
                carries[b] = c;
                c = op.applyAsLong(c, destination[destinationFrom + blockEnd(b) - 1]);
            }
            carry = c;
        }

        @Override
        void applyCarry(int b) {
            long c = carries[b];
            int end = destinationFrom + blockEnd(b);
            for (int i = destinationFrom + blockStart(b); i < end; i++) {
                destination[i] = op.applyAsLong(c, destination[i]);
            }
        }
    }

    /** A scan of {@code int}s with a {@link IntBinaryOperator}. */
    static final class OfInt extends ScanKernel {
        private final int[] source;
        private final int sourceFrom;
        private final int[] destination;
        private final int destinationFrom;
        private final IntBinaryOperator op;
        /** Walker only. */
        private int carry;
        /** carry(b) per block; written by the walker before the blocks are handed on. */
        private final int[] carries;

        OfInt(int[] source, int sourceFrom, int[] destination, int destinationFrom, int n, int grain,
                IntBinaryOperator op) {
            super(n, grain);
            this.source = source;
            this.sourceFrom = sourceFrom;
            this.destination = destination;
            this.destinationFrom = destinationFrom;
            this.op = op;
            this.carries = blocks > 1 ? new int[blocks] : null;
        }

        @Override
        void scanFirstBlock() {
            carry = scan(0);
        }

        @Override
        void localScan(int b) {
            scan(b);
        }

        /** {@code local(i)} over block {@code b} into the destination; returns the last. */
        private int scan(int b) {
            int s = sourceFrom - destinationFrom;
            int i = destinationFrom + blockStart(b);
            int end = destinationFrom + blockEnd(b);
            int local = source[i + s];
            destination[i] = local;
            for (i++; i < end; i++) {
                local = op.applyAsInt(local, source[i + s]);
                destination[i] = local;
            }
            return local;
        }

        /**
         * The serial chain from the carry: for the associative operator the contract requires,
         * {@code carry ⊕ x[lo] ⊕ … ⊕ x[i]} equals {@code carry ⊕ local(i)}, at one operation per element.
         */
        @Override
        void walkBlock(int b) {
            int s = sourceFrom - destinationFrom;
            int end = destinationFrom + blockEnd(b);
            int out = carry;
            for (int i = destinationFrom + blockStart(b); i < end; i++) {
                out = op.applyAsInt(out, source[i + s]);
                destination[i] = out;
            }
            carry = out;
        }

        @Override
        void carriesFor(int first, int end) {
            int c = carry;
            for (int b = first; b < end; b++) {
                carries[b] = c;
                c = op.applyAsInt(c, destination[destinationFrom + blockEnd(b) - 1]);
            }
            carry = c;
        }

        @Override
        void applyCarry(int b) {
            int c = carries[b];
            int end = destinationFrom + blockEnd(b);
            for (int i = destinationFrom + blockStart(b); i < end; i++) {
                destination[i] = op.applyAsInt(c, destination[i]);
            }
        }
    }
}
