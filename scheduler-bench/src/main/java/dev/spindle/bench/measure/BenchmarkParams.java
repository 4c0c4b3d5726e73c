package dev.spindle.bench.measure;

import java.util.Arrays;

/**
 * Checks of a benchmark's string {@code @Param} values, so that a value given with {@code -p} that
 * no code path handles fails the trial at set-up, naming the parameter and its value, instead of
 * measuring a default branch.
 *
 * <p>Any thread may call; the methods are pure.
 */
public final class BenchmarkParams {

    private BenchmarkParams() {
    }

    /**
     * Returns normally when {@code value} is one of {@code allowed}.
     *
     * @throws IllegalArgumentException otherwise, e.g. "budget must be none or named, was nome"
     */
    public static void requireOneOf(String name, String value, String... allowed) {
        if (Arrays.asList(allowed).contains(value)) {
            return;
        }
        int last = allowed.length - 1;
        String choices = last == 0 ? allowed[0]
                : String.join(", ", Arrays.copyOf(allowed, last)) + " or " + allowed[last];
        throw new IllegalArgumentException(name + " must be " + choices + ", was " + value);
    }
}
