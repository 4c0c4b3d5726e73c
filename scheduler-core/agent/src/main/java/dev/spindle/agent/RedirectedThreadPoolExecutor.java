package dev.spindle.agent;

import dev.spindle.core.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code Executors.newFixedThreadPool(n)} (and the cached, work-stealing and single-thread
 * pools) return under the agent: a {@link ThreadPoolExecutor}, so code that casts to it keeps
 * working, that starts no thread. Its tasks run on {@link Scheduler#global()}'s workers, at most
 * {@link #getMaximumPoolSize()} at once, in submission order (FIFO, as the queue of a fixed pool).
 *
 * <p>The cap is kept here, by admission, not by an {@code Arena}: a single-thread executor must run
 * its tasks one after another even when one blocks (an arena lends a blocked task's permit), and a
 * program that creates a pool per request and shuts it down must not leave an arena registered for
 * the life of the scheduler. A task that blocks holds its slot, as it holds a thread of the pool it
 * replaces; the scheduler gives the blocked worker a stand-in, so other work goes on.
 *
 * <p>The {@code ThreadPoolExecutor} machinery of the superclass is never used: its queue
 * ({@link #getQueue()}) is this executor's queue of tasks waiting for a slot, its thread factory is
 * kept but never called (no thread is created), and {@code prestartCoreThread} starts nothing.
 * Lifecycle, rejection (through {@link #getRejectedExecutionHandler()}), {@code shutdownNow} (which
 * interrupts running tasks and returns the waiting ones) and {@code awaitTermination} follow the
 * {@code ThreadPoolExecutor} contract.
 */
final class RedirectedThreadPoolExecutor extends ThreadPoolExecutor {

    private final Scheduler scheduler;
    private final String kind;
    /** What the factory's threads would have given a task: a context class loader, a handler. */
    private final ThreadFactoryProbe.Traits traits;
    private final LinkedBlockingQueue<Runnable> waiting;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    /** The monitor awaitTermination waits on. */
    private final Object lifecycle = new Object();
    /** Slots running a task now, for shutdownNow's interrupts. */
    private final Set<Slot> active = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;
    private volatile int largest;

    /**
     * @param cap the most tasks at once (core = max = cap for a fixed pool)
     * @param cached whether to look like a cached pool (core 0, max unbounded, 60 s keep-alive)
     */
    RedirectedThreadPoolExecutor(Scheduler scheduler, String kind, int cap, boolean cached, ThreadFactory factory,
            ThreadFactoryProbe.Traits traits) {
        this(scheduler, kind, cap, cached, factory, traits, new LinkedBlockingQueue<>());
    }

    private RedirectedThreadPoolExecutor(Scheduler scheduler, String kind, int cap, boolean cached,
            ThreadFactory factory, ThreadFactoryProbe.Traits traits, LinkedBlockingQueue<Runnable> queue) {
        super(cached ? 0 : cap, cap, cached ? 60L : 0L, cached ? TimeUnit.SECONDS : TimeUnit.MILLISECONDS, queue,
                factory);
        this.scheduler = scheduler;
        this.kind = kind;
        this.traits = traits;
        this.waiting = queue;
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        if (shutdown) {
            getRejectedExecutionHandler().rejectedExecution(command, this);
            return;
        }
        submitted.incrementAndGet();
        waiting.add(command);
        if (shutdown && waiting.remove(command)) {      // raced with shutdownNow's drain
            submitted.decrementAndGet();
            getRejectedExecutionHandler().rejectedExecution(command, this);
            return;
        }
        startWaiting();
    }

    /**
     * Starts waiting tasks while a slot is free. Any thread. A task added after another thread saw
     * the queue empty is started by this call or by the next slot's end: both add or release a slot
     * and then look at the queue, so none is left waiting with a slot free.
     */
    private void startWaiting() {
        while (!waiting.isEmpty()) {
            int now = running.get();
            if (now >= getMaximumPoolSize()) {
                return;                                  // a running slot starts the next one at its end
            }
            if (!running.compareAndSet(now, now + 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                running.decrementAndGet();              // another thread took it; look again
                continue;
            }
            if (now + 1 > largest) {
                largest = now + 1;                       // a statistic: a lost update only lowers it
            }
            try {
                Slot slot = new Slot(next);
                scheduler.execute(slot);
                StarvationGuard.watch(slot);
            } catch (RuntimeException rejected) {        // the scheduler is shut down (JVM exit)
                running.decrementAndGet();
                signalIfTerminated();
                getRejectedExecutionHandler().rejectedExecution(next, this);
            }
        }
    }

    /**
     * Runs one task in one slot, then gives the slot back and starts the next waiting task. Started
     * by a Spindle worker, or by {@link StarvationGuard} on a thread of its own when no worker can
     * take it; the claim decides which.
     */
    private final class Slot implements Runnable, StarvationGuard.Claim {
        private final Runnable task;
        private final long queuedAt = System.nanoTime();
        private final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        /** The thread running the task, while it runs. Guarded by this slot's monitor. */
        private Thread runner;

        Slot(Runnable task) {
            this.task = task;
        }

        @Override
        public boolean claim() {
            return !claimed.get() && claimed.compareAndSet(false, true);
        }

        @Override
        public boolean claimed() {
            return claimed.get();
        }

        @Override
        public long queuedAtNanos() {
            return queuedAt;
        }

        @Override
        public void startOnOwnThread() {
            Thread thread;
            try {
                thread = getThreadFactory().newThread(this::runClaimed);
            } catch (RuntimeException factoryFailed) {
                thread = null;
            }
            if (thread == null) {
                thread = new Thread(this::runClaimed, "spindle-agent-overflow");
            }
            thread.start();
        }

        @Override
        public void run() {
            if (claim()) {                               // else the guard gave it a thread
                runClaimed();
            }
        }

        private void runClaimed() {
            active.add(this);
            synchronized (this) {                        // contended only by shutdownNow
                runner = Thread.currentThread();
            }
            if (shutdownNowCalled) {
                interrupt();                             // as a pool thread would be
            }
            Thread self = Thread.currentThread();
            ClassLoader workerLoader = self.getContextClassLoader();
            boolean swapLoader = workerLoader != traits.contextClassLoader;
            if (swapLoader) {
                self.setContextClassLoader(traits.contextClassLoader);
            }
            try {
                task.run();
            } catch (RuntimeException | Error failure) {
                if (traits.handler == null) {
                    throw failure;                       // to the worker's handler, as Scheduler.execute's
                }
                traits.handler.uncaughtException(self, failure); // where the factory's thread sent it
            } finally {
                if (swapLoader) {
                    self.setContextClassLoader(workerLoader);
                }
                synchronized (this) {
                    runner = null;                       // no interrupt lands after the task ended
                }
                active.remove(this);
                completed.incrementAndGet();
                running.decrementAndGet();
                startWaiting();
                signalIfTerminated();
            }
        }

        synchronized void interrupt() {
            if (runner != null) {
                runner.interrupt();
            }
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }

    private volatile boolean shutdownNowCalled;

    @Override
    public void shutdown() {
        shutdown = true;
        signalIfTerminated();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        shutdownNowCalled = true;
        List<Runnable> drained = new ArrayList<>();
        waiting.drainTo(drained);
        for (Slot slot : active) {
            slot.interrupt();
        }
        signalIfTerminated();
        return drained;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminating() {
        return shutdown && !isTerminated();
    }

    @Override
    public boolean isTerminated() {
        return shutdown && running.get() == 0 && waiting.isEmpty();
    }

    private void signalIfTerminated() {
        if (isTerminated()) {
            synchronized (lifecycle) {
                lifecycle.notifyAll();
            }
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lifecycle) {
            while (!isTerminated()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lifecycle, left);
            }
            return true;
        }
    }

    /** Futures whose {@code get()} helps on a Spindle worker ({@link HelpingFutureTask}). */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new HelpingFutureTask<>(callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new HelpingFutureTask<>(runnable, value);
    }

    @Override
    public boolean prestartCoreThread() {
        return false;
    }

    @Override
    public int prestartAllCoreThreads() {
        return 0;
    }

    @Override
    public void setMaximumPoolSize(int maximumPoolSize) {
        super.setMaximumPoolSize(maximumPoolSize);       // validates, as ThreadPoolExecutor does
        startWaiting();                                  // a larger cap starts waiting tasks now
    }

    @Override
    public void setCorePoolSize(int corePoolSize) {
        if (corePoolSize > getMaximumPoolSize()) {
            super.setMaximumPoolSize(corePoolSize);      // a fixed pool grown through its core size
        }
        super.setCorePoolSize(corePoolSize);
        startWaiting();
    }

    @Override
    public boolean remove(Runnable task) {
        return waiting.remove(task);
    }

    @Override
    public void purge() {
        waiting.removeIf(task -> task instanceof Future && ((Future<?>) task).isCancelled());
    }

    /** The tasks running now (there are no threads of its own to count). */
    @Override
    public int getPoolSize() {
        return running.get();
    }

    @Override
    public int getActiveCount() {
        return running.get();
    }

    @Override
    public int getLargestPoolSize() {
        return largest;
    }

    @Override
    public long getTaskCount() {
        return submitted.get();
    }

    @Override
    public long getCompletedTaskCount() {
        return completed.get();
    }

    /** What kind of pool this replaces ({@code newFixedThreadPool(4)}, ...), for the report. */
    String kind() {
        return kind;
    }

    @Override
    public String toString() {
        return "RedirectedThreadPoolExecutor[" + kind + " on " + scheduler.name() + ", running=" + running.get()
                + ", waiting=" + waiting.size() + ", completed=" + completed.get()
                + (shutdown ? (isTerminated() ? ", terminated" : ", shutting down") : "") + "]";
    }
}
