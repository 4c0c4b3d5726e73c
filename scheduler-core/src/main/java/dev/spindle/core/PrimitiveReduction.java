package dev.spindle.core;

import java.util.function.DoubleBinaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * The map and combine of a reduction to {@code double}, {@code long} or {@code int}, carried as
 * the bits of a {@code long} through {@link LazySplitter#reduceBlocksToBits}: one tree walk for the
 * three types, and no partial result boxed. A {@code double} travels as its raw bits
 * ({@link Double#doubleToRawLongBits}), so every value, each NaN payload included, comes back as
 * it went in; an {@code int} travels sign-extended.
 */
final class PrimitiveReduction {

    private PrimitiveReduction() {
    }

    /** A reduction to {@code double}. */
    static final class OfDouble implements LazySplitter.BitsReduction {
        private final RangeToDoubleFunction map;
        private final DoubleBinaryOperator combine;

        OfDouble(RangeToDoubleFunction map, DoubleBinaryOperator combine) {
            this.map = map;
            this.combine = combine;
        }

        @Override
        public long map(int lo, int hi) {
            return Double.doubleToRawLongBits(map.applyAsDouble(lo, hi));
        }

        @Override
        public long combine(long left, long right) {
            return Double.doubleToRawLongBits(
                    combine.applyAsDouble(Double.longBitsToDouble(left), Double.longBitsToDouble(right)));
        }
    }

    /** A reduction to {@code long}. */
    static final class OfLong implements LazySplitter.BitsReduction {
        private final RangeToLongFunction map;
        private final LongBinaryOperator combine;

        OfLong(RangeToLongFunction map, LongBinaryOperator combine) {
            this.map = map;
            this.combine = combine;
        }

        @Override
        public long map(int lo, int hi) {
            return map.applyAsLong(lo, hi);
        }

        @Override
        public long combine(long left, long right) {
            return combine.applyAsLong(left, right);
        }
    }

    /** A reduction to {@code int}. */
    static final class OfInt implements LazySplitter.BitsReduction {
        private final RangeToIntFunction map;
        private final IntBinaryOperator combine;

        OfInt(RangeToIntFunction map, IntBinaryOperator combine) {
            this.map = map;
            this.combine = combine;
        }

        @Override
        public long map(int lo, int hi) {
            return map.applyAsInt(lo, hi);
        }

        @Override
        public long combine(long left, long right) {
            return combine.applyAsInt((int) left, (int) right);
        }
    }
}
