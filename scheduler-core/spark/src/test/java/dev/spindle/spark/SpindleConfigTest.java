package dev.spindle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SpindleConfigTest {

    @Test
    void unsetKeys_giveTheDefaults() {
        SpindleConfig config = SpindleConfig.from(Map.<String, String>of()::get);
        assertEquals(0, config.parallelism());
        assertEquals(1, config.libraryThreads());
        assertFalse(config.taskCaps());
    }

    @Test
    void setKeys_areRead() {
        SpindleConfig config = SpindleConfig.from(Map.of(SpindleConfig.PARALLELISM, " 6",
                SpindleConfig.LIBRARY_THREADS, "0", SpindleConfig.TASK_CAPS, "TRUE")::get);
        assertEquals(6, config.parallelism());
        assertEquals(0, config.libraryThreads());
        assertTrue(config.taskCaps());
    }

    @Test
    void badValues_areRefusedWithTheKeyAndValue() {
        assertMessage(SpindleConfig.PARALLELISM, "four", "spark.spindle.parallelism must be an integer in [0, 4096], was 'four'");
        assertMessage(SpindleConfig.PARALLELISM, "-1", "spark.spindle.parallelism must be an integer in [0, 4096], was -1");
        assertMessage(SpindleConfig.LIBRARY_THREADS, "5000", "spark.spindle.libraryThreads must be an integer in [0, 4096], was 5000");
        assertMessage(SpindleConfig.TASK_CAPS, "yes", "spark.spindle.taskCaps must be true or false, was 'yes'");
    }

    private static void assertMessage(String key, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpindleConfig.from(Map.of(key, value)::get));
        assertEquals(message, e.getMessage());
    }
}
