package dev.spindle.linalg.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.linalg.internal.kernel.MicroKernel;
import dev.spindle.linalg.internal.kernel.MicroKernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache detection, the block sizes derived from it, balanced blocks, and where packed data starts. */
class CacheBlockingTest {

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
    void cacheSizes_withoutSysfs_takeAnAmdL2FromCpuinfo_butNothingFromIntelsLastLevel(@TempDir Path dir)
            throws IOException {
        String zen5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel name\t: AMD EPYC\n"
                + "cache size\t: 1024 KB\n\nprocessor\t: 1\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n"
                + "cache size\t: 2048 KB\n";
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, zen5);
        CacheSizes amd = CacheSizes.detect(dir.resolve("no-sysfs"), cpuinfo);
        assertEquals(48 << 10, amd.l1d, "Zen 5 (family 26)");
        assertEquals(1 << 20, amd.l2, "the first processor's line");
        assertEquals(CacheSizes.DEFAULTS.l3PerCore, amd.l3PerCore);
        assertEquals(32 << 10, CacheSizes.fromCpuinfo(zen5.replace("26", "25"), "zen4").l1d);
        String intel = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\ncache size\t: 107520 KB\n";
        assertSame(CacheSizes.DEFAULTS, CacheSizes.fromCpuinfo(intel, "intel"));
        assertSame(CacheSizes.DEFAULTS, CacheSizes.fromCpuinfo("vendor_id\t: AuthenticAMD\n", "no cache line"));
        assertSame(CacheSizes.DEFAULTS, CacheSizes.detect(dir.resolve("no-sysfs"), dir.resolve("no-cpuinfo")));
        write(dir.resolve("sysfs/index0"), "Data", "1", "32K", "0");
        write(dir.resolve("sysfs/index2"), "Unified", "2", "512K", "0");
        assertEquals(512 << 10, CacheSizes.detect(dir.resolve("sysfs"), cpuinfo).l2, "sysfs first");
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
        assertEquals(4096, blocks.mc, "mc * kc * 8 <= L2 + L3 share, capped at 4096");
        BlockSizes portable = BlockSizes.forKernel(MicroKernels.portable(), caches);
        assertEquals(384, portable.kc, "L1d / 3 / (4 * 8) = 512, capped at 384");
        assertEquals(336, portable.nc);
        assertEquals(4096, portable.mc);

        CacheSizes zen5Vm = new CacheSizes(48 << 10, 1 << 20, CacheSizes.DEFAULTS.l3PerCore, "test");
        assertEquals(1536, BlockSizes.forKernel(registerBlocked, zen5Vm).mc, "(1 MiB + 2 MiB) / (256 * 8)");
        assertEquals(1024, BlockSizes.forKernel(MicroKernels.portable(), zen5Vm).mc, "(1 MiB + 2 MiB) / (384 * 8)");
    }

    @Test
    void balancedBlocks_splitEvenly_inMultiples() {
        assertEquals(528, BlockSizes.balanced(1024, 1008, 24));
        assertEquals(1008, BlockSizes.balanced(1000, 1008, 24));
        assertEquals(696, BlockSizes.balanced(2048, 1008, 24));
        assertEquals(8, BlockSizes.balanced(1, 512, 8));
    }

    private static void write(Path index, String type, String level, String size, String shared) throws IOException {
        Files.createDirectories(index);
        Files.writeString(index.resolve("type"), type + "\n");
        Files.writeString(index.resolve("level"), level + "\n");
        Files.writeString(index.resolve("size"), size + "\n");
        Files.writeString(index.resolve("shared_cpu_list"), shared + "\n");
    }
}
