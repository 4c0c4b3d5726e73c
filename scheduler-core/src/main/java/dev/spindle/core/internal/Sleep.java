package dev.spindle.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Where idle workers sleep, and how new work wakes exactly one of them without ever losing a
 * wake-up. The protocol and its proof sketch are in {@code docs/design/sleep.md}; in short:
 *
 * <pre>
 *   sleeper i:  slot[i] = SLEEPING; ticket = register();   // one atomic add on the state word
 *               re-check every queue; if work: leave(i, ticket)
 *               else park until slot[i] != SLEEPING (or the caller's own wake condition holds)
 *   notifier:   make the work visible; s = state.getAndAdd(EVENT)  // one atomic add
 *               if sleepers(s) &gt; 0: claim some slot SLEEPING -&gt; AWAKE by CAS and unpark it
 * </pre>
 *
 * Both sides write the state word with an atomic read-modify-write before they read what the other
 * side wrote, so at least one of them sees the other (the Dekker pattern): either the sleeper's
 * re-check finds the work, or the notifier counts the sleeper and claims one.
 *
 * <p>The state word packs {@code [events : 48 | sleepers : 16]}. {@code sleepers} counts the
 * workers that have registered and not yet left; only a registration adds to it and only the
 * registered worker itself takes away, once per registration, so the count cannot drift. The
 * {@code events} field is only compared for equality and may wrap.
 *
 * <p>Who may call: {@link #register}, {@link #park} and {@link #leave} only worker {@code i}
 * itself; {@link #notifyWork}, {@link #notifyPushed}, {@link #notifyWorkIfSleepers} and
 * {@link #wakeAll} any thread.
 */
public final class Sleep {

    private static final int AWAKE = 0;
    private static final int SLEEPING = 1;

    private static final long SLEEPER = 1L;
    private static final long SLEEPER_MASK = 0xFFFFL;
    private static final long EVENT = 1L << 16;

    /** The most workers the sleeper count can hold. */
    public static final int MAX_WORKERS = (int) SLEEPER_MASK;

    private static final VarHandle STATE;
    private static final VarHandle SLOT_STATE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Sleep.class, "state", long.class);
            SLOT_STATE = lookup.findVarHandle(Slot.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Per-worker sleep flag, padded so that one worker's sleep does not disturb its neighbours. */
    private static final class Slot {
        @SuppressWarnings("unused") long p1, p2, p3, p4, p5, p6, p7;
        volatile int state;
        volatile Thread thread;
        @SuppressWarnings("unused") long q1, q2, q3, q4, q5, q6, q7;
    }

    @SuppressWarnings("unused") private long p1, p2, p3, p4, p5, p6, p7;
    private volatile long state;
    @SuppressWarnings("unused") private long q1, q2, q3, q4, q5, q6, q7;

    private final Slot[] slots;

    /**
     * @param workers how many workers may sleep here (1 to {@link #MAX_WORKERS})
     * @throws IllegalArgumentException if {@code workers} is out of range
     */
    public Sleep(int workers) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be in [1, " + MAX_WORKERS + "], was " + workers);
        }
        slots = new Slot[workers];
        for (int i = 0; i < workers; i++) {
            slots[i] = new Slot();
        }
    }

    /** Tells which thread is worker {@code i}; called once, before the worker can sleep. */
    public void bind(int i, Thread thread) {
        slots[i].thread = thread;
    }

    /**
     * Announces that worker {@code i} is about to sleep. The caller must then re-check every place
     * work can appear, and call {@link #leave} if it found some, or {@link #park} if not.
     *
     * @return the ticket to hand to {@link #park} or {@link #leave}
     */
    public long register(int i) {
        slots[i].state = SLEEPING;                       // before the count: a notifier that counts
                                                         // us can also find us
        long previous = (long) STATE.getAndAdd(this, SLEEPER);   // atomic: the sleeper's side of Dekker
        return previous + SLEEPER;
    }

    /**
     * Parks worker {@code i} until a notifier claims it, {@code wakeEarly} becomes true (checked
     * after every unpark; a thread that can make it true must unpark worker {@code i}), or the
     * deadline passes, or (if {@code interruptible}) the thread is interrupted. The interrupt status
     * is kept either way.
     *
     * @param deadline a {@link System#nanoTime()} value, or 0 for none
     * @param interruptible whether an interrupt ends the sleep; if not, it is held back while
     *     sleeping (else every later park would return at once) and restored afterwards
     * @return true if a notifier claimed this worker (new work was announced), false if it woke
     *     for its own reason
     */
    public boolean park(int i, long ticket, BooleanSupplier wakeEarly, long deadline,
                        boolean interruptible) {
        Slot slot = slots[i];
        boolean interrupted = false;
        while (slot.state == SLEEPING && !wakeEarly.getAsBoolean()) {
            if (deadline == 0L) {
                LockSupport.park(this);
            } else {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0L) {
                    break;
                }
                LockSupport.parkNanos(this, remaining);
            }
            if (Thread.currentThread().isInterrupted()) {
                if (interruptible) {
                    break;
                }
                // An interrupt would make every later park return at once (a busy loop); clear
                // it while we sleep and give it back to the caller afterwards.
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return leave(i, ticket);
    }

    /**
     * Ends a registration of worker {@code i}: after a re-check that found work, or after
     * {@link #park}. If the worker leaves on its own while work was announced since it registered,
     * the wake-up it may have absorbed is passed on to another sleeper.
     *
     * @return true if a notifier had claimed this worker
     */
    public boolean leave(int i, long ticket) {
        boolean selfWoken = SLOT_STATE.compareAndSet(slots[i], SLEEPING, AWAKE);
        long previous = (long) STATE.getAndAdd(this, -SLEEPER);
        if (selfWoken && events(previous) != events(ticket)) {
            // A notifier may have counted us as a sleeper and then found no one to claim, because
            // we cleared our own slot. Hand its wake-up on, so it is not lost.
            wakeOne();
        }
        return !selfWoken;
    }

    /**
     * Announces new work that no awake worker may see (an outside submission): counts an event and
     * wakes one sleeper if there is any. Call after the work is visible in its queue.
     */
    public void notifyWork() {
        long previous = (long) STATE.getAndAdd(this, EVENT);   // atomic: the notifier's side of Dekker
        if (sleepers(previous) > 0) {
            wakeOne();
        }
    }

    /**
     * Announces a task that a worker just pushed on its own deque: one full fence and one load when
     * nobody sleeps, and {@link #notifyWork()} when somebody does. Call right after the push.
     *
     * <p>The fence is the pusher's half of the Dekker handshake: the push publishes with a release
     * store, and without a StoreLoad barrier the load of the sleeper count below could overtake it
     * (x86 does this). A sleeper's re-check could then miss the task while this load misses the
     * sleeper, and if the pushing task waits for the pushed one without joining it (a latch, a
     * future), both would wait forever. {@code ForkJoinPool} pays the same fence (a volatile slot
     * store) on every push.
     */
    public void notifyPushed() {
        VarHandle.fullFence();                           // push's store -> load of the count
        notifyWorkIfSleepers();
    }

    /**
     * Announces more work where the caller has already made a sleeper's re-check see some work
     * (a thief that leaves tasks behind in a victim's deque, a worker that leaves more in a queue):
     * one load when nobody sleeps. This only spreads the wake-up; it is not a Dekker handshake.
     */
    public void notifyWorkIfSleepers() {
        if (sleepers(state) > 0) {
            notifyWork();
        }
    }

    /** Wakes every sleeping worker, for shutdown. Any thread. */
    public void wakeAll() {
        STATE.getAndAdd(this, EVENT);
        for (Slot slot : slots) {
            claimAndUnpark(slot);
        }
    }


    /**
     * Wakes worker {@code i} if it is registered as sleeping, as a notifier would (it is claimed,
     * so it scans for work after waking). Any thread; used when only that worker may run the work
     * (a task forwarded to an arena whose permits it holds).
     *
     * @return true if worker {@code i} was sleeping and is now woken
     */
    public boolean wake(int i) {
        return claimAndUnpark(slots[i]);
    }


    private void wakeOne() {
        for (Slot slot : slots) {
            if (claimAndUnpark(slot)) {
                return;
            }
        }
    }

    private static boolean claimAndUnpark(Slot slot) {
        if (slot.state == SLEEPING && SLOT_STATE.compareAndSet(slot, SLEEPING, AWAKE)) {
            LockSupport.unpark(slot.thread);
            return true;
        }
        return false;
    }

    private static long sleepers(long state) {
        return state & SLEEPER_MASK;
    }

    private static long events(long state) {
        return state >>> 16;
    }
}
