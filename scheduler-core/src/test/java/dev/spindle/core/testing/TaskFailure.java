package dev.spindle.core.testing;

/** A failure a task throws on purpose. Tests check that it arrives as the same instance. */
public final class TaskFailure extends RuntimeException {
    public TaskFailure(String message) {
        super(message);
    }
}
