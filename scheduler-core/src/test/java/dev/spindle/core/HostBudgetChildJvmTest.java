package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.core.internal.HostBudget;
import dev.spindle.core.internal.HostBudgetSetting;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host budget across processes: child JVMs that name one budget never run more tasks at once,
 * together, than it has tokens (counted in a memory-mapped file every child updates atomically);
 * a child killed with {@code kill -9} while it holds tokens has given them back once it is gone; and a
 * JVM that waits gets a token from children that keep their workers busy (the quantum). Every
 * child has a deadline and is killed when the test ends, however it ends.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostBudgetChildJvmTest {

    private static final long CHILD_SECONDS = 60;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    @TempDir
    Path temp;

    /** The child: uses the global scheduler, budgeted by the system properties it was started with. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Scheduler scheduler = Scheduler.global();
            switch (args[0]) {
                case "leaves": {
                    // args: leaves, counter file, count, children. Each leaf counts itself running
                    // in the shared file (slot 0: running now; slot 1: the most ever seen) and spins
                    // 1 ms. The children start their leaves together (slot 2 counts the ready ones).
                    MappedByteBuffer shared = map(Paths.get(args[1]));
                    int count = Integer.parseInt(args[2]);
                    long children = Long.parseLong(args[3]);
                    LONGS.getAndAdd(shared, 16, 1L);
                    while ((long) LONGS.getVolatile(shared, 16) < children) {
                        Thread.sleep(1);
                    }
                    List<Future<?>> futures = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        futures.add(scheduler.submit(() -> {
                            long now = (long) LONGS.getAndAdd(shared, 0, 1L) + 1;
                            for (long peak = (long) LONGS.getVolatile(shared, 8); now > peak;
                                 peak = (long) LONGS.getVolatile(shared, 8)) {
                                if (LONGS.compareAndSet(shared, 8, peak, now)) {
                                    break;
                                }
                            }
                            spin(1_000_000L);
                            LONGS.getAndAdd(shared, 0, -1L);
                        }));
                    }
                    for (Future<?> future : futures) {
                        future.get();
                    }
                    System.out.println("DONE");
                    break;
                }
                case "busy": {
                    // Keeps every worker busy with short tasks until killed; says when all run.
                    int workers = scheduler.parallelism();
                    java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
                    for (int w = 0; w < workers; w++) {
                        scheduler.execute(() -> {
                            if (started.incrementAndGet() == workers) {
                                System.out.println("HOLDING");
                                System.out.flush();
                            }
                            keepBusy(scheduler);
                        });
                    }
                    Thread.sleep(TimeUnit.SECONDS.toMillis(CHILD_SECONDS));
                    break;
                }
                default:
                    throw new IllegalArgumentException("mode " + args[0]);
            }
        }

        /** Short tasks, one after another on this worker: a task boundary about every 200 µs. */
        private static void keepBusy(Scheduler scheduler) {
            spin(200_000L);
            scheduler.execute(() -> keepBusy(scheduler));
        }

        private static void spin(long nanos) {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }
    }

    private static MappedByteBuffer map(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, 24);
        }
    }

    private Process start(String budget, int cores, int parallelism, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        if (budget != null) {
            command.add("-D" + HostBudgetSetting.PROPERTY + "=" + budget);
            command.add("-D" + HostBudgetSetting.CORES_PROPERTY + "=" + cores);
        }
        command.add("-Dspindle.parallelism=" + parallelism);
        command.add("-Djava.io.tmpdir=" + temp);
        command.add(Child.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("XDG_RUNTIME_DIR");
        builder.environment().remove(HostBudgetSetting.ENVIRONMENT);
        return builder.start();
    }

    /** This JVM's handle on the children's budget (another process, so the locks contend). */
    private HostBudget sameBudget(String name, int cores) {
        Map<String, String> properties = Map.of(HostBudgetSetting.PROPERTY, name,
                HostBudgetSetting.CORES_PROPERTY, Integer.toString(cores),
                "user.name", System.getProperty("user.name"), "java.io.tmpdir", temp.toString());
        return HostBudget.open(HostBudgetSetting.resolve(properties::get, variable -> null, 2));
    }

    /** Reads the child's output in the background; completes with the first line equal to {@code wanted}. */
    private static CompletableFuture<String> lineOf(Process child, String wanted, StringBuffer output) {
        CompletableFuture<String> found = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                    if (line.equals(wanted)) {
                        found.complete(line);
                    }
                }
            } catch (IOException e) {
                // the child was killed
            }
            found.complete(null);
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return found;
    }

    @Test
    void threeChildrenNamingOneBudget_neverRunMoreTasksTogetherThanItsTokens() throws Exception {
        long peak = peakOfThreeChildren("three", "budgeted");
        assertTrue(peak >= 1 && peak <= 2, "tasks running at once in three JVMs under a budget of 2: " + peak);
        // The control: the same children without the budget do overlap, so the count above can see it.
        long unbudgeted = peakOfThreeChildren(null, "unbudgeted");
        assertTrue(unbudgeted > 2, "without a budget three JVMs of 2 workers ran at most " + unbudgeted
                + " tasks at once: the count cannot see a broken budget");
    }

    /** Starts three children of 2 workers each, 150 leaves each, together; the peak they counted. */
    private long peakOfThreeChildren(String budget, String counterName) throws Exception {
        Path counter = temp.resolve(counterName);
        MappedByteBuffer shared = map(counter);
        List<Process> children = new ArrayList<>();
        List<StringBuffer> outputs = new ArrayList<>();
        List<CompletableFuture<String>> done = new ArrayList<>();
        try {
            for (int c = 0; c < 3; c++) {
                Process child = start(budget, 2, 2, "leaves", counter.toString(), "150", "3");
                StringBuffer output = new StringBuffer();
                children.add(child);
                outputs.add(output);
                done.add(lineOf(child, "DONE", output));
            }
            for (int c = 0; c < 3; c++) {
                Process child = children.get(c);
                if (!child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)) {
                    fail("child " + c + " did not finish within " + CHILD_SECONDS + " s:\n" + outputs.get(c));
                }
                assertEquals("DONE", done.get(c).get(10, TimeUnit.SECONDS), "child " + c + ":\n" + outputs.get(c));
            }
            assertEquals(0L, (long) LONGS.getVolatile(shared, 0));
            return (long) LONGS.getVolatile(shared, 8);
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    /**
     * The operating system drops the locks of a process as it dies, so the tokens are free by the
     * time the killed child is gone: taken at once, with no retry. (Measured from the kill, the
     * child's end is the operating system's business: a busy machine takes its time to schedule the
     * exit of every thread of a killed JVM.)
     */
    @Test
    void aChildKilledWhileHoldingTokens_givesThemBackAsItDies() throws Exception {
        HostBudget budget = sameBudget("killed", 2);
        Process child = start("killed", 2, 2, "busy");
        StringBuffer output = new StringBuffer();
        List<Integer> taken = new ArrayList<>();
        try {
            assertEquals("HOLDING", lineOf(child, "HOLDING", output).get(CHILD_SECONDS, TimeUnit.SECONDS),
                    () -> "the child never held its tokens:\n" + output);
            assertEquals(HostBudget.NONE, budget.tryAcquire(), "a token was free while the child held both");
            long killed = System.nanoTime();
            child.destroyForcibly();
            assertTrue(child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS), "the child did not die of kill -9");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            for (int i = 0; i < 2; i++) {
                int token = budget.tryAcquire();
                if (token >= 0) {
                    taken.add(token);
                }
            }
            assertEquals(2, taken.size(), "tokens free once the child was gone (" + millis + " ms after kill -9): "
                    + taken.size());
        } finally {
            child.destroyForcibly();
            taken.forEach(budget::release);
        }
    }

    @Test
    void aWaitingJvm_getsATokenFromChildrenThatKeepEveryWorkerBusy() throws Exception {
        HostBudget budget = sameBudget("fair", 2);
        Process child = start("fair", 2, 2, "busy");
        StringBuffer output = new StringBuffer();
        int token = HostBudget.NONE;
        try {
            assertEquals("HOLDING", lineOf(child, "HOLDING", output).get(CHILD_SECONDS, TimeUnit.SECONDS),
                    () -> "the child never held its tokens:\n" + output);
            budget.waiterArrived();
            long start = System.nanoTime();
            try {
                long deadline = start + TimeUnit.SECONDS.toNanos(5);
                while ((token = budget.tryAcquire()) == HostBudget.NONE && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(1_000_000L);
                    budget.stillWaiting();
                }
            } finally {
                budget.waiterLeft();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(token >= 0, "no token within 5 s from a busy JVM while this one waited");
            assertTrue(child.isAlive(), "the child died:\n" + output);
            System.out.println("a waiting JVM got a token after " + millis + " ms");
        } finally {
            child.destroyForcibly();
            budget.release(token);
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
