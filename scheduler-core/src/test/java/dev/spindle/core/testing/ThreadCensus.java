package dev.spindle.core.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Samples, from its own thread every 200 µs, how many live threads have a name that counts, and
 * keeps the most seen at once and every name seen. For tests that bound a pool's threads.
 */
public final class ThreadCensus implements AutoCloseable {

    private final Predicate<String> counted;
    private final AtomicInteger most = new AtomicInteger();
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final Thread sampler;
    private volatile boolean stop;

    public ThreadCensus(Predicate<String> counted) {
        this.counted = counted;
        sample();
        sampler = new Thread(() -> {
            while (!stop) {
                sample();
                LockSupport.parkNanos(200_000);
            }
        }, "thread-census");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** A census of the threads whose names start with {@code prefix}. */
    public static ThreadCensus withPrefix(String prefix) {
        return new ThreadCensus(name -> name.startsWith(prefix));
    }

    private void sample() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() * 2 + 16];
        int count = root.enumerate(all, true);
        int live = 0;
        for (int i = 0; i < count; i++) {
            if (all[i].isAlive() && counted.test(all[i].getName())) {
                live++;
                names.add(all[i].getName());
            }
        }
        most.accumulateAndGet(live, Math::max);
    }

    /** The most live counted threads seen at once. */
    public int most() {
        return most.get();
    }

    /** Every counted name seen. */
    public Set<String> names() {
        return names;
    }

    /** Stops sampling, after one last sample. Idempotent. */
    public void stop() {
        if (!stop) {
            stop = true;
            try {
                sampler.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sample();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
