package dev.spindle.bench.core;

import dev.spindle.core.Scheduler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long the tokens of a JVM killed with {@code kill -9} take to reach another JVM of the same
 * host budget. A holder JVM runs one endless busy task per token, so it holds every token and never
 * reaches a task boundary (where the fairness quantum would hand one over); a waiter JVM submits one
 * busy task per token, which cannot start. The driver confirms that none starts while the holder
 * lives, kills the holder, and reports when the waiter's tasks started, counted from the kill: the
 * recovery time the issue bounds at a second. The waiter's tasks spin, not block, until all of them
 * run, so no stand-in borrows a blocked share and each task start means one more token taken.
 *
 * <p>Times cross processes as wall-clock microseconds ({@link Instant#now()}), one host's clock.
 * Every child is killed when the trial ends, however it ends.
 */
final class HostBudgetRecoveryTrial {

    /** How long the driver watches the waiter before the kill, to see that no task starts. */
    static final long QUIET_MILLIS = 500;
    /** How long any step may take before the trial reports a failure. */
    static final long STEP_SECONDS = 30;

    private HostBudgetRecoveryTrial() {
    }

    /** The JVM that holds every token: one endless busy task per worker. */
    public static final class Holder {
        public static void main(String[] args) throws InterruptedException {
            Scheduler scheduler = Scheduler.global();
            int workers = scheduler.parallelism();
            AtomicInteger started = new AtomicInteger();
            for (int i = 0; i < workers; i++) {
                scheduler.execute(() -> {
                    started.incrementAndGet();
                    while (true) {
                        Thread.onSpinWait();               // holds its worker's token until killed
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
            while (started.get() < workers && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            System.out.println(started.get() == workers ? "HOLDING" : "NOT HOLDING " + started.get() + " of " + workers);
            Thread.sleep(TimeUnit.SECONDS.toMillis(2 * STEP_SECONDS));   // the driver kills it long before
            Runtime.getRuntime().halt(0);                // a driver that died first must not leave it spinning
        }
    }

    /** The JVM that waits: one busy task per worker, each printing when it starts. */
    public static final class Waiter {
        public static void main(String[] args) throws InterruptedException {
            Scheduler scheduler = Scheduler.global();
            int workers = scheduler.parallelism();
            AtomicInteger started = new AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2 * STEP_SECONDS);
            for (int i = 0; i < workers; i++) {
                scheduler.execute(() -> {
                    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                    System.out.println("STARTED " + micros);
                    started.incrementAndGet();
                    // Busy until every task runs: a task that blocked would let a stand-in borrow its
                    // share, and the next start would not mean one more token.
                    while (started.get() < workers && System.nanoTime() - deadline < 0) {
                        Thread.onSpinWait();
                    }
                });
            }
            System.out.println("SUBMITTED");
            while (started.get() < workers && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            System.out.println("DONE");
            System.exit(0);                              // the global scheduler's workers would keep it alive
        }
    }

    /**
     * Runs the trial on the budget {@code budget} of {@code tokens} tokens and prints one line;
     * returns whether it succeeded (every token reached the waiter, none before the kill).
     */
    static boolean run(String budget, int tokens, PrintStream out) throws Exception {
        List<String> options = List.of("-Dspindle.parallelism=" + tokens, "-Dspindle.hostBudget=" + budget,
                "-Dspindle.hostBudget.cores=" + tokens);
        List<Process> children = new ArrayList<>();
        try {
            Process holder = start(Holder.class, options, children);
            BlockingQueue<String> holderLines = lines(holder);
            String holding = holderLines.poll(STEP_SECONDS, TimeUnit.SECONDS);
            if (!"HOLDING".equals(holding)) {
                out.println("kill -9 recovery: the holder did not take every token (" + holding + ")");
                return false;
            }
            Process waiter = start(Waiter.class, options, children);
            BlockingQueue<String> waiterLines = lines(waiter);
            String submitted = waiterLines.poll(STEP_SECONDS, TimeUnit.SECONDS);
            if (submitted != null && submitted.startsWith("STARTED ")) {
                out.println("kill -9 recovery: the waiter ran a task while the holder held every token: " + submitted);
                return false;
            }
            if (!"SUBMITTED".equals(submitted)) {
                out.println("kill -9 recovery: the waiter did not submit its tasks (" + submitted + ")");
                return false;
            }
            String early = waiterLines.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
            if (early != null) {
                out.println("kill -9 recovery: the waiter ran a task while the holder held every token: " + early);
                return false;
            }
            long killed = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
            holder.destroyForcibly();
            if (!holder.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
                out.println("kill -9 recovery: the holder did not die");
                return false;
            }
            long gone = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
            List<Long> starts = new ArrayList<>();
            while (starts.size() < tokens) {
                String line = waiterLines.poll(STEP_SECONDS, TimeUnit.SECONDS);
                if (line == null || !line.startsWith("STARTED ")) {
                    out.println("kill -9 recovery: " + starts.size() + " of " + tokens
                            + " tokens reached the waiter (then: " + line + ")");
                    return false;
                }
                starts.add(Long.parseLong(line.substring("STARTED ".length())));
            }
            long first = starts.stream().mapToLong(Long::longValue).min().orElseThrow() - killed;
            long last = starts.stream().mapToLong(Long::longValue).max().orElseThrow() - killed;
            out.printf("kill -9 recovery (%d tokens): holder gone %.1f ms after the kill; the waiting JVM's"
                            + " first task started %.1f ms, its last (every token) %.1f ms after the kill%n",
                    tokens, (gone - killed) / 1000.0, first / 1000.0, last / 1000.0);
            return true;
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    private static Process start(Class<?> main, List<String> options, List<Process> children) throws IOException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path")));
        command.addAll(options);
        command.add(main.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        children.add(process);
        return process;
    }

    /** The process's output lines, read by a daemon thread, so the driver can wait with a timeout. */
    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, "host-budget-recovery-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
