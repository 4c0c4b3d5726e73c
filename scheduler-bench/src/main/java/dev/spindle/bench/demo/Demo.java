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
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The composability demo: each chosen workload in each variant that applies, then a
 * {@link ResultTable} and, unless told not to, a {@link DemoChart}. Everything runs in this one JVM.
 *
 * <p>Sizes by time: at start-up each workload's scale is calibrated so that one serial run takes
 * about {@code --target-ms} on the GEMM kernel in use ({@link SizeCalibration}); the header says
 * which kernel that is and why, and each workload's title gives its sizes.
 *
 * <p>The measured runs are interleaved: round after round, every variant once, each round after
 * the first in a shuffled order ({@link #roundOrder}), so that a slow spell of a shared machine,
 * and whatever one variant leaves behind for the next, falls on all the variants alike. Each variant's pools are opened once per
 * workload, before the first round, and closed after the last: a variant's threads and packing
 * buffers are warm in every round, as a pool in a running application is. In the first round each
 * variant warms up for {@link #FIRST_ROUND_WARM_UP_NANOS} (at least one run) before its measured
 * run. Every measured run has its own {@link ThreadCensus} window, whose baseline leaves out the
 * threads of the variant's own pools, so "threads added" counts those threads and any the run
 * starts, never the idle threads of the other variants' open pools. A progress line per round names
 * each variant as it starts.
 */
public final class Demo {

    /**
     * How long each variant's warm-up lasts in the first round (at least one run): long enough for
     * the JIT to compile the variant's own paths (a variant's first runs, before that, are much
     * slower than its later ones).
     */
    static final long FIRST_ROUND_WARM_UP_NANOS = 300_000_000L;

    /**
     * Runs of a variant whose first measured run took more than {@link #SLOW_FACTOR} times the
     * serial run: it is far from the race for fastest, and more runs of it would take most of the
     * demo's minute (ojAlgo's own threads next to the Vector API kernel).
     */
    static final int SLOW_VARIANT_RUNS = 3;

    /** See {@link #SLOW_VARIANT_RUNS}. */
    static final double SLOW_FACTOR = 2.0;

    /**
     * A run shorter than this never makes its variant slow: stopping early saves time only on long
     * runs, and on tiny sizes a parallel variant's overhead alone can exceed twice serial.
     */
    static final double SLOW_MIN_MILLIS = 100.0;

    /** The seed of the round orders: the same orders in every demo, so runs compare. */
    static final long ROUND_ORDER_SEED = 42L;

    /** At most this many rounds of the unchanged legacy job (two child JVMs per round). */
    static final int UNCHANGED_ROUNDS = 3;

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
                + " Java %s%n", Cores.visible(), Cores.real(), Runtime.version());
        // Sizes are calibrated by time on the kernel products keep: wait for the warm-up's answer
        // first, or the calibration times the portable kernel that stands in until then.
        try {
            Blas.awaitGemmKernel(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted while waiting for the GEMM kernel's warm-up");
            return 1;
        }
        out.printf(Locale.ROOT, "GEMM kernel: %s (%s)%n", Blas.gemmKernel(), Blas.gemmKernelReason());
        out.println("Time: median of the runs, [fastest, slowest]. Threads added: the variant's pool threads and"
                + " any its run starts. Switches: per run, summed over all threads"
                + (ThreadCensus.isContextSwitchCountAvailable() ? "." : " (not available here: no /proc)."));
        try {
            Map<DemoWorkload, Integer> scales = scales(options, out);
            for (DemoWorkload workload : options.workloads()) {
                out.println();
                if (workload.inChildJvms()) {
                    out.println(workload.title(options.fixedSize().orElse(DemoOptions.DEFAULT_UNCHANGED_SIZE)));
                    long unchangedStart = System.nanoTime();
                    runUnchanged(options, out);
                    out.printf(Locale.ROOT, "  (%s took %.1f s)%n", workload.id(), (System.nanoTime() - unchangedStart) * 1e-9);
                    continue;
                }
                int scale = scales.get(workload);
                String title = workload.title(scale);
                out.println(title);
                long workloadStart = System.nanoTime();
                Consumer<TwoLevelExecution> work = workload.prepare(scale);
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
                    List<Path> files = DemoChart.write(dir, workload.id(), workload.shortTitle(scale), results);
                    out.println("  charts: " + files);
                }
                out.printf(Locale.ROOT, "  (%s took %.1f s)%n", workload.id(), (System.nanoTime() - workloadStart) * 1e-9);
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
     * Each chosen workload's scale: the fixed {@code --size}, or calibrated to the target time
     * (once per {@link DemoWorkload#sizedLike()}), printed with the sizes it gives.
     */
    private static Map<DemoWorkload, Integer> scales(DemoOptions options, PrintStream out) {
        Map<DemoWorkload, Integer> scales = new EnumMap<>(DemoWorkload.class);
        if (options.fixedSize().isPresent()) {
            out.printf(Locale.ROOT, "Sizes: fixed by --size %d.%n", options.fixedSize().getAsInt());
        } else {
            out.printf(Locale.ROOT, "Sizes: calibrated so that one serial run takes about %d ms with this kernel:%n",
                    options.targetMillis());
        }
        for (DemoWorkload workload : options.workloads()) {
            if (workload.inChildJvms()) {
                continue;
            }
            if (options.fixedSize().isPresent()) {
                scales.put(workload, options.fixedSize().getAsInt());
                continue;
            }
            DemoWorkload like = workload.sizedLike();
            Integer scale = scales.get(like);
            if (scale == null) {
                long t0 = System.nanoTime();
                scale = SizeCalibration.scaleFor(like, options.targetMillis() * 1_000_000L, 64, 4096);
                scales.put(like, scale);
                out.printf(Locale.ROOT, "  %-12s %s (calibrated in %.1f s)%n", like.id(), like.sizes(scale),
                        (System.nanoTime() - t0) * 1e-9);
            }
            if (like != workload) {
                scales.put(workload, scale);
                out.printf(Locale.ROOT, "  %-12s %s (the flops of %s)%n", workload.id(), workload.sizes(scale), like.id());
            }
        }
        return scales;
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
        int scale = options.fixedSize().orElse(DemoOptions.DEFAULT_UNCHANGED_SIZE);
        UnchangedCodeComparison.Side[] sides = comparison.compare(4, 16, Math.max(16, scale / 4), 2,
                Math.min(options.repetitions(), UNCHANGED_ROUNDS), out);
        out.print(UnchangedCodeComparison.format(sides));
    }

    /**
     * {@code repetitions} rounds, each running every variant once in the order of
     * {@link #roundOrder} (see the class comment); returns one result per variant, in the order given. A variant
     * slower than {@link #SLOW_FACTOR} times serial in the first round stops after
     * {@link #SLOW_VARIANT_RUNS} runs.
     */
    private static List<VariantResult> measureInterleaved(String workloadId, List<Variant> variants,
                                                          Consumer<TwoLevelExecution> work, int repetitions,
                                                          PrintStream out) {
        int count = variants.size();
        double[][] millis = new double[count][repetitions];
        int[] runs = new int[count];
        int[] roundsFastest = new int[count];
        boolean[] slow = new boolean[count];
        ThreadCensus.Census[] censuses = new ThreadCensus.Census[count];
        List<TwoLevelExecution> executions = new ArrayList<>();
        int[] ownThreads = new int[count];
        Random shuffle = new Random(ROUND_ORDER_SEED);
        try {
            for (Variant variant : variants) {
                int before = ThreadCensus.liveThreads();
                executions.add(TwoLevelExecution.open(variant));
                ownThreads[executions.size() - 1] = ThreadCensus.liveThreads() - before;
            }
            for (int round = 0; round < repetitions; round++) {
                out.printf(Locale.ROOT, "  [%s] round %d of %d:", workloadId, round + 1, repetitions);
                int fastest = -1;
                for (int v : roundOrder(count, round, shuffle)) {
                    if (slow[v] && runs[v] >= SLOW_VARIANT_RUNS) {
                        continue;
                    }
                    Variant variant = variants.get(v);
                    TwoLevelExecution execution = executions.get(v);
                    out.print(" " + variant.id());
                    out.flush();
                    if (round == 0) {
                        long warmUntil = System.nanoTime() + FIRST_ROUND_WARM_UP_NANOS;
                        do {
                            work.accept(execution);
                        } while (System.nanoTime() - warmUntil < 0);
                    }
                    ThreadCensus.Window window = ThreadCensus.open(ThreadCensus.baselineFor(variant) - ownThreads[v]);
                    long t0 = System.nanoTime();
                    work.accept(execution);
                    double time = (System.nanoTime() - t0) * 1e-6;
                    ThreadCensus.Census census = window.close();
                    millis[v][runs[v]++] = time;
                    censuses[v] = censuses[v] == null ? census : censuses[v].merge(census);
                    if (fastest < 0 || time < millis[fastest][runs[fastest] - 1]) {
                        fastest = v;
                    }
                }
                roundsFastest[fastest]++;
                if (round == 0) {
                    markSlow(variants, millis, slow);
                }
                out.println();
            }
        } finally {
            closeAll(executions);
        }
        List<VariantResult> results = new ArrayList<>();
        for (int v = 0; v < count; v++) {
            results.add(new VariantResult(variants.get(v), new RunTimes(Arrays.copyOf(millis[v], runs[v])),
                    censuses[v], roundsFastest[v]));
        }
        return results;
    }

    /**
     * The order of the variants in round {@code round}: the given order in the first round (so the
     * progress line reads as the table does), a shuffle in every later round, so that no variant
     * always runs right after the same other one (whose garbage, or whose pool threads going idle,
     * would then always fall on it).
     */
    static int[] roundOrder(int count, int round, Random shuffle) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        if (round > 0) {
            for (int i = count - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }

    /**
     * After the first round: which variants took more than {@link #SLOW_FACTOR} times serial's run,
     * and more than {@link #SLOW_MIN_MILLIS}.
     */
    private static void markSlow(List<Variant> variants, double[][] millis, boolean[] slow) {
        int serial = variants.indexOf(Variant.SERIAL);
        if (serial < 0) {
            return;
        }
        for (int v = 0; v < variants.size(); v++) {
            slow[v] = millis[v][0] > SLOW_FACTOR * millis[serial][0] && millis[v][0] > SLOW_MIN_MILLIS;
        }
    }

    /** Closes every execution, in reverse order of opening; the first failure is thrown, later ones suppressed. */
    private static void closeAll(List<TwoLevelExecution> executions) {
        RuntimeException failure = null;
        for (int i = executions.size() - 1; i >= 0; i--) {
            try {
                executions.get(i).close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
