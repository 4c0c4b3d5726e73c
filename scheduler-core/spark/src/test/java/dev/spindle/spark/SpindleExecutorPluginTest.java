package dev.spindle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.spindle.core.Scheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.ojalgo.OjAlgoUtils;

/**
 * The executor part without Spark running: a context of our own. Runs in a JVM of its own
 * (surefire reuseForks=false): it sizes the global scheduler.
 */
class SpindleExecutorPluginTest {

    @Test
    void badSettings_failTheExecutorStart_beforeChangingAnything() {
        Object ojAlgo = OjAlgoUtils.ENVIRONMENT;
        FakeContext context = new FakeContext(new SparkConf(false).set(SpindleConfig.TASK_CAPS, "maybe"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SpindleExecutorPlugin().init(context, Map.of()));
        assertTrue(e.getMessage().contains("spark.spindle.taskCaps"), e.getMessage());
        assertTrue(context.registry.getMetrics().isEmpty());
        assertTrue(context.sent.isEmpty());
        assertSame(ojAlgo, OjAlgoUtils.ENVIRONMENT);
        assertNull(System.getProperty(SchedulerSizing.PARALLELISM_PROPERTY));

        FakeContext badCores = new FakeContext(new SparkConf(false).setMaster("yarn").set("spark.executor.cores", "0"));
        e = assertThrows(IllegalArgumentException.class, () -> new SpindleExecutorPlugin().init(badCores, Map.of()));
        assertTrue(e.getMessage().contains("spark.executor.cores"), e.getMessage());
    }

    @Test
    void init_sizesLimitsRegistersAndReports_shutdownRestores_andTheSchedulerSurvives() {
        Object ojAlgo = OjAlgoUtils.ENVIRONMENT;
        FakeContext context = new FakeContext(new SparkConf(false).setMaster("yarn")
                .set("spark.executor.cores", "3"));
        SpindleExecutorPlugin plugin = new SpindleExecutorPlugin();
        plugin.init(context, Map.of());

        assertEquals(3, Scheduler.global().parallelism());
        assertNull(System.getProperty(SchedulerSizing.PARALLELISM_PROPERTY), "property put back");
        assertNotSame(ojAlgo, OjAlgoUtils.ENVIRONMENT);
        assertEquals(1, OjAlgoUtils.ENVIRONMENT.threads);
        assertEquals(new TreeSet<>(Arrays.asList(SchedulerGauges.NAMES)), context.registry.getNames());
        assertEquals(3, ((Number) ((Gauge<?>) context.registry.getMetrics().get("parallelism")).getValue()).intValue());

        ExecutorReport report = plugin.report();
        assertEquals(List.of(report), context.sent);
        assertEquals("7", report.executorId());
        assertEquals(3, report.parallelism());
        assertTrue(report.sizedAsRequested());
        assertTrue(report.source().contains("spark.executor.cores"), report.source());
        assertTrue(report.libraryLimits().contains("ojAlgo"), report.libraryLimits());

        plugin.onTaskStart();                            // no task context here, caps off: nothing
        plugin.onTaskSucceeded();
        plugin.onTaskFailed(null);
        plugin.shutdown();
        plugin.shutdown();                               // idempotent
        assertSame(ojAlgo, OjAlgoUtils.ENVIRONMENT, "ojAlgo's setting put back");
        assertEquals(5, (int) Scheduler.global().invoke(() -> 5));

        SpindleExecutorPlugin again = new SpindleExecutorPlugin();
        FakeContext bigger = new FakeContext(new SparkConf(false).setMaster("yarn")
                .set(SpindleConfig.PARALLELISM, "5").set(SpindleConfig.LIBRARY_THREADS, "0"));
        again.init(bigger, Map.of());
        assertEquals(5, again.report().requested());
        assertEquals(3, again.report().parallelism(), "a running scheduler is not resized");
        assertTrue(again.report().toString().contains("asked for 5"), again.report().toString());
        assertEquals("none", again.report().libraryLimits());
        assertSame(ojAlgo, OjAlgoUtils.ENVIRONMENT, "libraryThreads=0 leaves libraries alone");
        again.shutdown();
    }

    @Test
    void anExecutorWithoutAnRpcAddress_starts_andReportsTheLocalHost() {
        // Spark 4.2's PluginContext.hostname() throws this in every executor JVM of a cluster.
        FakeContext context = new FakeContext(new SparkConf(false).setMaster("yarn").set("spark.executor.cores", "3")
                .set(SpindleConfig.LIBRARY_THREADS, "0"), () -> {
                    throw new NullPointerException("Cannot invoke \"org.apache.spark.rpc.RpcAddress.hostPort()\"");
                });
        SpindleExecutorPlugin plugin = new SpindleExecutorPlugin();
        plugin.init(context, Map.of());
        try {
            ExecutorReport report = plugin.report();
            assertEquals(List.of(report), context.sent);
            assertFalse(report.host().isEmpty());
            assertTrue(report.toString().contains(" on " + report.host() + ":"), report.toString());
        } finally {
            plugin.shutdown();
        }
    }

    /** A plugin context with its own conf and registry, remembering what was sent. */
    private static final class FakeContext implements PluginContext {
        final SparkConf conf;
        final Supplier<String> hostname;
        final MetricRegistry registry = new MetricRegistry();
        final List<Object> sent = new ArrayList<>();

        FakeContext(SparkConf conf) {
            this(conf, () -> "test-host");
        }

        FakeContext(SparkConf conf, Supplier<String> hostname) {
            this.conf = conf;
            this.hostname = hostname;
        }

        @Override
        public MetricRegistry metricRegistry() {
            return registry;
        }

        @Override
        public SparkConf conf() {
            return conf;
        }

        @Override
        public String executorID() {
            return "7";
        }

        @Override
        public String hostname() {
            return hostname.get();
        }

        @Override
        public Map<String, ResourceInformation> resources() {
            return Map.of();
        }

        @Override
        public void send(Object message) {
            sent.add(message);
        }

        @Override
        public Object ask(Object message) {
            throw new UnsupportedOperationException("the plugin never asks");
        }
    }
}
