package dev.spindle.linalg.internal.kernel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Gets the Vector API kernel compiled by C2 before GEMM gives it a product, and says when it is.
 *
 * <p>Until C2 has compiled it, the Vector API kernel runs in the interpreter or in C1, where every
 * vector is an object and every operation a loop over lanes: a first n = 1024 product took three
 * times as long as the portable kernel's first one. So, in the default ({@code auto}) setting,
 * products use the portable kernel until this warm-up reports {@link #isCompiled()}; see
 * {@code docs/design/gemm.md}, "First products".
 *
 * <p>The warm-up starts with the second product ({@link #isCompiled()} asked a second time): the
 * warm-up costs about 0.3 s of CPU time in boxed vector code, and run beside a program's first
 * product, which keeps both cores busy and the JIT compiling the portable path, it made that
 * product half as slow again; and a program that multiplies once never pays for it.
 *
 * <p>{@link #startIfCold()} starts one daemon thread, {@value #THREAD_NAME}, that calls the
 * kernel on a small, L1-resident block ({@code multiplyAdd} and {@code multiplySet} in turn, so the
 * compiled code has seen both paths and takes no uncommon trap on the first real product) until
 * a round of calls allocates nothing on that thread: boxed vectors allocate, C2's intrinsified
 * code does not. For its first {@link #BUSY_CALLS} calls it does not pause, so the method's
 * invocation and loop counters pass C2's thresholds soon even when products keep the cores busy
 * (a pause by time instead left it short of them under load, and it took seconds); after that it
 * only looks every {@link #PAUSE_MILLIS} ms, leaving the CPU to the compiler and to the products. It gives up after
 * {@link #GIVE_UP_NANOS}, or if the kernel throws; GEMM then stays on the portable kernel, which is
 * then the right choice (a kernel that still allocates is slower than the portable one). The
 * thread ends when it has answered either way.
 *
 * <p>Where the JVM cannot count a thread's allocations there is nothing to wait for:
 * {@link #isCompiled()} is true from the start and GEMM uses the vector kernel from the first
 * product, as it did before this class existed; likewise from the moment the thread cannot be
 * started.
 *
 * <p>Any thread. {@link #isCompiled()} is one volatile read: the warm-up thread writes the flag
 * once, after its last call of the kernel, and a product that reads {@code true} runs on code C2
 * has already installed.
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

    /** After this long without an allocation-free round, the kernel is taken to be uncompilable. */
    static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Pairs of calls per round: a round is measured as a whole. */
    private static final int PAIRS_PER_ROUND = 8;

    /**
     * Depth of the warm-up block: small, so a call is cheap in boxed code, and deep enough that
     * C2's thresholds (600 calls and 15,000 calls plus loop iterations, by default) are passed by
     * about the 600th call, the fewest kernel steps in all.
     */
    private static final int KC = 24;

    /** Allocation-free rounds in a row that count as compiled. */
    private static final int CLEAN_ROUNDS = 3;

    private final MicroKernel kernel;
    private final LongSupplier allocatedBytes;
    private final long giveUpNanos;
    private final AtomicBoolean asked = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    /** Written once, by the warm-up thread (or by the thread that found nothing to wait for). */
    private volatile boolean compiled;
    /** Written once, by the warm-up thread, when it gave up. */
    private volatile String gaveUpBecause;

    /**
     * @param kernel the kernel to warm up
     * @param allocatedBytes bytes allocated so far by the calling thread, or {@code null} when the
     *     JVM cannot tell (then there is no warm-up)
     * @param giveUpNanos how long to wait for an allocation-free round before giving up
     */
    VectorWarmUp(MicroKernel kernel, LongSupplier allocatedBytes, long giveUpNanos) {
        this.kernel = kernel;
        this.allocatedBytes = allocatedBytes;
        this.giveUpNanos = giveUpNanos;
        this.compiled = allocatedBytes == null;         // nothing to measure: use the kernel at once
    }

    /** The warm-up of {@code kernel} measured by this JVM's per-thread allocation counter. */
    static VectorWarmUp of(MicroKernel kernel) {
        return new VectorWarmUp(kernel, ThreadAllocation.counterOrNull(), GIVE_UP_NANOS);
    }

    /**
     * Whether products may use the kernel: C2 has compiled it (or nothing could be waited for).
     * The second call starts the warm-up; no call blocks.
     */
    boolean isCompiled() {
        if (compiled) {
            return true;
        }
        if (!asked.get() && asked.compareAndSet(false, true)) {
            return false;                                // the first product: start nothing yet
        }
        startIfCold();
        return compiled;
    }

    /** Whether the kernel is compiled, without counting as a product's ask. */
    boolean isCompiledWithoutAsking() {
        return compiled;
    }

    /** Why the kernel is not used, if the warm-up gave up; {@code null} otherwise. */
    String gaveUpBecause() {
        return gaveUpBecause;
    }

    /** Starts the warm-up thread, once; later calls do nothing. */
    void startIfCold() {
        if (compiled || !started.compareAndSet(false, true)) {
            return;
        }
        try {
            // No inherited thread-locals: the thread must not keep a caller's context alive.
            Thread thread = new Thread(null, this::warmUp, THREAD_NAME, 0, false);
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            thread.start();
        } catch (RuntimeException | OutOfMemoryError cannotStart) {
            compiled = true;                             // no warm-up: the kernel warms up in the products
        }
    }

    /** The warm-up thread's body: calls the kernel until a round allocates nothing, or gives up. */
    private void warmUp() {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int ldc = nr + 3;
        double[] a = new double[1 + KC * mr];
        double[] b = new double[1 + KC * nr];
        double[] c = new double[1 + mr * ldc];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1.0 / (1 + i);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = 1.0 / (2 + i);
        }
        long start = System.nanoTime();
        int clean = 0;
        int calls = 0;
        try {
            while (true) {
                long before = allocatedBytes.getAsLong();
                for (int pair = 0; pair < PAIRS_PER_ROUND; pair++) {
                    kernel.multiplySet(KC, a, 1, b, 1, c, 1, ldc);
                    kernel.multiplyAdd(KC, a, 1, b, 1, c, 1, ldc);
                }
                calls += 2 * PAIRS_PER_ROUND;
                boolean allocated = allocatedBytes.getAsLong() != before;
                clean = allocated ? 0 : clean + 1;
                if (clean == CLEAN_ROUNDS) {
                    compiled = true;
                    return;
                }
                long elapsed = System.nanoTime() - start;
                if (elapsed > giveUpNanos) {
                    gaveUpBecause = "the Vector API kernel still allocated after "
                            + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms of warm-up (not compiled by C2)";
                    return;
                }
                if (calls >= BUSY_CALLS) {
                    Thread.sleep(PAUSE_MILLIS);
                }
            }
        } catch (InterruptedException interrupted) {
            gaveUpBecause = "the Vector API kernel's warm-up was interrupted";
        } catch (RuntimeException | LinkageError failure) {
            gaveUpBecause = "the Vector API kernel failed in its warm-up: " + failure;
        }
    }
}
