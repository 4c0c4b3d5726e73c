package dev.spindle.bench.linalg;

import dev.spindle.bench.baseline.IndependentProducts;
import dev.spindle.bench.baseline.OpenBlasGemm;
import dev.spindle.bench.baseline.OpenBlasLibrary;
import dev.spindle.bench.measure.BusyThreads;
import dev.spindle.bench.workload.GemmBatch;
import dev.spindle.core.Scheduler;
import dev.spindle.linalg.Blas;
import dev.spindle.linalg.internal.BlockSizes;
import dev.spindle.linalg.internal.Gemm;
import dev.spindle.linalg.internal.MatrixOperand;
import dev.spindle.linalg.internal.kernel.MicroKernel;
import dev.spindle.linalg.internal.kernel.MicroKernels;
import dev.spindle.linalg.ojalgo.OjAlgoSpindle;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ojalgo.OjAlgoUtils;
import org.ojalgo.matrix.store.R064Store;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GEMM throughput, {@code C = A·B} with dense row-major n × n matrices, reported as the
 * {@code gflops} counter (GFLOP/s, counting 2n³ flops per product) next to the time per product.
 *
 * <p>{@code impl} chooses the code: Spindle's GEMM with the Vector API kernel
 * ({@code spindle-vector}) or the portable one ({@code spindle-portable}), both on a Spindle
 * scheduler of {@code workers} workers; and the baselines: ojAlgo 57.1.0 limited to
 * {@code workers} threads ({@code ojalgo}), ojAlgo with its own default threading
 * ({@code ojalgo-default}, ignores {@code workers}), ojAlgo single-threaded in Spindle tiles
 * ({@code ojalgo-tiled}), EJML ({@code ejml}: {@code CommonOps_DDRM.mult} for 1 worker,
 * {@code CommonOps_MT_DDRM.mult} with {@code workers} threads otherwise), and netlib's pure-Java
 * BLAS ({@code netlib}: {@code VectorBLAS} when the module is present; single-threaded, ignores
 * {@code workers}), and OpenBLAS through bytedeco with {@code workers} OpenBLAS threads:
 * {@code openblas} passes native operands allocated and filled once (no copies timed),
 * {@code openblas-array} passes the {@code double[]} arrays, as most Java users call it (JavaCPP
 * copies them into fresh native buffers on each call), and {@code openblas-copy} copies them into
 * native buffers allocated once and C back ({@link OpenBlasGemm.Operands}). OpenBLAS picks its kernel when it loads,
 * or takes the one {@code OPENBLAS_CORETYPE} names in the environment the run was started with (the
 * forks inherit it); {@code openblasCore} makes the set-up check which one runs. The set-up
 * prints the kernel, the thread count OpenBLAS reports, and how many threads were busy during a
 * check run of products (read from {@code /proc}); it fails if OpenBLAS cannot load, keeps another
 * thread count, or computes a wrong product. {@code independent} is the machine's ceiling for {@code workers} cores, not a
 * GEMM of its own: {@code workers} plain threads each run their own whole product with Spindle's
 * serial GEMM at once, one operation being one round ({@code workers} products, counted in
 * {@code gflops}); see {@link IndependentProducts}.
 *
 * <p>The fork adds {@code --add-modules jdk.incubator.vector} so both kernels can be measured in
 * one JVM; run the same jar under JDK 17 and JDK 25 for the two columns of the report.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class GemmBenchmark {

    /** Which GEMM runs; the Spindle rows are the subject, the others the baselines. */
    @Param({"spindle-vector", "spindle-portable", "ojalgo", "ojalgo-default", "ojalgo-tiled", "ejml", "netlib",
            "independent", "openblas", "openblas-array", "openblas-copy"})
    public String impl;

    /** Matrix order. */
    @Param({"256", "512", "1024", "2048"})
    public int n;

    /** Worker threads (Spindle workers, or the baseline's thread count where it has one). */
    @Param({"1", "2"})
    public int workers;

    /**
     * The OpenBLAS kernel the {@code openblas} rows must run ({@code openblas_get_corename}, e.g.
     * {@code SkylakeX}), or {@code detected} for whatever OpenBLAS picks. OpenBLAS takes it from the
     * environment the run was started with ({@code OPENBLAS_CORETYPE}); a set-up that finds another
     * kernel fails, so an inherited variable cannot silently change what is measured.
     */
    @Param({"detected"})
    public String openblasCore;

    private Scheduler scheduler;
    private double[] a;
    private double[] b;
    private double[] c;
    private MicroKernel kernel;
    private BlockSizes blocks;
    private MatrixOperand left;
    private MatrixOperand right;
    private MatrixOperand product;
    private R064Store ojLeft;
    private R064Store ojRight;
    private R064Store ojProduct;
    private DMatrixRMaj ejmlLeft;
    private DMatrixRMaj ejmlRight;
    private DMatrixRMaj ejmlProduct;
    private dev.ludovic.netlib.blas.BLAS netlib;
    private IndependentProducts independent;
    private OpenBlasGemm openBlas;

    /** GFLOP done, as a JMH counter: its rate is GFLOP/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public double gflops;
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        a = GemmBatch.randomMatrix(random, n);
        b = GemmBatch.randomMatrix(random, n);
        c = new double[n * n];
        left = MatrixOperand.checked("A", false, a, 0, n, "n", n, "n", n);
        right = MatrixOperand.checked("B", false, b, 0, n, "n", n, "n", n);
        product = MatrixOperand.checked("C", false, c, 0, n, "n", n, "n", n);
        scheduler = Scheduler.builder().parallelism(workers).name("gemm-bench").build();
        switch (impl) {
            case "spindle-vector":
                kernel = MicroKernels.vectorOrNull();
                if (kernel == null) {
                    throw new IllegalStateException("Vector API kernel unavailable: " + MicroKernels.vectorUnavailableReason());
                }
                blocks = BlockSizes.ofMachine(kernel);
                break;
            case "spindle-portable":
                kernel = MicroKernels.portable();
                blocks = BlockSizes.ofMachine(kernel);
                break;
            case "ojalgo":
                OjAlgoUtils.limitThreadsTo(workers);
                ojStores();
                break;
            case "ojalgo-default":
                ojStores();
                break;
            case "ojalgo-tiled":
                OjAlgoSpindle.install();
                ojStores();
                break;
            case "ejml":
                ejmlLeft = DMatrixRMaj.wrap(n, n, a);
                ejmlRight = DMatrixRMaj.wrap(n, n, b);
                ejmlProduct = new DMatrixRMaj(n, n);
                EjmlConcurrency.setMaxThreads(workers);
                break;
            case "netlib":
                netlib = dev.ludovic.netlib.blas.BLAS.getInstance();
                System.err.println("netlib implementation: " + netlib.getClass().getName());
                break;
            case "independent":
                independent = new IndependentProducts(n, workers, 43);
                break;
            case "openblas":
                openBlas = openBlas(OpenBlasGemm.Operands.OFF_HEAP);
                break;
            case "openblas-array":
                openBlas = openBlas(OpenBlasGemm.Operands.JAVA_ARRAYS);
                break;
            case "openblas-copy":
                openBlas = openBlas(OpenBlasGemm.Operands.JAVA_ARRAYS_COPIED);
                break;
            default:
                throw new IllegalArgumentException("unknown impl " + impl);
        }
        System.err.println("impl=" + impl + " kernel=" + (kernel != null ? kernel.name() + " " + blocks : "-")
                + " default kernel=" + Blas.gemmKernel() + " java=" + Runtime.version());
    }

    /**
     * Loads OpenBLAS, sets its thread count to {@code workers}, checks a product, and prints the
     * kernel and the threads that were busy during a quarter second of products.
     */
    private OpenBlasGemm openBlas(OpenBlasGemm.Operands operands) {
        OpenBlasLibrary library = OpenBlasLibrary.load();
        if (!openblasCore.equals("detected") && !openblasCore.equalsIgnoreCase(library.coreName())) {
            throw new IllegalStateException("openblasCore=" + openblasCore + " but OpenBLAS runs its " + library.coreName()
                    + " kernel (" + OpenBlasLibrary.CORE_TYPE_VARIABLE + "=" + OpenBlasLibrary.coreTypeRequested()
                    + "): start the run with " + OpenBlasLibrary.CORE_TYPE_VARIABLE + "=" + openblasCore
                    + ", or unset it for the detected kernel");
        }
        library.useThreads(workers);
        OpenBlasGemm gemm = new OpenBlasGemm(library, n, a, b, operands);
        gemm.multiply();
        gemm.verify(16);
        double[] shares = BusyThreads.during(() -> {
            long end = System.nanoTime() + 250_000_000L;
            do {
                gemm.multiply();
            } while (System.nanoTime() < end);
        });
        System.err.println("OpenBLAS core=" + library.coreName() + " (" + OpenBlasLibrary.CORE_TYPE_VARIABLE + "="
                + OpenBlasLibrary.coreTypeRequested() + ") threads=" + library.threads() + " busy threads in a check run="
                + BusyThreads.busy(shares) + " (on-CPU shares " + java.util.Arrays.toString(shares) + ") config="
                + library.config());
        return gemm;
    }

    private void ojStores() {
        ojLeft = R064Store.FACTORY.make(n, n);
        ojRight = R064Store.FACTORY.make(n, n);
        ojProduct = R064Store.FACTORY.make(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                ojLeft.set(i, j, a[i * n + j]);
                ojRight.set(i, j, b[i * n + j]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scheduler.close();
        if (independent != null) {
            independent.close();
        }
        if (openBlas != null) {
            openBlas.close();
        }
    }

    @Benchmark
    public Object multiply(Flops flops) {
        if (impl.equals("independent")) {
            independent.run();
            flops.gflops += independent.productsPerRound() * 2.0 * n * n * n * 1e-9;
            return independent;
        }
        flops.gflops += 2.0 * n * n * n * 1e-9;
        switch (impl) {
            case "spindle-vector":
            case "spindle-portable":
                Gemm.multiply(scheduler, kernel, blocks, n, n, n, 1.0, left, right, 0.0, product);
                return c;
            case "ojalgo":
            case "ojalgo-default":
                ojProduct.fillByMultiplying(ojLeft, ojRight);
                return ojProduct;
            case "ojalgo-tiled":
                return OjAlgoSpindle.multiplyTiled(scheduler, ojLeft, ojRight);
            case "ejml":
                if (workers == 1) {
                    CommonOps_DDRM.mult(ejmlLeft, ejmlRight, ejmlProduct);
                } else {
                    CommonOps_MT_DDRM.mult(ejmlLeft, ejmlRight, ejmlProduct);
                }
                return ejmlProduct;
            case "netlib":
                // column-major BLAS on row-major data: C^T = B^T A^T
                netlib.dgemm("N", "N", n, n, n, 1.0, b, n, a, n, 0.0, c, n);
                return c;
            case "openblas":
            case "openblas-array":
            case "openblas-copy":
                openBlas.multiply();
                return openBlas;
            default:
                throw new IllegalStateException(impl);
        }
    }
}
