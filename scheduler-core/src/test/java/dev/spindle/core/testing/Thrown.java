package dev.spindle.core.testing;

import org.junit.jupiter.api.function.Executable;

/**
 * What a piece of code threw, as a value: for a task that must report a failure it caught (a
 * throwable thrown across {@code invoke} would reach the test already rethrown).
 */
public final class Thrown {

    private Thrown() {
    }

    /** Runs {@code code} and returns what it threw, or null if it returned normally. */
    public static Throwable by(Executable code) {
        try {
            code.execute();
            return null;
        } catch (Throwable thrown) {
            return thrown;
        }
    }
}
