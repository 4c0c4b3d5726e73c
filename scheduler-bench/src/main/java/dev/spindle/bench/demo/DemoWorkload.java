package dev.spindle.bench.demo;

import dev.spindle.bench.workload.BatchSizes;
import dev.spindle.bench.workload.GemmBatch;
import dev.spindle.bench.workload.MemoryBoundKernels;
import dev.spindle.bench.workload.PowerMethodBatch;
import dev.spindle.bench.workload.TwoLevelExecution;
import dev.spindle.bench.workload.Variant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The workloads the demo can run, with the sizes it derives from {@code --size} (W1's matrix order
 * {@code s}): the same workload code as the JMH benchmarks, smaller.
 */
public enum DemoWorkload {
    /** W1: 6 products of s × s. */
    W1("w1", "W1 many products: 6 GEMMs of %1$d x %1$d") {
        @Override
        Consumer<TwoLevelExecution> prepare(int s) {
            GemmBatch batch = new GemmBatch(BatchSizes.uniform(6, s), 42);
            return batch::run;
        }
    },
    /** W2: power method on 16 matrices of s/2. */
    W2("w2", "W2 power method: 16 symmetric matrices of %2$d x %2$d, parallel GEMV inside") {
        @Override
        Consumer<TwoLevelExecution> prepare(int s) {
            PowerMethodBatch batch = new PowerMethodBatch(16, s / 2, 42);
            return batch::run;
        }

        @Override
        Set<Variant> variants() {
            return EnumSet.complementOf(EnumSet.of(Variant.OJALGO_DEFAULT));
        }
    },
    /** W3a: 49 equal products with the flops of W3b. */
    W3_BALANCED("w3-balanced", "W3 balanced batch: 49 equal GEMMs, same flops as w3-skewed") {
        @Override
        Consumer<TwoLevelExecution> prepare(int s) {
            GemmBatch batch = new GemmBatch(BatchSizes.balancedLike(48, s / 4), 42);
            return batch::run;
        }
    },
    /** W3b: 48 products of s/4 and one as large as all of them, in the middle. */
    W3_SKEWED("w3-skewed", "W3 skewed batch: 48 GEMMs of %3$d x %3$d and one large one (3x their flops) in the middle") {
        @Override
        Consumer<TwoLevelExecution> prepare(int s) {
            GemmBatch batch = new GemmBatch(BatchSizes.skewed(48, s / 4), 42);
            return batch::run;
        }
    },
    /** W4: dot product of two vectors of 64·s² doubles. */
    W4("w4", "W4 memory-bound: dot product of two vectors of %4$d doubles") {
        @Override
        Consumer<TwoLevelExecution> prepare(int s) {
            MemoryBoundKernels kernels = new MemoryBoundKernels(vectorLength(s), 64);
            return kernels::dot;
        }

        @Override
        Set<Variant> variants() {
            return EnumSet.of(Variant.SERIAL, Variant.OUTER_ONLY, Variant.FJP_NESTED, Variant.SPINDLE);
        }
    },
    /** Your code, unchanged: a legacy job with no Spindle import, plain and under the agent. */
    UNCHANGED("unchanged", "Your code, unchanged: a fixed pool whose tasks use a parallel stream,"
            + " supplyAsync().join(), parallelSort and ojAlgo (%3$d x %3$d), plain and under -javaagent") {
        @Override
        Consumer<TwoLevelExecution> prepare(int s) {
            throw new UnsupportedOperationException("the unchanged job runs in child JVMs, not in variants");
        }

        @Override
        boolean inChildJvms() {
            return true;
        }

        @Override
        Set<Variant> variants() {
            return EnumSet.noneOf(Variant.class);
        }
    };

    private final String id;
    private final String title;

    DemoWorkload(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** Builds the inputs for size {@code s}; the result runs the workload once with a variant. */
    abstract Consumer<TwoLevelExecution> prepare(int s);

    /** Whether the workload runs whole programs in child JVMs instead of the variants. */
    boolean inChildJvms() {
        return false;
    }

    /** The variants that apply to this workload. */
    Set<Variant> variants() {
        return EnumSet.allOf(Variant.class);
    }

    /** W4's vector length: 64·s² doubles, at most 2²⁶ (two vectors of 512 MiB), so no size runs out of heap. */
    static int vectorLength(int s) {
        return (int) Math.min(1L << 26, 64L * s * s);
    }

    /** The id on the command line, e.g. {@code w3-skewed}. */
    public String id() {
        return id;
    }

    /** One line saying what runs, for size {@code s}. */
    public String title(int s) {
        return String.format(title, s, s / 2, s / 4, vectorLength(s));
    }

    /** The workloads run when {@code --workloads} is not given. */
    static List<DemoWorkload> defaults() {
        return List.of(W1, W2, W3_BALANCED, W3_SKEWED, UNCHANGED);
    }

    static String ids() {
        return Arrays.stream(values()).map(DemoWorkload::id).collect(Collectors.joining(","));
    }

    static DemoWorkload fromIdOrNull(String id) {
        for (DemoWorkload workload : values()) {
            if (workload.id.equals(id)) {
                return workload;
            }
        }
        return null;
    }
}
