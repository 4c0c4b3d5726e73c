package dev.spindle.core;

import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * A pool that Spindle knows by name, reached by reflection: how {@link ThreadPools#info()}
 * recognises its threads, and how {@link ThreadPools#limit(int)} sets its thread count through
 * the library's own public knob. One subclass per library; a library that is not on the class path
 * is skipped, never an error.
 *
 * <p>Census methods read state only of a library that is {@linkplain LibraryClasses#inUse in use},
 * so a census initializes nothing. {@link #limit} is called with {@link PoolLimits}'s lock held.
 */
abstract class LibraryPool {

    /** The known pools, in the order limits are applied and library rows are listed. */
    static final List<LibraryPool> ALL = List.of(new CommonPoolKnob(), new OjAlgoPool(), new EjmlPool(),
            new BytedecoBlasPool(PoolLimits.OPENBLAS), new BytedecoBlasPool(PoolLimits.MKL), new SmilePool(),
            new ParallelColtPool());

    private final String name;

    LibraryPool(String name) {
        this.name = name;
    }

    /** The library's name, one of {@link PoolLimits}'s constants. */
    final String name() {
        return name;
    }

    /**
     * Sets the library's thread count to {@code threads} and returns what was done, with the
     * action that undoes it; or a skipped change that says why nothing was done. Never throws for
     * an absent library or a knob that cannot be used now.
     */
    abstract PoolLimits.Change limit(int threads, LibraryClasses classes);

    /** Whether {@code thread} is one of this library's pool threads, told by the thread alone. */
    boolean ownsThread(Thread thread) {
        return false;
    }

    /** Whether {@code pool} is this library's {@code ForkJoinPool}. */
    boolean ownsForkJoinPool(ForkJoinPool pool, LibraryClasses classes) {
        return false;
    }

    /** The library's thread setting, if it is in use; -1 otherwise. */
    int configuredThreads(LibraryClasses classes) {
        return -1;
    }

    /**
     * A census row for a pool whose threads the census cannot pick out one by one (they are
     * counted in another row), or null if the library is not in use or has no such pool.
     */
    PoolCensus.Pool viewRow(LibraryClasses classes) {
        return null;
    }

    /** Reflective steps on one of a library's classes; they fail as reflection does. */
    @FunctionalInterface
    interface OnLibraryClass<R> {
        R apply(Class<?> type) throws ReflectiveOperationException;
    }

    /**
     * The change {@code change} makes through the library's class {@code className}: an
     * {@linkplain #absent absent} one if the class is not on the class path, a
     * {@linkplain #failed failed} one naming {@code knob} if reflection or the library throws.
     */
    PoolLimits.Change changeThrough(LibraryClasses classes, String className, String knob,
                                    OnLibraryClass<PoolLimits.Change> change) {
        Class<?> type = classes.find(className);
        if (type == null) {
            return absent(className);
        }
        try {
            return change.apply(type);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError failure) {
            return failed(knob, failure);
        }
    }

    /**
     * The thread setting {@code read} finds on the library's class {@code className}, if the
     * library is {@linkplain LibraryClasses#inUse in use} (package {@code packageInUse}); -1 if it
     * is not, the class is absent or the setting cannot be read.
     */
    static int settingOf(LibraryClasses classes, String packageInUse, String className,
                         OnLibraryClass<Integer> read) {
        if (!classes.inUse(packageInUse)) {
            return -1;
        }
        try {
            Class<?> type = classes.find(className);
            return type == null ? -1 : read.apply(type);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            return -1;
        }
    }

    /** A skipped change for a knob that failed: the library's own exception, named. */
    PoolLimits.Change failed(String knob, Throwable failure) {
        Throwable cause = LibraryClasses.cause(failure);
        return PoolLimits.Change.skipped(name(), knob + " failed: " + cause);
    }

    /** A skipped change for a library that is not on the class path. */
    PoolLimits.Change absent(String className) {
        return PoolLimits.Change.skipped(name(), "not on the class path (no " + className + ")");
    }
}
