package dev.spindle.jcstress;

import dev.spindle.core.internal.WorkStealingDeque;

/**
 * The deque operations the jcstress tests race, so that one test body runs on
 * {@link WorkStealingDeque} and, unchanged, on each deliberately broken copy of it. Each test JVM
 * runs one test on one implementation, so the calls stay monomorphic.
 *
 * <p>Who may call: {@link #push} and {@link #take} the owner (one actor, or the state's constructor
 * and the arbiter, which jcstress orders before and after the actors); {@link #steal} any actor.
 */
public interface DequeUnderTest {

    /** {@code take()} and {@code steal()} results as outcome codes: an element is its own number. */
    int EMPTY = 0;
    int ABORT = -1;

    void push(Object element);

    Object take();

    /** An element, null if the deque looked empty, or {@link WorkStealingDeque#ABORT} on a lost race. */
    Object steal();

    /**
     * Takes until the deque is empty and returns how many elements that took: the arbiter's count
     * of what no actor got. Owner only (the arbiter, after the actors).
     */
    default int drain() {
        int left = 0;
        while (take() != null) {
            left++;
        }
        return left;
    }

    /** The outcome code of a take or steal result whose elements are {@link Integer}s. */
    static int code(Object result) {
        if (result == null) {
            return EMPTY;
        }
        if (result == WorkStealingDeque.ABORT) {
            return ABORT;
        }
        return (Integer) result;
    }
}
