package dev.spindle.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A deliberately broken copy of {@link WorkStealingDeque}, for {@link WorkStealingDequeLincheckTest}
 * to prove that the check can fail: {@link #take()} takes the last element as if no thief could be
 * racing for it, with no CAS on {@code top}. A thief that read the old {@code bottom} then steals
 * the same element, so it is returned twice. Test code only; everything else is as in the original.
 */
final class UncontestedLastTakeDeque<E> {

    private static final int INITIAL_CAPACITY = 64;

    private static final VarHandle TOP;
    private static final VarHandle BOTTOM;
    private static final VarHandle ARRAY;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOP = lookup.findVarHandle(UncontestedLastTakeDeque.class, "top", long.class);
            BOTTOM = lookup.findVarHandle(UncontestedLastTakeDeque.class, "bottom", long.class);
            ARRAY = lookup.findVarHandle(UncontestedLastTakeDeque.class, "array", Object[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long top;
    private volatile long bottom;
    private volatile Object[] array = new Object[INITIAL_CAPACITY];

    void push(E element) {
        long b = (long) BOTTOM.getOpaque(this);
        long t = (long) TOP.getAcquire(this);
        Object[] a = (Object[]) ARRAY.getOpaque(this);
        if (b - t > a.length - 1) {
            a = grow(a, t, b);
        }
        SLOT.setOpaque(a, (int) b & (a.length - 1), element);
        BOTTOM.setRelease(this, b + 1);
    }

    @SuppressWarnings("unchecked")
    E take() {
        long b = (long) BOTTOM.getOpaque(this) - 1;
        Object[] a = (Object[]) ARRAY.getOpaque(this);
        BOTTOM.setOpaque(this, b);
        VarHandle.fullFence();
        long t = (long) TOP.getOpaque(this);
        if (t > b) {
            BOTTOM.setOpaque(this, b + 1);
            return null;
        }
        int index = (int) b & (a.length - 1);
        Object element = SLOT.getOpaque(a, index);
        // BROKEN: the original races the thieves for the last element (t == b) with a CAS on top.
        SLOT.setOpaque(a, index, null);
        return (E) element;
    }

    boolean takeIfBottom(E expected) {
        long b = (long) BOTTOM.getOpaque(this) - 1;
        Object[] a = (Object[]) ARRAY.getOpaque(this);
        int index = (int) b & (a.length - 1);
        if (SLOT.getOpaque(a, index) != expected || b < (long) TOP.getOpaque(this)) {
            return false;
        }
        BOTTOM.setOpaque(this, b);
        VarHandle.fullFence();
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

    Object steal() {
        long t = (long) TOP.getAcquire(this);
        VarHandle.fullFence();
        long b = (long) BOTTOM.getAcquire(this);
        if (t >= b) {
            return null;
        }
        Object[] a = (Object[]) ARRAY.getAcquire(this);
        int index = (int) t & (a.length - 1);
        Object element = SLOT.getAcquire(a, index);
        if (element == null || !TOP.compareAndSet(this, t, t + 1)) {
            return WorkStealingDeque.ABORT;
        }
        SLOT.compareAndSet(a, index, element, null);
        return element;
    }

    private Object[] grow(Object[] old, long t, long b) {
        Object[] bigger = new Object[old.length << 1];
        for (long i = t; i < b; i++) {
            bigger[(int) i & (bigger.length - 1)] = SLOT.getOpaque(old, (int) i & (old.length - 1));
        }
        ARRAY.setRelease(this, bigger);
        return bigger;
    }
}
