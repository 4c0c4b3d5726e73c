package dev.spindle.bench.demo;

import dev.spindle.bench.workload.Variant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A workload's results as a text table (variant, median time with the fastest and slowest run,
 * speed-up over serial by the medians, runs, rounds in which the variant was fastest, threads
 * added, context switches per run) and one sentence that reads it. The sentence is computed from
 * the numbers in the table, never written in advance.
 */
public final class ResultTable {

    private ResultTable() {
    }

    /** The table, one row per result in the given order, with a header and the summary line. */
    public static String format(List<VariantResult> results) {
        StringBuilder out = new StringBuilder();
        double serial = serialMillis(results);
        int rounds = results.stream().mapToInt(VariantResult::runs).max().orElse(0);
        out.append(String.format(Locale.ROOT, "  %-15s %9s %19s %9s %5s %8s %8s %14s %14s%n", "variant", "time ms",
                "[fastest, slowest]", "speed-up", "runs", "fastest", "threads", "vol. switches", "invol. switches"));
        out.append(String.format(Locale.ROOT, "  %-15s %9s %19s %9s %5s %8s %8s %14s %14s%n", "", "median", "", "",
                "", "rounds", "added", "per run", "per run"));
        for (VariantResult r : results) {
            out.append(String.format(Locale.ROOT, "  %-15s %9.1f %19s %9s %5d %8s %8d %14d %14d%n", r.variant().id(),
                    r.medianMillis(),
                    String.format(Locale.ROOT, "[%.1f, %.1f]", r.times().min(), r.times().max()),
                    Double.isNaN(serial) ? "-" : String.format(Locale.ROOT, "%.2fx", serial / r.medianMillis()),
                    r.runs(), r.roundsFastest() + "/" + rounds, r.census().peakThreadsAboveBaseline(),
                    r.voluntarySwitchesPerRun(), r.involuntarySwitchesPerRun()));
        }
        out.append("  ").append(summary(results)).append(System.lineSeparator());
        return out.toString();
    }

    private static double serialMillis(List<VariantResult> results) {
        return find(results, Variant.SERIAL).map(VariantResult::medianMillis).orElse(Double.NaN);
    }

    private static Optional<VariantResult> find(List<VariantResult> results, Variant variant) {
        return results.stream().filter(r -> r.variant() == variant).findFirst();
    }

    /**
     * One sentence: the fastest variant; Spindle against the better of inner-only and outer-only
     * (when both ran); and the threads and involuntary switches of naive-nested beside Spindle's.
     */
    public static String summary(List<VariantResult> results) {
        if (results.isEmpty()) {
            return "Nothing was run.";
        }
        VariantResult fastest = results.stream().min(Comparator.comparingDouble(VariantResult::medianMillis)).get();
        double serial = serialMillis(results);
        int rounds = results.stream().mapToInt(VariantResult::runs).max().orElse(0);
        StringBuilder s = new StringBuilder("Fastest: ").append(fastest.variant().id());
        if (!Double.isNaN(serial)) {
            s.append(String.format(Locale.ROOT, " (%.2fx serial)", serial / fastest.medianMillis()));
        }
        s.append(String.format(Locale.ROOT, ", fastest in %d of %d rounds", fastest.roundsFastest(), rounds));
        Optional<VariantResult> runnerUp = results.stream().filter(r -> r != fastest)
                .min(Comparator.comparingDouble(VariantResult::medianMillis));
        if (runnerUp.isPresent()) {
            s.append(String.format(Locale.ROOT, "; next %s, %.0f%% slower by the median", runnerUp.get().variant().id(),
                    (runnerUp.get().medianMillis() / fastest.medianMillis() - 1) * 100));
        }
        Optional<VariantResult> spindle = find(results, Variant.SPINDLE);
        Optional<VariantResult> bestSingle = results.stream().filter(r -> r.variant().isSingleLevel())
                .min(Comparator.comparingDouble(VariantResult::medianMillis));
        boolean bothSingleLevels = find(results, Variant.INNER_ONLY).isPresent()
                && find(results, Variant.OUTER_ONLY).isPresent();
        if (spindle.isPresent() && bestSingle.isPresent() && bothSingleLevels) {
            double ratio = bestSingle.get().medianMillis() / spindle.get().medianMillis();
            s.append(String.format(Locale.ROOT, "; spindle is %s the best single-level variant (%s)",
                    ratio >= 1 ? String.format(Locale.ROOT, "%.0f%% faster than", (ratio - 1) * 100)
                            : String.format(Locale.ROOT, "%.0f%% slower than", (1 / ratio - 1) * 100),
                    bestSingle.get().variant().id()));
        }
        Optional<VariantResult> naive = find(results, Variant.NAIVE_NESTED);
        if (spindle.isPresent() && naive.isPresent()) {
            s.append(String.format(Locale.ROOT,
                    "; threads added: naive-nested %d, spindle %d; involuntary switches per run: %d vs %d",
                    naive.get().census().peakThreadsAboveBaseline(), spindle.get().census().peakThreadsAboveBaseline(),
                    naive.get().involuntarySwitchesPerRun(), spindle.get().involuntarySwitchesPerRun()));
        }
        return s.append('.').toString();
    }
}
