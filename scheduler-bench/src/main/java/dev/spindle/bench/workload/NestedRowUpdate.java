package dev.spindle.bench.workload;

import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;

/**
 * A CPU-bound nested loop: an outer {@code Parallel.forRange} over rows (one row per block) whose
 * body runs an inner {@code Parallel.forRange} over the row's elements ({@code y = y * c + d}, in
 * cache). Lazy splitting keeps the inner loops almost serial while the outer level keeps every
 * worker busy; the host budget's cost benchmark and its multi-JVM trial both run it.
 */
public final class NestedRowUpdate {

    private NestedRowUpdate() {
    }

    /** One pass over {@code rows} on {@code scheduler}, inner blocks of {@code innerGrain} elements. */
    public static void run(Scheduler scheduler, double[][] rows, int innerGrain) {
        Parallel.forRange(scheduler, 0, rows.length, 1, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                double[] row = rows[r];
                Parallel.forRange(scheduler, 0, row.length, innerGrain, (a, b) -> {
                    for (int i = a; i < b; i++) {
                        row[i] = row[i] * 0.999 + 1e-3;
                    }
                });
            }
        });
    }
}
