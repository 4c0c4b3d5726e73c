package dev.spindle.spark;

import dev.spindle.core.Arena;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * The Spindle share of the Spark task running on the calling thread: how a task's code reaches its
 * arena when per-task caps are on ({@code spark.spindle.taskCaps=true}).
 *
 * <pre>{@code
 * rdd.map(block -> SpindleTask.call(() -> {
 *     Blas.dgemm(NO_TRANS, NO_TRANS, n, n, n, 1.0, block.a, 0, n, block.b, 0, n, 0.0, c, 0, n);
 *     return c;
 * }));
 * }</pre>
 *
 * <p>With caps on, the executor plugin binds an arena capped at {@code TaskContext.cpus()} to the
 * task's thread when the task starts, and unbinds it when the task succeeds or fails (killed tasks
 * fail too); {@link #call} runs its body in that arena, so the body and every Spindle task it forks
 * use at most {@code cpus} workers at once. With caps off, or on a thread that runs no Spark task,
 * {@link #call} runs the body on the calling thread, and kernels inside it use the whole global
 * scheduler.
 *
 * <p>Only the thread Spark runs the task on is bound: inside the body, which may run on a Spindle
 * worker, {@link #arena()} is empty and {@code TaskContext.get()} is null (read what the body needs
 * from the task context before the call), while everything the body forks stays in the arena.
 *
 * <p><b>Killed tasks.</b> Spark kills a task by interrupting its thread. A body already running
 * is not interrupted (Spindle never interrupts a running task) and the call waits for it, so a
 * killed task ends when its current call returns, as a task running a plain loop would; then its
 * arena is free again with none of its work left in it.
 */
public final class SpindleTask {

    /**
     * The arena bound to this thread's running task. Written and read only by the task's own
     * thread (Spark calls the plugin's task callbacks on it), so no other ordering is needed.
     */
    private static final ThreadLocal<Arena> BOUND = new ThreadLocal<>();

    private SpindleTask() {
    }

    /** The arena of the Spark task running on this thread, if per-task caps are on. */
    public static Optional<Arena> arena() {
        return Optional.ofNullable(BOUND.get());
    }

    /**
     * Runs {@code body} in the running task's arena when there is one ({@link Arena#execute}),
     * otherwise on the calling thread; returns its result. Exceptions are reported the same way in
     * both cases: unchecked exceptions and errors as they are, checked ones wrapped in a
     * {@link CompletionException}.
     *
     * @throws NullPointerException if {@code body} is null
     */
    public static <T> T call(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        Arena arena = BOUND.get();
        if (arena != null) {
            return arena.execute(body);
        }
        try {
            return body.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception checked) {
            throw new CompletionException(checked);
        }
    }

    /** Binds {@code arena} to this thread's task; returns the arena bound before, or null. */
    static Arena bind(Arena arena) {
        Arena previous = BOUND.get();
        BOUND.set(arena);
        return previous;
    }

    /** Unbinds this thread's arena and returns it, or null if none was bound. */
    static Arena unbind() {
        Arena bound = BOUND.get();
        BOUND.remove();
        return bound;
    }
}
