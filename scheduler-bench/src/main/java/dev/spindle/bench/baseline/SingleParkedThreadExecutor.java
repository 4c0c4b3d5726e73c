package dev.spindle.bench.baseline;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor for the wake-up latency of any pool whose idle workers park: one thread that parks
 * until {@link #execute} hands it a task through a single slot and unparks it. No queue, no scan,
 * no sleep protocol; what is left is what the OS and the hypervisor take to run a parked thread
 * again. For {@link dev.spindle.bench.core.SubmitLatencyBenchmark} only: it holds one task at a time, and a second
 * {@code execute} before the first task has started is rejected rather than queued.
 */
public final class SingleParkedThreadExecutor extends AbstractExecutorService {

    private final AtomicReference<Runnable> slot = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean shutdown;
    private final long busyAfterTaskNanos;

    /** Starts the one (daemon) thread, parked until a task arrives. */
    public SingleParkedThreadExecutor() {
        this(0L);
    }

    /**
     * Starts the one (daemon) thread; after each task it stays busy (spinning) for
     * {@code busyAfterTaskNanos} before it parks again, as a pool's worker that looks for more
     * work would. For measuring what a woken thread's time awake costs the next wake-up.
     *
     * @throws IllegalArgumentException if {@code busyAfterTaskNanos} is negative
     */
    public SingleParkedThreadExecutor(long busyAfterTaskNanos) {
        if (busyAfterTaskNanos < 0) {
            throw new IllegalArgumentException("busyAfterTaskNanos must be >= 0, was " + busyAfterTaskNanos);
        }
        this.busyAfterTaskNanos = busyAfterTaskNanos;
        thread = new Thread(this::loop, "single-parked-thread");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (true) {
            // getAndSet is the thread's half of the handshake: a task set before it is taken here;
            // one set after it comes with an unpark, whose permit makes the park below return.
            Runnable task = slot.getAndSet(null);
            if (task != null) {
                try {
                    task.run();
                } catch (Throwable failure) {            // the thread lives on, as a pool's worker would
                    Thread.UncaughtExceptionHandler handler = thread.getUncaughtExceptionHandler();
                    handler.uncaughtException(thread, failure);
                }
                for (long end = System.nanoTime() + busyAfterTaskNanos; end - System.nanoTime() > 0; ) {
                    Thread.onSpinWait();
                }
            } else if (shutdown) {
                return;
            } else {
                LockSupport.park(this);
            }
        }
    }

    /**
     * Hands {@code command} to the thread and unparks it.
     *
     * @throws RejectedExecutionException after shutdown, or if the previous task has not started
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        if (!slot.compareAndSet(null, command)) {
            throw new RejectedExecutionException("the previous task has not started yet; this executor holds one");
        }
        if (shutdown && slot.compareAndSet(command, null)) {
            // Shut down while we queued: the thread may already have exited, so take it back.
            throw new RejectedExecutionException("shut down");
        }
        LockSupport.unpark(thread);
    }

    @Override
    public void shutdown() {
        shutdown = true;
        LockSupport.unpark(thread);
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        Runnable pending = slot.getAndSet(null);
        return pending == null ? List.of() : List.of(pending);
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && !thread.isAlive();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(Math.max(1, unit.toMillis(timeout)));
        return !thread.isAlive();
    }
}
