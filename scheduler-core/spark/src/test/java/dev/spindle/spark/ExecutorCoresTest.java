package dev.spindle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorCoresTest {

    private static final int PROCESSORS = 8;

    @Test
    void localMode_takesTheMastersThreadCount_overExecutorCores() {
        assertEquals(1, cores("local", null));
        assertEquals(3, cores("local[3]", "5"));
        assertEquals(PROCESSORS, cores("local[*]", null));
        assertEquals(2, cores("local[2, 4]", null));
        assertEquals(PROCESSORS, cores("local[*,3]", null));
    }

    @Test
    void clusterModes_takeExecutorCores_elseSparksDefault() {
        assertEquals(5, cores("spark://host:7077", "5"));
        assertEquals(5, cores("yarn", "5"));
        assertEquals(1, cores("yarn", null));
        assertEquals(1, cores("k8s://https://api:6443", null));
        assertEquals(PROCESSORS, cores("spark://host:7077", null));
        assertEquals(PROCESSORS, cores(null, null));
        assertEquals(2, cores("local-cluster[3, 2, 1024]", null));
        assertEquals(1, cores("local-cluster[3, 2, 1024]", "1"));
    }

    @Test
    void theSourceIsNamed() {
        assertTrue(resolve("local[3]", null).source().contains("local[3]"));
        assertEquals("spark.executor.cores", resolve("yarn", "4").source());
    }

    @Test
    void badCoreCounts_areRefusedWithTheKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve("yarn", "two"));
        assertEquals("spark.executor.cores must give a positive core count, was 'two'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> resolve("local[0]", null));
        assertEquals("spark.master must give a positive core count, was 'local[0]'", e.getMessage());
    }

    private static int cores(String master, String executorCores) {
        return resolve(master, executorCores).cores();
    }

    private static ExecutorCores resolve(String master, String executorCores) {
        Map<String, String> conf = new HashMap<>();
        conf.put("spark.master", master);
        conf.put("spark.executor.cores", executorCores);
        return ExecutorCores.resolve(conf::get, PROCESSORS);
    }
}
