package dev.spindle.core.testing;

/** A checked exception a task throws on purpose. Tests check that it arrives as the same instance. */
public final class CheckedFailure extends Exception {
    public CheckedFailure(String message) {
        super(message);
    }
}
