package dev.spindle.core.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the test once per parallelism, 1, 2 and 4 (4 oversubscribes a 2-core machine on purpose);
 * the test method takes the parallelism as its {@code int} parameter.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "parallelism {0}")
@ValueSource(ints = {1, 2, 4})
public @interface ForEachParallelism {
}
