package dev.spindle.spark;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The plugin's settings, read from the Spark configuration keys under {@code spark.spindle.*}.
 * A key that is set to something out of range is an {@link IllegalArgumentException} naming the
 * key and the value (the executor then fails to start, with that message), never a silent default.
 *
 * @param parallelism {@value #PARALLELISM}: the global scheduler's worker count; 0 (unset) means
 *     the executor's cores ({@link ExecutorCores})
 * @param libraryThreads {@value #LIBRARY_THREADS}: the thread count applied to every known
 *     library pool through {@code ThreadPools.limit} while the executor runs; default 1, 0 leaves
 *     them alone
 * @param taskCaps {@value #TASK_CAPS}: whether each running task gets an arena capped at its
 *     {@code TaskContext.cpus()} ({@link SpindleTask}); default false
 */
public record SpindleConfig(int parallelism, int libraryThreads, boolean taskCaps) {

    /** The key of {@link #parallelism()}. */
    public static final String PARALLELISM = "spark.spindle.parallelism";
    /** The key of {@link #libraryThreads()}. */
    public static final String LIBRARY_THREADS = "spark.spindle.libraryThreads";
    /** The key of {@link #taskCaps()}. */
    public static final String TASK_CAPS = "spark.spindle.taskCaps";

    /** The largest parallelism or library thread count accepted, Spindle's own largest parallelism. */
    public static final int MAX = 4_096;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if {@code parallelism} or {@code libraryThreads} is outside
     *     [0, {@value #MAX}]
     */
    public SpindleConfig {
        checkRange(PARALLELISM, parallelism);
        checkRange(LIBRARY_THREADS, libraryThreads);
    }

    /**
     * Reads the settings through {@code conf}, which returns a key's value or null when it is not
     * set ({@code key -> sparkConf.get(key, null)}).
     *
     * @throws IllegalArgumentException if a key is set to a value it does not accept (named with
     *     the value)
     */
    public static SpindleConfig from(Function<String, String> conf) {
        Objects.requireNonNull(conf, "conf");
        return new SpindleConfig(
                integer(conf, PARALLELISM, 0),
                integer(conf, LIBRARY_THREADS, 1),
                bool(conf, TASK_CAPS, false));
    }

    private static int integer(Function<String, String> conf, String key, int unset) {
        String text = conf.apply(key);
        if (text == null) {
            return unset;
        }
        try {
            return checkRange(key, Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer in [0, " + MAX + "], was '"
                    + text + "'", e);
        }
    }

    private static boolean bool(Function<String, String> conf, String key, boolean unset) {
        String text = conf.apply(key);
        if (text == null) {
            return unset;
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException(key + " must be true or false, was '" + text + "'");
        }
    }

    private static int checkRange(String key, int value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException(key + " must be an integer in [0, " + MAX + "], was " + value);
        }
        return value;
    }
}
