package dev.spindle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Scheduler;
import org.junit.jupiter.api.Test;

/** Runs in a JVM of its own (surefire reuseForks=false): it creates the global scheduler. */
class SchedulerSizingTest {

    @Test
    void sizesTheGlobalSchedulerOnce_thenReportsTheRunningOne_andLeavesThePropertyAlone() {
        assertNull(System.getProperty(SchedulerSizing.PARALLELISM_PROPERTY));
        int wanted = Runtime.getRuntime().availableProcessors() + 1;

        SchedulerSizing first = SchedulerSizing.global(wanted);
        assertEquals(new SchedulerSizing(wanted, wanted), first);
        assertTrue(first.asRequested());
        assertEquals(wanted, Scheduler.global().parallelism());
        assertNull(System.getProperty(SchedulerSizing.PARALLELISM_PROPERTY), "property put back");
        assertEquals(42, (int) Scheduler.global().invoke(() -> 42));

        System.setProperty(SchedulerSizing.PARALLELISM_PROPERTY, "7");
        try {
            SchedulerSizing second = SchedulerSizing.global(wanted + 1);
            assertFalse(second.asRequested(), "a running scheduler is never resized");
            assertEquals(wanted, second.parallelism());
            assertEquals("7", System.getProperty(SchedulerSizing.PARALLELISM_PROPERTY), "property put back");
        } finally {
            System.clearProperty(SchedulerSizing.PARALLELISM_PROPERTY);
        }
    }

    @Test
    void badWorkerCounts_areRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchedulerSizing.global(0));
        assertEquals("workers must be in [1, 4096], was 0", e.getMessage());
    }
}
