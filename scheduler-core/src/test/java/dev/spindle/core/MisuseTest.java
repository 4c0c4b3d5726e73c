package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.ThreadStacks;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R17 of docs/design/reliability.md: misuse gets a clear exception at once, never a hang. A task
 * that waits for itself, a group closed from one of its own members, a worker stack size no
 * thread can have, an absurd parallelism; and a large but sane parallelism just works.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MisuseTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /** "Promptly": a misuse is detected, not waited out. */
    private static final long PROMPTLY_MILLIS = 5_000;
    /** "Within a few seconds" for building and closing a scheduler of 1000 workers. */
    private static final long FEW_SECONDS_MILLIS = 5_000;

    /**
     * The misuse was answered with an unchecked exception that says what is wrong (an
     * IllegalStateException or similar; a CancellationException would not say it).
     */
    private static void assertRefusedClearly(Object outcome, String misuse) {
        assertTrue(outcome instanceof RuntimeException && !(outcome instanceof CancellationException)
                        && !(outcome instanceof CompletionException),
                () -> misuse + ": expected an IllegalStateException (or a similar unchecked exception), got " + outcome);
        String message = ((RuntimeException) outcome).getMessage();
        assertTrue(message != null && !message.isBlank(), () -> misuse + ": the exception says nothing: " + outcome);
    }

    // ------------------------------------------------------------------ self-join

    /** How the task waits for itself. */
    enum SelfWait {
        JOIN {
            @Override
            void on(Task<Object> self) {
                self.join();
            }
        },
        GET {
            @Override
            void on(Task<Object> self) throws Exception {
                self.get();
            }
        };

        abstract void on(Task<Object> self) throws Exception;
    }

    static Stream<Arguments> selfWaits() {
        return Stream.of(SelfWait.values()).flatMap(how -> Stream.of(1, 2).map(p -> Arguments.of(how, p)));
    }

    @ParameterizedTest(name = "{0} on parallelism {1}")
    @MethodSource("selfWaits")
    void aTaskThatWaitsForItself_getsAnIllegalStateExceptionPromptly_insteadOfHanging(SelfWait how, int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        AtomicReference<Task<Object>> holder = new AtomicReference<>();
        Task<Object> task = scheduler.submit(() -> {
            BoundedWait.until(() -> holder.get() != null, PROMPTLY_MILLIS);
            Task<Object> self = holder.get();
            try {
                how.on(self);
                return "returned from waiting for itself";
            } catch (Exception refused) {
                return refused;
            }
        });
        holder.set(task);

        Object outcome;
        try {
            outcome = BoundedWait.call(task::get, PROMPTLY_MILLIS, scheduler.name());
        } catch (AssertionError hung) {
            task.cancel(false);                          // ends the self-wait, so the pool can close
            throw new AssertionError("a task that called " + how + " on itself hung: " + hung.getMessage(), hung);
        }
        assertRefusedClearly(outcome, "a task that called " + how + " on its own Task");
    }

    // ------------------------------------------------------------------ close() from a member

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void taskGroupClose_calledByOneOfTheGroupsOwnMembers_throwsPromptly_insteadOfHanging(int parallelism)
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        TaskGroup group = TaskGroup.open(scheduler);
        AtomicReference<Object> outcome = new AtomicReference<>();
        group.spawn(() -> {
            try {
                group.close();                           // would wait for this very member
                outcome.set("close() returned inside a member of the group");
            } catch (RuntimeException refused) {
                outcome.set(refused);
            }
        });

        boolean answered = BoundedWait.until(() -> outcome.get() != null, PROMPTLY_MILLIS);
        assertTrue(answered, () -> "TaskGroup.close() called by a member of the group neither returned nor threw within "
                + PROMPTLY_MILLIS + " ms (it waits for the member that called it); threads:\n"
                + ThreadStacks.of(scheduler.name()));
        BoundedWait.call(() -> {
            try {
                group.close();                           // the owner's close still ends the group
            } catch (RuntimeException reported) {
                // reporting the misuse again here is allowed; hanging is not
            }
            return null;
        }, 10_000, scheduler.name());
        assertRefusedClearly(outcome.get(), "TaskGroup.close() called by one of the group's own members");
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void workerStackSizeOfLongMaxValue_isRefusedWithIllegalArgumentException_namingTheValue() throws Exception {
        Object outcome = BoundedWait.call(() -> {
            try {
                Scheduler built = Scheduler.builder().parallelism(1).name(SchedulerHygiene.uniqueName("misuse"))
                        .workerStackSize(Long.MAX_VALUE).build();
                hygiene.track(built);                    // it should not exist; if it does, it is closed
                return "accepted, and built " + built;
            } catch (Throwable refusedOrFailed) {
                // An OutOfMemoryError ("unable to create native thread") must not escape: JUnit
                // treats it as unrecoverable and aborts the whole run.
                return refusedOrFailed;
            }
        }, 20_000, "misuse");

        assertTrue(outcome instanceof IllegalArgumentException, () -> "workerStackSize(Long.MAX_VALUE) must be"
                + " refused with IllegalArgumentException, before any thread is started; got " + outcome);
        String message = ((IllegalArgumentException) outcome).getMessage();
        assertTrue(message != null && message.contains(String.valueOf(Long.MAX_VALUE)),
                () -> "the refusal does not name the value " + Long.MAX_VALUE + ": " + message);
    }

    @Test
    void absurdParallelism_isRefusedWithAClearMessage() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> hygiene.track(Scheduler.builder().parallelism(100_000).build()));

        String message = refused.getMessage();
        assertTrue(message != null && message.contains("100000")
                        && message.toLowerCase(Locale.ROOT).contains("parallelism"),
                () -> "the refusal should name the setting and the value 100000: " + message);
    }

    @Test
    void parallelismOfAThousand_buildsRunsATaskAndClosesWithinAFewSeconds() throws Exception {
        String name = SchedulerHygiene.uniqueName("misuse") + "-p1000";
        long start = System.nanoTime();

        int value = BoundedWait.call(() -> {
            Scheduler scheduler = hygiene.track(Scheduler.builder().parallelism(1000).name(name).build());
            Future<Integer> task = scheduler.submit(() -> 42);
            int result = task.get(10, TimeUnit.SECONDS);
            scheduler.close();
            return result;
        }, 20_000, name);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(42, value);
        assertTrue(millis < FEW_SECONDS_MILLIS, () -> "building, using and closing a scheduler of 1000 workers took "
                + millis + " ms");
        assertTrue(BoundedWait.until(() -> ThreadStacks.liveThreadsNamed(name + "-worker") == 0, 10_000),
                () -> ThreadStacks.liveThreadsNamed(name + "-worker") + " of its worker threads still alive after close");
    }
}
