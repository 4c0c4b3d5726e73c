package dev.spindle.linalg.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.linalg.Blas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kernel selection, cache detection and the block sizes derived from it. */
class MicroKernelsTest {

    @Test
    void withTheModulePresent_theVectorKernelIsSelected_andBlasSaysSo() {
        assertNotNull(MicroKernels.vectorOrNull(), MicroKernels.vectorUnavailableReason());
        assertSame(MicroKernels.vectorOrNull(), MicroKernels.selected());
        assertTrue(Blas.gemmKernel().startsWith("vector-"), Blas.gemmKernel());
        assertTrue(Blas.gemmKernelReason().contains("jdk.incubator.vector"), Blas.gemmKernelReason());
        assertTrue(MicroKernels.portable().name().matches("portable-(fma-)?4x6"), MicroKernels.portable().name());
        assertTrue(MicroKernels.portableOtherVariant().name().matches("portable-(fma-)?4x6"));
    }

    @Test
    void multiplySet_writesTheSameBitsAsMultiplyAddOnZeros_andNeverReadsC() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (MicroKernel kernel : new MicroKernel[] {MicroKernels.selected(), MicroKernels.portable(),
                MicroKernels.portableOtherVariant()}) {
            int mr = kernel.mr();
            int nr = kernel.nr();
            int kc = 37;
            int ldc = nr + 5;
            double[] a = new double[kc * mr];
            double[] b = new double[kc * nr];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextDouble() - 0.5;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextDouble() - 0.5;
            }
            double[] added = new double[mr * ldc];
            kernel.multiplyAdd(kc, a, 0, b, 0, added, 0, ldc);
            double[] set = new double[mr * ldc];
            java.util.Arrays.fill(set, Double.NaN);
            kernel.multiplySet(kc, a, 0, b, 0, set, 0, ldc);
            for (int i = 0; i < mr; i++) {
                for (int j = 0; j < ldc; j++) {
                    int at = i * ldc + j;
                    if (j < nr) {
                        assertEquals(Double.doubleToLongBits(added[at]), Double.doubleToLongBits(set[at]),
                                kernel.name() + " C[" + i + "][" + j + "]");
                    } else {
                        assertTrue(Double.isNaN(set[at]), kernel.name() + " wrote outside the block");
                    }
                }
            }
        }
    }

    @Test
    void packingBuffers_startOnACacheLine_whereG1MakesThemRegionAligned() {
        GemmBuffers buffers = GemmBuffers.acquire();
        try {
            buffers.ensure(1 << 20, 64, 192);
            assertTrue(buffers.packedA.length - buffers.startA >= 1 << 20);
            assertTrue(buffers.packedB.length - buffers.startB >= 64);
            if (GemmBuffers.HUMONGOUS_BYTES > 0) {
                assertEquals(GemmBuffers.ALIGNED_START, buffers.startA, "an 8 MiB buffer is humongous under G1");
                assertTrue((long) buffers.packedA.length * Double.BYTES > GemmBuffers.HUMONGOUS_BYTES);
            } else {
                assertEquals(0, buffers.startA);
            }
        } finally {
            buffers.release();
        }
    }

    @Test
    void cacheSizes_areReadFromSysfs_withSharingAccountedFor(@TempDir Path dir) throws IOException {
        write(dir.resolve("index0"), "Data", "1", "48K", "0");
        write(dir.resolve("index1"), "Instruction", "1", "32K", "0");
        write(dir.resolve("index2"), "Unified", "2", "2048K", "0");
        write(dir.resolve("index3"), "Unified", "3", "105M", "0-1");
        CacheSizes caches = CacheSizes.detect(dir);
        assertEquals(48 << 10, caches.l1d);
        assertEquals(2 << 20, caches.l2);
        assertEquals((105L << 20) / 2, caches.l3PerCore);
        assertSame(CacheSizes.DEFAULTS, CacheSizes.detect(dir.resolve("missing")));
        assertEquals(12, CacheSizes.countCpus("0-7,16-19"));
    }

    @Test
    void blockSizes_followTheCacheRules() {
        CacheSizes caches = new CacheSizes(48 << 10, 2 << 20, 32 << 20, "test");
        MicroKernel registerBlocked = new MicroKernel() {
            @Override public String name() {
                return "8x24";
            }
            @Override public int mr() {
                return 8;
            }
            @Override public int nr() {
                return 24;
            }
            @Override public void multiplyAdd(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int ldc) {
            }
        };
        BlockSizes blocks = BlockSizes.forKernel(registerBlocked, caches);
        assertEquals(256, blocks.kc, "kc * mr * 8 <= L1d / 3");
        assertEquals(504, blocks.nc, "kc * nc * 8 <= L2 / 2, a multiple of nr");
        assertEquals(1024, blocks.mc, "mc * kc * 8 <= L2");
        BlockSizes portable = BlockSizes.forKernel(MicroKernels.portable(), caches);
        assertEquals(384, portable.kc, "L1d / 3 / (4 * 8) = 512, capped at 384");
        assertEquals(336, portable.nc);
        assertEquals(680, portable.mc);
    }

    @Test
    void balancedBlocks_splitEvenly_inMultiples() {
        assertEquals(528, Gemm.balanced(1024, 1008, 24));
        assertEquals(1008, Gemm.balanced(1000, 1008, 24));
        assertEquals(696, Gemm.balanced(2048, 1008, 24));
        assertEquals(8, Gemm.balanced(1, 512, 8));
    }

    private static void write(Path index, String type, String level, String size, String shared) throws IOException {
        Files.createDirectories(index);
        Files.writeString(index.resolve("type"), type + "\n");
        Files.writeString(index.resolve("level"), level + "\n");
        Files.writeString(index.resolve("size"), size + "\n");
        Files.writeString(index.resolve("shared_cpu_list"), shared + "\n");
    }
}
