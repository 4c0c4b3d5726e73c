package dev.spindle.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes a {@link PoolCensus}: sorts every live Java thread into the pool it belongs to, then reads
 * the operating system's threads for the ones the JVM does not know. The rules, in order (the first
 * that matches wins):
 *
 * <ol>
 *   <li>a Spindle worker thread, or a scheduler's stall monitor: its scheduler (and, as views, the
 *       scheduler's arenas);</li>
 *   <li>a {@code ForkJoinWorkerThread}: its pool, which is the common pool, a known library's
 *       pool (EJML), or another {@code ForkJoinPool};</li>
 *   <li>a thread a known library recognises by itself (ojAlgo's thread group, Parallel Colt's
 *       uncaught-exception handler);</li>
 *   <li>a thread whose stack starts in {@code ThreadPoolExecutor$Worker.run}: a
 *       {@code ThreadPoolExecutor}, grouped by the thread's name without its number
 *       ({@code pool-3-thread-7} → {@code pool-3});</li>
 *   <li>anything else: other Java threads.</li>
 * </ol>
 * Then the operating system's threads that no Java thread claims ({@link NativeThreads}) are the
 * JVM's own or native, grouped by name. Called by any thread; takes no lock.
 */
final class CensusTaker {

    private static final String TPE_WORKER = "java.util.concurrent.ThreadPoolExecutor$Worker";
    /** How deep from the bottom of a stack {@code Worker.run} may sit (JDK 19+ adds {@code Thread.runWith}). */
    private static final int BOTTOM_FRAMES = 4;
    private static final Pattern EXECUTORS_NAME = Pattern.compile("(pool-\\d+)-thread-\\d+");
    private static final Pattern TRAILING_NUMBER = Pattern.compile("^(.*?)[-_#. ]*\\d+$");
    private static final int OTHER_NAMES_SHOWN = 8;

    /** Threads gathered into one row. */
    private static final class Group {
        int threads;
        int runnable;
        long cpuNanos;
        final List<String> names = new ArrayList<>();

        void add(Thread thread, long cpu) {
            threads++;
            if (thread.getState() == Thread.State.RUNNABLE) {
                runnable++;
            }
            cpuNanos = cpuNanos < 0 || cpu < 0 ? -1 : cpuNanos + cpu;
            names.add(thread.getName());
        }

        void add(NativeThreads.OsThread task) {
            threads++;
            if (task.running) {
                runnable++;
            }
            cpuNanos += task.cpuNanos;
            names.add(task.displayName());
        }
    }

    private CensusTaker() {
    }

    static PoolCensus take(LibraryClasses classes) {
        Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
        ThreadMXBean management = ManagementFactory.getThreadMXBean();
        boolean cpuKnown = management.isThreadCpuTimeSupported() && management.isThreadCpuTimeEnabled();

        Map<WorkerPool, Group> schedulers = new LinkedHashMap<>();
        Map<Thread, WorkerPool> monitors = new IdentityHashMap<>();
        for (Thread thread : stacks.keySet()) {
            if (thread instanceof WorkerThread) {
                WorkerPool pool = ((WorkerThread) thread).worker().pool();
                if (!schedulers.containsKey(pool)) {
                    schedulers.put(pool, new Group());
                    Thread monitor = pool.monitorThread();
                    if (monitor != null) {
                        monitors.put(monitor, pool);
                    }
                }
            }
        }
        Map<ForkJoinPool, Group> forkJoinPools = new LinkedHashMap<>();
        Map<LibraryPool, Group> libraries = new LinkedHashMap<>();
        Map<String, Group> executors = new LinkedHashMap<>();
        Group others = new Group();
        List<String> javaNames = new ArrayList<>(stacks.size());

        for (Map.Entry<Thread, StackTraceElement[]> entry : stacks.entrySet()) {
            Thread thread = entry.getKey();
            javaNames.add(thread.getName());
            long cpu = cpuKnown ? management.getThreadCpuTime(thread.getId()) : -1;
            if (thread instanceof WorkerThread) {
                schedulers.get(((WorkerThread) thread).worker().pool()).add(thread, cpu);
            } else if (monitors.containsKey(thread)) {
                schedulers.get(monitors.get(thread)).add(thread, cpu);
            } else if (thread instanceof ForkJoinWorkerThread) {
                forkJoinPools.computeIfAbsent(((ForkJoinWorkerThread) thread).getPool(), p -> new Group()).add(thread, cpu);
            } else {
                LibraryPool library = libraryOwning(thread);
                if (library != null) {
                    libraries.computeIfAbsent(library, l -> new Group()).add(thread, cpu);
                } else if (startsInExecutorWorker(entry.getValue())) {
                    executors.computeIfAbsent(executorName(thread.getName()), n -> new Group()).add(thread, cpu);
                } else {
                    others.add(thread, cpu);
                }
            }
        }

        List<PoolCensus.Pool> rows = new ArrayList<>();
        for (Map.Entry<WorkerPool, Group> scheduler : schedulers.entrySet()) {
            addSchedulerRows(rows, scheduler.getKey(), scheduler.getValue());
        }
        // Only with a worker alive is ForkJoinPool surely initialized: before JDK 19, touching the
        // common pool earlier would fix its size before a limit could set it.
        ForkJoinPool common = forkJoinPools.isEmpty() ? null : ForkJoinPool.commonPool();
        for (Map.Entry<ForkJoinPool, Group> entry : forkJoinPools.entrySet()) {
            ForkJoinPool pool = entry.getKey();
            if (pool == common) {
                rows.add(forkJoinRow(PoolCensus.Kind.COMMON_POOL, "ForkJoinPool.commonPool()", pool, entry.getValue()));
            }
        }
        for (Map.Entry<ForkJoinPool, Group> entry : forkJoinPools.entrySet()) {
            ForkJoinPool pool = entry.getKey();
            if (pool == common) {
                continue;
            }
            LibraryPool library = libraryOwning(pool, classes);
            if (library != null) {
                libraries.put(library, entry.getValue());
            } else {
                rows.add(forkJoinRow(PoolCensus.Kind.FORK_JOIN_POOL, forkJoinName(entry.getValue()), pool, entry.getValue()));
            }
        }
        for (LibraryPool library : LibraryPool.ALL) {
            Group group = libraries.get(library);
            int configured = library.configuredThreads(classes);
            if (group != null || configured >= 0) {
                Group threads = group != null ? group : new Group();
                rows.add(new PoolCensus.Pool(PoolCensus.Kind.LIBRARY, library.name(), threads.threads,
                        threads.runnable, threads.cpuNanos, configured, false, "", threads.names));
            }
            PoolCensus.Pool view = library.viewRow(classes);
            if (view != null) {
                rows.add(view);
            }
        }
        for (Map.Entry<String, Group> executor : executors.entrySet()) {
            Group group = executor.getValue();
            rows.add(new PoolCensus.Pool(PoolCensus.Kind.THREAD_POOL_EXECUTOR, executor.getKey(), group.threads,
                    group.runnable, group.cpuNanos, -1, false, "", group.names));
        }
        if (others.threads > 0) {
            rows.add(new PoolCensus.Pool(PoolCensus.Kind.OTHER_JAVA, "other Java threads", others.threads,
                    others.runnable, others.cpuNanos, -1, false, namesShown(others.names), others.names));
        }
        List<NativeThreads.OsThread> tasks = NativeThreads.read();
        if (tasks != null) {
            addNativeRows(rows, NativeThreads.unmatched(tasks, javaNames, ProcessHandle.current().pid()));
        }
        return new PoolCensus(rows, tasks != null, Runtime.getRuntime().availableProcessors());
    }

    private static void addSchedulerRows(List<PoolCensus.Pool> rows, WorkerPool pool, Group threads) {
        SchedulerStats stats = pool.stats();
        String state = pool.isTerminated() ? "terminated, " : pool.isShutdown() ? "shutting down, " : "";
        rows.add(new PoolCensus.Pool(PoolCensus.Kind.SPINDLE_SCHEDULER, pool.name(), threads.threads,
                threads.runnable, threads.cpuNanos, pool.parallelism, false, state + "active "
                + stats.activeWorkers() + ", stand-ins " + stats.activeSpareWorkers() + "/" + stats.maxSpareWorkers()
                + ", queued " + stats.queuedSubmissions(), threads.names));
        for (ArenaCore arena : pool.arenas()) {
            int inside = Math.max(0, arena.insideCount());
            rows.add(new PoolCensus.Pool(PoolCensus.Kind.SPINDLE_ARENA, arena.name(), inside, inside, -1,
                    arena.maxConcurrency(), true, "of " + pool.name() + ", queued " + arena.queuedCount(), List.of()));
        }
    }

    private static PoolCensus.Pool forkJoinRow(PoolCensus.Kind kind, String name, ForkJoinPool pool, Group threads) {
        return new PoolCensus.Pool(kind, name, threads.threads, threads.runnable, threads.cpuNanos,
                pool.getParallelism(), false, "active " + pool.getActiveThreadCount() + ", queued "
                + (pool.getQueuedTaskCount() + pool.getQueuedSubmissionCount()), threads.names);
    }

    private static void addNativeRows(List<PoolCensus.Pool> rows, NativeThreads.Unmatched unmatched) {
        Group jvm = new Group();
        unmatched.jvm.forEach(jvm::add);
        if (jvm.threads > 0) {
            rows.add(new PoolCensus.Pool(PoolCensus.Kind.JVM_INTERNAL, "JVM (GC, compilers, VM, launcher)",
                    jvm.threads, jvm.runnable, jvm.cpuNanos, -1, false, namesShown(jvm.names), jvm.names));
        }
        Map<String, Group> byName = new LinkedHashMap<>();
        for (NativeThreads.OsThread task : unmatched.foreign) {
            byName.computeIfAbsent(task.displayName(), n -> new Group()).add(task);
        }
        for (Map.Entry<String, Group> entry : byName.entrySet()) {
            Group group = entry.getValue();
            if (group.threads == 0) {
                continue;
            }
            rows.add(new PoolCensus.Pool(PoolCensus.Kind.NATIVE, entry.getKey(), group.threads, group.runnable,
                    group.cpuNanos, -1, false, "not Java threads; named after the thread that started them",
                    group.names));
        }
    }

    private static LibraryPool libraryOwning(Thread thread) {
        for (LibraryPool library : LibraryPool.ALL) {
            if (library.ownsThread(thread)) {
                return library;
            }
        }
        return null;
    }

    private static LibraryPool libraryOwning(ForkJoinPool pool, LibraryClasses classes) {
        for (LibraryPool library : LibraryPool.ALL) {
            if (library.ownsForkJoinPool(pool, classes)) {
                return library;
            }
        }
        return null;
    }

    /** Whether the stack's bottom frames are a {@code ThreadPoolExecutor} worker's. */
    static boolean startsInExecutorWorker(StackTraceElement[] stack) {
        for (int i = stack.length - 1; i >= 0 && i >= stack.length - BOTTOM_FRAMES; i--) {
            if (TPE_WORKER.equals(stack[i].getClassName()) && "run".equals(stack[i].getMethodName())) {
                return true;
            }
        }
        return false;
    }

    /** The pool a worker's name points to: {@code pool-3-thread-7} → {@code pool-3}; else the name without its number. */
    static String executorName(String threadName) {
        Matcher executors = EXECUTORS_NAME.matcher(threadName);
        if (executors.matches()) {
            return executors.group(1);
        }
        Matcher numbered = TRAILING_NUMBER.matcher(threadName);
        if (numbered.matches() && !numbered.group(1).isEmpty()) {
            return numbered.group(1);
        }
        return threadName;
    }

    private static String forkJoinName(Group threads) {
        String first = threads.names.get(0);
        int worker = first.lastIndexOf("-worker-");
        return worker > 0 ? first.substring(0, worker) : executorName(first);
    }

    private static String namesShown(List<String> names) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        if (sorted.size() <= OTHER_NAMES_SHOWN) {
            return String.join(", ", sorted);
        }
        return String.join(", ", sorted.subList(0, OTHER_NAMES_SHOWN)) + ", … (" + sorted.size() + ")";
    }
}
