package dev.spindle.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Decides whether a pool made with a {@code ThreadFactory} may run on Spindle, where the factory is
 * never asked for a thread. The factory is asked once, for a thread that is never started, around a
 * probe task. A factory that only names, prioritises or marks its threads as daemons returns a plain
 * {@code Thread} whose task is the probe itself: its pool is redirected, and the two things its
 * threads could carry into a task are kept ({@link Traits}): an uncaught-exception handler it set,
 * and a context class loader. A factory that wraps the task (to set thread-locals, a logging
 * context, a security context before it runs), returns a {@code Thread} subclass, or returns null,
 * makes threads whose difference Spindle's workers cannot reproduce: its pool keeps its threads,
 * and the report says why. (The probe costs the factory one call: a counter in it, such as the
 * {@code -thread-N} of the JDK's default factory, skips one number.)
 */
final class ThreadFactoryProbe {

    /** What a redirected pool's tasks get from the threads its factory would have made. */
    static final class Traits {
        /** The handler the factory set, or null: a task's uncaught exception goes there. */
        final Thread.UncaughtExceptionHandler handler;
        /** The context class loader its threads would have, set around each task. */
        final ClassLoader contextClassLoader;

        Traits(Thread.UncaughtExceptionHandler handler, ClassLoader contextClassLoader) {
            this.handler = handler;
            this.contextClassLoader = contextClassLoader;
        }
    }

    private static final Runnable PROBE = () -> { };
    private static final Class<?> DEFAULT_FACTORY = Executors.defaultThreadFactory().getClass();
    /** Thread's task: {@code target} on JDK 17, {@code holder.task} from JDK 19. Null if unreadable. */
    private static volatile VarHandle target;
    private static volatile VarHandle holder;
    private static volatile VarHandle holderTask;

    private ThreadFactoryProbe() {
    }

    /** Finds the field that holds a thread's task; the agent has opened {@code java.lang} first. */
    static void install() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            try {
                target = lookup.findVarHandle(Thread.class, "target", Runnable.class);
            } catch (NoSuchFieldException notSeventeen) {
                Class<?> holderClass = Class.forName("java.lang.Thread$FieldHolder");
                holder = lookup.findVarHandle(Thread.class, "holder", holderClass);
                holderTask = MethodHandles.privateLookupIn(holderClass, MethodHandles.lookup())
                        .findVarHandle(holderClass, "task", Runnable.class);
            }
        } catch (ReflectiveOperationException | RuntimeException unreadable) {
            target = null;                               // every custom factory then keeps its threads
            holder = null;
        }
    }

    /**
     * The traits of {@code factory}'s threads if its pool may be redirected, or null with the reason
     * in {@code why[0]}. The JDK's default factory (and no factory) needs no probe.
     */
    static Traits probe(ThreadFactory factory, String[] why) {
        ClassLoader caller = Thread.currentThread().getContextClassLoader();
        if (factory == null || factory.getClass() == DEFAULT_FACTORY) {
            return new Traits(null, caller);
        }
        Thread thread;
        try {
            thread = factory.newThread(PROBE);
        } catch (RuntimeException | Error failed) {
            why[0] = "its ThreadFactory " + factory.getClass().getName() + " threw " + failed;
            return null;
        }
        if (thread == null) {
            why[0] = "its ThreadFactory " + factory.getClass().getName() + " returned no thread";
            return null;
        }
        if (thread.getClass() != Thread.class) {
            why[0] = "its ThreadFactory makes " + thread.getClass().getName() + ", a Thread subclass";
            return null;
        }
        Runnable task = taskOf(thread);
        if (task != PROBE) {
            why[0] = task == null && target == null && holder == null
                    ? "the agent cannot read what its ThreadFactory's threads run on this JVM"
                    : "its ThreadFactory " + factory.getClass().getName() + " wraps each task (thread-locals or"
                            + " a context its threads set up)";
            return null;
        }
        Thread.UncaughtExceptionHandler handler = thread.getUncaughtExceptionHandler();
        if (handler == thread.getThreadGroup()) {
            handler = null;                              // not set: the default rules apply
        }
        return new Traits(handler, thread.getContextClassLoader());
    }

    private static Runnable taskOf(Thread thread) {
        VarHandle plain = target;
        if (plain != null) {
            return (Runnable) plain.get(thread);
        }
        VarHandle fields = holder;
        if (fields != null) {
            Object held = fields.get(thread);
            return held == null ? null : (Runnable) holderTask.get(held);
        }
        return null;
    }
}
