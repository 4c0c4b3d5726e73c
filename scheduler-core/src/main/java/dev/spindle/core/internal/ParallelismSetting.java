package dev.spindle.core.internal;

import java.util.function.Function;

/**
 * Decides how many workers a scheduler gets, and says where the number came from.
 *
 * <p>Order: the builder; the system property {@value #PROPERTY}; the environment variable
 * {@value #ENVIRONMENT}; {@link Runtime#availableProcessors()} (which honours container CPU
 * limits and {@code -XX:ActiveProcessorCount}). The first source that is set wins; a set value
 * that is not an integer in [1, {@link #MAX}] is an {@link IllegalArgumentException} naming the
 * source and the value, never a silent fallback to the next source.
 *
 * <p>{@link #MAX} is 4096: eight times the hardware threads of the largest servers, and as many
 * as a scheduler serves well, since an idle worker's scan and a wake-up walk every worker
 * ({@code docs/design/configuration.md}, "Why at most 4096 workers", has the measurement). A larger
 * value is refused with a message, not accepted and slow.
 *
 * @param parallelism the number of workers
 * @param source where it came from, for messages and stats
 */
public record ParallelismSetting(int parallelism, String source) {

    /** The system property that sets the parallelism. */
    public static final String PROPERTY = "spindle.parallelism";
    /** The environment variable that sets the parallelism. */
    public static final String ENVIRONMENT = "SPINDLE_NUM_THREADS";
    /** The largest parallelism accepted. */
    public static final int MAX = 4_096;

    /** Resolves from the live system properties and environment. */
    public static ParallelismSetting resolve(Integer fromBuilder) {
        return resolve(fromBuilder, System::getProperty, System::getenv,
                Runtime.getRuntime().availableProcessors());
    }

    /** Resolves from the given sources; the seam the tests use. */
    public static ParallelismSetting resolve(Integer fromBuilder, Function<String, String> properties,
                                             Function<String, String> environment, int processors) {
        if (fromBuilder != null) {
            return new ParallelismSetting(check(fromBuilder, "Scheduler.Builder.parallelism"), "builder");
        }
        String property = properties.apply(PROPERTY);
        if (property != null) {
            String source = "system property " + PROPERTY;
            return new ParallelismSetting(parse(property, source), source);
        }
        String environmentValue = environment.apply(ENVIRONMENT);
        if (environmentValue != null) {
            String source = "environment variable " + ENVIRONMENT;
            return new ParallelismSetting(parse(environmentValue, source), source);
        }
        return new ParallelismSetting(check(processors, "Runtime.availableProcessors()"),
                "Runtime.availableProcessors()");
    }

    private static int parse(String text, String source) {
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " must be an integer in [1, " + MAX
                    + "], was '" + text + "'", e);
        }
        return check(value, source);
    }

    private static int check(int value, String source) {
        if (value < 1 || value > MAX) {
            throw new IllegalArgumentException(source + " must be an integer in [1, " + MAX
                    + "], was " + value);
        }
        return value;
    }
}
