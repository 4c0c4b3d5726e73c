package dev.spindle.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ForkJoinPool;

/**
 * The parallelism of the JDK's {@code ForkJoinPool.commonPool()}.
 *
 * <ul>
 *   <li><b>JDK 19+</b>: {@code ForkJoinPool.setParallelism(int)} (called reflectively: the build
 *       targets 17). Takes effect at any time for new work; workers above the new target retire
 *       when idle. {@code close()} sets the previous parallelism back.</li>
 *   <li><b>JDK 17, 18</b>: the pool's size is fixed when the {@code ForkJoinPool} class
 *       initializes, from the system property {@value #PROPERTY}. The knob sets the property and
 *       then touches the common pool: if the class was not initialized yet, the pool starts with
 *       the limit (applied, for the life of the JVM: {@code close()} restores only the property);
 *       if it was, the pool keeps the size it started with and the change reports it as not
 *       applied, the property restored at once.</li>
 * </ul>
 * Process-wide either way.
 */
final class CommonPoolKnob extends LibraryPool {

    static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

    CommonPoolKnob() {
        super(PoolLimits.COMMON_POOL);
    }

    @Override
    PoolLimits.Change limit(int threads, LibraryClasses classes) {
        Method setParallelism;
        try {
            setParallelism = ForkJoinPool.class.getMethod("setParallelism", int.class);
        } catch (NoSuchMethodException beforeJdk19) {
            return limitByProperty(threads);
        }
        ForkJoinPool common = ForkJoinPool.commonPool();
        int before = common.getParallelism();
        try {
            setParallelism.invoke(common, threads);
        } catch (InvocationTargetException | IllegalAccessException refused) {
            // UnsupportedOperationException: the common pool was configured with parallelism 0.
            return failed("ForkJoinPool.setParallelism(" + threads + ")", refused);
        }
        int after = common.getParallelism();
        return PoolLimits.Change.applied(name(), before, after,
                "ForkJoinPool.setParallelism; close() sets " + before + " back", () -> {
                    if (common.getParallelism() == after) {
                        setParallelism.invoke(common, before);
                    }
                });
    }

    private PoolLimits.Change limitByProperty(int threads) {
        String previous = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, Integer.toString(threads));
        int now = ForkJoinPool.getCommonPoolParallelism();   // initializes the pool if nobody did yet
        if (now != threads) {
            restoreProperty(previous, Integer.toString(threads));
            return PoolLimits.Change.skipped(name(), "the common pool started with parallelism " + now
                    + " before the limit; before JDK 19 it cannot change (" + PROPERTY
                    + " counts only before first use)");
        }
        String ours = Integer.toString(threads);
        int before = parse(previous);
        return PoolLimits.Change.applied(name(), before, now, PROPERTY + "=" + threads
                + ": the common pool has parallelism " + now + " (from the property if it had not started,"
                + " already so if it had), fixed for the life of the JVM before JDK 19; close() restores"
                + " only the property", () -> restoreProperty(previous, ours));
    }

    private static void restoreProperty(String previous, String ours) {
        if (ours.equals(System.getProperty(PROPERTY))) {
            if (previous == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, previous);
            }
        }
    }

    private static int parse(String value) {
        try {
            return value == null ? -1 : Integer.parseInt(value.trim());
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }
}
