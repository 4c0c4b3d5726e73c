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
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The workloads the demo can run: the same workload code as the JMH benchmarks, smaller. Each is
 * built for a scale {@code s} (W1's matrix order; the others derive their orders from it as their
 * titles say). The demo chooses {@code s} per workload by time ({@link SizeCalibration}), or takes
 * it from {@code --size}; {@link #sizeExponent()} says how the serial time grows with it.
 */
public enum DemoWorkload {
    /** W1: 6 products of s × s. */
    W1("w1", "W1 many products", "6 GEMMs of %1$d x %1$d") {
        @Override
        Consumer<TwoLevelExecution> prepare(int s) {
            GemmBatch batch = new GemmBatch(BatchSizes.uniform(6, s), 42);
            return batch::run;
        }
    },
    /** W2: power method on 16 matrices of s/2. */
    W2("w2", "W2 power method", "16 symmetric matrices of %2$d x %2$d, parallel GEMV inside") {
        @Override
        Consumer<TwoLevelExecution> prepare(int s) {
            PowerMethodBatch batch = new PowerMethodBatch(16, s / 2, 42);
            return batch::run;
        }

        @Override
        int sizeExponent() {
            return 2;
        }

        @Override
        Set<Variant> variants() {
            return WITHOUT_OJALGO;
        }
    },
    /** W3a: 49 equal products with the flops of W3b. */
    W3_BALANCED("w3-balanced", "W3 balanced batch", "49 equal GEMMs of %5$d x %5$d") {
        @Override
        Consumer<TwoLevelExecution> prepare(int s) {
            GemmBatch batch = new GemmBatch(BatchSizes.balancedLike(48, s / 4), 42);
            return batch::run;
        }

        @Override
        DemoWorkload sizedLike() {
            return W3_SKEWED;
        }

        @Override
        Set<Variant> variants() {
            return WITHOUT_OJALGO;
        }
    },
    /** W3b: 48 products of s/4 and one as large as all of them, in the middle. */
    W3_SKEWED("w3-skewed", "W3 skewed batch", "48 GEMMs of %3$d x %3$d and one of %6$d x %6$d (3x their flops) in the middle") {
        @Override
        Consumer<TwoLevelExecution> prepare(int s) {
            GemmBatch batch = new GemmBatch(BatchSizes.skewed(48, s / 4), 42);
            return batch::run;
        }

        @Override
        Set<Variant> variants() {
            return WITHOUT_OJALGO;
        }
    },
    /** W4: dot product of two vectors of 64·s² doubles. */
    W4("w4", "W4 memory-bound", "dot product of two vectors of %4$d doubles") {
        @Override
        Consumer<TwoLevelExecution> prepare(int s) {
            MemoryBoundKernels kernels = new MemoryBoundKernels(vectorLength(s), 64);
            return kernels::dot;
        }

        @Override
        int sizeExponent() {
            return 2;
        }

        @Override
        Set<Variant> variants() {
            return EnumSet.of(Variant.SERIAL, Variant.OUTER_ONLY, Variant.FJP_NESTED, Variant.SPINDLE);
        }
    },
    /** Your code, unchanged: a legacy job with no Spindle import, plain and under the agent. */
    UNCHANGED("unchanged", "Your code, unchanged", "a fixed pool whose tasks use a parallel stream,"
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

    /**
     * The variants of W2 and W3. ojAlgo has no GEMV to nest in W2; on W3 its own threads would
     * show what W1 shows already, at about eight seconds a workload (a run is seven times serial
     * next to the Vector API kernel).
     */
    private static final Set<Variant> WITHOUT_OJALGO = EnumSet.complementOf(EnumSet.of(Variant.OJALGO_DEFAULT));

    private final String id;
    private final String name;
    private final String sizes;

    DemoWorkload(String id, String name, String sizes) {
        this.id = id;
        this.name = name;
        this.sizes = sizes;
    }

    /** Builds the inputs for size {@code s}; the result runs the workload once with a variant. */
    abstract Consumer<TwoLevelExecution> prepare(int s);

    /**
     * The power of {@code s} that the serial time grows with: 3 for batches of products, 2 for
     * the power method (GEMV) and the memory-bound loop.
     */
    int sizeExponent() {
        return 3;
    }

    /**
     * The workload whose calibrated size this one uses: itself, or for {@code w3-balanced}
     * {@code w3-skewed}, so that the two shapes keep the same flops.
     */
    DemoWorkload sizedLike() {
        return this;
    }

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

    /** One line saying what runs, for scale {@code s}: the name and {@link #sizes}. */
    public String title(int s) {
        return name + ": " + sizes(s);
    }

    /** What runs at scale {@code s}: how many items of which sizes. */
    public String sizes(int s) {
        return String.format(Locale.ROOT, sizes, s, s / 2, s / 4, vectorLength(s),
                BatchSizes.balancedLike(48, s / 4)[0], BatchSizes.skewed(48, s / 4)[24]);
    }

    /** A title short enough for a chart 640 pixels wide: the name and the orders, without the prose. */
    public String shortTitle(int s) {
        switch (this) {
            case W1:
                return String.format(Locale.ROOT, "%s: 6 GEMMs of %dx%d", name, s, s);
            case W2:
                return String.format(Locale.ROOT, "%s: 16 matrices of %dx%d", name, s / 2, s / 2);
            case W3_BALANCED:
                int n = BatchSizes.balancedLike(48, s / 4)[0];
                return String.format(Locale.ROOT, "%s: 49 GEMMs of %dx%d", name, n, n);
            case W3_SKEWED:
                int large = BatchSizes.skewed(48, s / 4)[24];
                return String.format(Locale.ROOT, "%s: 48 GEMMs of %dx%d + one of %dx%d", name, s / 4, s / 4,
                        large, large);
            default:
                return name;
        }
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
