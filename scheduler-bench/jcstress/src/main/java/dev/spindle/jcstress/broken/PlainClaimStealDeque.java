package dev.spindle.jcstress.broken;

import dev.spindle.core.internal.WorkStealingDeque;
import dev.spindle.jcstress.DequeUnderTest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A deliberately broken copy of {@link WorkStealingDeque}: {@code steal()} claims index t with a
 * plain (release) store of top instead of a CAS, so two thieves that read the same top both take
 * the element there. {@code StealVsStealOnPlainClaim} must catch it. Test code; never shipped.
 */
public final class PlainClaimStealDeque implements DequeUnderTest {

    private static final int INITIAL_CAPACITY = 64;

    private static final VarHandle TOP;
    private static final VarHandle BOTTOM;
    private static final VarHandle ARRAY;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOP = lookup.findVarHandle(PlainClaimStealDeque.class, "top", long.class);
            BOTTOM = lookup.findVarHandle(PlainClaimStealDeque.class, "bottom", long.class);
            ARRAY = lookup.findVarHandle(PlainClaimStealDeque.class, "array", Object[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") private long p01, p02, p03, p04, p05, p06, p07;
    private volatile long top;
    @SuppressWarnings("unused") private long p11, p12, p13, p14, p15, p16, p17;
    private volatile long bottom;
    private volatile Object[] array = new Object[INITIAL_CAPACITY];
    @SuppressWarnings("unused") private long p21, p22, p23, p24, p25, p26, p27;

    @Override
    public void push(Object element) {
        long b = (long) BOTTOM.getOpaque(this);
        long t = (long) TOP.getAcquire(this);
        Object[] a = (Object[]) ARRAY.getOpaque(this);
        if (b - t > a.length - 1) {
            a = grow(a, t, b);
        }
        SLOT.setOpaque(a, (int) b & (a.length - 1), element);
        BOTTOM.setRelease(this, b + 1);
    }

    @Override
    public Object take() {
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
        if (t == b) {
            boolean won = TOP.compareAndSet(this, t, t + 1);
            BOTTOM.setOpaque(this, b + 1);
            if (!won) {
                return null;
            }
        }
        SLOT.setOpaque(a, index, null);
        return element;
    }

    @Override
    public Object steal() {
        long t = (long) TOP.getAcquire(this);
        VarHandle.fullFence();
        long b = (long) BOTTOM.getAcquire(this);
        if (t >= b) {
            return null;
        }
        Object[] a = (Object[]) ARRAY.getAcquire(this);
        int index = (int) t & (a.length - 1);
        Object element = SLOT.getAcquire(a, index);
        if (element == null) {
            return WorkStealingDeque.ABORT;
        }
        TOP.setRelease(this, t + 1);                     // BROKEN: the original claims index t by CAS
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
