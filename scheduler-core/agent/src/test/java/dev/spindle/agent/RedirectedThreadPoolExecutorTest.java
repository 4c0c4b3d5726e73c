package dev.spindle.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Scheduler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only the agent's pool does, in one JVM without the agent: its cap holds under concurrent
 * submissions. The {@code ExecutorService} contract, with the shutdown race, is in
 * {@link RedirectedThreadPoolExecutorContractTest}.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedirectedThreadPoolExecutorTest {

    private static RedirectedThreadPoolExecutor pool(Scheduler scheduler, int cap) {
        return new RedirectedThreadPoolExecutor(scheduler, "test(" + cap + ")", cap, false,
                Executors.defaultThreadFactory(),
                new ThreadFactoryProbe.Traits(null, Thread.currentThread().getContextClassLoader()));
    }

    @Test
    void theCapHoldsUnderConcurrentSubmissions() throws Exception {
        try (Scheduler scheduler = Scheduler.builder().parallelism(4).name("rtpe-cap").build()) {
            RedirectedThreadPoolExecutor pool = pool(scheduler, 3);
            AtomicInteger now = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(400);
            for (int i = 0; i < 400; i++) {
                pool.execute(() -> {
                    peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000));
                    now.decrementAndGet();
                    done.countDown();
                });
            }
            assertTrue(done.await(60, TimeUnit.SECONDS));
            assertTrue(peak.get() <= 3, "peak " + peak.get());
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            // Read after termination: a slot counts its task after the task's body returns, so
            // after done.await the last task may not be counted yet; termination waits for it.
            assertEquals(400, pool.getCompletedTaskCount());
        }
    }
}
