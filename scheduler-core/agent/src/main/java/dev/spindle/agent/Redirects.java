package dev.spindle.agent;

import dev.spindle.core.Scheduler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * What the instrumented JDK methods call: the one door from {@code Executors} and
 * {@code CompletableFuture} into Spindle (the fork/join door is {@link ForkJoinRedirect}). Each
 * method returns null (or false) to let the JDK method run as it was: when that redirection is off,
 * before the agent has started, or for a caller the options exclude.
 *
 * <p>Any thread. Loaded by the bootstrap class loader.
 */
public final class Redirects {

    private static volatile AgentOptions options;
    /** Pools already reported (constructors delegate to each other). Guarded by itself. */
    private static final java.util.Map<Object, Boolean> CONSTRUCTED = new java.util.WeakHashMap<>();
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private Redirects() {
    }

    static void install(AgentOptions agentOptions) {
        options = agentOptions;
    }

    static AgentOptions options() {
        return options;
    }

    // ------------------------------------------------------------------ Executors

    /** {@code newFixedThreadPool(n[, factory])}: a pool of at most {@code n} tasks at once. */
    public static ExecutorService fixedThreadPool(int threads, ThreadFactory factory) {
        if (threads <= 0) {
            return null;                                 // the JDK method throws its own exception
        }
        return pool("newFixedThreadPool(" + threads + ")", threads, false, factory, false);
    }

    /** {@code newCachedThreadPool([factory])}: no cap. */
    public static ExecutorService cachedThreadPool(ThreadFactory factory) {
        return pool("newCachedThreadPool()", Integer.MAX_VALUE, true, factory, false);
    }

    /** {@code newSingleThreadExecutor([factory])}: one task at a time, in submission order. */
    public static ExecutorService singleThreadExecutor(ThreadFactory factory) {
        return pool("newSingleThreadExecutor()", 1, false, factory, true);
    }

    /** {@code newWorkStealingPool([n])}: at most {@code n} (default: the processors) at once. */
    public static ExecutorService workStealingPool(int parallelism) {
        if (parallelism <= 0) {
            return null;
        }
        return pool("newWorkStealingPool(" + parallelism + ")", parallelism, false, null, false);
    }

    /** {@code newWorkStealingPool()}. */
    public static ExecutorService workStealingPool() {
        return workStealingPool(Runtime.getRuntime().availableProcessors());
    }

    private static ExecutorService pool(String kind, int cap, boolean cached, ThreadFactory factory,
            boolean unconfigurable) {
        AgentOptions current = options;
        if (current == null || !current.executors) {
            return null;
        }
        String caller = callerOfExecutors();
        if (!current.redirects(caller)) {
            RedirectReport.seen(kind, caller, AgentOptions.isPlatform(caller) ? "a JDK class: the platform's own pools stay"
                    : "excluded by the agent's options");
            return null;
        }
        String[] why = new String[1];
        ThreadFactoryProbe.Traits traits = ThreadFactoryProbe.probe(factory, why);
        if (traits == null) {
            RedirectReport.seen(kind, caller, why[0]);
            return null;
        }
        RedirectedThreadPoolExecutor pool = new RedirectedThreadPoolExecutor(Scheduler.global(), kind, cap, cached,
                factory != null ? factory : Executors.defaultThreadFactory(), traits);
        RedirectReport.redirected(kind, caller);
        return unconfigurable ? Executors.unconfigurableExecutorService(pool) : pool;
    }

    /** The class that called the {@code Executors} factory (the frame below Executors). */
    private static String callerOfExecutors() {
        return WALKER.walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> c != Redirects.class && c != Executors.class)
                .findFirst()
                .map(Class::getName)
                .orElse("?"));
    }

    // ------------------------------------------------------------------ CompletableFuture

    /** The executor async stages use by default: Spindle's instead of the common pool's. */
    public static Executor completableFutureExecutor(Executor jdkDefault) {
        AgentOptions current = options;
        if (current == null || !current.completableFuture) {
            return jdkDefault;
        }
        return Scheduler.global();
    }

    /** {@code CompletableFuture.supplyAsync(supplier)}, on Spindle. */
    public static <T> CompletableFuture<T> supplyAsync(Supplier<T> supplier) {
        AgentOptions current = options;
        if (current == null || !current.completableFuture || supplier == null) {
            return null;                                 // a null supplier: the JDK's own NPE
        }
        RedirectReport.count("CompletableFuture.supplyAsync");
        return CompletableFuture.supplyAsync(supplier, Scheduler.global());
    }

    /** {@code CompletableFuture.runAsync(runnable)}, on Spindle. */
    public static CompletableFuture<Void> runAsync(Runnable runnable) {
        AgentOptions current = options;
        if (current == null || !current.completableFuture || runnable == null) {
            return null;
        }
        RedirectReport.count("CompletableFuture.runAsync");
        return CompletableFuture.runAsync(runnable, Scheduler.global());
    }

    /**
     * Before {@code CompletableFuture.join()} / {@code get()}: on a Spindle worker, waits for the
     * future helping (it runs other tasks, the stage it waits for among them, and sleeps in Spindle's
     * wait loop until the future completes), so the worker is not blocked. Elsewhere returns at once.
     */
    public static void awaitCompletableFuture(CompletableFuture<?> future) {
        AgentOptions current = options;
        if (current == null || !current.completableFuture || future.isDone()
                || !Scheduler.global().ownsCurrentThread() || !HelpingPolicy.mayHelp()) {
            return;                                      // the JDK waits; a blocked worker gets a stand-in
        }
        Scheduler.join(future.handle((value, failure) -> null)); // the outcome is read by the JDK method
    }

    // ------------------------------------------------------------------ pools seen

    /** A {@code ThreadPoolExecutor} or {@code ForkJoinPool} constructed directly: reported only. */
    public static void constructed(Object pool) {
        AgentOptions current = options;
        if (current == null || pool instanceof RedirectedThreadPoolExecutor) {
            return;
        }
        synchronized (CONSTRUCTED) {
            if (CONSTRUCTED.put(pool, Boolean.TRUE) != null) {
                return;                                  // one constructor delegated to another
            }
        }
        if (pool instanceof ForkJoinPool) {
            ForkJoinPool common = ForkJoinPool.commonPool(); // null while the common pool is being made
            if (common == null || pool == common) {
                return;
            }
        }
        boolean viaExecutors = WALKER.walk(frames -> frames.anyMatch(f -> f.getDeclaringClass() == Executors.class));
        if (viaExecutors) {
            return;                                      // an Executors factory the agent left: reported there
        }
        String caller = WALKER.walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> c != Redirects.class && !c.getName().startsWith("java.util.concurrent."))
                .findFirst()
                .map(Class::getName)
                .orElse("?"));
        if (AgentOptions.isPlatform(caller)) {
            return;                                      // the JDK's own pools are not the user's
        }
        RedirectReport.seen(pool.getClass().getName() + " constructed directly", caller,
                "a directly constructed pool keeps its own threads (its class and constructor are the caller's contract)");
    }

    static boolean onForkJoinWorker() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread;
    }
}
