package dev.spindle.bench.workload;

import java.util.SplittableRandom;
import org.ojalgo.matrix.store.R064Store;

/**
 * W1 and W3: independent products {@code C_i = A_i · B_i} of square row-major matrices, with the
 * orders {@link BatchSizes} gives, run by a {@link TwoLevelExecution}: the outer level over the
 * products, the inner level inside each product. The {@code ojalgo-default} variant multiplies
 * copies of the same matrices held as ojAlgo {@link R064Store}s, with ojAlgo's own threading.
 *
 * <p>Inputs are pseudo-random in [-0.5, 0.5) from a fixed seed. Not thread-safe: one
 * {@link #run} at a time.
 */
public final class GemmBatch {

    private final int[] sizes;
    private final double[][] a;
    private final double[][] b;
    private final double[][] c;
    private R064Store[] ojLeft;
    private R064Store[] ojRight;
    private R064Store[] ojProduct;

    /** Allocates and fills the inputs for products of the given orders. */
    public GemmBatch(int[] sizes, long seed) {
        this.sizes = sizes.clone();
        SplittableRandom random = new SplittableRandom(seed);
        a = new double[sizes.length][];
        b = new double[sizes.length][];
        c = new double[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            int n = sizes[i];
            a[i] = randomMatrix(random, n);
            b[i] = randomMatrix(random, n);
            c[i] = new double[n * n];
        }
    }

    /** An n × n row-major matrix of values uniform in [-0.5, 0.5), the inputs of every GEMM benchmark. */
    public static double[] randomMatrix(SplittableRandom random, int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextDouble() - 0.5;
        }
        return m;
    }

    /** The orders, in batch order. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** Computes every product with the variant of {@code execution}. */
    public void run(TwoLevelExecution execution) {
        if (execution.variant() == Variant.OJALGO_DEFAULT) {
            prepareOjAlgo();
            execution.forEachItem(sizes.length, i -> ojProduct[i].fillByMultiplying(ojLeft[i], ojRight[i]));
        } else {
            execution.forEachItem(sizes.length, i -> execution.gemm(sizes[i], a[i], b[i], c[i]));
        }
    }

    /**
     * Readies the batch for runs with {@code variant} before they are timed: for ojalgo-default,
     * copies the inputs into ojAlgo stores (a {@link #run} would otherwise do it the first time);
     * nothing for the other variants.
     */
    public void prepareFor(Variant variant) {
        if (variant == Variant.OJALGO_DEFAULT) {
            prepareOjAlgo();
        }
    }

    /** Copies the inputs into ojAlgo stores, once. */
    private void prepareOjAlgo() {
        if (ojLeft != null) {
            return;
        }
        ojLeft = new R064Store[sizes.length];
        ojRight = new R064Store[sizes.length];
        ojProduct = new R064Store[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int n = sizes[i];
            ojLeft[i] = R064Store.FACTORY.make(n, n);
            ojRight[i] = R064Store.FACTORY.make(n, n);
            ojProduct[i] = R064Store.FACTORY.make(n, n);
            for (int r = 0; r < n; r++) {
                for (int col = 0; col < n; col++) {
                    ojLeft[i].set(r, col, a[i][r * n + col]);
                    ojRight[i].set(r, col, b[i][r * n + col]);
                }
            }
        }
    }

    /**
     * Product {@code i} as computed by the last {@link #run}, row-major (from the ojAlgo store when
     * the last run was ojalgo-default).
     */
    public double[] product(int i, Variant lastVariant) {
        if (lastVariant != Variant.OJALGO_DEFAULT) {
            return c[i].clone();
        }
        int n = sizes[i];
        double[] out = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int col = 0; col < n; col++) {
                out[r * n + col] = ojProduct[i].doubleValue(r, col);
            }
        }
        return out;
    }
}
