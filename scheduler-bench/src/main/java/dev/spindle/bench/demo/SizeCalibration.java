package dev.spindle.bench.demo;

import dev.spindle.bench.workload.TwoLevelExecution;
import dev.spindle.bench.workload.Variant;
import java.util.function.Consumer;

/**
 * Chooses a workload's scale {@code s} so that one serial run takes about a target time on this
 * machine and kernel: the Vector API kernel is several times faster than the portable one, so a
 * scale fixed in advance gives runs of 20 ms on one JVM (noise decides the order) and of seconds on
 * another.
 *
 * <p>How: run the workload serially at a small scale until {@link #WARM_UP_NANOS} have passed
 * (the JIT compiles the serial kernel; the Vector API kernel is slow until then) and take the best
 * of {@link #START_RUNS} timed runs; scale {@code s} by {@code (target / time)^(1 / exponent)}
 * ({@link DemoWorkload#sizeExponent()}), take the best of {@link #RUNS_PER_STEP} runs there, and
 * repeat until a time is within {@link #TOLERANCE} of the target (at most {@link #MAX_STEPS}
 * times). The serial variant's own runs in the table give the exact figure. Costs two to four
 * target times plus the warm-up.
 *
 * <p>Calling thread only; no pool is started.
 */
final class SizeCalibration {

    /** How long the serial kernel runs at the starting scale before the first timing. */
    static final long WARM_UP_NANOS = 400_000_000L;
    /** The scale the calibration starts from: small enough to be cheap even interpreted. */
    static final int START_SCALE = 192;
    /** Timed runs at the starting scale (cheap there); the best counts, so one slow spell does not. */
    static final int START_RUNS = 5;
    /** Timed runs at each later scale; the best counts. */
    static final int RUNS_PER_STEP = 2;
    /** Rescalings at most: the first extrapolates far from a small scale, the next ones correct it. */
    static final int MAX_STEPS = 3;
    /** A step whose time is within this fraction of the target ends the calibration. */
    static final double TOLERANCE = 0.15;
    /** Scales are multiples of this, so that {@code s / 4} is a multiple of 4. */
    static final int SCALE_STEP = 16;

    private SizeCalibration() {
    }

    /**
     * The scale at which one serial run of {@code workload} takes about {@code targetNanos}, within
     * {@code [minScale, maxScale]}.
     *
     * @throws IllegalArgumentException if {@code targetNanos} is not positive or the bounds are
     *     empty (named, with their values)
     */
    static int scaleFor(DemoWorkload workload, long targetNanos, int minScale, int maxScale) {
        if (targetNanos <= 0) {
            throw new IllegalArgumentException("targetNanos must be > 0, was " + targetNanos);
        }
        if (minScale < SCALE_STEP || maxScale < minScale) {
            throw new IllegalArgumentException("need " + SCALE_STEP + " <= minScale <= maxScale, was minScale="
                    + minScale + ", maxScale=" + maxScale);
        }
        try (TwoLevelExecution serial = TwoLevelExecution.open(Variant.SERIAL)) {
            int scale = clamp(START_SCALE, minScale, maxScale);
            Consumer<TwoLevelExecution> work = workload.prepare(scale);
            long warmUntil = System.nanoTime() + WARM_UP_NANOS;
            do {
                work.accept(serial);
            } while (System.nanoTime() - warmUntil < 0);
            long nanos = bestOf(START_RUNS, work, serial);
            for (int step = 0; step < MAX_STEPS; step++) {
                int next = clamp(scaled(scale, targetNanos, nanos, workload.sizeExponent()), minScale, maxScale);
                if (next == scale) {
                    return scale;
                }
                scale = next;
                work = workload.prepare(scale);
                nanos = bestOf(RUNS_PER_STEP, work, serial);
                if (Math.abs((double) nanos / targetNanos - 1) <= TOLERANCE) {
                    return scale;
                }
            }
            return scale;
        }
    }

    /** {@code scale · (target / measured)^(1 / exponent)}, rounded to a multiple of {@link #SCALE_STEP}. */
    static int scaled(int scale, long targetNanos, long measuredNanos, int exponent) {
        double factor = Math.pow((double) targetNanos / Math.max(1L, measuredNanos), 1.0 / exponent);
        long rounded = Math.round(scale * factor / SCALE_STEP) * SCALE_STEP;
        return (int) Math.max(SCALE_STEP, Math.min(Integer.MAX_VALUE - SCALE_STEP, rounded));
    }

    private static int clamp(int scale, int min, int max) {
        return Math.max(min, Math.min(max, scale));
    }

    private static long bestOf(int runs, Consumer<TwoLevelExecution> work, TwoLevelExecution serial) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            work.accept(serial);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
    }
}
