package dev.spindle.jcstress;

import dev.spindle.core.internal.Sleep;

/**
 * The {@link Sleep} operations of the submit-versus-park handshake, so that one test body runs on
 * the real protocol and on a deliberately broken copy.
 *
 * <p>Who may call: {@link #register} and {@link #leave} only worker {@code i} (an actor, or the
 * arbiter after it); {@link #notifyWork} any thread.
 */
public interface SleepUnderTest {

    /** Worker {@code i} announces it is about to park; it must re-check for work next. */
    long register(int i);

    /** Ends worker {@code i}'s registration; true if a notifier had claimed (woken) it. */
    boolean leave(int i, long ticket);

    /** Announces work made visible before the call; wakes a registered worker if there is one. */
    void notifyWork();
}
