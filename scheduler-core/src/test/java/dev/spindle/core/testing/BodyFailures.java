package dev.spindle.core.testing;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.core.Scheduler;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * The rule every call that runs a body and waits for it keeps for the body's failure
 * ({@code docs/reliability.md}, R2 and R14): an unchecked exception or an error arrives as the same
 * instance, a checked exception wrapped in a {@link CompletionException} whose cause is the same
 * instance.
 */
public final class BodyFailures {

    private BodyFailures() {
    }

    /** A call that runs {@code body} and returns its result: {@code invoke}, {@code isolate}, an arena's {@code execute}. */
    @FunctionalInterface
    public interface RunsBody {
        Object run(Callable<Object> body);
    }

    /** Checks the rule for {@code call} made from the test's thread. */
    public static void assertRethrownAsThrown(RunsBody call) {
        TaskFailure failure = new TaskFailure("planned");
        TaskError error = new TaskError("planned");
        CheckedFailure checked = new CheckedFailure("planned");

        assertSame(failure, assertThrows(TaskFailure.class, () -> call.run(() -> {
            throw failure;
        })));
        assertSame(error, assertThrows(TaskError.class, () -> call.run(() -> {
            throw error;
        })));
        assertSame(checked, assertThrows(CompletionException.class, () -> call.run(() -> {
            throw checked;
        })).getCause());
    }

    /** Checks the rule for {@code call} made from the test's thread and from a task on {@code scheduler}. */
    public static void assertRethrownAsThrown(Scheduler scheduler, RunsBody call) {
        assertRethrownAsThrown(call);
        TaskFailure failure = new TaskFailure("planned, inside a task");
        Throwable inside = scheduler.invoke(() -> Thrown.by(() -> call.run(() -> {
            throw failure;
        })));
        assertSame(failure, inside);
    }
}
