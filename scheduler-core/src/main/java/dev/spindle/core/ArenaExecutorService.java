package dev.spindle.core;

import dev.spindle.core.internal.SubmissionGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Arena#asExecutorService()}: an arena seen as a fixed thread pool that starts no threads.
 *
 * <p>Lifecycle of its own: {@link #shutdown()} rejects new submissions through this executor and
 * lets accepted ones finish; {@link #shutdownNow()} cancels and returns the accepted tasks that
 * have not started. Every accepted task is either run or returned: a task is claimed exactly once,
 * by the worker that starts it or by {@code shutdownNow}, whichever removes it from the pending
 * set first. Termination is reached when shut down and every accepted task has finished or been
 * returned. Shutting this executor down does not affect the arena or the scheduler.
 */
final class ArenaExecutorService extends TaskExecutor {

    private final Arena arena;
    private final SubmissionGate gate = new SubmissionGate();
    /**
     * Accepted and not yet claimed: by the worker that starts it, by shutdownNow, or by a cancel.
     * Whoever removes a task from here owns its accounting; the value is its wrapper, so that
     * shutdownNow never depends on the task's state.
     */
    private final Map<Task<?>, Claimed<?>> pending = new ConcurrentHashMap<>();
    /** Accepted and not yet finished or returned. */
    private final AtomicLong unfinished = new AtomicLong();
    /** Completed on termination; waiting on it helps when the waiter is a worker. */
    private final Task<Void> terminated = Task.promise();

    ArenaExecutorService(Arena arena) {
        this.arena = arena;
    }

    /** The arena whose executor this is. */
    Arena arena() {
        return arena;
    }

    /** The user's work, claimed before it runs, counted out when it ends or is cancelled. */
    private final class Claimed<T> implements Callable<T>, Task.CancellationListener, ListenedTask.RunListener, DrainedWork {
        private final Callable<T> work;
        private final boolean reportsUncaught;
        private Task<T> task;                            // set before the task is published
        private boolean ran;                             // runner thread only

        Claimed(Callable<T> work, boolean reportsUncaught) {
            this.work = work;
            this.reportsUncaught = reportsUncaught;
        }

        @Override
        public T call() throws Exception {
            if (pending.remove(task) == null) {
                // shutdownNow returned it (or a cancel won): it must not run, and its future must
                // not say it completed
                task.cancel(false);
                return null;
            }
            ran = true;                                  // read by runEnded on this same thread
            try {
                return work.call();
            } catch (Throwable failure) {
                if (reportsUncaught) {
                    RunnableCallable.reportUncaught(failure);
                }
                throw failure;
            }
        }

        /**
         * Counted out only once the task's future is done: a caller that saw the executor
         * terminate finds every future it holds done. Not for a run that found the task
         * returned or cancelled (that one was counted out there).
         */
        @Override
        public void runEnded() {
            if (ran) {
                finishedOne();
            }
        }

        /**
         * The user's work, for the scheduler's {@code shutdownNow()}: this wrapper, run outside
         * the pool after its task was cancelled, would do nothing.
         */
        @Override
        public Runnable whenDrained() {
            return RunnableCallable.toRunnable(work);
        }

        @Override
        public void taskCancelled() {
            if (pending.remove(task) != null) {
                finishedOne();                           // cancelled before it started: never runs
            }
            tellWorkItWillNotRun();
        }

        /**
         * The wrapped work must hear that it will not run (an invokeAny task counts itself out),
         * however the task was cancelled: by this executor's shutdownNow, the scheduler's, or a
         * cancel. Such work copes with being told twice.
         */
        void tellWorkItWillNotRun() {
            if (work instanceof Task.CancellationListener) {
                ((Task.CancellationListener) work).taskCancelled();
            }
        }
    }

    private <T> Task<T> accept(Callable<T> work, boolean reportsUncaught) {
        if (!gate.enter()) {
            throw new RejectedExecutionException("executor of " + arena + " has been shut down");
        }
        try {
            Claimed<T> claimed = new Claimed<>(work, reportsUncaught);
            Worker worker = arena.pool().currentWorker();
            Task<T> task = new ListenedTask<>(claimed, arena.region(), claimed);
            claimed.task = task;
            unfinished.incrementAndGet();
            pending.put(task, claimed);
            try {
                if (worker != null) {
                    worker.push(task);                   // runs in the arena: entered, or forwarded
                } else {
                    arena.submitFromOutside(task);
                }
            } catch (RejectedExecutionException schedulerShutDown) {
                if (pending.remove(task) != null) {
                    task.cancel(false);
                    finishedOne();
                }
                throw schedulerShutDown;
            }
            return task;
        } finally {
            gate.exit();
            checkTermination();
        }
    }

    private void finishedOne() {
        if (unfinished.decrementAndGet() == 0) {
            checkTermination();
        }
    }

    private void checkTermination() {
        if (gate.isDrained() && unfinished.get() == 0) {
            terminated.complete(null);
        }
    }

    /**
     * @throws NullPointerException if {@code command} is null
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        accept(new RunnableCallable<>(command, null, false), true);
    }

    @Override
    public <T> Task<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return accept(task, false);
    }

    @Override
    public void shutdown() {
        gate.shutdown();
        checkTermination();
    }

    /**
     * Rejects new submissions, and cancels and returns the accepted tasks that have not started
     * (the user's {@code Runnable}, or a {@code Runnable} calling the {@code Callable}). Tasks
     * already running are not interrupted: they belong to shared workers.
     */
    @Override
    public List<Runnable> shutdownNow() {
        gate.stop();
        while (!gate.isDrained()) {
            Thread.onSpinWait();                         // submitters inside the gate: a few instructions
        }
        List<Runnable> neverRan = new ArrayList<>();
        for (Task<?> task : pending.keySet()) {
            Claimed<?> claimed = pending.remove(task);
            if (claimed != null) {                       // ours now: the worker will not run it
                task.cancel(false);                      // releases waiters; its listener finds nothing
                // Told here, not left to cancel(): a worker may have started the task (its call()
                // then finds it claimed and does not run the work), and a cancel that finds the
                // task started tells no listener (Task.CancellationListener).
                claimed.tellWorkItWillNotRun();
                neverRan.add(RunnableCallable.toRunnable(claimed.work));
                finishedOne();
            }
        }
        checkTermination();
        return neverRan;
    }

    @Override
    public boolean isShutdown() {
        return gate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return terminated.isDone();
    }

    /** Waits for termination; on a worker it helps run tasks while it waits. */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        try {
            terminated.get(timeout, unit);
            return true;
        } catch (TimeoutException notYet) {
            return false;
        } catch (ExecutionException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    boolean calledFromOwnTask() {
        Worker worker = arena.pool().currentWorker();
        return worker != null && worker.currentRegion() != null && worker.currentRegion().arena == arena.region().arena;
    }

    @Override
    public String toString() {
        String state = isTerminated() ? "terminated" : isShutdown() ? "shutting down" : "running";
        return "ArenaExecutorService[" + arena.name() + ", " + state + ", unfinished=" + unfinished.get()
                + ", not started=" + pending.size() + "]";
    }
}
