package dev.spindle.core.testing;

import dev.spindle.core.Scheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Schedulers shared by every test of one class, closed after its last test. For test classes
 * that run many cheap cases on the same workers:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClassSchedulers SCHEDULERS = new ClassSchedulers("gemv-test");
 * private static final Scheduler two = SCHEDULERS.withParallelism(2);
 * }</pre>
 *
 * <p>{@link ThreadHygieneExtension} then finds no worker of theirs alive after the class.
 */
public final class ClassSchedulers implements AfterAllCallback {

    private final String namePrefix;
    private final List<Scheduler> made = new ArrayList<>();

    /** Schedulers named {@code <namePrefix>-p<parallelism>}. */
    public ClassSchedulers(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    /** A new scheduler of {@code parallelism} workers, closed after the class's last test. */
    public synchronized Scheduler withParallelism(int parallelism) {
        Scheduler scheduler = Scheduler.builder().parallelism(parallelism).name(namePrefix + "-p" + parallelism).build();
        made.add(scheduler);
        return scheduler;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        for (Scheduler scheduler : made) {
            scheduler.close();
        }
        made.clear();
    }
}
