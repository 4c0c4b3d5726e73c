package dev.spindle.spark;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many cores an executor has, and where the number came from, as Spark itself decides it:
 *
 * <ol>
 *   <li>local mode ({@code local}, {@code local[n]}, {@code local[*]}, {@code local[n, failures]}):
 *       the master's thread count, since the one executor runs that many tasks at once whatever
 *       {@code spark.executor.cores} says;</li>
 *   <li>otherwise {@code spark.executor.cores} when set;</li>
 *   <li>otherwise Spark's default for the cluster manager: the worker's cores per worker for
 *       {@code local-cluster[workers, cores, memory]}, 1 on YARN and Kubernetes, and every core of
 *       the machine elsewhere (standalone executors take all of their worker's cores).</li>
 * </ol>
 *
 * @param cores the executor's cores, at least 1
 * @param source where {@code cores} came from, for the executor's report
 */
public record ExecutorCores(int cores, String source) {

    private static final Pattern LOCAL_N = Pattern.compile("local\\[\\s*([0-9]+|\\*)\\s*(?:,\\s*[0-9]+\\s*)?]");
    private static final Pattern LOCAL_CLUSTER =
            Pattern.compile("local-cluster\\[\\s*[0-9]+\\s*,\\s*([0-9]+)\\s*,\\s*[0-9]+\\s*]");

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if {@code cores} is below 1
     * @throws NullPointerException if {@code source} is null
     */
    public ExecutorCores {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be at least 1, was " + cores + " (from " + source + ")");
        }
        Objects.requireNonNull(source, "source");
    }

    /**
     * The cores of the executor whose configuration {@code conf} reads (a key's value, or null when
     * unset), on a machine with {@code processors} processors.
     *
     * @throws IllegalArgumentException if {@code spark.executor.cores} or the master's thread count
     *     is not a positive integer (named with the value)
     */
    public static ExecutorCores resolve(Function<String, String> conf, int processors) {
        Objects.requireNonNull(conf, "conf");
        String master = conf.apply("spark.master");
        String trimmed = master == null ? "" : master.trim();
        if (trimmed.equals("local")) {
            return new ExecutorCores(1, "spark.master=local");
        }
        Matcher local = LOCAL_N.matcher(trimmed);
        if (local.matches()) {
            String threads = local.group(1);
            int cores = threads.equals("*") ? processors : positive("spark.master", trimmed, threads);
            return new ExecutorCores(cores, "spark.master=" + trimmed);
        }
        String executorCores = conf.apply("spark.executor.cores");
        if (executorCores != null) {
            return new ExecutorCores(positive("spark.executor.cores", executorCores, executorCores),
                    "spark.executor.cores");
        }
        Matcher cluster = LOCAL_CLUSTER.matcher(trimmed);
        if (cluster.matches()) {
            return new ExecutorCores(positive("spark.master", trimmed, cluster.group(1)),
                    "spark.master=" + trimmed + " (cores per worker)");
        }
        if (trimmed.equals("yarn") || trimmed.startsWith("k8s://")) {
            return new ExecutorCores(1, "Spark's default spark.executor.cores for " + trimmed);
        }
        return new ExecutorCores(processors, "Runtime.availableProcessors() (executor takes the worker's cores)");
    }

    private static int positive(String key, String value, String number) {
        int parsed;
        try {
            parsed = Integer.parseInt(number.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must give a positive core count, was '" + value + "'", e);
        }
        if (parsed < 1) {
            throw new IllegalArgumentException(key + " must give a positive core count, was '" + value + "'");
        }
        return parsed;
    }
}
