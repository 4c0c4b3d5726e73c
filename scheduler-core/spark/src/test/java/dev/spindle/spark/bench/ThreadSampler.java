package dev.spindle.spark.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Samples this JVM's threads from {@code /proc/self/task} every few milliseconds while a stage
 * runs: how many threads exist, and how many the kernel shows running or runnable (state R), the
 * number that competes for the cores. Linux only; elsewhere every figure stays 0.
 *
 * <p>One sampler thread, started by {@link #start} and stopped by {@link #stop}; the figures are
 * read after {@code stop} returns (the join orders them).
 */
final class ThreadSampler {

    private static final Path TASKS = Paths.get("/proc/self/task");

    private final long intervalMillis;
    private volatile boolean running;
    private Thread thread;
    private int peakThreads;
    private int peakRunning;
    private long runningSum;
    private long samples;

    ThreadSampler(long intervalMillis) {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("intervalMillis must be at least 1, was " + intervalMillis);
        }
        this.intervalMillis = intervalMillis;
    }

    void start() {
        running = true;
        thread = new Thread(this::sampleUntilStopped, "thread-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    int peakThreads() {
        return peakThreads;
    }

    /** The most threads in state R at one sample, the sampler itself not counted. */
    int peakRunning() {
        return peakRunning;
    }

    /** The mean of the threads in state R over the samples, the sampler itself not counted. */
    double meanRunning() {
        return samples == 0 ? 0 : (double) runningSum / samples;
    }

    private void sampleUntilStopped() {
        if (!Files.isDirectory(TASKS)) {
            return;
        }
        while (running) {
            sample();
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        int threads = 0;
        int runnable = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                threads++;
                if (state(task) == 'R') {
                    runnable++;
                }
            }
        } catch (IOException | RuntimeException raced) {
            return;                                      // a thread ended while listed: skip the sample
        }
        runnable = Math.max(0, runnable - 1);            // the sampler reads while running
        peakThreads = Math.max(peakThreads, threads);
        peakRunning = Math.max(peakRunning, runnable);
        runningSum += runnable;
        samples++;
    }

    private static char state(Path task) {
        try {
            String stat = new String(Files.readAllBytes(task.resolve("stat")), StandardCharsets.US_ASCII);
            int end = stat.lastIndexOf(')');                 // the name may hold spaces and parentheses
            return end < 0 || end + 2 >= stat.length() ? '?' : stat.charAt(end + 2);
        } catch (IOException ended) {
            return '?';
        }
    }
}
