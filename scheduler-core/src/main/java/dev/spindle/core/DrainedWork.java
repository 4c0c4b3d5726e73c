package dev.spindle.core;

import java.util.concurrent.Callable;

/**
 * The work of a {@link Task} that Spindle made around someone else's work, and what
 * {@code shutdownNow()} hands back for it when the task is drained before it started.
 *
 * <p>{@code shutdownNow()} returns {@link Runnable}s the caller may run on any thread, later. A
 * wrapper that only makes sense on a worker (it needs the worker's deque, its current group, an
 * executor's bookkeeping) must not be returned as it is: run outside the pool it would fail with
 * an internal error, or worse, push onto another thread's deque. So every such wrapper says what
 * to return instead (see {@link RunnableCallable#toRunnable}):
 *
 * <ul>
 *   <li>work the user handed over as a {@code Runnable} ({@code execute}, {@code submit(Runnable)},
 *       an arena's executor, {@code TaskGroup.spawn}): that very {@code Runnable};
 *   <li>a user's {@code Callable}: a {@code Runnable} that calls it once;
 *   <li>an {@link InternalPart} of a call that is still in progress or has already been released
 *       (a loop's forked half, the forked side of {@code Parallel.join}, the entry of a loop
 *       called from outside the pool): a no-op. Cancelling the part is what tells that call: it
 *       throws {@link java.util.concurrent.CancellationException}, so running the part later would
 *       run the user's body after the call it belongs to has ended.
 * </ul>
 */
interface DrainedWork {

    /** What {@code shutdownNow()} returns for this work; running it never throws an internal error. */
    Runnable whenDrained();

    /**
     * A part of a call that waits for it (a marker: a lambda can implement it with an
     * intersection cast, at no cost to the fork). Drained, it is returned as a no-op.
     */
    interface InternalPart extends DrainedWork {
        @Override
        default Runnable whenDrained() {
            return NOTHING;
        }
    }

    /** {@code work}, for which {@code shutdownNow()} returns {@code drained}. */
    static <T> Callable<T> returning(Callable<T> work, Runnable drained) {
        return new Substitute<>(work, drained);
    }

    /** What {@link #returning} makes. */
    final class Substitute<T> implements Callable<T>, DrainedWork {
        private final Callable<T> work;
        private final Runnable drained;

        private Substitute(Callable<T> work, Runnable drained) {
            this.work = work;
            this.drained = drained;
        }

        @Override
        public T call() throws Exception {
            return work.call();
        }

        @Override
        public Runnable whenDrained() {
            return drained;
        }
    }

    /** The no-op returned for an {@link InternalPart}. */
    Runnable NOTHING = new Runnable() {
        @Override
        public void run() {
            // the call this part belonged to was released by the cancellation; nothing is left to do
        }

        @Override
        public String toString() {
            return "a part of a Spindle call that shutdownNow cancelled (nothing to run)";
        }
    };
}
