package dev.spindle.jcstress;

import dev.spindle.core.internal.WorkStealingDeque;

/** The real {@link WorkStealingDeque}, the code under test. */
public final class SpindleDeque implements DequeUnderTest {

    private final WorkStealingDeque<Object> deque = new WorkStealingDeque<>();

    @Override
    public void push(Object element) {
        deque.push(element);
    }

    @Override
    public Object take() {
        return deque.take();
    }

    @Override
    public Object steal() {
        return deque.steal();
    }
}
