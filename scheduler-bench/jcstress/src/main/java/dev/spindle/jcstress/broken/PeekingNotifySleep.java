package dev.spindle.jcstress.broken;

import dev.spindle.core.internal.Sleep;
import dev.spindle.jcstress.SleepUnderTest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A deliberately broken copy of {@link Sleep}: {@code notifyWork()} reads the state word (a volatile
 * load, as {@code notifyWorkIfSleepers()} does) instead of adding an event to it with an atomic
 * read-modify-write. The notifier's publication of the task (a release store) can then be passed
 * by its read of the sleeper count, and the Dekker handshake of docs/design/sleep.md breaks: the
 * worker re-checks and sees no task, the notifier sees no sleeper, and the task waits while the
 * worker sleeps. {@code SubmitVsParkOnPeekingNotify} must catch it. Test code; never shipped.
 */
public final class PeekingNotifySleep implements SleepUnderTest {

    private static final int AWAKE = 0;
    private static final int SLEEPING = 1;

    private static final long SLEEPER = 1L;
    private static final long SLEEPER_MASK = 0xFFFFL;
    private static final long EVENT = 1L << 16;

    private static final VarHandle STATE;
    private static final VarHandle SLOT_STATE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(PeekingNotifySleep.class, "state", long.class);
            SLOT_STATE = lookup.findVarHandle(Slot.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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

    public PeekingNotifySleep(int workers) {
        slots = new Slot[workers];
        for (int i = 0; i < workers; i++) {
            slots[i] = new Slot();
        }
    }

    @Override
    public long register(int i) {
        slots[i].state = SLEEPING;
        long previous = (long) STATE.getAndAdd(this, SLEEPER);
        return previous + SLEEPER;
    }

    @Override
    public boolean leave(int i, long ticket) {
        boolean selfWoken = SLOT_STATE.compareAndSet(slots[i], SLEEPING, AWAKE);
        long previous = (long) STATE.getAndAdd(this, -SLEEPER);
        if (selfWoken && events(previous) != events(ticket)) {
            wakeOne();
        }
        return !selfWoken;
    }

    @Override
    public void notifyWork() {
        long previous = state;                           // BROKEN: the original does STATE.getAndAdd(this, EVENT)
        if (sleepers(previous) > 0) {
            wakeOne();
        }
    }

    private void wakeOne() {
        for (Slot slot : slots) {
            if (slot.state == SLEEPING && SLOT_STATE.compareAndSet(slot, SLEEPING, AWAKE)) {
                LockSupport.unpark(slot.thread);
                return;
            }
        }
    }

    private static long sleepers(long state) {
        return state & SLEEPER_MASK;
    }

    private static long events(long state) {
        return state >>> 16;
    }
}
