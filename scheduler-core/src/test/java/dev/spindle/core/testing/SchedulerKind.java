package dev.spindle.core.testing;

import dev.spindle.core.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The schedulers every algorithm test runs on: parallelism 1 (nothing ever splits), 2 (this
 * machine's cores), 4 (more workers than cores, so parts are preempted mid-way), and
 * {@link Scheduler#global()} (never closed; the hygiene checks exempt it).
 */
public enum SchedulerKind {
    ONE_WORKER(1),
    TWO_WORKERS(2),
    FOUR_WORKERS(4),
    GLOBAL(0);

    private final int parallelism;

    SchedulerKind(int parallelism) {
        this.parallelism = parallelism;
    }

    /** A new scheduler closed and checked after the test, or the global one. */
    public Scheduler make(SchedulerHygiene hygiene) {
        return parallelism == 0 ? Scheduler.global() : hygiene.newScheduler(parallelism);
    }

    /** The cases (kind, size) of a parameterized test: every kind with every size, kind by kind. */
    public static Stream<Arguments> eachWithSize(int[] sizes) {
        return eachWith(IntStream.of(sizes).boxed().toArray());
    }

    /** The cases (kind, value) of a parameterized test: every kind with every value, kind by kind. */
    public static Stream<Arguments> eachWith(Object[] values) {
        List<Arguments> cases = new ArrayList<>();
        for (SchedulerKind kind : values()) {
            for (Object value : values) {
                cases.add(Arguments.of(kind, value));
            }
        }
        return cases.stream();
    }
}
