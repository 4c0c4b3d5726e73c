package dev.spindle.bench.demo;

import dev.spindle.bench.measure.ThreadCensus;
import dev.spindle.bench.workload.Variant;

/**
 * One row of a demo table: the measured run times of one variant, the census over those runs
 * (threads added; context switches summed over all runs, divided by the runs to give per-run
 * figures), and in how many rounds this variant was the fastest of the round.
 */
public record VariantResult(Variant variant, RunTimes times, ThreadCensus.Census census, int roundsFastest) {

    /** The median run time, in milliseconds. */
    public double medianMillis() {
        return times.median();
    }

    /** How many runs were measured. */
    public int runs() {
        return times.count();
    }

    /** Voluntary context switches per run. */
    public long voluntarySwitchesPerRun() {
        return census.switches().voluntary() / Math.max(1, runs());
    }

    /** Involuntary context switches per run. */
    public long involuntarySwitchesPerRun() {
        return census.switches().involuntary() / Math.max(1, runs());
    }
}
