package dev.spindle.core.testing;

/** An error a task throws on purpose. Tests check that it arrives as the same instance. */
public final class TaskError extends Error {
    public TaskError(String message) {
        super(message);
    }
}
