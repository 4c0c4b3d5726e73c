package dev.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A unit of work in a {@link Scheduler}, and the {@link Future} of its result.
 *
 * <p>A task runs at most once. It completes in one of three ways: normally with a value,
 * exceptionally with a {@link Throwable}, or by {@link #cancel cancellation}. Everything the task
 * did before completing is visible to a thread that sees it complete ({@link #isDone()} true, or a
 * return from {@link #join()} or {@link #get()}).
 *
 * <p>{@link #toCompletableFuture()} bridges a task to code that composes {@code CompletionStage}s.
 *
 * <p>{@link #join()} is the way to wait inside the pool: a worker that joins a task which is still
 * on its own deque runs it inline, and otherwise runs other tasks while it waits, so joining never
 * takes a worker out of the pool for long and never starts a thread. A thread outside the pool
 * blocks.
 *
 * @param <T> the type of the result
 */
public sealed class Task<T> implements Future<T> permits TaskInRegion {

    // Status moves once from PENDING to one of the final values. A task run by a worker has one
    // writer of its outcome (the runner; cancel() writes no outcome), so it moves PENDING -> final by
    // one CAS: the single atomic operation a task pays on completion. A promise may be completed
    // by several racing threads, so it moves PENDING -> COMPLETING (the CAS elects the writer)
    // -> final (a volatile store, after the outcome is written). Only final values count as done.
    //
    // One field, workOrOutcome, holds in turn what the task needs at each stage, so that a task is
    // three fields (24 bytes with compressed pointers, docs/design/join.md, "What the fast path
    // pays"):
    //   not started  the work (a Callable; OWN_WORK for a ForkableTask; null for a promise)
    //   running      the runner's mark (its Worker), a plain store by the runner: so the runner can
    //                tell that a task it is about to wait for runs beneath it on its own stack
    //   completed    the value or the Throwable, written before the status CAS that publishes it;
    //                null once cancelled (the work is dropped, and a run's late result with it)
    // Writers: the runner (mark, outcome, and null if a cancel beat its CAS), a promise's elected
    // completer (outcome), and a winning cancel() (null). Readers other than the runner: cancel(),
    // which reads it before its CAS only to tell a work that never started (see cancel), the
    // drain of shutdownNow (work(): tasks taken out of the queues, which nobody runs), and anyone
    // after seeing a final status other than CANCELLED (the outcome, published by the status).
    // Racy plain reads of a reference are safe (never torn); each reader above copes with seeing
    // any stage's content, as its comment says.
    private static final int PENDING = 0;
    private static final int COMPLETING = 1;
    private static final int NORMAL = 2;
    private static final int EXCEPTIONAL = 3;
    private static final int CANCELLED = 4;

    private static final VarHandle STATUS;
    private static final VarHandle WAITERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATUS = lookup.findVarHandle(Task.class, "status", int.class);
            WAITERS = lookup.findVarHandle(Task.class, "waiters", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int status;
    /** The work, the runner's mark, or the outcome: see the table above. */
    private Object workOrOutcome;
    /** Threads blocked on this task (Treiber stack); released after the status CAS. */
    private volatile Waiter waiters;

    /** A task of the scheduler's default region; other regions: {@link #of}. */
    Task(Callable<? extends T> work) {
        this.workOrOutcome = work;
    }

    /**
     * What the field holds for a task that is its own work until it runs: a marker rather than
     * the task itself, so that the task holds no reference to itself (a task computed directly
     * rather than forked, as {@code new Sub(n - 2).compute()}, can then be scalar-replaced).
     */
    private static final Object OWN_WORK = new Object() {
        @Override
        public String toString() {
            return "the task's own compute()";
        }
    };

    /** A task that is its own work ({@link ForkableTask}): running it calls {@link #computeOwnWork}. */
    Task() {
        this.workOrOutcome = OWN_WORK;
    }

    /**
     * A task of {@code work} in {@code region} (null: the scheduler's default). A task of the
     * default region has no region field: the region lives in the subclass {@link TaskInRegion}.
     */
    static <T> Task<T> of(Callable<? extends T> work, Region region) {
        return region == null ? new Task<>(work) : new TaskInRegion<>(work, region);
    }

    /**
     * The arena and isolation region the task belongs to; null for the scheduler's default. A type
     * test rather than an overridden method: against a class it is two loads and a compare however
     * many task classes there are (users subclass {@link ForkableTask}), where an override would
     * become a megamorphic call.
     */
    final Region region() {
        return this instanceof TaskInRegion ? ((TaskInRegion<T>) this).region : null;
    }

    /** A task with no work of its own, completed by {@link #complete} or {@link #completeExceptionally}. */
    static <T> Task<T> promise() {
        return new Task<>(null);
    }

    // ------------------------------------------------------------------ running and completing

    /**
     * Runs the work if the task is still pending, and reports whether it did. Called by exactly
     * one thread: the one that took the task from a queue (the deque and the queues hand each task
     * out once). A task cancelled before it started is not run.
     */
    @SuppressWarnings("unchecked")
    boolean run(Object runnerMark) {
        // Not started, so the field holds the work, or null if a cancel dropped it. A cancel that
        // won before the status read below makes the task skip the work; one that wins after it
        // lets the work run and drops its result (finishRun's CAS fails).
        Object content = workOrOutcome;
        if (status != PENDING || content == null) {
            return false;
        }
        // Plain: the mark is read as such only by this thread (isRunBy); from here on a cancel()
        // reads the mark (or the outcome), not the work, and so tells the work nothing: the run's
        // own end does that (see cancel).
        workOrOutcome = runnerMark;
        T value;
        try {
            value = content == OWN_WORK ? computeOwnWork() : ((Callable<? extends T>) content).call();
        } catch (Throwable failure) {
            if (finishRun(EXCEPTIONAL, failure) && content != OWN_WORK
                    && RunnableCallable.reportsUncaught((Callable<?>) content)) {
                RunnableCallable.reportUncaught(failure);
            }
            afterRun();
            return true;
        }
        finishRun(NORMAL, value);
        afterRun();
        return true;
    }

    /** What a wait on a {@link ForkableTask} that was never forked throws: it could never end. */
    IllegalStateException joinedBeforeFork() {
        return new IllegalStateException("a wait for a ForkableTask that was never forked (fork it"
                + " first): it could never complete; " + this);
    }

    /** The work of a task that is its own work; only {@link ForkableTask} has one. */
    T computeOwnWork() throws Exception {
        throw new IllegalStateException("not a task of its own work: " + this);
    }

    /**
     * Called by the runner after every run of the work, once the outcome is set (or dropped by a
     * cancel that won during the run). Empty here: only a {@link ListenedTask} overrides it, so a
     * plain task pays nothing (no check on the fork/join path: docs/design/join.md, "After the
     * run").
     */
    void afterRun() {
    }

    /**
     * Whether this task is running now, beneath the caller, on the worker whose mark this is. Only
     * that worker's own thread may ask (it wrote the mark).
     */
    boolean isRunBy(Object runnerMark) {
        // A cancel's null store may hide the mark; the task is then done, and the caller's wait
        // ends at once (it checks isDone), so a missed "runs beneath" is harmless.
        return status == PENDING && workOrOutcome == runnerMark;
    }

    /**
     * The runner's completion: the only writer of a run task's outcome, one CAS. Storing the
     * outcome over the mark drops the work too (the runner holds it in a local). Runner only.
     */
    private boolean finishRun(int finalStatus, Object result) {
        workOrOutcome = result;                          // published by the CAS below (a volatile write)
        if (!STATUS.compareAndSet(this, PENDING, finalStatus)) {
            workOrOutcome = null;                        // cancelled while running: result dropped
            return false;                                // (only cancel() can have won; nobody reads
        }                                                // the outcome of a cancelled task)
        if (waiters != null) {                           // Dekker with enqueueWaiter: status CAS, then read
            releaseWaiters();
        }
        return true;
    }

    /** Completes a promise with a value; false if it was already completed. Any thread. */
    boolean complete(T value) {
        return completePromise(NORMAL, value);
    }

    /** Completes a promise with a failure; false if it was already completed. Any thread. */
    boolean completeExceptionally(Throwable failure) {
        return completePromise(EXCEPTIONAL, failure);
    }

    private boolean completePromise(int finalStatus, Object result) {
        if (!STATUS.compareAndSet(this, PENDING, COMPLETING)) {
            return false;                                // someone else completed or cancelled it
        }
        workOrOutcome = result;
        status = finalStatus;                            // volatile: publishes the outcome, and orders
        releaseWaiters();                                // the read of the waiters after it (Dekker)
        return true;
    }

    /**
     * The work of a task that has not started: for {@link Scheduler#shutdownNow()}, on tasks it
     * took out of the queues (so nobody runs them), and for the runner before it runs the task.
     * Null for a promise and once the task is cancelled. On a task that may be running it is
     * meaningless (it may return null, or a {@code Callable} the task returned while its status
     * was not yet final), so only those two callers use it.
     */
    @SuppressWarnings("unchecked")
    Callable<? extends T> work() {
        Object content = workOrOutcome;
        if (status != PENDING) {
            return null;
        }
        if (content == OWN_WORK) {
            return this::computeOwnWork;                 // a ForkableTask: computes it once
        }
        return content instanceof Callable ? (Callable<? extends T>) content : null;
    }

    /** The class of the work of a task that has not started (as for {@link #work}); null if none. */
    Class<?> workClass() {
        Object content = workOrOutcome;
        if (status != PENDING) {
            return null;
        }
        return content == OWN_WORK ? getClass() : content instanceof Callable ? content.getClass() : null;
    }

    // ------------------------------------------------------------------ Future

    /**
     * Cancels the task if it has not completed. A task cancelled before it starts never runs; one
     * cancelled while running runs on, but its result is discarded. Spindle does not interrupt a
     * running task, so {@code mayInterruptIfRunning} has no effect (as in {@code ForkJoinTask}).
     *
     * @return true if this call cancelled the task
     */
    @Override
    public final boolean cancel(boolean mayInterruptIfRunning) {
        // Read before the CAS: the work if the task has not started (a runner that starts it after
        // this read sees CANCELLED, or runs on and has its result dropped, as for any cancel during
        // the run). If it has started, this reads the runner's mark or the outcome, never a
        // CancellationListener (only Spindle's wrappers are, and none is a task's value), so a
        // work that runs is not told: the end of its run tells its bookkeeping.
        Object content = workOrOutcome;
        if (!STATUS.compareAndSet(this, PENDING, CANCELLED)) {
            return false;
        }
        workOrOutcome = null;                            // drop the work; a runner's later stores end in null too
        releaseWaiters();
        if (content instanceof CancellationListener) {
            ((CancellationListener) content).taskCancelled();
        }
        return true;
    }

    /**
     * Work that must hear when its task is cancelled before it started, so that bookkeeping around
     * it (an executor's count of unfinished tasks) stays right although the work never runs. A
     * cancel that wins while the work runs does not call it (the work's run ends and can count
     * itself out), and a cancel that races with the start may call it while the work runs: an
     * implementation must cope with both, and with being told more than once by code that cancels
     * on its behalf.
     */
    interface CancellationListener {
        /** Called by the thread whose {@link Task#cancel} succeeded on a work it found unstarted. */
        void taskCancelled();
    }


    @Override
    public final boolean isCancelled() {
        return status == CANCELLED;
    }

    @Override
    public final boolean isDone() {
        return status > COMPLETING;
    }

    /** Whether the task completed by throwing, or was cancelled. */
    public final boolean isCompletedAbnormally() {
        int s = status;
        return s == EXCEPTIONAL || s == CANCELLED;
    }

    /**
     * Waits for the task and returns its value. On a worker this helps: it runs the task inline
     * if it is still on this worker's deque, or other tasks until it completes. Interrupts do not
     * stop the wait; the interrupt status is kept.
     *
     * @return the task's value
     * @throws CancellationException if the task was cancelled
     * @throws CompletionException wrapping a checked exception the task threw; a
     *     {@link RuntimeException} or {@link Error} is rethrown as it is
     * @throws IllegalStateException if a task joins itself (it could never complete), or if the
     *     worker already runs so many tasks nested on its stack that one more could overflow it
     *     and this task is not done ({@code docs/design/join.md}, "Nesting limit")
     */
    public final T join() {
        int s = status;
        if (s <= COMPLETING) {
            s = awaitUninterruptibly();
        }
        return reportForJoin(s);
    }

    /**
     * Waits for the task and returns its value; on a worker it helps as {@link #join()} does.
     *
     * @throws InterruptedException if this thread was interrupted before or while it blocked
     * @throws ExecutionException with the task's exception as its cause
     * @throws CancellationException if the task was cancelled
     */
    /**
     * Runs this task on the calling thread if it is still the newest task on the calling worker's
     * own deque (forked by this thread and not taken since), as {@link #join()} would first; unlike
     * {@code join}, it never runs any other task and never waits. For code that must not help with
     * unrelated work while it waits (it holds a lock an unrelated task could enter).
     *
     * @return true if the task was taken back and run here (it is then done, unless its arena was
     *     at its cap and it was queued there); false if it was not on top of this thread's deque,
     *     the thread is not a worker, or joins are nested at their limit
     */
    public final boolean tryRunInline() {
        Thread thread = Thread.currentThread();
        return thread instanceof WorkerThread && ((WorkerThread) thread).worker().tryRunInline(this);
    }

    @Override
    public final T get() throws InterruptedException, ExecutionException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        int s = status;
        if (s <= COMPLETING) {
            Thread thread = Thread.currentThread();
            if (thread instanceof WorkerThread) {
                if (!((WorkerThread) thread).worker().awaitDone(this, 0L, true)) {
                    throw new InterruptedException();
                }
                s = status;
            } else {
                s = block(true, 0L);
            }
        }
        return reportForGet(s);
    }

    /**
     * Waits at most the given time. Never returns before the deadline unless the task completed.
     * On a worker it helps until the deadline, so it may return late by the time of the task it
     * was helping with when the deadline passed.
     *
     * @throws TimeoutException if the task did not complete in time
     * @throws InterruptedException if this thread was interrupted before or while it blocked
     * @throws ExecutionException with the task's exception as its cause
     * @throws CancellationException if the task was cancelled
     */
    @Override
    public final T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        long nanos = unit.toNanos(timeout);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        int s = status;
        if (s <= COMPLETING && nanos > 0) {
            long deadline = deadlineAfter(nanos);
            Thread thread = Thread.currentThread();
            if (thread instanceof WorkerThread) {
                if (!((WorkerThread) thread).worker().awaitDone(this, deadline, true)) {
                    throw new InterruptedException();
                }
                s = status;
            } else {
                s = block(true, deadline);
            }
        }
        if (s <= COMPLETING) {
            throw new TimeoutException("task did not complete within " + timeout + " " + unit);
        }
        return reportForGet(s);
    }

    private int awaitUninterruptibly() {
        Thread thread = Thread.currentThread();
        if (thread instanceof WorkerThread) {
            ((WorkerThread) thread).worker().awaitDone(this, 0L, false);
            return status;
        }
        try {
            return block(false, 0L);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @SuppressWarnings("unchecked")
    private T reportForJoin(int s) {
        if (s == NORMAL) {
            return (T) workOrOutcome;
        }
        if (s == CANCELLED) {
            throw new CancellationException("task was cancelled");
        }
        Throwable failure = (Throwable) workOrOutcome;
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        throw new CompletionException(failure);
    }

    @SuppressWarnings("unchecked")
    private T reportForGet(int s) throws ExecutionException {
        if (s == NORMAL) {
            return (T) workOrOutcome;
        }
        if (s == CANCELLED) {
            throw new CancellationException("task was cancelled");
        }
        throw new ExecutionException((Throwable) workOrOutcome);
    }

    static long deadlineAfter(long nanos) {
        long deadline = System.nanoTime() + nanos;
        return deadline == 0L ? 1L : deadline;           // 0 means "no deadline" internally
    }

    // ------------------------------------------------------------------ blocking

    /** A thread blocked on this task. {@code thread} is cleared when the waiter gives up. */
    static class Waiter {
        volatile Thread thread;
        Waiter next;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    /**
     * A {@link CompletableFuture} completed with this task's outcome when it completes. Lives on
     * the waiter stack (its {@code thread} stays set, only as the "still waiting" mark), so a
     * task that nobody converts pays nothing.
     */
    private static final class StageWaiter extends Waiter {
        final CompletableFuture<Object> stage;

        StageWaiter(CompletableFuture<Object> stage) {
            super(Thread.currentThread());
            this.stage = stage;
        }
    }

    /**
     * A {@link CompletableFuture} that completes when this task does: with its value, with its
     * exception (so the future's {@code join} throws a {@link CompletionException} whose cause is
     * it), or cancelled. Dependent stages without an executor run on the thread that completes
     * the task, and async ones without an executor on the common pool (as for any
     * {@code CompletableFuture}); to stay on Spindle, pass the scheduler as their executor, or
     * start the pipeline with {@link Scheduler#supplyAsync}. Cancelling the returned future cancels
     * this task. Each call returns a new future. Any thread.
     *
     * @throws IllegalStateException if this is a {@link ForkableTask} that was never forked and is
     *     not done: its future could never complete
     */
    @SuppressWarnings("unchecked")
    public final CompletableFuture<T> toCompletableFuture() {
        if (status <= COMPLETING && region() == Region.UNFORKED) {
            throw joinedBeforeFork();
        }
        CompletableFuture<Object> stage = new CompletableFuture<>();
        StageWaiter node = new StageWaiter(stage);
        boolean queued = false;
        for (Waiter head = waiters; status <= COMPLETING; head = waiters) {
            node.next = head;
            if (WAITERS.compareAndSet(this, head, node)) {
                queued = true;
                break;
            }
        }
        // Dekker as in enqueueWaiter: if the completer's read of the stack missed our node, we
        // see its final status here and complete the stage ourselves (completing twice is harmless).
        if (!queued || status > COMPLETING) {
            completeStage(stage);
        }
        stage.whenComplete((value, failure) -> {
            if (stage.isCancelled()) {
                cancel(false);
            }
        });
        return (CompletableFuture<T>) (CompletableFuture<?>) stage;
    }

    private void completeStage(CompletableFuture<Object> stage) {
        int s = status;
        if (s == NORMAL) {
            stage.complete(workOrOutcome);
        } else if (s == CANCELLED) {
            stage.cancel(false);
        } else if (s == EXCEPTIONAL) {
            stage.completeExceptionally((Throwable) workOrOutcome);
        }
    }

    /**
     * Adds the current thread as a waiter, so that completion unparks it. Returns null if the task
     * is already done. Any thread; the caller must {@link #removeWaiter} if it stops waiting early.
     */
    Waiter enqueueWaiter() {
        Waiter node = new Waiter(Thread.currentThread());
        for (Waiter head = waiters; ; head = waiters) {
            if (status > COMPLETING) {
                return null;
            }
            node.next = head;
            if (WAITERS.compareAndSet(this, head, node)) {
                // Dekker with the completer: we wrote waiters, now read status; it wrote status
                // (CAS, or a volatile store for a promise), then reads waiters. Either it sees our
                // node and unparks us, or we see the final status here.
                if (status > COMPLETING) {
                    removeWaiter(node);
                    return null;
                }
                return node;
            }
        }
    }

    /**
     * Blocks the current (non-worker) thread until the task completes or the deadline passes.
     *
     * @param deadline a {@link System#nanoTime()} value, or 0 for none
     * @return the status at return (not final only if the deadline passed)
     */
    private int block(boolean interruptible, long deadline) throws InterruptedException {
        if (region() == Region.UNFORKED) {
            throw joinedBeforeFork();
        }
        Waiter node = enqueueWaiter();
        boolean interrupted = false;
        try {
            while (node != null && status <= COMPLETING) {
                if (deadline != 0L) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0L) {
                        break;
                    }
                    LockSupport.parkNanos(this, remaining);
                } else {
                    LockSupport.park(this);
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
            }
        } finally {
            if (node != null && status <= COMPLETING) {
                removeWaiter(node);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();      // join keeps the interrupt status
            }
        }
        return status;
    }

    private void releaseWaiters() {
        Waiter list = (Waiter) WAITERS.getAndSet(this, null);
        for (Waiter node = list; node != null; node = node.next) {
            Thread thread = node.thread;
            if (thread != null) {
                node.thread = null;
                if (node instanceof StageWaiter) {
                    completeStage(((StageWaiter) node).stage);
                } else {
                    LockSupport.unpark(thread);
                }
            }
        }
    }

    /**
     * Marks {@code node} as gone and unlinks every gone node, so that repeated timed waits on a
     * long task do not pile up nodes. Pushes only change the head, so only the head is unlinked by
     * CAS; an interior unlink can be lost to a racing unlink, which leaves a gone node for the next
     * pass, never drops a live one (a live node is never skipped: we only relink past gone nodes).
     */
    void removeWaiter(Waiter node) {
        node.thread = null;
        restart:
        for (;;) {
            Waiter previousLive = null;
            for (Waiter current = waiters; current != null; current = current.next) {
                if (current.thread != null) {
                    previousLive = current;
                } else if (previousLive == null) {
                    if (!WAITERS.compareAndSet(this, current, current.next)) {
                        continue restart;
                    }
                } else {
                    previousLive.next = current.next;
                    if (previousLive.thread == null) {
                        continue restart;                // our predecessor went too: rescan
                    }
                }
            }
            return;
        }
    }

    @Override
    public String toString() {
        String state;
        switch (status) {
            case PENDING: case COMPLETING: state = "pending"; break;
            case NORMAL: state = "completed normally"; break;
            case EXCEPTIONAL: state = "completed exceptionally: " + workOrOutcome; break;
            default: state = "cancelled"; break;
        }
        return super.toString() + "[" + state + "]";
    }
}
