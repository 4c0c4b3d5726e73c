package dev.spindle.linalg.internal.kernel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Gets the Vector API kernel compiled by C2 before GEMM gives it a product, and says when products
 * may use it: when it is compiled, or when the switch budget has run out, whichever comes first.
 *
 * <p>Until C2 has compiled it, the Vector API kernel runs in the interpreter or in C1, where every
 * vector is an object and every operation a loop over lanes: a first n = 1024 product took three
 * to five times as long as the portable kernel's first one. So, in the default ({@code auto})
 * setting, products use the portable kernel until this warm-up has answered; see
 * {@code docs/design/gemm.md}, "First products".
 *
 * <p>The warm-up starts with the second product ({@link #isReady()} asked a second time): the
 * warm-up costs about 0.3 s of CPU time in boxed vector code, and run beside a program's first
 * product, which keeps both cores busy and the JIT compiling the portable path, it made that
 * product half as slow again; and a program that multiplies once never pays for it.
 *
 * <p>{@link #startIfCold()} starts one daemon thread, {@value #THREAD_NAME}, that calls the
 * kernel on small, L1-resident blocks ({@code multiplyAdd} and {@code multiplySet} in turn, so the
 * compiled code has seen both paths and takes no uncommon trap on the first real product) until
 * the kernel's loop allocates nothing: each round calls it on a block {@link #KC} deep and on one
 * twice as deep, and the loop is compiled when the deep calls allocate no more than the shallow
 * ones on that thread. Boxed vectors allocate at every step of the loop; C2's intrinsified loop
 * allocates nothing. The test is on the loop, not on the call: C2 inlines the Vector API calls
 * after the loop (storing the 8 × 24 block of C) only through receiver-type profiles the whole JVM
 * shares, and where another user of the Vector API has made them polymorphic it compiles the
 * kernel's loop but boxes the 24 accumulators once per call, for good. For its first {@link #BUSY_CALLS} calls it does not pause, so the method's
 * invocation and loop counters pass C2's thresholds soon even when products keep the cores busy
 * (a pause by time instead left it short of them under load, and it took seconds); after that it
 * only looks every {@link #PAUSE_MILLIS} ms, leaving the CPU to the compiler and to the products.
 *
 * <p><b>The bound.</b> The warm-up's answer is a measurement, and a measurement can be late: on a
 * busy machine C2's queue is long, and what the probe sees can depend on what else ran in the JVM
 * before. A late answer must not keep GEMM on a kernel several times slower for the rest of the
 * JVM's life. So after {@link #SWITCH_AFTER_NANOS} of warm-up products switch to the Vector API
 * kernel anyway ({@link WarmUpOutcome#BUDGET_SPENT}): it computes the same products, and the
 * products themselves get it compiled, while the portable kernel would stay slow. The only outcome
 * that keeps the portable kernel is a kernel that throws ({@link WarmUpOutcome#KERNEL_FAILED}).
 * Users who want no switch at all pin a kernel with {@code spindle.linalg.kernel}. Every outcome is
 * kept ({@link #outcome()}, {@link #detail()}, {@link #calls()}, {@link #elapsedMillis()}), told by
 * {@code Blas.gemmKernelReason()}, and recorded as a JFR event ({@link KernelSwitchEvent}).
 *
 * <p>Where the JVM cannot count a thread's allocations there is nothing to wait for: {@link #isReady()}
 * is true from the start and GEMM uses the vector kernel from the first product, as it did before
 * this class existed; likewise from the moment the thread cannot be started.
 *
 * <p>Any thread. {@link #isReady()} is one volatile read: the warm-up thread writes the outcome
 * once, after its last call of the kernel and after the figures that go with it (so a thread that
 * reads a non-null outcome sees them), and a product that reads {@code true} after
 * {@link WarmUpOutcome#COMPILED} runs on code C2 has already installed.
 */
final class VectorWarmUp {

    /** The warm-up thread's name. */
    static final String THREAD_NAME = "spindle-vector-kernel-warmup";

    /**
     * Calls made without pause: C2's default thresholds (600 calls, and 15,000 calls plus loop
     * iterations) with room for their scaling when the compile queue is long. Alone, the kernel
     * compiled after about 600 of them and stopped allocating by the 1,300th.
     */
    static final int BUSY_CALLS = 1500;

    /** Pause between rounds after the busy phase. */
    static final long PAUSE_MILLIS = 2;

    /**
     * After this much warm-up, products use the kernel whether or not C2's code was seen. Alone the
     * kernel is seen compiled about 1 s after the warm-up starts; 10 s leaves room for a busy
     * machine and bounds what a late answer costs.
     */
    static final long SWITCH_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Pairs of calls per round: a round is measured as a whole. */
    private static final int PAIRS_PER_ROUND = 8;

    /**
     * Depth of the shallow warm-up block (the deep one is twice as deep): small, so a call is
     * cheap in boxed code, and deep enough that C2's thresholds (600 calls and 15,000 calls plus
     * loop iterations, by default) are passed by about the 600th call, the fewest kernel steps in
     * all.
     */
    static final int KC = 24;

    /** Rounds in a row whose deep calls allocate no more than their shallow ones that count as compiled. */
    private static final int CLEAN_ROUNDS = 3;

    private final MicroKernel kernel;
    private final LongSupplier allocatedBytes;
    private final long switchAfterNanos;
    private final AtomicBoolean asked = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    /** Written before {@link #outcome}, by the thread that writes it. */
    private String detail;
    /** Written before {@link #outcome}, by the thread that writes it. */
    private long calls;
    /** Written before {@link #outcome}, by the thread that writes it. */
    private long elapsedMillis;
    /**
     * Null while the warm-up runs; written once. The volatile write publishes {@link #detail},
     * {@link #calls} and {@link #elapsedMillis}, written just before it.
     */
    private volatile WarmUpOutcome outcome;

    /**
     * @param kernel the kernel to warm up
     * @param allocatedBytes bytes allocated so far by the calling thread, or {@code null} when the
     *     JVM cannot tell (then there is no warm-up)
     * @param switchAfterNanos warm-up after which products use the kernel even if no round was
     *     free of allocation in its loop
     */
    VectorWarmUp(MicroKernel kernel, LongSupplier allocatedBytes, long switchAfterNanos) {
        if (switchAfterNanos < 0) {
            throw new IllegalArgumentException("switchAfterNanos must be >= 0, was " + switchAfterNanos);
        }
        this.kernel = kernel;
        this.allocatedBytes = allocatedBytes;
        this.switchAfterNanos = switchAfterNanos;
        if (allocatedBytes == null) {                    // nothing to measure: use the kernel at once
            answer(WarmUpOutcome.NOT_MEASURED, "this JVM does not count a thread's allocations", 0, 0);
        }
    }

    /** The warm-up of {@code kernel} measured by this JVM's per-thread allocation counter. */
    static VectorWarmUp of(MicroKernel kernel) {
        return new VectorWarmUp(kernel, ThreadAllocation.counterOrNull(), SWITCH_AFTER_NANOS);
    }

    /**
     * Whether products may use the kernel: the warm-up has answered, with an outcome that uses it.
     * The second call starts the warm-up; no call blocks.
     */
    boolean isReady() {
        WarmUpOutcome answered = outcome;
        if (answered != null) {
            return answered.usesKernel();
        }
        if (!asked.get() && asked.compareAndSet(false, true)) {
            return false;                                // the first product: start nothing yet
        }
        startIfCold();
        answered = outcome;
        return answered != null && answered.usesKernel();
    }

    /** As {@link #isReady()}, without counting as a product's ask (so it starts nothing). */
    boolean isReadyWithoutAsking() {
        WarmUpOutcome answered = outcome;
        return answered != null && answered.usesKernel();
    }

    /** How the warm-up ended; {@code null} while it runs (or before it starts). */
    WarmUpOutcome outcome() {
        return outcome;
    }

    /** What the outcome means here, in a few words; {@code null} until there is an outcome. */
    String detail() {
        return outcome == null ? null : detail;
    }

    /** Kernel calls the warm-up made; read after {@link #outcome()} is not {@code null}. */
    long calls() {
        return outcome == null ? 0 : calls;
    }

    /** Milliseconds from the warm-up's start to its outcome; read after {@link #outcome()} is not {@code null}. */
    long elapsedMillis() {
        return outcome == null ? 0 : elapsedMillis;
    }

    /** Starts the warm-up thread, once; later calls do nothing. */
    void startIfCold() {
        if (outcome != null || !started.compareAndSet(false, true)) {
            return;
        }
        try {
            // No inherited thread-locals: the thread must not keep a caller's context alive.
            Thread thread = new Thread(null, this::warmUp, THREAD_NAME, 0, false);
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            thread.start();
        } catch (RuntimeException | OutOfMemoryError cannotStart) {
            // no warm-up: the kernel warms up in the products
            answer(WarmUpOutcome.NOT_MEASURED, "the warm-up thread did not start: " + cannotStart, 0, 0);
        }
    }

    /**
     * The warm-up thread's body: calls the kernel until its loop allocates nothing, the switch
     * budget runs out, or the kernel throws.
     */
    private void warmUp() {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int ldc = nr + 3;
        int deep = 2 * KC;
        double[] a = new double[1 + deep * mr];
        double[] b = new double[1 + deep * nr];
        double[] c = new double[1 + mr * ldc];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1.0 / (1 + i);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = 1.0 / (2 + i);
        }
        long start = System.nanoTime();
        int clean = 0;
        long made = 0;
        try {
            while (true) {
                long before = allocatedBytes.getAsLong();
                for (int pair = 0; pair < PAIRS_PER_ROUND; pair++) {
                    kernel.multiplySet(KC, a, 1, b, 1, c, 1, ldc);
                    kernel.multiplyAdd(KC, a, 1, b, 1, c, 1, ldc);
                }
                long between = allocatedBytes.getAsLong();
                for (int pair = 0; pair < PAIRS_PER_ROUND; pair++) {
                    kernel.multiplySet(deep, a, 1, b, 1, c, 1, ldc);
                    kernel.multiplyAdd(deep, a, 1, b, 1, c, 1, ldc);
                }
                long after = allocatedBytes.getAsLong();
                made += 4 * PAIRS_PER_ROUND;
                long shallowBytes = between - before;
                long deepBytes = after - between;
                clean = deepBytes <= shallowBytes ? clean + 1 : 0;  // no allocation per step of the loop
                long elapsed = System.nanoTime() - start;
                if (clean == CLEAN_ROUNDS) {
                    answer(WarmUpOutcome.COMPILED, "C2's code seen, its loop allocating nothing"
                            + (deepBytes == 0 ? "" : " (" + deepBytes / (2 * PAIRS_PER_ROUND)
                            + " bytes per call after it)"), made, elapsed);
                    return;
                }
                if (elapsed >= switchAfterNanos) {
                    answer(WarmUpOutcome.BUDGET_SPENT, "the kernel's loop still allocated (C2's code not seen) when the "
                            + TimeUnit.NANOSECONDS.toMillis(switchAfterNanos) + " ms switch budget ran out", made, elapsed);
                    return;
                }
                if (made >= BUSY_CALLS) {
                    Thread.sleep(PAUSE_MILLIS);
                }
            }
        } catch (InterruptedException interrupted) {
            answer(WarmUpOutcome.NOT_MEASURED, "the warm-up was interrupted", made, System.nanoTime() - start);
        } catch (RuntimeException | LinkageError failure) {
            answer(WarmUpOutcome.KERNEL_FAILED, "the kernel failed in its warm-up: " + failure, made,
                    System.nanoTime() - start);
        }
    }

    /**
     * Records the outcome (once: the first answer stands) and its JFR event, the event first, so
     * that whoever sees the outcome also finds the event in a recording.
     */
    private synchronized void answer(WarmUpOutcome how, String why, long madeCalls, long elapsedNanos) {
        if (outcome != null) {
            return;
        }
        detail = why;
        calls = madeCalls;
        elapsedMillis = TimeUnit.NANOSECONDS.toMillis(elapsedNanos);
        KernelSwitchEvent.record(kernel.name(), how, why, madeCalls, elapsedMillis);
        outcome = how;                                   // volatile write: publishes the three fields above
    }
}
