package dev.spindle.agent;

import dev.spindle.core.Scheduler;
import dev.spindle.core.Task;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fork/join tasks ({@code ForkJoinTask}: parallel streams, {@code Arrays.parallelSort},
 * {@code RecursiveTask}s, {@code CountedCompleter}s) forked outside a {@code ForkJoinPool} run on
 * Spindle instead of the common pool.
 *
 * <p>{@code fork()} on a thread that is not a {@code ForkJoinWorkerThread} wraps the task in a
 * Spindle task: on a Spindle worker it goes on that worker's own deque (an idle worker steals it,
 * else the forking worker runs it when it joins), on any other thread it is queued for the pool.
 * The wrapper runs the task's {@code doExec}, which records the result or exception in the task as
 * the JDK would. A wait for such a task ({@code join}, {@code invoke}, {@code get},
 * {@code quietlyJoin}, {@code quietlyInvoke}, {@code invokeAll}) on a Spindle worker helps: it
 * joins the wrapper if it has not started (taking it back from the own deque when it is still
 * there), then runs other tasks until the task is done; then the JDK method goes on and finds the
 * task done. Elsewhere the JDK's own wait blocks until a worker has run it.
 *
 * <p>A task forked on a {@code ForkJoinWorkerThread} stays in that pool: it is that pool's work.
 *
 * <p>Any thread. Loaded by the bootstrap class loader.
 */
public final class ForkJoinRedirect {

    /** {@code ForkJoinTask.doExec()}: runs the task once, records its outcome; int on 17, void on 25. */
    private static volatile MethodHandle doExec;
    /** Wrappers not yet started, so a join can take its task back or wait on the wrapper. */
    private static final ConcurrentHashMap<ForkJoinTask<?>, Task<?>> UNSTARTED = new ConcurrentHashMap<>();

    /** Counted apart from {@link RedirectReport}'s map: a fork is too frequent for a map lookup. */
    private static final LongAdder FORKS_ON_WORKERS = new LongAdder();
    private static final LongAdder FORKS_ELSEWHERE = new LongAdder();

    private ForkJoinRedirect() {
    }

    /** The fork counts, for the report. */
    static void report(java.util.Map<String, Long> into) {
        long onWorkers = FORKS_ON_WORKERS.sum();
        long elsewhere = FORKS_ELSEWHERE.sum();
        if (onWorkers > 0) {
            into.put("ForkJoinTask.fork on a Spindle worker", onWorkers);
        }
        if (elsewhere > 0) {
            into.put("ForkJoinTask.fork elsewhere", elsewhere);
        }
    }

    /**
     * Finds {@code ForkJoinTask.doExec}; the agent has opened {@code java.util.concurrent} to this
     * class's module first.
     */
    static void install() throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ForkJoinTask.class, MethodHandles.lookup());
        MethodHandle handle;
        try {
            handle = lookup.findVirtual(ForkJoinTask.class, "doExec", MethodType.methodType(int.class));
        } catch (NoSuchMethodException notSeventeen) {
            handle = lookup.findVirtual(ForkJoinTask.class, "doExec", MethodType.methodType(void.class));
        }
        doExec = handle.asType(MethodType.methodType(void.class, ForkJoinTask.class));
    }

    /** Whether fork/join tasks are redirected now. */
    private static boolean active() {
        AgentOptions current = Redirects.options();
        return current != null && current.forkJoin && doExec != null;
    }

    /**
     * {@code ForkJoinTask.fork()}: queues {@code task} on Spindle and returns true, or returns false
     * to let the JDK fork it (on a {@code ForkJoinWorkerThread}, or with the redirection off).
     */
    public static boolean fork(ForkJoinTask<?> task) {
        if (!active() || Redirects.onForkJoinWorker()) {
            return false;
        }
        Scheduler scheduler = Scheduler.global();
        Wrapper wrapper = new Wrapper(task);
        Task<Void> spindleTask = scheduler.fork(wrapper);
        UNSTARTED.put(task, spindleTask);
        if (wrapper.started) {
            // It ran (or runs) already and may have removed the entry before it was put: do it here.
            // started is written before the wrapper's own remove, and this read follows the put, so
            // one of the two removes sees the entry.
            UNSTARTED.remove(task, spindleTask);
        }
        (scheduler.ownsCurrentThread() ? FORKS_ON_WORKERS : FORKS_ELSEWHERE).increment();
        return true;
    }

    /**
     * Before a JDK wait for {@code task} ({@code join}, {@code get}, ...): on a Spindle worker, waits
     * helping until the task is done. Elsewhere returns at once and the JDK waits.
     */
    public static void awaitDone(ForkJoinTask<?> task) {
        if (task.isDone() || doExec == null || !Scheduler.global().ownsCurrentThread()) {
            return;
        }
        Task<?> wrapper = UNSTARTED.get(task);
        if (wrapper != null && wrapper.tryRunInline() && task.isDone()) {
            return;                                      // its own child, run here as plain code would
        }
        if (!HelpingPolicy.mayHelp()) {
            return;                                      // the JDK waits; a blocked worker gets a stand-in
        }
        if (wrapper != null) {
            try {
                wrapper.join();                          // takes it back if still on this deque
            } catch (RuntimeException | Error wrapperNeverFails) {
                // the wrapper records every outcome in the task; nothing to report here
            }
        }
        if (!task.isDone()) {
            Scheduler.join(new DoneSignal(task));        // helps; for CountedCompleters' children
        }
    }

    /**
     * {@code invoke()} / {@code quietlyInvoke()} on a Spindle worker: runs the task here, then waits
     * helping. Returns false to let the JDK do it elsewhere.
     */
    public static boolean invoke(ForkJoinTask<?> task) {
        if (doExec == null || !active() || !Scheduler.global().ownsCurrentThread()) {
            return false;
        }
        exec(task);
        awaitDone(task);
        if (!task.isDone()) {
            // It must be done before the JDK method goes on (its doExec would run the task again):
            // a wait that may not help waits the JDK's way here.
            task.quietlyJoin();
        }
        return true;
    }

    /** {@code ForkJoinTask.invokeAll(...)} on a Spindle worker: fork all but the first, run it, join. */
    public static boolean invokeAll(ForkJoinTask<?>[] tasks) {
        if (!active() || !Scheduler.global().ownsCurrentThread() || tasks == null) {
            return false;
        }
        for (ForkJoinTask<?> t : tasks) {
            if (t == null) {
                return false;                            // the JDK throws its own NullPointerException
            }
        }
        for (int i = tasks.length - 1; i >= 1; i--) {
            fork(tasks[i]);
        }
        if (tasks.length > 0) {
            invoke(tasks[0]);
        }
        for (int i = 1; i < tasks.length; i++) {
            awaitDone(tasks[i]);
        }
        for (ForkJoinTask<?> t : tasks) {
            if (t.isCompletedAbnormally()) {
                t.join();                                // throws its exception, as invokeAll does
            }
        }
        return true;
    }

    /** {@code invokeAll(Collection)}. */
    public static boolean invokeAll(Collection<? extends ForkJoinTask<?>> tasks) {
        if (tasks == null) {
            return false;
        }
        return invokeAll(tasks.toArray(new ForkJoinTask<?>[0]));
    }

    private static void exec(ForkJoinTask<?> task) {
        try {
            doExec.invokeExact(task);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {                 // doExec declares nothing checked
            throw new IllegalStateException(impossible);
        }
    }

    /** The Spindle task's body: runs the fork/join task once. */
    private static final class Wrapper implements java.util.concurrent.Callable<Void> {
        private final ForkJoinTask<?> task;
        /** Set when the wrapper starts, before it removes its entry (see {@link #fork}). */
        volatile boolean started;

        Wrapper(ForkJoinTask<?> task) {
            this.task = task;
        }

        @Override
        public Void call() {
            started = true;
            UNSTARTED.remove(task);
            exec(task);                                  // doExec keeps the outcome in the task
            return null;
        }
    }

    /** A {@code Future} view that is done when the fork/join task is, and never throws. */
    private static final class DoneSignal implements Future<Void> {
        private final ForkJoinTask<?> task;

        DoneSignal(ForkJoinTask<?> task) {
            this.task = task;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return task.isDone();
        }

        @Override
        public Void get() {
            return null;
        }

        @Override
        public Void get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
