package dev.spindle.core;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JMX view read through the platform MBean server; per-arena figures from the public API. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadOnlySchedulerMBeanTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Test
    void aBuiltScheduler_isReadableThroughThePlatformServer_withItsArenas_andGoneAfterShutdown() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        Arena arena = Arena.builder().scheduler(scheduler).maxConcurrency(1).name("jmx-arena").build();
        assertEquals(3, arena.execute(() -> 3));
        scheduler.submit(() -> 1).get(10, TimeUnit.SECONDS);
        ObjectName name = scheduler.mbeanName().orElseThrow();
        assertEquals(new ObjectName("dev.spindle:type=Scheduler,name=" + scheduler.name()), name);
        assertEquals(2, server.getAttribute(name, "Parallelism"));
        assertEquals(scheduler.name(), server.getAttribute(name, "Name"));
        // A worker counts a task after its body returns, so the count may trail the results just
        // read: wait for it (bounded) rather than read it once.
        assertTrue(BoundedWait.until(() -> tasksExecuted(name) >= 2, 10_000),
                () -> "TasksExecuted stayed at " + tasksExecuted(name) + " after two tasks completed");
        assertEquals(0, server.getAttribute(name, "BlockedWorkers"));
        CompositeData[] arenas = (CompositeData[]) server.getAttribute(name, "Arenas");
        assertEquals(1, arenas.length);
        assertEquals("jmx-arena", arenas[0].get("name"));
        assertEquals(1, arenas[0].get("maxConcurrency"));
        assertEquals(1, arenas[0].get("peakConcurrency"));
        scheduler.shutdown();
        assertFalse(server.isRegistered(name));
        assertEquals(Optional.empty(), scheduler.mbeanName());
    }

    @Test
    void theView_isReadOnly_noWritableAttributeAndNoOperation() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(1);
        ObjectName name = scheduler.mbeanName().orElseThrow();
        assertEquals(0, server.getMBeanInfo(name).getOperations().length);
        for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
            assertFalse(attribute.isWritable(), attribute.getName());
        }
        assertThrows(Exception.class, () -> server.setAttribute(name, new Attribute("Parallelism", 8)));
        assertThrows(Exception.class, () -> server.invoke(name, "shutdown", new Object[0], new String[0]));
        assertFalse(scheduler.isShutdown());
    }

    @Test
    void twoSchedulersOfOneName_bothBuild_andGetDistinctNames() {
        Scheduler first = hygiene.track(Scheduler.builder().parallelism(1).name("jmx-same").build());
        Scheduler second = hygiene.track(Scheduler.builder().parallelism(1).name("jmx-same").build());
        ObjectName a = first.mbeanName().orElseThrow();
        ObjectName b = second.mbeanName().orElseThrow();
        assertNotEquals(a, b);
        assertEquals("2", b.getKeyProperty("instance"));
        assertTrue(server.isRegistered(a) && server.isRegistered(b));
        // Both closed here: the hygiene check looks for live threads by name, which the two share.
        first.close();
        second.close();
        assertFalse(server.isRegistered(a) || server.isRegistered(b));
    }

    @Test
    void arenaStats_areReachableFromTheArenaItsExecutorAndTheScheduler() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        Arena arena = Arena.builder().scheduler(scheduler).maxConcurrency(1).name("stats-arena").build();
        ExecutorService executor = arena.asExecutorService();
        executor.submit(() -> 1).get(10, TimeUnit.SECONDS);
        ArenaStats stats = Arena.statsOf(executor).orElseThrow();
        assertEquals("stats-arena", stats.name());
        assertEquals(1, stats.maxConcurrency());
        assertEquals(1, stats.peakConcurrency());
        assertEquals(0, stats.queued());
        assertEquals(Arena.Priority.NORMAL, stats.priority());
        assertEquals("stats-arena", scheduler.arenaStats().get(0).name());
        assertEquals(Optional.empty(), Arena.statsOf(scheduler));
        ExecutorService plain = Executors.newSingleThreadExecutor();
        try {
            assertEquals(Optional.empty(), Arena.statsOf(plain));
        } finally {
            plain.shutdownNow();
        }
        assertThrows(NullPointerException.class, () -> Arena.statsOf(null));
    }

    /** The view's TasksExecuted attribute, read through the platform server. */
    private long tasksExecuted(ObjectName name) {
        try {
            return (Long) server.getAttribute(name, "TasksExecuted");
        } catch (javax.management.JMException notReadable) {
            throw new AssertionError("TasksExecuted not readable through the platform server", notReadable);
        }
    }
}
