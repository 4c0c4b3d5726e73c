package dev.spindle.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Predicate;

/**
 * A Chase–Lev work-stealing deque: one owner pushes and takes at the bottom, any number of
 * thieves steal at the top. The orderings follow Lê, Pop, Cohen and Zappa Nardelli, "Correct and
 * Efficient Work-Stealing for Weak Memory Models" (PPoPP 2013); {@code docs/design/deque.md}
 * gives the algorithm and why each fence is there.
 *
 * <p>Who may call: {@link #push}, {@link #take}, {@link #takeIf} and {@link #takeIfBottom} only the
 * owner thread; {@link #steal}, {@link #stealIf}, {@link #isEmpty} and {@link #size} any thread.
 *
 * <p>Visibility: everything the owner wrote before {@code push(e)} is visible to the thread that
 * takes or steals {@code e}. Every pushed element is returned by exactly one successful take or
 * steal. The deque keeps no reference to an element after it has been taken or stolen.
 *
 * @param <E> the element type
 */
public final class WorkStealingDeque<E> {

    /** Returned by {@link #steal()} when it lost a race: the deque may still hold elements. */
    public static final Object ABORT = new Object() {
        @Override
        public String toString() {
            return "ABORT";
        }
    };

    private static final int INITIAL_CAPACITY = 64;
    private static final int MAX_CAPACITY = 1 << 30;

    private static final VarHandle TOP;
    private static final VarHandle BOTTOM;
    private static final VarHandle ARRAY;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOP = lookup.findVarHandle(WorkStealingDeque.class, "top", long.class);
            BOTTOM = lookup.findVarHandle(WorkStealingDeque.class, "bottom", long.class);
            ARRAY = lookup.findVarHandle(WorkStealingDeque.class, "array", Object[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Thieves write top; the owner writes bottom and array. Keep them on separate cache lines so
    // that a steal does not invalidate the line the owner pushes on.
    @SuppressWarnings("unused") private long p01, p02, p03, p04, p05, p06, p07;
    /** Index of the oldest element; only ever increases, and only by CAS. */
    private volatile long top;
    @SuppressWarnings("unused") private long p11, p12, p13, p14, p15, p16, p17;
    /** One past the newest element; written only by the owner. */
    private volatile long bottom;
    /** Power-of-two ring; replaced (never shrunk) by the owner when full. */
    private volatile Object[] array;
    @SuppressWarnings("unused") private long p21, p22, p23, p24, p25, p26, p27;

    /** Creates an empty deque with a small initial ring that grows on demand. */
    public WorkStealingDeque() {
        this.array = new Object[INITIAL_CAPACITY];
    }

    /**
     * Adds {@code element} at the bottom. Owner only.
     *
     * <p>The element is written with a plain store and then published by the release store of
     * {@code bottom}: a thief that reads the new bottom with acquire semantics sees the element and
     * everything the owner wrote before pushing it.
     *
     * @throws NullPointerException if {@code element} is null
     */
    public void push(E element) {
        if (element == null) {
            throw new NullPointerException("element");
        }
        long b = (long) BOTTOM.getOpaque(this);          // only the owner writes bottom
        long t = (long) TOP.getAcquire(this);
        Object[] a = (Object[]) ARRAY.getOpaque(this);   // only the owner writes array
        if (b - t > a.length - 1) {
            a = grow(a, t, b);
        }
        SLOT.setOpaque(a, (int) b & (a.length - 1), element);
        BOTTOM.setRelease(this, b + 1);                  // publishes the slot to thieves
    }

    /**
     * Removes and returns the newest element, or {@code null} if the deque is empty. Owner only.
     *
     * <p>The full fence between the store of the decremented bottom and the load of top is what
     * makes this correct: without it, the owner and a thief can both see the last element as
     * theirs (found by jcstress on a release/acquire version). A race for the last element is
     * decided by a CAS on top.
     */
    @SuppressWarnings("unchecked")
    public E take() {
        long b = (long) BOTTOM.getOpaque(this) - 1;
        Object[] a = (Object[]) ARRAY.getOpaque(this);
        BOTTOM.setOpaque(this, b);
        VarHandle.fullFence();                           // store bottom -> load top (StoreLoad)
        long t = (long) TOP.getOpaque(this);
        if (t > b) {                                     // was empty
            BOTTOM.setOpaque(this, b + 1);
            return null;
        }
        int index = (int) b & (a.length - 1);
        Object element = SLOT.getOpaque(a, index);
        if (t == b) {                                    // last element: race the thieves for it
            boolean won = TOP.compareAndSet(this, t, t + 1);
            BOTTOM.setOpaque(this, b + 1);
            if (!won) {
                return null;
            }
            // A losing thief reads the slot before its CAS fails; clearing is still safe because
            // a thief treats whatever it read as void once its CAS on top fails.
        }
        SLOT.setOpaque(a, index, null);                  // no reference kept after the take
        return (E) element;
    }

    /**
     * Removes and returns the newest element if {@code accept} accepts it; otherwise returns null
     * and leaves the deque as it was. Owner only. (Isolation: a waiting worker may only take the
     * tasks of its own region.)
     */
    @SuppressWarnings("unchecked")
    public E takeIf(Predicate<? super E> accept) {
        long b = (long) BOTTOM.getOpaque(this) - 1;
        Object[] a = (Object[]) ARRAY.getOpaque(this);
        Object newest = SLOT.getOpaque(a, (int) b & (a.length - 1));
        if (newest == null || b < (long) TOP.getOpaque(this) || !accept.test((E) newest)) {
            return null;
        }
        return takeIfBottom((E) newest) ? (E) newest : null;
    }

    /**
     * Removes {@code expected} if it is the newest element, and reports whether it did. Owner only.
     * This is the fast path of a join: the task just forked is usually still at the bottom.
     */
    public boolean takeIfBottom(E expected) {
        long b = (long) BOTTOM.getOpaque(this) - 1;
        Object[] a = (Object[]) ARRAY.getOpaque(this);
        int index = (int) b & (a.length - 1);
        // Only the owner writes slots, so this plain check is exact for the owner. If a thief has
        // already stolen the element, the slot may still hold it; the protocol below finds that.
        if (SLOT.getOpaque(a, index) != expected || b < (long) TOP.getOpaque(this)) {
            return false;
        }
        BOTTOM.setOpaque(this, b);
        VarHandle.fullFence();                           // same StoreLoad as in take()
        long t = (long) TOP.getOpaque(this);
        if (t > b) {
            BOTTOM.setOpaque(this, b + 1);
            return false;
        }
        if (t == b) {
            boolean won = TOP.compareAndSet(this, t, t + 1);
            BOTTOM.setOpaque(this, b + 1);
            if (!won) {
                return false;
            }
        }
        SLOT.setOpaque(a, index, null);
        return true;
    }

    /**
     * Removes and returns the oldest element; returns {@code null} if the deque looked empty, or
     * {@link #ABORT} if another thread took the element first (the deque may not be empty: a
     * caller that saw ABORT must look again rather than go to sleep). Any thread.
     *
     * <p>The fence between the loads of top and bottom pairs with the fence in {@link #take()}: a
     * thief and the owner cannot both miss each other's index update.
     */
    public Object steal() {
        long t = (long) TOP.getAcquire(this);
        VarHandle.fullFence();                           // load top -> load bottom, pairs with take()
        long b = (long) BOTTOM.getAcquire(this);         // acquires the owner's push of slot t
        if (t >= b) {
            return null;
        }
        Object[] a = (Object[]) ARRAY.getAcquire(this);  // the ring that holds index t (grow copies it)
        int index = (int) t & (a.length - 1);
        Object element = SLOT.getAcquire(a, index);
        if (element == null || !TOP.compareAndSet(this, t, t + 1)) {
            return ABORT;                                // the owner or another thief took index t
        }
        // Clear the slot we won, unless the owner has since reused it for a newer element (it may,
        // once top has moved past t): a CAS, because a plain store could erase that element.
        SLOT.compareAndSet(a, index, element, null);
        clearInGrownRing(a, t, element);
        return element;
    }

    /**
     * After a steal of index t from ring {@code read}: if the owner has grown the ring meanwhile,
     * the new ring may hold a copy of the stolen element; clear it there too. Dekker pair with
     * {@link #grow}: our CAS on top comes before this volatile read of the ring, and grow's
     * publication of the ring comes before its fenced read of top, so either we see the new ring
     * here, or grow sees our top and clears the copy itself.
     */
    private void clearInGrownRing(Object[] read, long t, Object element) {
        Object[] current = (Object[]) ARRAY.getVolatile(this);
        if (current != read) {
            SLOT.compareAndSet(current, (int) t & (current.length - 1), element, null);
        }
    }

    /**
     * Like {@link #steal()}, but only takes the oldest element if {@code accept} accepts it; if not,
     * returns null as if the deque were empty (the caller may not run that element anyway). The
     * element tested is the element taken: the CAS on top succeeds only if index t was not taken.
     * Any thread.
     */
    @SuppressWarnings("unchecked")
    public Object stealIf(Predicate<? super E> accept) {
        long t = (long) TOP.getAcquire(this);
        VarHandle.fullFence();                           // as in steal()
        long b = (long) BOTTOM.getAcquire(this);
        if (t >= b) {
            return null;
        }
        Object[] a = (Object[]) ARRAY.getAcquire(this);
        int index = (int) t & (a.length - 1);
        Object element = SLOT.getAcquire(a, index);
        if (element == null) {
            return ABORT;
        }
        if (!accept.test((E) element)) {
            // Rejected; but if top moved meanwhile, what we tested may be stale: report a lost race.
            return (long) TOP.getAcquire(this) == t ? null : ABORT;
        }
        if (!TOP.compareAndSet(this, t, t + 1)) {
            return ABORT;
        }
        SLOT.compareAndSet(a, index, element, null);
        clearInGrownRing(a, t, element);
        return element;
    }

    /** Whether the deque looked empty at some moment during the call. Any thread. */
    public boolean isEmpty() {
        return (long) BOTTOM.getAcquire(this) <= (long) TOP.getAcquire(this);
    }

    /** A snapshot of the number of elements; exact only when no other thread is active. Any thread. */
    public int size() {
        long t = (long) TOP.getAcquire(this);
        long b = (long) BOTTOM.getAcquire(this);
        return (int) Math.max(0, b - t);
    }

    /** Copies the live range [t, b) into a ring twice as large and publishes it. Owner only. */
    private Object[] grow(Object[] old, long t, long b) {
        if (old.length >= MAX_CAPACITY) {
            throw new IllegalStateException("work-stealing deque is full: " + old.length + " elements");
        }
        Object[] bigger = new Object[old.length << 1];
        for (long i = t; i < b; i++) {
            bigger[(int) i & (bigger.length - 1)] = SLOT.getOpaque(old, (int) i & (old.length - 1));
        }
        // Release: a thief that acquires the new ring sees the copied slots. Thieves still reading
        // the old ring read valid elements there, since the old ring is never written again.
        ARRAY.setRelease(this, bigger);
        // Thieves may have won indices in [t, now) while we copied: their copies in the new ring
        // are dead references. Fence (publish ring -> load top), then clear them; a thief that
        // read the old ring after our publication clears its copy itself (clearInGrownRing).
        VarHandle.fullFence();
        long stolenUpTo = (long) TOP.getAcquire(this);
        for (long i = t; i < stolenUpTo; i++) {
            SLOT.setOpaque(bigger, (int) i & (bigger.length - 1), null);
        }
        return bigger;
    }
}
