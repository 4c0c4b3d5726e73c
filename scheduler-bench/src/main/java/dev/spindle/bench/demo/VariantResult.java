package dev.spindle.bench.demo;

import dev.spindle.bench.measure.ThreadCensus;
import dev.spindle.bench.workload.Variant;

/**
 * One row of a demo table: the median wall time of the measured runs of one variant, and the
 * census over those runs (peak threads; context switches summed over all runs, divided by the runs
 * to give per-run figures).
 */
public record VariantResult(Variant variant, double medianMillis, ThreadCensus.Census census, int runs) {

    /** Voluntary context switches per run. */
    public long voluntarySwitchesPerRun() {
        return census.switches().voluntary() / Math.max(1, runs);
    }

    /** Involuntary context switches per run. */
    public long involuntarySwitchesPerRun() {
        return census.switches().involuntary() / Math.max(1, runs);
    }
}
