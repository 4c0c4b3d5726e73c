package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.spindle.core.testing.FirstBlockFailure;
import dev.spindle.core.testing.Occupation;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.SchedulerKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Parallel#forEach}: every element of every kind of source exactly once (random-access
 * lists by index; other lists, sets, plain iterables and spliterators through {@code trySplit}),
 * on every scheduler and size; lazy splitting; failures stop every part before the call returns.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelForEachTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /** The sources: each holds the integers {@code 0..n-1} once. */
    enum Source {
        ARRAY_LIST(n -> new ArrayList<>(ints(n))),
        LINKED_LIST(n -> new LinkedList<>(ints(n))),
        HASH_SET(n -> new HashSet<>(ints(n))),
        TREE_SET(n -> new TreeSet<>(ints(n))),
        ARRAY_DEQUE(n -> new ArrayDeque<>(ints(n))),
        PLAIN_ITERABLE(n -> plainIterable(ints(n))),
        UNMODIFIABLE_LIST(n -> Collections.unmodifiableList(ints(n)));

        private final IntFunction<Iterable<Integer>> make;

        Source(IntFunction<Iterable<Integer>> make) {
            this.make = make;
        }

        Iterable<Integer> of(int n) {
            return make.apply(n);
        }
    }

    private static List<Integer> ints(int n) {
        List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }

    /** An Iterable that is nothing else: its spliterator is the default one over the iterator. */
    private static Iterable<Integer> plainIterable(List<Integer> items) {
        return new Iterable<>() {
            @Override
            public Iterator<Integer> iterator() {
                return items.iterator();
            }
        };
    }

    static final int[] SIZES = {0, 1, 2, 17, 1_023, 1_025, 4_097, 100_003};

    static Stream<Arguments> sourcesSizesSchedulers() {
        List<Arguments> cases = new ArrayList<>();
        for (SchedulerKind kind : SchedulerKind.values()) {
            for (Source source : Source.values()) {
                for (int n : SIZES) {
                    cases.add(arguments(kind, source, n));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}, n = {2}")
    @MethodSource("sourcesSizesSchedulers")
    void forEach_everySource_visitsEveryElementOnce(SchedulerKind kind, Source source, int n) {
        Scheduler scheduler = kind.make(hygiene);
        AtomicIntegerArray seen = new AtomicIntegerArray(n);

        Parallel.forEach(scheduler, source.of(n), i -> seen.incrementAndGet(i));

        assertEachOnce(seen);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void forEach_spliterators_ofKnownAndUnknownSize_visitEveryElementOnce(SchedulerKind kind) {
        Scheduler scheduler = kind.make(hygiene);
        int n = 200_003;
        List<Function<Integer, Spliterator<Integer>>> sources = List.of(
                size -> ints(size).spliterator(),
                size -> IntStream.range(0, size).boxed().spliterator(),
                size -> IntStream.range(0, size).filter(i -> true).boxed().spliterator(),
                size -> Spliterators.spliteratorUnknownSize(ints(size).iterator(), Spliterator.ORDERED),
                size -> Stream.iterate(0, i -> i + 1).limit(size).spliterator());
        for (Function<Integer, Spliterator<Integer>> source : sources) {
            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            Parallel.forEach(scheduler, source.apply(n), i -> seen.incrementAndGet(i));
            assertEachOnce(seen);
        }
    }

    @Test
    void forEach_aSpliteratorThatNeverSplits_runsItAll() {
        Scheduler scheduler = hygiene.newScheduler(2);
        int n = 5_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Spliterator<Integer> whole = ints(n).spliterator();
        Spliterator<Integer> unsplittable = new Spliterators.AbstractSpliterator<>(n, Spliterator.SIZED) {
            @Override
            public boolean tryAdvance(java.util.function.Consumer<? super Integer> action) {
                return whole.tryAdvance(action);
            }

            @Override
            public Spliterator<Integer> trySplit() {
                return null;
            }
        };

        Parallel.forEach(scheduler, unsplittable, i -> seen.incrementAndGet(i));

        assertEachOnce(seen);
    }

    @Test
    void forEach_listWithNulls_passesThemToTheAction() {
        Scheduler scheduler = hygiene.newScheduler(2);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            items.add(i % 3 == 0 ? null : "x" + i);
        }
        LongAdder nulls = new LongAdder();
        LongAdder others = new LongAdder();

        Parallel.forEach(scheduler, items, item -> (item == null ? nulls : others).increment());
        Parallel.forEach(scheduler, new LinkedList<>(items), item -> (item == null ? nulls : others).increment());

        assertEquals(2 * 3_334, nulls.sum());
        assertEquals(2 * 6_666, others.sum());
    }

    private static void assertEachOnce(AtomicIntegerArray seen) {
        for (int i = 0; i < seen.length(); i++) {
            if (seen.get(i) != 1) {
                fail("element " + i + " seen " + seen.get(i) + " times");
            }
        }
    }

    // ------------------------------------------------------------------ splitting

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Source.class, names = {"ARRAY_LIST", "LINKED_LIST", "HASH_SET", "PLAIN_ITERABLE"})
    void forEach_onTwoIdleWorkers_usesBoth(Source source) {
        Scheduler scheduler = hygiene.newScheduler(2);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);

        Parallel.forEach(scheduler, source.of(20_000), i -> {
            threads.add(Thread.currentThread().getName());
            while (threads.size() < 2 && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();                     // hold until the other worker joins in
            }
        });

        assertEquals(2, threads.size(), () -> "threads seen: " + threads);
    }

    @Test
    void forEach_whileTheOtherWorkerIsBusy_splitsLittle() throws InterruptedException {
        // Nobody can steal: the walk declines to split after the first few batches, and batches
        // grow, so a nested forEach costs little more than a plain loop.
        Scheduler scheduler = hygiene.newScheduler(2);
        Occupation busy = Occupation.ofOneWorker(scheduler);
        int n = 100_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        AtomicLong splits = new AtomicLong();
        Spliterator<Integer> counting = countingSplits(ints(n).spliterator(), splits);
        long tasks;
        try {
            tasks = scheduler.invoke(() -> {
                Task<Void> outerPiece = scheduler.fork(() -> null);   // stays on this deque
                long before = scheduler.stats().tasksExecuted();
                Parallel.forEach(scheduler, counting, i -> seen.incrementAndGet(i));
                long forked = scheduler.stats().tasksExecuted() - before;
                outerPiece.join();
                return forked;
            });
        } finally {
            busy.release();
        }
        assertEachOnce(seen);
        assertEquals(0, tasks, "the walk forked although its deque held work for thieves");
        assertEquals(0, splits.get(), "trySplit called although nobody could take a part");
    }

    /** A spliterator that counts the splits made on it and on every part split from it. */
    private static <T> Spliterator<T> countingSplits(Spliterator<T> inner, AtomicLong splits) {
        return new Spliterator<>() {
            @Override
            public boolean tryAdvance(java.util.function.Consumer<? super T> action) {
                return inner.tryAdvance(action);
            }

            @Override
            public Spliterator<T> trySplit() {
                Spliterator<T> part = inner.trySplit();
                if (part == null) {
                    return null;
                }
                splits.incrementAndGet();
                return countingSplits(part, splits);
            }

            @Override
            public long estimateSize() {
                return inner.estimateSize();
            }

            @Override
            public int characteristics() {
                return inner.characteristics();
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SchedulerKind.class)
    void forEach_nestedInsideForEach_visitsEveryPairOnce(SchedulerKind kind) {
        Scheduler scheduler = kind.make(hygiene);
        int outer = 64;
        int inner = 2_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(outer * inner);
        List<Integer> innerItems = ints(inner);

        Parallel.forEach(scheduler, new LinkedList<>(ints(outer)), a ->
                Parallel.forEach(scheduler, innerItems, b -> seen.incrementAndGet(a * inner + b)));

        assertEachOnce(seen);
    }

    // ------------------------------------------------------------------ failures and arguments

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Source.class, names = {"ARRAY_LIST", "LINKED_LIST", "PLAIN_ITERABLE"})
    void forEach_actionThrows_rethrowsTheSameInstance_andNothingRunsAfterwards(Source source)
            throws InterruptedException {
        Scheduler scheduler = hygiene.newScheduler(2);
        int n = 20_000;
        FirstBlockFailure action = new FirstBlockFailure("action fails", n, 20);
        action.assertRethrown_andNothingStartsAfterwards(IllegalStateException.class,
                () -> Parallel.forEach(scheduler, source.of(n), i -> action.visit(i)), "actions");
    }

    @Test
    void arguments_nulls_throwNamingTheArgument() {
        Scheduler scheduler = hygiene.newScheduler(1);
        assertEquals("items", assertThrows(NullPointerException.class,
                () -> Parallel.forEach(scheduler, (Iterable<Integer>) null, i -> { })).getMessage());
        assertEquals("items", assertThrows(NullPointerException.class,
                () -> Parallel.forEach((Spliterator<Integer>) null, i -> { })).getMessage());
        assertEquals("action", assertThrows(NullPointerException.class,
                () -> Parallel.forEach(List.of(1), null)).getMessage());
        assertEquals("scheduler", assertThrows(NullPointerException.class,
                () -> Parallel.forEach(null, List.of(1), i -> { })).getMessage());
    }

    @Test
    void globalOverloads_runOnTheGlobalScheduler() {
        AtomicIntegerArray seen = new AtomicIntegerArray(30_000);
        Parallel.forEach(ints(10_000), i -> seen.incrementAndGet(i));
        Parallel.forEach(Arrays.asList(ints(20_000).subList(10_000, 20_000).toArray(new Integer[0])).spliterator(),
                i -> seen.incrementAndGet(i));
        Parallel.forEach(new TreeSet<>(ints(30_000).subList(20_000, 30_000)), i -> seen.incrementAndGet(i));
        assertEachOnce(seen);
    }
}
