package dev.spindle.bench.demo;

import dev.spindle.bench.legacy.UnchangedCodeComparison;
import dev.spindle.bench.measure.Cores;
import dev.spindle.bench.measure.ThreadCensus;
import dev.spindle.bench.workload.TwoLevelExecution;
import dev.spindle.bench.workload.Variant;
import dev.spindle.linalg.Blas;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The composability demo: each chosen workload in each variant that applies, then a
 * {@link ResultTable} and, unless told not to, a {@link DemoChart}. Everything runs in this one JVM.
 *
 * <p>The measured runs are interleaved: round after round, every variant once, so that a slow
 * spell of a shared machine falls on all the variants alike instead of on whichever ran then (with
 * each variant's runs back to back, three runs on this VM were enough to reorder the parallel
 * variants between two demos). In each round a variant opens its own pools, warms up (for
 * {@link #FIRST_ROUND_WARM_UP_NANOS} in the first round, for one run after that: JIT, pool
 * threads, packing buffers), makes one measured run inside a {@link ThreadCensus}
 * window, and closes its pools before the next variant opens its own, so every window sees only
 * that variant's threads. A progress line per round names each variant as it starts.
 */
public final class Demo {

    /**
     * How long each variant's warm-up lasts in the first round (at least one run): long enough for
     * the JIT to compile the variant's own paths. One run was not: on W2 (power method, parallel
     * GEMV inside) Spindle's nested loops took 65–96 ms a run in the first two rounds and 45–51 ms
     * from the third, which put it last among the parallel variants in a demo where a warmed JMH run
     * has it first. Later rounds warm up with one run (new pool threads, packing buffers).
     */
    static final long FIRST_ROUND_WARM_UP_NANOS = 300_000_000L;

    private Demo() {
    }

    /**
     * Runs the demo with the arguments after {@code demo}. Returns the process exit code: 0 on
     * success, 2 for a bad command line (the error and the usage go to {@code err}), 1 if a
     * workload failed.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.println(DemoOptions.usage());
            return 2;
        }
        if (options.help()) {
            out.println(DemoOptions.usage());
            return 0;
        }
        long start = System.nanoTime();
        out.printf(Locale.ROOT, "Spindle composability demo: %d cores visible to the JVM, %d in the affinity mask;"
                        + " Java %s; GEMM kernel %s%n", Cores.visible(), Cores.real(), Runtime.version(),
                Blas.gemmKernel());
        out.println("Peak threads: live Java threads at the peak, (+ those above the count before the variant's"
                + " pools were created). Switches: per run, summed over all threads"
                + (ThreadCensus.isContextSwitchCountAvailable() ? "." : " (not available here: no /proc)."));
        try {
            for (DemoWorkload workload : options.workloads()) {
                String title = workload.title(options.size());
                out.println();
                out.println(title);
                if (workload.inChildJvms()) {
                    runUnchanged(options, out);
                    continue;
                }
                Consumer<TwoLevelExecution> work = workload.prepare(options.size());
                List<Variant> variants = new ArrayList<>();
                for (Variant variant : Variant.values()) {
                    if (workload.variants().contains(variant) && options.variants().contains(variant)) {
                        variants.add(variant);
                        out.printf(Locale.ROOT, "  [%s] %-15s %s%n", workload.id(), variant.id(),
                                variant.description());
                    }
                }
                List<VariantResult> results = measureInterleaved(workload.id(), variants, work,
                        options.repetitions(), out);
                out.print(ResultTable.format(results));
                if (options.charts()) {
                    Path dir = options.outputDirectory();
                    List<Path> files = DemoChart.write(dir, workload.id(), title, results);
                    out.println("  charts: " + files);
                }
            }
        } catch (Exception | OutOfMemoryError e) {
            err.println("error: the demo failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
        out.printf(Locale.ROOT, "%nDone in %.1f s.%n", (System.nanoTime() - start) * 1e-9);
        return 0;
    }

    /**
     * The legacy job plain and under the agent, in child JVMs ({@link UnchangedCodeComparison}); a
     * note instead when the agent jar is not built.
     */
    private static void runUnchanged(DemoOptions options, PrintStream out) throws Exception {
        Path agentJar = UnchangedCodeComparison.findAgentJar();
        if (agentJar == null) {
            out.println("  skipped: the agent jar is not built; build it with"
                    + " mvn -q -pl scheduler-core/agent -am package -DskipTests");
            return;
        }
        UnchangedCodeComparison comparison = new UnchangedCodeComparison(agentJar, List.of());
        UnchangedCodeComparison.Side[] sides = comparison.compare(4, 16, Math.max(16, options.size() / 4), 2,
                options.repetitions(), out);
        out.print(UnchangedCodeComparison.format(sides));
    }

    /**
     * {@code repetitions} rounds, each running every variant once (see the class comment); returns
     * one result per variant, in the order given: the median of its runs and its merged census.
     */
    private static List<VariantResult> measureInterleaved(String workloadId, List<Variant> variants,
                                                          Consumer<TwoLevelExecution> work, int repetitions,
                                                          PrintStream out) {
        double[][] millis = new double[variants.size()][repetitions];
        ThreadCensus.Census[] censuses = new ThreadCensus.Census[variants.size()];
        for (int round = 0; round < repetitions; round++) {
            out.printf(Locale.ROOT, "  [%s] round %d of %d:", workloadId, round + 1, repetitions);
            for (int v = 0; v < variants.size(); v++) {
                Variant variant = variants.get(v);
                out.print(" " + variant.id());
                out.flush();
                int baseline = ThreadCensus.baselineFor(variant);
                try (TwoLevelExecution execution = TwoLevelExecution.open(variant)) {
                    // Warm-up: pool threads and packing buffers need one run; the JIT, in the first
                    // round, needs more (see FIRST_ROUND_WARM_UP_NANOS).
                    long warmUntil = System.nanoTime() + (round == 0 ? FIRST_ROUND_WARM_UP_NANOS : 0L);
                    do {
                        work.accept(execution);
                    } while (System.nanoTime() - warmUntil < 0);
                    ThreadCensus.Window window = ThreadCensus.open(baseline);
                    long t0 = System.nanoTime();
                    work.accept(execution);
                    millis[v][round] = (System.nanoTime() - t0) * 1e-6;
                    ThreadCensus.Census census = window.close();
                    censuses[v] = censuses[v] == null ? census : censuses[v].merge(census);
                }
            }
            out.println();
        }
        List<VariantResult> results = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            results.add(new VariantResult(variants.get(v), median(millis[v]), censuses[v], repetitions));
        }
        return results;
    }

    /** The median: the middle value, or the mean of the two middle values of an even count. Sorts. */
    static double median(double[] values) {
        Arrays.sort(values);
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
