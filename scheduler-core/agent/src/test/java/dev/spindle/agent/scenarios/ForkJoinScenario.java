package dev.spindle.agent.scenarios;

import dev.spindle.core.Scheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveTask;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Fork/join under the agent, started inside a Spindle task and from the main thread: parallel
 * streams, Arrays.parallelSort, RecursiveTask, invokeAll and exceptions give the JDK's results, and
 * no common-pool thread is started.
 */
public final class ForkJoinScenario {

    public static void main(String[] args) throws Exception {
        work("main thread");
        Scheduler.global().submit(() -> {
            work("a Spindle task");
            return null;
        }).get();
        Scheduler.global().submit(() -> {
            List<ForkJoinTask<Integer>> many = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                many.add(new Fib(18));
            }
            ForkJoinTask.invokeAll(many);
            int sum = many.stream().mapToInt(ForkJoinTask::join).sum();
            Check.that(sum == 8 * 2584, "invokeAll(collection) inside a Spindle task, sum " + sum);
            return null;
        }).get();
        List<String> common = Check.liveThreads().stream().map(Thread::getName)
                .filter(n -> n.startsWith("ForkJoinPool")).collect(Collectors.toList());
        Check.that(common.isEmpty(), "no ForkJoinPool thread was started: " + common);
        System.out.println("DONE");
    }

    private static void work(String where) {
        long sum = IntStream.range(0, 3_000_000).parallel().mapToLong(i -> i % 7).sum();
        Check.that(sum == IntStream.range(0, 3_000_000).mapToLong(i -> i % 7).sum(), "parallel sum on " + where);
        List<Integer> boxed = IntStream.range(0, 100_000).parallel().boxed().collect(Collectors.toList());
        Check.that(boxed.size() == 100_000 && boxed.get(99_999) == 99_999, "parallel collect in order on " + where);
        double[] data = new Random(42).doubles(2_000_000).toArray();
        double[] serial = data.clone();
        Arrays.sort(serial);
        Arrays.parallelSort(data);
        Check.that(Arrays.equals(data, serial), "Arrays.parallelSort on " + where);
        Check.that(new Fib(22).invoke() == 17711, "RecursiveTask fork/join on " + where);
        Fib a = new Fib(15);
        Fib b = new Fib(16);
        ForkJoinTask.invokeAll(a, b);
        Check.that(a.join() + b.join() == 610 + 987, "invokeAll(a, b) on " + where);
        IllegalStateException thrown = null;
        try {
            new Failing(12).invoke();
        } catch (IllegalStateException e) {
            thrown = e;
        }
        Check.that(thrown != null && "leaf".equals(thrown.getMessage()), "an exception comes back through join on "
                + where);
    }

    /** fib(n) with a fork per call above the cutoff. */
    static final class Fib extends RecursiveTask<Integer> {
        private final int n;

        Fib(int n) {
            this.n = n;
        }

        @Override
        protected Integer compute() {
            if (n < 2) {
                return n;
            }
            if (n < 8) {
                return new Fib(n - 1).compute() + new Fib(n - 2).compute();
            }
            Fib first = new Fib(n - 1);
            first.fork();
            int second = new Fib(n - 2).compute();
            return first.join() + second;
        }
    }

    /** A recursion whose leaves throw. */
    static final class Failing extends RecursiveTask<Integer> {
        private final int n;

        Failing(int n) {
            this.n = n;
        }

        @Override
        protected Integer compute() {
            if (n == 0) {
                throw new IllegalStateException("leaf");
            }
            Failing left = new Failing(n - 1);
            left.fork();
            int right = new Failing(n - 1).compute();
            return left.join() + right;
        }
    }
}
