package dev.spindle.core;

import dev.spindle.core.internal.SubmissionQueues;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * The engine's side of an arena: its queue of submitted tasks, its permits, and its priority. The
 * public {@code Arena} is a handle to one of these (oneTBB's {@code task_arena} over its internal
 * {@code r1::arena}); the engine (workers, pool, stall monitor) knows only this class.
 *
 * <p><b>Permits.</b> A worker holds at most one permit of an arena however deep it is inside the
 * arena's tasks. The cap limits workers that <em>run</em> the arena's tasks: a permit holder that
 * blocks (detected by the stall monitor, or inside {@code managedBlock}) lends its permit to the
 * arena ({@link #lend}) until it resumes ({@link #takeBack}), so the work it waits for can run.
 * A lent permit is given back even if the arena is full by then: for the rest of the tasks that
 * entered meanwhile, one more worker than the cap may run the arena's tasks
 * ({@code docs/design/blocking.md}).
 *
 * <p>Who may call: {@link #enter}, {@link #exit}, {@link #forward}, {@link #mayEnter} and
 * {@link #pollIfEnterable} only worker {@code index} itself; {@link #lend}/{@link #takeBack} the
 * thread that blocks or the stall monitor on its behalf, never both for one blocking episode;
 * the rest any thread.
 */
final class ArenaCore {

    /** Queue priorities, highest served first (the public arena priorities map onto these). */
    static final int LOW = 0;
    static final int NORMAL = 1;
    static final int HIGH = 2;

    private static final int HOLD_STRIDE = 16;           // ints per worker: one cache line each
    private static final VarHandle HOLD = MethodHandles.arrayElementVarHandle(int[].class);

    private final WorkerPool pool;
    private final int maxConcurrency;
    private final int priority;
    private final String name;
    final Region region = new Region(this, false);
    /** Never pooled chunks: a pooled xadd queue can lose a task ({@link SubmissionQueues}). */
    private final MpmcUnboundedXaddArrayQueue<Task<?>> queue = SubmissionQueues.newQueue(64);
    /** Permits taken now (by workers inside, less those lent by blocked holders). */
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger peakInside = new AtomicInteger();
    /** Tasks a worker found this arena full for, and queued to wait for a permit ({@link #forward}). */
    private final AtomicLong deferred = new AtomicLong();
    /**
     * Per worker, how deep it is inside this arena; each worker writes only its own entry. The
     * 0 -> 1 store is volatile and comes before the permit CAS, so a thread that finds the arena
     * full (after that CAS) also sees who holds a permit: {@link #forward} wakes those holders.
     */
    private final int[] holdDepth;
    /**
     * Set by a worker that found a task of this arena in a deque and passed it over because the
     * arena was at its cap; cleared by a worker that frees a permit and wakes a sleeper for it.
     * The task is in a deque, not in {@link #queue}, so a permit freed by {@link #exit} or
     * {@link #lend} would otherwise wake nobody for it, and if the deque's owner is blocked, the
     * thief that passed it over sleeps for ever (found by BlockingPatternsTest under load).
     */
    private volatile boolean passedOver;

    ArenaCore(WorkerPool pool, int maxConcurrency, int priority, String name) {
        this.pool = pool;
        this.maxConcurrency = maxConcurrency;
        this.priority = priority;
        this.name = name;
        this.holdDepth = new int[pool.workers.length * HOLD_STRIDE];
    }

    int maxConcurrency() {
        return maxConcurrency;
    }

    int priority() {
        return priority;
    }

    String name() {
        return name;
    }

    int peakConcurrency() {
        return peakInside.get();
    }

    /** Queues a task of this arena from any thread, through the scheduler's submission gate. */
    void submitFromOutside(Task<?> task, String schedulerName) {
        if (!pool.gate.enter()) {
            throw new RejectedExecutionException("scheduler " + schedulerName + " has been shut down");
        }
        try {
            queue.offer(task);
            pool.countOutsideSubmission();
            pool.sleep.notifyWork();
        } finally {
            if (pool.gate.exit()) {
                pool.sleep.wakeAll();
            }
        }
    }

    /**
     * Takes worker {@code index} into the arena: free if it is already inside, else one permit.
     *
     * @return false if the arena is at its cap
     */
    boolean enter(int index) {
        int slot = index * HOLD_STRIDE;
        int depth = holdDepth[slot];
        if (depth > 0) {
            holdDepth[slot] = depth + 1;                 // already inside: no permit, no fence
            return true;
        }
        HOLD.setVolatile(holdDepth, slot, 1);            // announce before taking the permit
        if (!tryAcquirePermit()) {
            HOLD.setVolatile(holdDepth, slot, 0);
            return false;
        }
        return true;
    }

    /** Leaves one level; the outermost exit returns the permit. */
    void exit(int index) {
        int slot = index * HOLD_STRIDE;
        int depth = holdDepth[slot] - 1;
        if (depth > 0) {
            holdDepth[slot] = depth;
            return;
        }
        HOLD.setVolatile(holdDepth, slot, 0);
        inside.decrementAndGet();                        // atomic: Dekker with a sleeper's re-check
        if (!queue.isEmpty()) {
            pool.sleep.notifyWorkIfSleepers();           // a permit is free for what waits here
        } else if (passedOver) {                         // after the decrement: Dekker with mayEnter
            passedOver = false;
            pool.sleep.notifyWorkIfSleepers();           // ...or for a task a thief passed over
        }
    }

    /** Whether worker {@code index} is inside this arena now. Any thread (a recent value). */
    boolean isHeldBy(int index) {
        return (int) HOLD.getVolatile(holdDepth, index * HOLD_STRIDE) > 0;
    }

    /**
     * Worker {@code index}, which holds a permit, has blocked: its permit is free for others until
     * {@link #takeBack}. Wakes a sleeper if tasks wait here.
     *
     * @return whether a permit was lent (false if the worker is not inside)
     */
    boolean lend(int index) {
        if (!isHeldBy(index)) {
            return false;
        }
        inside.decrementAndGet();
        if (!queue.isEmpty()) {
            pool.sleep.notifyWork();
        } else if (passedOver) {                         // after the decrement: Dekker with mayEnter
            passedOver = false;
            pool.sleep.notifyWork();                     // most often the blocked worker's own pushed task
        }
        return true;
    }

    /**
     * Lends the permits worker {@code index} holds in any of {@code arenas}.
     *
     * @return the arenas it lent to (null-terminated), or null if none, for {@link #takeBackAll}
     */
    static ArenaCore[] lendAll(ArenaCore[] arenas, int index) {
        ArenaCore[] lent = null;
        int count = 0;
        for (ArenaCore arena : arenas) {
            if (arena.lend(index)) {
                if (lent == null) {
                    lent = new ArenaCore[arenas.length];
                }
                lent[count++] = arena;
            }
        }
        return lent;
    }

    /** Takes back every permit that {@link #lendAll} lent. */
    static void takeBackAll(ArenaCore[] lent) {
        if (lent == null) {
            return;
        }
        for (ArenaCore arena : lent) {
            if (arena == null) {
                break;
            }
            arena.takeBack();
        }
    }

    /** The blocked worker resumed: it takes its permit back, even above the cap (see the class note). */
    void takeBack() {
        int now = inside.incrementAndGet();
        raisePeak(now);
    }

    /**
     * Hands a task this worker may not run now (the arena is at its cap) to the arena's queue,
     * where it starts when a permit frees. If the scheduler is stopped, the task runs without a
     * permit instead, so that it is neither lost after {@code shutdownNow}'s drain nor run twice.
     */
    void forward(Task<?> task, Worker worker) {
        boolean queued = false;
        try {
            if (pool.gate.enterHandOver()) {
                queue.offer(task);
                queued = true;
            }
        } finally {
            if (pool.gate.exit()) {
                pool.sleep.wakeAll();
            }
        }
        if (queued) {
            deferred.incrementAndGet();
            // Only a thread inside the arena may take the task now, and each of them may be asleep
            // in a join (nothing else to help with): wake those. The offer (an atomic add on the
            // queue's index) comes before these reads, and a holder registers as a sleeper before
            // it re-checks the queues, so either it sees the task or we see it asleep.
            int workers = pool.slotsInUse();
            for (int i = 0; i < workers; i++) {
                if (isHeldBy(i)) {
                    pool.sleep.wake(i);
                }
            }
            pool.sleep.notifyWorkIfSleepers();
        } else {
            worker.runWithoutPermit(task);
        }
    }

    /**
     * Whether worker {@code index} may enter now (it is inside, or a permit is free). A hint: the
     * permit may be gone a moment later, and then {@link #enter} fails and the task is forwarded.
     * A thief that is refused marks the arena as having a task passed over, so that whoever frees
     * a permit next wakes a sleeper ({@link #exit}, {@link #lend}).
     */
    boolean mayEnter(int index) {
        if (holdDepth[index * HOLD_STRIDE] > 0 || inside.get() < maxConcurrency) {
            return true;
        }
        // Dekker with exit/lend, which decrement inside and then read the mark: mark, then look
        // again. Either this second look sees the permit they freed, or they see the mark (and
        // this worker, registered as a sleeper before its last re-check, is woken).
        passedOver = true;
        return inside.get() < maxConcurrency;
    }

    /** A queued task, if worker {@code index} may enter the arena now. */
    Task<?> pollIfEnterable(int index) {
        if (queue.isEmpty() || (holdDepth[index * HOLD_STRIDE] == 0 && inside.get() >= maxConcurrency)) {
            // owner-only read of its own entry: plain is exact
            return null;
        }
        return queue.poll();
    }

    boolean hasQueued() {
        return !queue.isEmpty();
    }

    int queuedCount() {
        return queue.size();
    }

    int insideCount() {
        return inside.get();
    }

    /** Times so far a worker queued a task because it found the arena at its cap. Any thread. */
    long deferredCount() {
        return deferred.get();
    }

    /** Moves every queued task to {@code into} (for {@code shutdownNow}). */
    void drainTo(List<Task<?>> into) {
        for (Task<?> task; (task = queue.poll()) != null; ) {
            into.add(task);
        }
    }

    private boolean tryAcquirePermit() {
        for (int now = inside.get(); now < maxConcurrency; now = inside.get()) {
            if (inside.compareAndSet(now, now + 1)) {
                raisePeak(now + 1);
                return true;
            }
        }
        return false;
    }

    private void raisePeak(int now) {
        for (int peak = peakInside.get(); now > peak; peak = peakInside.get()) {
            if (peakInside.compareAndSet(peak, now)) {
                break;
            }
        }
    }
}
