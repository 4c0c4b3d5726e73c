package dev.spindle.core;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operating system's view of this process's threads, and which of them are not Java threads.
 * On Linux every thread is a task in {@code /proc/self/task/<tid>}, with its name ({@code comm},
 * at most 15 bytes), state and CPU time; elsewhere nothing is visible and {@link #read()} returns
 * null.
 *
 * <p><b>Matching.</b> Java 17 has no public way to learn a Java thread's native id, but HotSpot
 * names the native thread after the Java thread when it starts, truncated to 15 bytes. So the
 * tasks are matched to Java threads by name, as multisets: every Java thread named {@code n}
 * claims one task whose {@code comm} is the first 15 bytes of {@code n}. The tasks left over are
 * the JVM's own (GC, compilers, VM thread: known names; and the launcher's thread, whose id is the
 * process id), Java threads whose task carries another name ({@code main}, attached by the
 * launcher, keeps {@code java}; a thread renamed by another thread after it started keeps its old
 * name), and threads started by native code, which inherit the name of the thread that started
 * them. {@code docs/design/thread-pools.md} lists what this cannot tell apart.
 *
 * <p>Any thread may call; nothing is cached.
 */
final class NativeThreads {

    /** Linux reports {@code utime}/{@code stime} in clock ticks of 1/100 s on every architecture the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final int COMM_BYTES = 15;
    private static final File TASKS = new File("/proc/self/task");

    /**
     * Name prefixes of HotSpot's threads that are not Java threads (and of its hidden Java
     * threads, which {@code Thread.getAllStackTraces()} does not list), for G1, Parallel, Serial,
     * ZGC and Shenandoah, JDK 17 to 25.
     */
    private static final List<String> JVM_THREAD_PREFIXES = Arrays.asList(
            "VM Thread", "VM Periodic Tas", "GC Thread#", "G1 ", "C1 CompilerThre", "C2 CompilerThre",
            "JVMCI", "Sweeper thread", "Service Thread", "Monitor Deflati", "Notification Th",
            "ZDriver", "ZDirector", "ZStat", "ZUnmapper", "ZUncommitter", "ZWorker", "ZRuntimeWorker",
            "Shenandoah", "Conc#", "StrDedup", "StringDedup", "JFR ", "AsyncLog", "Common-Cleaner",
            "Attach Listener", "Signal Dispatch", "Reference Handl", "Finalizer", "DestroyJavaVM");

    /** One task (thread) of this process as the operating system sees it. Immutable. */
    static final class OsThread {
        final int tid;
        /** The name as the kernel holds it: at most 15 bytes, one char per byte. */
        final String comm;
        /** Whether it was on a CPU or ready to run (state {@code R}). */
        final boolean running;
        /** CPU time used (user and system), in nanoseconds, to the kernel's tick of 10 ms. */
        final long cpuNanos;

        OsThread(int tid, String comm, boolean running, long cpuNanos) {
            this.tid = tid;
            this.comm = comm;
            this.running = running;
            this.cpuNanos = cpuNanos;
        }

        /** The name for people: the kernel's bytes read as UTF-8. */
        String displayName() {
            return new String(comm.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
    }

    private NativeThreads() {
    }

    /**
     * This process's threads as the operating system sees them, or null if it does not show them
     * (not Linux, or {@code /proc} not mounted). One small read per thread ({@code stat} holds the
     * name, the state and the CPU time); a thread that exits while being read is left out.
     */
    static List<OsThread> read() {
        // java.io, not NIO: a file channel read by an interrupted thread fails (and closes), and a
        // census must work from any thread, at exit too.
        String[] tids = TASKS.list();
        if (tids == null) {
            return null;
        }
        List<OsThread> threads = new ArrayList<>(tids.length);
        for (String tid : tids) {
            OsThread thread = readTask(tid);
            if (thread != null) {
                threads.add(thread);
            }
        }
        return threads;
    }

    /** Parses {@code tid (comm) S ppid ... utime stime ...}; comm may hold spaces and parentheses. */
    private static OsThread readTask(String tid) {
        try (InputStream in = new FileInputStream(new File(new File(TASKS, tid), "stat"))) {
            String stat = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] fields = stat.substring(close + 2).trim().split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return new OsThread(Integer.parseInt(tid), stat.substring(open + 1, close), fields[0].equals("R"),
                    ticks * NANOS_PER_TICK);
        } catch (IOException | RuntimeException gone) {
            return null;                                 // exited meanwhile, or an unexpected format
        }
    }

    /** The name HotSpot gives the native thread of a Java thread named {@code javaName}. */
    static String commOf(String javaName) {
        byte[] bytes = javaName.getBytes(StandardCharsets.UTF_8);
        return new String(bytes, 0, Math.min(COMM_BYTES, bytes.length), StandardCharsets.ISO_8859_1);
    }

    /** Whether a task of this name is one of the JVM's own threads. */
    static boolean isJvmThread(String comm) {
        for (String prefix : JVM_THREAD_PREFIXES) {
            if (comm.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The tasks that are not Java threads, split into the JVM's own and the rest (native). */
    static final class Unmatched {
        final List<OsThread> jvm = new ArrayList<>();
        final List<OsThread> foreign = new ArrayList<>();
    }

    /**
     * Splits the tasks that no Java thread claims by name (see the class comment) into the JVM's
     * own and foreign ones. A Java thread whose name claims no task (such as {@code main}, whose
     * task is named {@code java}) claims a left-over task named {@code java} instead.
     */
    static Unmatched unmatched(List<OsThread> tasks, Collection<String> javaThreadNames, long pid) {
        Map<String, Integer> claims = new HashMap<>();
        for (String name : javaThreadNames) {
            claims.merge(commOf(name), 1, Integer::sum);
        }
        List<OsThread> left = new ArrayList<>();
        for (OsThread task : tasks) {
            Integer open = claims.get(task.comm);
            if (open != null && open > 0) {
                claims.put(task.comm, open - 1);
            } else {
                left.add(task);
            }
        }
        int unclaimed = 0;
        for (int open : claims.values()) {
            unclaimed += open;
        }
        Unmatched result = new Unmatched();
        for (OsThread task : left) {
            if (task.tid == pid || isJvmThread(task.comm)) {
                result.jvm.add(task);
            } else if (unclaimed > 0 && task.comm.equals("java")) {
                unclaimed--;                             // an attached Java thread (main) keeps the launcher's name
            } else {
                result.foreign.add(task);
            }
        }
        return result;
    }
}
