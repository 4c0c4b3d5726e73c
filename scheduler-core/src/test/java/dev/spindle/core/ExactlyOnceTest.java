package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.testing.SchedulerHygiene;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R4, short form: random fork/join trees, run through {@link Scheduler#invoke} and by two outside
 * submitters at the same time, run every task exactly once and compute the sequential result.
 */
class ExactlyOnceTest {

    private static final boolean STRESS = Boolean.getBoolean("spindle.stress");
    /** Task nodes per parallelism, over all trees. */
    private static final int TASKS = STRESS ? 1_000_000 : 100_000;
    /** Trees each outside submitter brings. */
    private static final int TREES_PER_SUBMITTER = 10;
    private static final long WAIT_SECONDS = 45;

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    /** How a node forks and joins its children. */
    private enum Mode {
        FORK_ALL_JOIN_IN_ORDER,
        FORK_ALL_JOIN_IN_REVERSE,
        /** The first child through {@link Scheduler#invoke} (inline on a worker), the rest forked. */
        INVOKE_FIRST_FORK_REST,
        /** Fork child j+1 before joining child j. */
        PIPELINED,
        /** Fork all and return without joining: the tree's driver joins them later. */
        FORK_AND_LEAVE,
        /** Fork all, then wait with {@code get()} in a rotated order. */
        FORK_ALL_GET_ROTATED
    }

    private static final Mode[] MODES = Mode.values();

    /**
     * The shape of one random tree, fixed by a seed: node ids are local, preorder; node {@code id}
     * counts its runs in slot {@code offset + id} of the shared ledger.
     */
    private static final class TreeShape {
        final int offset;
        final int size;
        final int[][] children;
        final Mode[] modes;
        private final SplittableRandom random;
        private int next;

        TreeShape(int offset, int size, long seed) {
            this.offset = offset;
            this.size = size;
            this.children = new int[size][];
            this.modes = new Mode[size];
            this.random = new SplittableRandom(seed);
            build(size);
        }

        /** Builds a subtree of exactly {@code budget} nodes; returns its root. */
        private int build(int budget) {
            int id = next++;
            modes[id] = MODES[random.nextInt(MODES.length)];
            int rest = budget - 1;
            if (rest == 0) {
                children[id] = new int[0];
                return id;
            }
            int fanOut = random.nextInt(8) == 0 ? 1 : 1 + random.nextInt(Math.min(6, rest));
            int[] parts = split(rest, fanOut);
            int[] kids = new int[fanOut];
            for (int j = 0; j < fanOut; j++) {
                kids[j] = build(parts[j]);
            }
            children[id] = kids;
            return id;
        }

        /** {@code total} split into {@code k} random positive parts (Dirichlet-like weights). */
        private int[] split(int total, int k) {
            int[] parts = new int[k];
            double[] weights = new double[k];
            double sum = 0;
            for (int j = 0; j < k; j++) {
                weights[j] = -Math.log(1.0 - random.nextDouble());
                sum += weights[j];
            }
            int extra = total - k;
            int given = 0;
            for (int j = 0; j < k; j++) {
                parts[j] = 1 + (int) (extra * (weights[j] / sum));
                given += parts[j];
            }
            parts[random.nextInt(k)] += total - given;
            return parts;
        }

        static long value(int globalId) {
            long z = globalId * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 31)) * 0xBF58476D1CE4E5B9L;
            return z ^ (z >>> 29);
        }

        /** The sequential result of the whole tree: the root's, plus every left-behind subtree's. */
        long sequentialTotal() {
            long[] leftBehind = new long[1];
            long root = sequential(0, leftBehind);
            return root + leftBehind[0];
        }

        private long sequential(int id, long[] leftBehind) {
            int[] kids = children[id];
            long result = value(offset + id);
            for (int kid : kids) {
                long r = sequential(kid, leftBehind);
                if (modes[id] == Mode.FORK_AND_LEAVE) {
                    leftBehind[0] += r;
                } else {
                    result = result * 31 + r;
                }
            }
            return result;
        }
    }

    /** One run of one tree on a scheduler: the node tasks, and the driver that joins what was left. */
    private static final class TreeRun implements Callable<Long> {
        final TreeShape shape;
        final Scheduler scheduler;
        final AtomicIntegerArray ledger;
        final ConcurrentLinkedQueue<Task<Long>> leftBehind = new ConcurrentLinkedQueue<>();

        TreeRun(TreeShape shape, Scheduler scheduler, AtomicIntegerArray ledger) {
            this.shape = shape;
            this.scheduler = scheduler;
            this.ledger = ledger;
        }

        /** The driver: runs the root, then joins every task a node forked and left behind. */
        @Override
        public Long call() {
            long total = node(0);
            // A left-behind task is queued before the node that forked it completes, so once the
            // root is done, draining until empty (joining as we go) reaches every one of them.
            for (Task<Long> task; (task = leftBehind.poll()) != null; ) {
                total += task.join();
            }
            return total;
        }

        private Task<Long> fork(int kid) {
            return scheduler.fork(() -> node(kid));
        }

        private long node(int id) {
            ledger.incrementAndGet(shape.offset + id);
            int[] kids = shape.children[id];
            long result = TreeShape.value(shape.offset + id);
            int k = kids.length;
            if (k == 0) {
                return result;
            }
            long[] results = new long[k];
            List<Task<Long>> forked = new ArrayList<>(k);
            switch (shape.modes[id]) {
                case FORK_ALL_JOIN_IN_ORDER:
                    for (int kid : kids) {
                        forked.add(fork(kid));
                    }
                    for (int j = 0; j < k; j++) {
                        results[j] = forked.get(j).join();
                    }
                    break;
                case FORK_ALL_JOIN_IN_REVERSE:
                    for (int kid : kids) {
                        forked.add(fork(kid));
                    }
                    for (int j = k - 1; j >= 0; j--) {
                        results[j] = forked.get(j).join();
                    }
                    break;
                case INVOKE_FIRST_FORK_REST:
                    forked.add(null);
                    for (int j = 1; j < k; j++) {
                        forked.add(fork(kids[j]));
                    }
                    results[0] = scheduler.invoke(() -> node(kids[0]));
                    for (int j = 1; j < k; j++) {
                        results[j] = forked.get(j).join();
                    }
                    break;
                case PIPELINED:
                    forked.add(fork(kids[0]));
                    for (int j = 1; j < k; j++) {
                        forked.add(fork(kids[j]));
                        results[j - 1] = forked.get(j - 1).join();
                    }
                    results[k - 1] = forked.get(k - 1).join();
                    break;
                case FORK_AND_LEAVE:
                    for (int kid : kids) {
                        leftBehind.add(fork(kid));
                    }
                    return result;
                case FORK_ALL_GET_ROTATED:
                    for (int kid : kids) {
                        forked.add(fork(kid));
                    }
                    for (int step = 0; step < k; step++) {
                        int j = (step + id) % k;
                        try {
                            results[j] = forked.get(j).get();
                        } catch (InterruptedException | ExecutionException e) {
                            throw new AssertionError("get of child " + kids[j] + " of node " + id, e);
                        }
                    }
                    break;
                default:
                    throw new AssertionError(shape.modes[id]);
            }
            for (long r : results) {
                result = result * 31 + r;
            }
            return result;
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 3, 8})
    void randomForkJoinTrees_withOutsideSubmitters_runEveryTaskExactlyOnce(int parallelism) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(parallelism);
        SplittableRandom seeds = new SplittableRandom(0x5EED0000L + parallelism);

        // 60 % of the tasks in one tree through invoke, 20 % for each outside submitter.
        List<TreeShape> shapes = new ArrayList<>();
        int offset = 0;
        int mainSize = TASKS * 3 / 5;
        shapes.add(new TreeShape(offset, mainSize, seeds.nextLong()));
        offset += mainSize;
        int perSubmitterTree = (TASKS - mainSize) / 2 / TREES_PER_SUBMITTER;
        for (int i = 0; i < 2 * TREES_PER_SUBMITTER; i++) {
            int size = Math.max(1, perSubmitterTree / 2 + seeds.nextInt(perSubmitterTree));
            shapes.add(new TreeShape(offset, size, seeds.nextLong()));
            offset += size;
        }
        AtomicIntegerArray ledger = new AtomicIntegerArray(offset);
        long[] expected = new long[shapes.size()];
        for (int i = 0; i < shapes.size(); i++) {
            expected[i] = shapes.get(i).sequentialTotal();
        }
        long[] actual = new long[shapes.size()];

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService outside = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "outside-submitter");
            t.setDaemon(true);
            return t;
        });
        try {
            // The main tree, through invoke from a thread outside the pool.
            Future<?> main = outside.submit(() -> {
                start.await();
                actual[0] = scheduler.invoke(new TreeRun(shapes.get(0), scheduler, ledger));
                return null;
            });
            // Submitter A: submits all its trees, then waits for each.
            Future<?> submitterA = outside.submit(() -> {
                start.await();
                List<Task<Long>> submitted = new ArrayList<>();
                for (int i = 1; i <= TREES_PER_SUBMITTER; i++) {
                    submitted.add(scheduler.submit(new TreeRun(shapes.get(i), scheduler, ledger)));
                }
                for (int i = 1; i <= TREES_PER_SUBMITTER; i++) {
                    actual[i] = submitted.get(i - 1).get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                return null;
            });
            // Submitter B: one tree at a time, each through invoke.
            Future<?> submitterB = outside.submit(() -> {
                start.await();
                for (int i = TREES_PER_SUBMITTER + 1; i <= 2 * TREES_PER_SUBMITTER; i++) {
                    actual[i] = scheduler.invoke(new TreeRun(shapes.get(i), scheduler, ledger));
                }
                return null;
            });
            start.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            for (Future<?> f : List.of(main, submitterA, submitterB)) {
                try {
                    f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    fail("trees not done within " + WAIT_SECONDS + " s on " + scheduler + "; " + scheduler.stats()
                            + "; " + describeLedger(ledger));
                }
            }
        } finally {
            outside.shutdownNow();
        }

        assertEquals("", describeLedger(ledger), "every task must run exactly once");
        for (int i = 0; i < shapes.size(); i++) {
            assertEquals(expected[i], actual[i], "result of tree " + i + " (" + shapes.get(i).size + " tasks)");
        }
    }

    /** Empty if every slot is 1; otherwise how many ran never or more than once, with examples. */
    private static String describeLedger(AtomicIntegerArray ledger) {
        int never = 0;
        int repeated = 0;
        int firstNever = -1;
        int firstRepeated = -1;
        for (int i = 0; i < ledger.length(); i++) {
            int runs = ledger.get(i);
            if (runs == 0) {
                never++;
                firstNever = firstNever < 0 ? i : firstNever;
            } else if (runs > 1) {
                repeated++;
                firstRepeated = firstRepeated < 0 ? i : firstRepeated;
            }
        }
        if (never == 0 && repeated == 0) {
            return "";
        }
        return never + " of " + ledger.length() + " tasks never ran (first " + firstNever + "), "
                + repeated + " ran more than once (first " + firstRepeated + ")";
    }
}
