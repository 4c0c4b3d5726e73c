package dev.spindle.core;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A structured group of tasks: {@link #close()} waits until every task spawned in the group has
 * finished, so no task outlives the block that opened the group.
 *
 * <pre>{@code
 * try (TaskGroup group = TaskGroup.open()) {
 *     for (Part part : parts) {
 *         group.spawn(() -> process(part));
 *     }
 * }   // waits (and helps) here; rethrows the first failure
 * }</pre>
 *
 * <p><b>Failures.</b> The first exception thrown by a task is rethrown by {@link #close()}, with
 * later ones added to it as suppressed. By default ({@link FailurePolicy#CANCEL_PENDING}) the
 * first failure also cancels the group.
 *
 * <p><b>Cancellation.</b> After {@link #cancel()}, tasks that have not started never start, tasks
 * already running can see {@link #isCancelled()} and stop early, and {@code spawn} starts nothing.
 * Groups nest: a group opened inside a task of another group is its child, and cancelling a group
 * cancels its children. Only the group's own tasks count: a task that a worker runs while it helps
 * inside a member's wait belongs to no group of that member's.
 *
 * <p><b>Visibility.</b> Everything the group's tasks did happens-before {@link #close()} returns.
 *
 * <p>{@code spawn} may be called from any thread until {@code close()} starts, and from the
 * group's own tasks until it ends. {@code cancel} and {@code isCancelled} may be called from any
 * thread.
 */
public final class TaskGroup implements AutoCloseable {

    /** What the first failure of a task does to the rest of its group. */
    public enum FailurePolicy {
        /** Cancel the group: pending tasks never start (the default). */
        CANCEL_PENDING,
        /** Let every other task run; {@code close()} still rethrows the first failure. */
        RUN_ALL
    }

    private final Scheduler scheduler;
    private final FailurePolicy failurePolicy;
    private final TaskGroup parent;
    private final ConcurrentLinkedQueue<Task<Void>> tasks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<TaskGroup> children = new ConcurrentLinkedQueue<>();
    private final Object failureLock = new Object();
    private Throwable firstFailure;                      // guarded by failureLock
    private volatile boolean cancelled;
    private volatile boolean closing;
    /** Calls of {@link #spawn} in progress; {@link #close()} waits for them before it returns. */
    private final java.util.concurrent.atomic.AtomicInteger spawning = new java.util.concurrent.atomic.AtomicInteger();

    private TaskGroup(Scheduler scheduler, FailurePolicy failurePolicy) {
        this.scheduler = scheduler;
        this.failurePolicy = failurePolicy;
        this.parent = current(scheduler.pool());
        if (parent != null) {
            parent.children.add(this);
            if (parent.cancelled) {
                cancelled = true;
            }
        }
    }

    /** Opens a group on {@link Scheduler#global()} that cancels itself on the first failure. */
    public static TaskGroup open() {
        return open(Scheduler.global());
    }

    /**
     * Opens a group whose tasks run on {@code scheduler}, cancelling itself on the first failure.
     *
     * @throws NullPointerException if {@code scheduler} is null
     */
    public static TaskGroup open(Scheduler scheduler) {
        return open(scheduler, FailurePolicy.CANCEL_PENDING);
    }

    /**
     * Opens a group whose tasks run on {@code scheduler}, with the given failure policy.
     *
     * @throws NullPointerException if an argument is null
     */
    public static TaskGroup open(Scheduler scheduler, FailurePolicy failurePolicy) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(failurePolicy, "failurePolicy");
        return new TaskGroup(scheduler, failurePolicy);
    }

    /**
     * Starts {@code task} in the group. Does nothing if the group is cancelled.
     *
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if {@code close()} has started and the caller is not one of the
     *     group's own tasks
     * @throws RejectedExecutionException if the scheduler is shut down and the caller is not one
     *     of its workers; the task is then no member of the group, and {@code close()} does not
     *     wait for it
     */
    public void spawn(Runnable task) {
        Objects.requireNonNull(task, "task");
        // Dekker with close(): we count ourselves in, then read closing; close() writes closing,
        // then waits for spawns in flight. Either close() waits for this member, or we see closing.
        spawning.incrementAndGet();
        try {
            if (closing && !isMemberThread()) {
                throw new IllegalStateException("task group is closed: spawn only from its own tasks now");
            }
            if (cancelled) {
                return;
            }
            Worker worker = scheduler.pool().currentWorker();
            Task<Void> member = Task.of(new Member(this, task), worker != null ? worker.currentRegion() : null);
            tasks.add(member);                           // before it can run: close() must see it
            if (worker != null) {
                worker.push(member);
            } else {
                try {
                    scheduler.pool().submitFromOutside(member);
                } catch (RejectedExecutionException shutDown) {
                    tasks.remove(member);                // it will never run: close() must not wait for it
                    throw shutDown;
                }
            }
        } finally {
            spawning.decrementAndGet();
        }
    }

    /**
     * Cancels the group and its child groups: pending tasks never start, running ones see
     * {@link #isCancelled()}. Idempotent.
     *
     * <p>The members' {@link Task}s are not cancelled: a member checks the mark before it starts
     * its body, and a member already running must still be waited for by {@link #close()} (a
     * cancelled {@code Task} would look finished while its body runs on).
     */
    public void cancel() {
        cancelled = true;
        for (TaskGroup child : children) {
            child.cancel();
        }
    }

    /** Whether the group was cancelled (by {@link #cancel()}, a parent, or a failure). */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Waits until every task of the group has finished (on a worker, helping), then rethrows the
     * first failure, if any, with the later ones as suppressed: a {@link RuntimeException} or
     * {@link Error} as it is, anything else wrapped in {@link CompletionException}. Calling it
     * again after it returned or threw does nothing.
     *
     * @throws CancellationException if the scheduler's {@code shutdownNow()} cancelled members
     *     before they started (and no member failed): the message starts with how many of the
     *     group's tasks never ran ("893 of 1000 tasks of …"). If a member also failed, that failure
     *     is thrown instead, with this exception added as suppressed. Members skipped because the
     *     group itself was {@link #cancel() cancelled} are not counted: that is the group's own
     *     decision, not a loss.
     */
    @Override
    public void close() {
        for (TaskGroup group = current(scheduler.pool()); group != null; group = group.parent) {
            if (group == this) {
                throw new IllegalStateException("close() called from a task of this group (or of a group"
                        + " nested in it): it would wait for itself forever; close the group from"
                        + " the code that opened it");
            }
        }
        closing = true;
        int joined = 0;
        int neverRan = 0;
        do {
            for (Task<Void> task; (task = tasks.poll()) != null; ) {
                joined++;
                try {
                    task.join();
                } catch (CancellationException drainedByShutdownNow) {
                    neverRan++;                          // only shutdownNow cancels a member's Task
                }
            }
            // A spawn that read closing as false may still be adding its member: wait for it (a
            // few instructions), then drain again.
            while (spawning.get() != 0) {
                Thread.onSpinWait();
            }
        } while (!tasks.isEmpty());
        if (parent != null) {
            parent.children.remove(this);
        }
        Throwable failure;
        synchronized (failureLock) {
            failure = firstFailure;
            firstFailure = null;
        }
        if (neverRan > 0) {
            CancellationException cancelled = new CancellationException(neverRan + " of " + joined
                    + " tasks of " + this + " never ran: the scheduler was stopped by shutdownNow()");
            if (failure == null) {
                throw cancelled;
            }
            failure.addSuppressed(cancelled);
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) {
            throw new CompletionException(failure);
        }
    }

    /**
     * The work of a member task. While it runs it attaches its group to itself through the engine
     * ({@link Worker#setTaskContext}): the value belongs to the task at that stack depth, so a task
     * the worker runs while helping inside the member's join (one level deeper) never inherits
     * the member's group. Drained by {@code shutdownNow()}, it is returned as the user's task
     * itself (this wrapper needs a worker to run on).
     */
    private static final class Member implements Callable<Void>, DrainedWork {
        final TaskGroup group;
        private final Runnable body;

        Member(TaskGroup group, Runnable body) {
            this.group = group;
            this.body = body;
        }

        @Override
        public Void call() {
            Worker worker = group.scheduler.pool().currentWorker();
            Object outer = worker.savedTaskContext();
            int outerDepth = worker.savedTaskContextDepth();
            worker.setTaskContext(group, worker.depth());
            try {
                group.runMember(body);
            } finally {
                worker.setTaskContext(outer, outerDepth);
            }
            return null;
        }

        @Override
        public Runnable whenDrained() {
            return body;
        }
    }

    /** The group of the task the current thread runs now on {@code pool}, or null. */
    private static TaskGroup current(WorkerPool pool) {
        Worker worker = pool.currentWorker();
        Object context = worker != null ? worker.taskContext() : null;
        return context instanceof TaskGroup ? (TaskGroup) context : null;
    }

    private void runMember(Runnable task) {
        if (cancelled) {
            return;
        }
        try {
            task.run();
        } catch (Throwable failure) {
            recordFailure(failure);
            if (failurePolicy == FailurePolicy.CANCEL_PENDING) {
                cancel();
            }
        }
    }

    private void recordFailure(Throwable failure) {
        synchronized (failureLock) {
            if (firstFailure == null) {
                firstFailure = failure;
            } else if (firstFailure != failure) {
                firstFailure.addSuppressed(failure);
            }
        }
    }

    /** Whether the current thread is running one of this group's tasks (or a nested group's). */
    private boolean isMemberThread() {
        for (TaskGroup group = current(scheduler.pool()); group != null; group = group.parent) {
            if (group == this) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "TaskGroup[" + (cancelled ? "cancelled" : "active") + (closing ? ", closing" : "") + "]";
    }
}
