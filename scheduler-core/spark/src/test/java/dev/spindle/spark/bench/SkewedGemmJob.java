package dev.spindle.spark.bench;

import dev.spindle.linalg.Blas;
import dev.spindle.spark.SpindleConfig;
import dev.spindle.spark.SpindlePlugin;
import dev.spindle.spark.bench.GemmWork.Variant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;

/**
 * The measurement of {@code docs/guides/spark.md}: a Spark job in local mode whose tasks multiply
 * matrices with {@code Blas.dgemm}, run with each {@link Variant} of kernel threading, on a skewed
 * job (many small partitions, then one large one, the straggler) and on a balanced one with the
 * same total work. For each job and variant: the stage's time (Spark's own submission-to-completion
 * time; median of the repeats), the peak number of threads in the JVM, and the peak and mean number
 * of threads running or runnable at once ({@link ThreadSampler}).
 *
 * <p>One Spark context serves every variant (start-up takes seconds), with the plugin and per-task
 * caps on: (a) and (b) do not touch the global scheduler, (c) calls kernels on it directly, (c')
 * through {@code SpindleTask.call}. Rounds run the variants in turn, after warm-up rounds that are
 * not counted, so drift in the machine's load spreads over all of them.
 *
 * <p>Settings are system properties {@code spindle.sparkBench.<name>} ({@link Settings}); the
 * table is printed and written to {@code target/spark-bench/skewed-gemm.md}.
 */
public final class SkewedGemmJob {

    /** The job's sizes; {@link #full()} and {@link #smoke()} are the two forms. */
    record Settings(String master, int cores, int n, int smallPartitions, int smallProducts, int largePartitions,
                    int largeProducts, int balancedPartitions, int balancedProducts, int warmups,
                    int repeats, long sampleMillis) {

        /**
         * The measured form. On two cores a 1024 × 1024 product takes some tens of milliseconds, so
         * a stage computes for about two seconds: long against Spark's per-task overhead.
         */
        static Settings full() {
            int cores = integer("cores", Runtime.getRuntime().availableProcessors());
            String master = System.getProperty("spindle.sparkBench.master", "local[" + cores + "]").trim();
            return new Settings(master, cores,
                    integer("n", 1024),
                    integer("smallPartitions", 7 * cores), integer("smallProducts", 4),
                    integer("largePartitions", 1), integer("largeProducts", 24),
                    integer("balancedPartitions", 4 * cores), integer("balancedProducts", 10),
                    integer("warmups", 1), integer("repeats", 5), integer("sampleMillis", 50));
        }

        /** The form every build runs: proves the harness works, measures nothing. */
        static Settings smoke() {
            return new Settings("local[2]", 2, 96, 4, 1, 1, 3, 4, 1, 0, 1, 5);
        }

        private static int integer(String name, int otherwise) {
            String value = System.getProperty("spindle.sparkBench." + name);
            if (value == null) {
                return otherwise;
            }
            try {
                int parsed = Integer.parseInt(value.trim());
                if (parsed < 1 && !name.equals("warmups")) {
                    throw new IllegalArgumentException("spindle.sparkBench." + name + " must be positive, was " + parsed);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("spindle.sparkBench." + name + " must be an integer, was '" + value + "'", e);
            }
        }

        /** Product counts per partition: the small ones first, the large ones last. */
        List<Integer> skewedShape() {
            List<Integer> shape = new ArrayList<>(Collections.nCopies(smallPartitions, smallProducts));
            shape.addAll(Collections.nCopies(largePartitions, largeProducts));
            return shape;
        }

        /**
         * Whether executors run in this JVM ({@code local[...]}), where task spans and thread
         * samples see them; with {@code local-cluster[...]} they are other JVMs and only stage
         * times are measured.
         */
        boolean executorsInThisJvm() {
            return master.startsWith("local[");
        }

        List<Integer> balancedShape() {
            return new ArrayList<>(Collections.nCopies(balancedPartitions, balancedProducts));
        }
    }

    /** One line of the table. */
    record Row(String job, Variant variant, long[] stageMillis, int peakThreads, int peakRunning,
               double meanRunning, double checksum) {

        long medianMillis() {
            long[] sorted = stageMillis.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    /** The length of a bin of the CPU timeline. */
    private static final long TIMELINE_BIN_MILLIS = 100;

    private SkewedGemmJob() {
    }

    /** Runs the full form and prints the table. */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.full();
        double scaling = gemmScaling(settings);
        List<StageTimeline> timelines = new ArrayList<>();
        System.out.println(table(settings, scaling, run(settings, timelines)));
        System.out.println(timelineSummary(timelines));
    }

    /**
     * How much more GEMM throughput {@code cores} threads get than one: each thread runs serial
     * products of the job's size, once alone and once all together. The plugin can only speed up
     * the straggler if this is well above 1; where the "cores" share one physical core's
     * floating-point units (SMT siblings, some virtual machines) it is about 1 and no threading of
     * the kernels can help.
     *
     * <p>The kernel is warmed up first until one thread's time for a few products stops falling
     * (the Vector API kernel runs boxed, tens of times slower, until C2 has compiled it; timing
     * "alone" on a cold kernel once gave 3.77 on two cores). Then alone and together alternate
     * three times and the median ratio is returned.
     */
    static double gemmScaling(Settings settings) throws InterruptedException {
        int products = 3;
        long previous = Long.MAX_VALUE;
        for (int warmup = 0; warmup < 20; warmup++) {
            long time = gemmThreads(1, products, settings.n());
            if (time > previous * 0.95) {
                break;                                       // no longer getting faster: compiled
            }
            previous = time;
        }
        double[] ratios = new double[3];
        for (int round = 0; round < ratios.length; round++) {
            long alone = gemmThreads(1, products, settings.n());
            long together = gemmThreads(settings.cores(), products, settings.n());
            ratios[round] = settings.cores() * (double) alone / together;
        }
        Arrays.sort(ratios);
        return ratios[ratios.length / 2];
    }

    private static long gemmThreads(int threads, int products, int n) throws InterruptedException {
        Thread[] running = new Thread[threads];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            running[t] = new Thread(() -> GemmWork.run(Variant.SERIAL, products, n, 1), "gemm-scaling-" + t);
            running[t].start();
        }
        for (Thread thread : running) {
            thread.join();
        }
        return System.nanoTime() - start;
    }

    /** Runs every variant on both jobs and returns the rows, skewed job first. */
    static List<Row> run(Settings settings) throws Exception {
        return run(settings, new ArrayList<>());
    }

    /**
     * Runs every variant on both jobs and returns the rows, skewed job first; adds the timeline of
     * every counted stage to {@code timelines}, in the order they ran.
     */
    static List<Row> run(Settings settings, List<StageTimeline> timelines) throws Exception {
        SparkConf conf = new SparkConf()
                .setMaster(settings.master())
                .setAppName("SkewedGemmJob")
                .set("spark.plugins", SpindlePlugin.class.getName())
                .set(SpindleConfig.TASK_CAPS, "true")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        if (!settings.executorsInThisJvm()) {
            // Executor JVMs get Spark's jars from $SPARK_HOME/jars (the spark-bench profile builds
            // it) and this harness's classes, the plugin's and their dependencies from here.
            conf.set("spark.executor.extraClassPath", executorClassPath())
                    .set("spark.executor.extraJavaOptions", "-Xss4m --add-modules=jdk.incubator.vector");
        }
        BlockingQueue<Long> stageMillis = new LinkedBlockingQueue<>();
        List<Row> rows = new ArrayList<>();
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.sc().addSparkListener(new SparkListener() {
                @Override
                public void onStageCompleted(SparkListenerStageCompleted completed) {
                    StageInfo info = completed.stageInfo();
                    if (info.submissionTime().isDefined() && info.completionTime().isDefined()) {
                        stageMillis.add((Long) info.completionTime().get() - (Long) info.submissionTime().get());
                    }
                }
            });
            rows.addAll(runJob(spark, "skewed", settings.skewedShape(), settings, stageMillis, timelines));
            rows.addAll(runJob(spark, "balanced", settings.balancedShape(), settings, stageMillis, timelines));
        } finally {
            GemmWork.closeOwnPools();
        }
        return rows;
    }

    private static List<Row> runJob(JavaSparkContext spark, String job, List<Integer> shape, Settings settings,
                                    BlockingQueue<Long> stageMillis, List<StageTimeline> timelines)
            throws Exception {
        Map<Variant, long[]> times = new EnumMap<>(Variant.class);
        Map<Variant, ThreadSampler> samplers = new EnumMap<>(Variant.class);
        Map<Variant, int[]> peaks = new EnumMap<>(Variant.class);
        Map<Variant, double[]> means = new EnumMap<>(Variant.class);
        Map<Variant, Double> checksums = new EnumMap<>(Variant.class);
        for (Variant variant : Variant.values()) {
            times.put(variant, new long[settings.repeats()]);
            peaks.put(variant, new int[2]);
            means.put(variant, new double[1]);
        }
        for (int round = -settings.warmups(); round < settings.repeats(); round++) {
            for (Variant variant : Variant.values()) {
                CpuTimeline cpu = new CpuTimeline(settings.cores(), System.nanoTime(), TIMELINE_BIN_MILLIS);
                ThreadSampler sampler = new ThreadSampler(settings.sampleMillis(), cpu);
                stageMillis.clear();
                TaskSpans.clear();
                sampler.start();
                double checksum;
                try {
                    checksum = stage(spark, shape, variant, settings);
                } finally {
                    sampler.stop();
                }
                Long millis = stageMillis.poll(30, TimeUnit.SECONDS);
                if (millis == null) {
                    throw new IllegalStateException("no stage-completed event for " + job + " " + variant);
                }
                if (variant == Variant.OWN_POOL) {
                    GemmWork.closeOwnPools();              // its threads are part of its own rounds only
                }
                List<TaskSpans.Span> spans = TaskSpans.drain();
                if (round < 0) {
                    continue;
                }
                if (settings.executorsInThisJvm()) {
                    timelines.add(new StageTimeline(job, variant.label, settings.cores(), millis, spans, cpu));
                }
                times.get(variant)[round] = millis;
                int[] peak = peaks.get(variant);
                peak[0] = Math.max(peak[0], sampler.peakThreads());
                peak[1] = Math.max(peak[1], sampler.peakRunning());
                means.get(variant)[0] += sampler.meanRunning() / settings.repeats();
                checksums.put(variant, checksum);
                samplers.put(variant, sampler);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            rows.add(new Row(job, variant, times.get(variant), peaks.get(variant)[0], peaks.get(variant)[1],
                    means.get(variant)[0], checksums.get(variant)));
        }
        return rows;
    }

    /** Where the executor JVMs find the plugin, the harness, Spindle and JCTools: the class path entries they came from. */
    private static String executorClassPath() {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : new Class<?>[] {SpindlePlugin.class, SkewedGemmJob.class, dev.spindle.core.Scheduler.class,
                Blas.class, org.jctools.queues.MpmcUnboundedXaddArrayQueue.class}) {
            try {
                String entry = Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                if (!entries.contains(entry)) {
                    entries.add(entry);
                }
            } catch (java.net.URISyntaxException | RuntimeException e) {
                throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from", e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static double stage(JavaSparkContext spark, List<Integer> shape, Variant variant, Settings settings) {
        int n = settings.n();
        int cores = settings.cores();
        return spark.parallelize(shape, shape.size())
                .map(products -> GemmWork.run(variant, products, n, cores))
                .reduce(Double::sum);
    }

    /** The rows as a Markdown table, with each variant's time against the better of (a) and (b). */
    static String table(Settings settings, double gemmScaling, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Java %s, GEMM kernel %s (%s)%n", System.getProperty("java.version"),
                Blas.gemmKernel(), Blas.gemmKernelReason()));
        out.append(String.format(Locale.ROOT, "GEMM throughput of %d threads together: %.2f x one thread's%n",
                settings.cores(), gemmScaling));
        out.append(String.format(Locale.ROOT, "Spark %s, n = %d; skewed: %d partitions x %d products, then %d x %d;"
                        + " balanced: %d x %d; median of %d runs after %d warm-up%s%n%n",
                settings.master(), settings.n(), settings.smallPartitions(), settings.smallProducts(),
                settings.largePartitions(), settings.largeProducts(), settings.balancedPartitions(),
                settings.balancedProducts(), settings.repeats(), settings.warmups(),
                settings.executorsInThisJvm() ? "" : "; threads are the driver JVM's only"));
        out.append("| job | variant | stage time (ms) | runs (ms) | vs best of a, b | peak threads | peak running | mean running |\n");
        out.append("|---|---|---:|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            long best = Long.MAX_VALUE;
            for (Row other : rows) {
                if (other.job().equals(row.job())
                        && (other.variant() == Variant.SERIAL || other.variant() == Variant.OWN_POOL)) {
                    best = Math.min(best, other.medianMillis());
                }
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %+.1f %% | %d | %d | %.2f |%n",
                    row.job(), row.variant().label, row.medianMillis(), Arrays.toString(row.stageMillis()),
                    100.0 * (row.medianMillis() - best) / best, row.peakThreads(), row.peakRunning(),
                    row.meanRunning()));
        }
        return out.toString();
    }

    /** Where each counted stage's time went: one summary row per stage, in the order they ran. */
    static String timelineSummary(List<StageTimeline> timelines) {
        StringBuilder out = new StringBuilder(StageTimeline.summaryHeader());
        for (StageTimeline timeline : timelines) {
            out.append(timeline.summaryRow());
        }
        return out.toString();
    }

    /** Every counted stage's task spans and CPU bins. */
    static String timelineDetail(List<StageTimeline> timelines) {
        StringBuilder out = new StringBuilder();
        for (StageTimeline timeline : timelines) {
            out.append(timeline.render());
        }
        return out.toString();
    }

    /** Writes the table to {@code target/spark-bench/skewed-gemm.md} (relative to the working directory). */
    static Path write(String table) throws IOException {
        return write("skewed-gemm.md", table);
    }

    /** Writes {@code text} to {@code target/spark-bench/<name>} (relative to the working directory). */
    static Path write(String name, String text) throws IOException {
        Path file = Paths.get("target", "spark-bench", name);
        Files.createDirectories(file.getParent());
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
