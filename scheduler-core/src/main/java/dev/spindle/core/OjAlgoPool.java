package dev.spindle.core;

/**
 * ojAlgo's {@code ojAlgo-daemon} pool (a {@code DaemonPoolExecutor}: a {@code ThreadPoolExecutor}
 * with no maximum, threads named {@code ojAlgo-daemon-N} in the group {@code ojAlgo-daemon-group}).
 *
 * <p><b>Knob</b>: {@code OjAlgoUtils.limitThreadsTo(n)} replaces the public static
 * {@code OjAlgoUtils.ENVIRONMENT} with a copy limited to {@code n} threads (and as many cores and
 * units), which every parallel operation reads when it runs; ojAlgo then splits work into at most
 * {@code n} parts. It only lowers: a limit above the machine's threads changes nothing.
 * Process-wide, effective from the next operation, callable at any time. Daemon threads ojAlgo
 * started before stay alive (the pool's core threads never time out). {@code close()} puts the
 * saved {@code ENVIRONMENT} back if it is still the one this limit installed, as
 * {@code OjAlgoSpindle.uninstall()} in scheduler-linalg does.
 */
final class OjAlgoPool extends LibraryPool {

    private static final String UTILS = "org.ojalgo.OjAlgoUtils";
    private static final String THREAD_GROUP = "ojAlgo-daemon-group";
    private static final String THREAD_PREFIX = "ojAlgo-daemon-";

    OjAlgoPool() {
        super(PoolLimits.OJALGO);
    }

    @Override
    PoolLimits.Change limit(int threads, LibraryClasses classes) {
        return changeThrough(classes, UTILS, "OjAlgoUtils.limitThreadsTo", utils -> {
            Object saved = LibraryClasses.read(utils, "ENVIRONMENT");
            int before = threadsOf(saved);
            LibraryClasses.call(utils, "limitThreadsTo", new Class<?>[] {int.class}, threads);
            Object installed = LibraryClasses.read(utils, "ENVIRONMENT");
            return PoolLimits.Change.applied(name(), before, threadsOf(installed),
                    "OjAlgoUtils.limitThreadsTo(" + threads + "); close() puts the previous ENVIRONMENT back", () -> {
                        if (LibraryClasses.read(utils, "ENVIRONMENT") == installed) {
                            LibraryClasses.write(utils, "ENVIRONMENT", saved);
                        }
                    });
        });
    }

    private static int threadsOf(Object machine) throws ReflectiveOperationException {
        return (Integer) LibraryClasses.readInstance(machine, "threads");
    }

    @Override
    boolean ownsThread(Thread thread) {
        ThreadGroup group = thread.getThreadGroup();
        return (group != null && THREAD_GROUP.equals(group.getName())) || thread.getName().startsWith(THREAD_PREFIX);
    }

    @Override
    int configuredThreads(LibraryClasses classes) {
        return settingOf(classes, "org.ojalgo", UTILS, utils -> threadsOf(LibraryClasses.read(utils, "ENVIRONMENT")));
    }
}
