package dev.spindle.bench.measure;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BenchmarkParamsTest {

    @Test
    void aListedValue_passes() {
        assertDoesNotThrow(() -> BenchmarkParams.requireOneOf("operation", "copy", "fill", "copy", "dot"));
        assertDoesNotThrow(() -> BenchmarkParams.requireOneOf("mode", "only", "only"));
    }

    @Test
    void anyOtherValue_isAnErrorNamingTheParameterTheChoicesAndTheValue() {
        assertEquals("budget must be none or named, was nome", assertThrows(IllegalArgumentException.class,
                () -> BenchmarkParams.requireOneOf("budget", "nome", "none", "named")).getMessage());
        assertEquals("operation must be fill, copy or dot, was null", assertThrows(IllegalArgumentException.class,
                () -> BenchmarkParams.requireOneOf("operation", null, "fill", "copy", "dot")).getMessage());
        assertEquals("mode must be only, was other", assertThrows(IllegalArgumentException.class,
                () -> BenchmarkParams.requireOneOf("mode", "other", "only")).getMessage());
    }
}
