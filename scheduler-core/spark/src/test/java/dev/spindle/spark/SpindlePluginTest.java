package dev.spindle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Arena;
import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import java.lang.management.ManagementFactory;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.ojalgo.OjAlgoUtils;

/**
 * The plugin in a local-mode Spark context, one context for the class (Spark starts slowly). Runs
 * in a JVM of its own (surefire reuseForks=false): it asserts what the global scheduler was sized
 * to. In local mode the executor runs in this JVM, so task code and the test see the same statics.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpindlePluginTest {

    /** Not the machine's count, so that sizing by the plugin is visible. */
    private static final int CORES = Runtime.getRuntime().availableProcessors() + 1;

    private static JavaSparkContext spark;
    private static Object ojAlgoBefore;

    /** Task code and the test share these: local mode, one JVM. */
    private static final CountDownLatch BODIES_STARTED = new CountDownLatch(CORES);
    private static final CountDownLatch RELEASE_BODIES = new CountDownLatch(1);

    static SparkConf conf() {
        return new SparkConf()
                .setMaster("local[" + CORES + "]")
                .setAppName("SpindlePluginTest")
                .set("spark.plugins", SpindlePlugin.class.getName())
                .set(SpindleConfig.TASK_CAPS, "true")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.metrics.conf.*.sink.jmx.class", "org.apache.spark.metrics.sink.JmxSink");
    }

    @BeforeAll
    static void startSpark() {
        assertFalse(SpindleTask.arena().isPresent());
        ojAlgoBefore = OjAlgoUtils.ENVIRONMENT;
        spark = new JavaSparkContext(conf());
    }

    @AfterAll
    static void stopSpark() {
        RELEASE_BODIES.countDown();
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    @Order(1)
    void executorStart_sizesTheGlobalSchedulerToTheLocalMastersCores_andLimitsLibraries() {
        assertEquals(CORES, Scheduler.global().parallelism());
        assertEquals(1, OjAlgoUtils.ENVIRONMENT.threads, "ojAlgo limited to one thread");
        assertEquals(CORES, (int) spark.parallelize(List.of(1, 2, 3), 3)
                .map(i -> Scheduler.global().parallelism()).reduce(Math::max));
    }

    @Test
    @Order(2)
    void statistics_arePublishedInSparksMetricsSystem() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName parallelism = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (parallelism == null && System.nanoTime() < deadline) {
            Set<ObjectName> names = server.queryNames(new ObjectName("metrics:*"), null);
            for (ObjectName name : names) {
                if (name.toString().contains("plugin." + SpindlePlugin.class.getName() + ".parallelism")) {
                    parallelism = name;
                }
            }
            if (parallelism == null) {
                Thread.sleep(50);
            }
        }
        assertNotNull(parallelism, "no Spindle gauge among " + server.queryNames(new ObjectName("metrics:*"), null));
        assertEquals(CORES, ((Number) server.getAttribute(parallelism, "Value")).intValue());
        String name = parallelism.getKeyProperty("name");
        String prefix = name.substring(0, name.length() - "parallelism".length());
        for (String gauge : SchedulerGauges.NAMES) {
            Hashtable<String, String> properties = new Hashtable<>(parallelism.getKeyPropertyList());
            properties.put("name", prefix + gauge);
            assertNotNull(server.getAttribute(new ObjectName(parallelism.getDomain(), properties), "Value"), gauge);
        }
    }

    @Test
    @Order(3)
    void eachTask_runsItsKernelsInAnArenaCappedAtItsCpus() {
        List<String> results = spark.parallelize(IntStream.range(0, 4 * CORES).boxed().collect(Collectors.toList()), 4 * CORES)
                .map(i -> {
                    Arena arena = SpindleTask.arena().orElseThrow();
                    long sum = SpindleTask.call(() -> Parallel.reduce(0, 200_000, 0L, (lo, hi) -> {
                        long s = 0;
                        for (int k = lo; k < hi; k++) {
                            s += k;
                        }
                        return s;
                    }, Long::sum));
                    return arena.maxConcurrency() + " " + (arena.peakConcurrency() <= 1) + " " + sum;
                }).collect();
        for (String result : results) {
            assertEquals("1 true " + (200_000L * 199_999 / 2), result);
        }
        TaskArenas arenas = TaskArenas.on(Scheduler.global());
        assertTrue(arenas.created() <= CORES, "at most one arena per task slot, made " + arenas.created());
        awaitAllArenasIdle(arenas);
        assertFalse(SpindleTask.arena().isPresent(), "the driver's thread runs no task");
    }

    @Test
    @Order(4)
    void failingTasks_giveTheirArenasBack() {
        JavaRDD<Integer> failing = spark.parallelize(IntStream.range(0, CORES).boxed().collect(Collectors.toList()), CORES)
                .map(i -> SpindleTask.call(() -> {
                    throw new IllegalStateException("task " + i + " failed inside its arena");
                }));
        Exception e = assertThrows(Exception.class, failing::collect);
        assertTrue(String.valueOf(e.getMessage()).contains("failed inside its arena"), e.toString());
        TaskArenas arenas = TaskArenas.on(Scheduler.global());
        awaitAllArenasIdle(arenas);
        assertTrue(arenas.created() <= CORES, "made " + arenas.created());
    }

    @Test
    @Order(5)
    void killedTasks_endWhenTheirBodyReturns_andGiveTheirArenasBack() throws Exception {
        spark.setJobGroup("blocked", "tasks blocked in their arenas", true);
        JavaFutureAction<List<Integer>> job = spark
                .parallelize(IntStream.range(0, CORES).boxed().collect(Collectors.toList()), CORES)
                .map(i -> SpindleTask.call(() -> {
                    BODIES_STARTED.countDown();
                    RELEASE_BODIES.await();
                    return i;
                })).collectAsync();
        spark.clearJobGroup();
        assertTrue(BODIES_STARTED.await(30, TimeUnit.SECONDS), "every task entered its arena");
        spark.cancelJobGroup("blocked");
        RELEASE_BODIES.countDown();
        assertThrows(Exception.class, () -> job.get(30, TimeUnit.SECONDS));
        TaskArenas arenas = TaskArenas.on(Scheduler.global());
        awaitAllArenasIdle(arenas);
        assertTrue(arenas.created() <= CORES, "made " + arenas.created());
    }

    @Test
    @Order(6)
    void executorShutdown_restoresLimits_andTheSchedulerSurvives_forANextContext() {
        spark.stop();
        spark = null;
        assertSame(ojAlgoBefore, OjAlgoUtils.ENVIRONMENT, "ojAlgo's setting put back");
        assertEquals(CORES, Scheduler.global().parallelism());
        assertEquals(7, (int) Scheduler.global().invoke(() -> 7));
        assertEquals(3, (int) SpindleTask.call(() -> 3));

        int arenasBefore = TaskArenas.on(Scheduler.global()).created();
        spark = new JavaSparkContext(conf());
        assertEquals(1, OjAlgoUtils.ENVIRONMENT.threads, "limited again by the new executor");
        int sum = spark.parallelize(List.of(1, 2, 3, 4), 4)
                .map(i -> SpindleTask.call(() -> Parallel.reduce(0, i, 0, (lo, hi) -> hi - lo, Integer::sum)))
                .reduce(Integer::sum);
        assertEquals(10, sum);
        assertEquals(arenasBefore, TaskArenas.on(Scheduler.global()).created(), "arenas reused across contexts");
        spark.stop();
        spark = null;
        assertSame(ojAlgoBefore, OjAlgoUtils.ENVIRONMENT);
    }

    private static void awaitAllArenasIdle(TaskArenas arenas) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (arenas.idle() != arenas.created()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(arenas.idle() + " of " + arenas.created() + " arenas given back");
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
