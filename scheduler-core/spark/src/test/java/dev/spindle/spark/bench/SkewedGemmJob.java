package dev.spindle.spark.bench;

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
    record Settings(int cores, int n, int smallPartitions, int smallProducts, int largePartitions,
                    int largeProducts, int balancedPartitions, int balancedProducts, int warmups,
                    int repeats, long sampleMillis) {

        /**
         * The measured form. On two cores a 1024 × 1024 product takes some tens of milliseconds, so
         * a stage computes for about two seconds: long against Spark's per-task overhead.
         */
        static Settings full() {
            int cores = integer("cores", Runtime.getRuntime().availableProcessors());
            return new Settings(cores,
                    integer("n", 1024),
                    integer("smallPartitions", 7 * cores), integer("smallProducts", 4),
                    integer("largePartitions", 1), integer("largeProducts", 24),
                    integer("balancedPartitions", 4 * cores), integer("balancedProducts", 10),
                    integer("warmups", 1), integer("repeats", 5), integer("sampleMillis", 5));
        }

        /** The form every build runs: proves the harness works, measures nothing. */
        static Settings smoke() {
            return new Settings(2, 96, 4, 1, 1, 3, 4, 1, 0, 1, 5);
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

    private SkewedGemmJob() {
    }

    /** Runs the full form and prints the table. */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.full();
        double scaling = gemmScaling(settings);
        System.out.println(table(settings, scaling, run(settings)));
    }

    /**
     * How much more GEMM throughput {@code cores} threads get than one: each thread runs serial
     * products of the job's size, once alone and once all together. The plugin can only speed up
     * the straggler if this is well above 1; where the "cores" share one physical core's
     * floating-point units (SMT siblings, some virtual machines) it is about 1 and no threading of
     * the kernels can help.
     */
    static double gemmScaling(Settings settings) throws InterruptedException {
        int products = 3;
        gemmThreads(1, products, settings.n());                 // warm-up: JIT and the kernel choice
        long alone = gemmThreads(1, products, settings.n());
        long together = gemmThreads(settings.cores(), products, settings.n());
        return settings.cores() * (double) alone / together;
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
        SparkConf conf = new SparkConf()
                .setMaster("local[" + settings.cores() + "]")
                .setAppName("SkewedGemmJob")
                .set("spark.plugins", SpindlePlugin.class.getName())
                .set(SpindleConfig.TASK_CAPS, "true")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
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
            rows.addAll(runJob(spark, "skewed", settings.skewedShape(), settings, stageMillis));
            rows.addAll(runJob(spark, "balanced", settings.balancedShape(), settings, stageMillis));
        } finally {
            GemmWork.closeOwnPools();
        }
        return rows;
    }

    private static List<Row> runJob(JavaSparkContext spark, String job, List<Integer> shape, Settings settings,
                                    BlockingQueue<Long> stageMillis) throws Exception {
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
                ThreadSampler sampler = new ThreadSampler(settings.sampleMillis());
                stageMillis.clear();
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
                if (round < 0) {
                    continue;
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
        out.append(String.format(Locale.ROOT, "GEMM throughput of %d threads together: %.2f x one thread's%n",
                settings.cores(), gemmScaling));
        out.append(String.format(Locale.ROOT, "Spark local[%d], n = %d; skewed: %d partitions x %d products, then %d x %d;"
                        + " balanced: %d x %d; median of %d runs after %d warm-up%n%n",
                settings.cores(), settings.n(), settings.smallPartitions(), settings.smallProducts(),
                settings.largePartitions(), settings.largeProducts(), settings.balancedPartitions(),
                settings.balancedProducts(), settings.repeats(), settings.warmups()));
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

    /** Writes the table to {@code target/spark-bench/skewed-gemm.md} (relative to the working directory). */
    static Path write(String table) throws IOException {
        Path file = Paths.get("target", "spark-bench", "skewed-gemm.md");
        Files.createDirectories(file.getParent());
        Files.write(file, table.getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
