package dev.spindle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.core.Arena;
import dev.spindle.core.Scheduler;
import org.junit.jupiter.api.Test;

class TaskArenasTest {

    @Test
    void arenas_areReusedPerCap_andCreatedOnlyForTasksRunningAtOnce() {
        try (Scheduler scheduler = Scheduler.builder().parallelism(2).name("task-arenas").build()) {
            TaskArenas arenas = TaskArenas.on(scheduler);
            assertSame(arenas, TaskArenas.on(scheduler));

            Arena one = arenas.acquire(1);
            Arena other = arenas.acquire(1);
            Arena two = arenas.acquire(2);
            assertNotSame(one, other);
            assertEquals(1, one.maxConcurrency());
            assertEquals(2, two.maxConcurrency());
            assertSame(scheduler, two.scheduler());
            assertEquals(3, arenas.created());
            assertEquals(0, arenas.idle());

            arenas.release(one);
            arenas.release(two);
            assertEquals(2, arenas.idle());
            assertSame(one, arenas.acquire(1), "a free arena with the same cap is reused");
            assertSame(two, arenas.acquire(2));
            assertEquals(3, arenas.created());
        }
    }

    @Test
    void badCaps_areRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskArenas.on(Scheduler.global()).acquire(0));
        assertEquals("cpus must be at least 1, was 0", e.getMessage());
    }
}
