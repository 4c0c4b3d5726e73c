package dev.spindle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpindleDriverPluginTest {

    @Test
    void receive_keepsExecutorReports_andIgnoresOtherMessages() {
        SpindleDriverPlugin driver = new SpindleDriverPlugin();
        ExecutorReport sized = new ExecutorReport("1", "host-a", "4 cores (spark.executor.cores)", 4, 4,
                "ojAlgo 8 -> 1", false);
        ExecutorReport running = new ExecutorReport("2", "host-b", "4 cores (spark.executor.cores)", 4, 8,
                "none", true);
        assertNull(driver.receive(sized));
        assertNull(driver.receive("something else"));
        assertNull(driver.receive(running));
        assertEquals(List.of(sized, running), driver.reports());
        assertTrue(sized.sizedAsRequested());
        assertFalse(running.sizedAsRequested());
        assertTrue(running.toString().contains("8 workers (asked for 4"), running.toString());
    }
}
