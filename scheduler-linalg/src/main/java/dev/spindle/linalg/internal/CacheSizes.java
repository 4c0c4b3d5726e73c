package dev.spindle.linalg.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * The data-cache sizes of the CPU the JVM runs on, per core, as GEMM's block sizes need them.
 * Read once from Linux's {@code /sys/devices/system/cpu/cpu0/cache/index*}. Some virtual machines
 * have no such directory; then, on AMD, {@code /proc/cpuinfo}'s {@code cache size} is the per-core
 * L2 (the kernel takes it from CPUID leaf 0x80000006), and the L1d is 48 KiB from family 26 (Zen 5)
 * on, 32 KiB before; on Intel that line is the shared last level, so it gives nothing per core.
 * What is still unknown takes conservative defaults that fit any x86-64 or ARM server core of the
 * last decade: L1d 32 KiB, L2 512 KiB, L3 share 2 MiB. The L3 is shared, so its figure is divided
 * by the number of CPUs sharing it.
 *
 * <p>Immutable; any thread.
 */
public final class CacheSizes {

    static final CacheSizes DEFAULTS = new CacheSizes(32 << 10, 512 << 10, 2 << 20, "defaults");

    private static final CacheSizes DETECTED = detect(Paths.get("/sys/devices/system/cpu/cpu0/cache"),
            Paths.get("/proc/cpuinfo"));

    final long l1d;
    final long l2;
    final long l3PerCore;
    final String source;

    CacheSizes(long l1d, long l2, long l3PerCore, String source) {
        this.l1d = l1d;
        this.l2 = l2;
        this.l3PerCore = l3PerCore;
        this.source = source;
    }

    /** This machine's caches (detected once). */
    public static CacheSizes current() {
        return DETECTED;
    }

    /** The caches from {@code cacheDir} (sysfs), or else from {@code cpuinfo}, or else the defaults. */
    static CacheSizes detect(Path cacheDir, Path cpuinfo) {
        CacheSizes fromSysfs = detect(cacheDir);
        if (fromSysfs != DEFAULTS) {
            return fromSysfs;
        }
        try {
            return Files.isReadable(cpuinfo) ? fromCpuinfo(Files.readString(cpuinfo), cpuinfo.toString()) : DEFAULTS;
        } catch (IOException | RuntimeException unreadable) {
            return DEFAULTS;
        }
    }

    /**
     * The caches an x86 {@code /proc/cpuinfo} text tells, from its first processor's
     * {@code vendor_id}, {@code cpu family} and {@code cache size}; {@link #DEFAULTS} when it tells
     * nothing per core (Intel, other vendors, a missing line).
     */
    static CacheSizes fromCpuinfo(String text, String source) {
        String vendor = null;
        String family = null;
        String cacheSize = null;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && vendor != null) {
                    break;                       // the end of the first processor's block
                }
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("vendor_id")) {
                vendor = value;
            } else if (key.equals("cpu family")) {
                family = value;
            } else if (key.equals("cache size")) {
                cacheSize = value;
            }
        }
        if (!"AuthenticAMD".equals(vendor) || cacheSize == null || family == null) {
            return DEFAULTS;
        }
        String size = cacheSize.toUpperCase(Locale.ROOT).replace(" ", "").replace("KB", "K").replace("MB", "M");
        long l2 = parseSize(size);
        long l1d = Integer.parseInt(family) >= 26 ? 48 << 10 : 32 << 10;
        if (l2 <= 0) {
            return DEFAULTS;
        }
        return new CacheSizes(l1d, l2, DEFAULTS.l3PerCore, source);
    }

    static CacheSizes detect(Path cacheDir) {
        long l1 = 0;
        long l2 = 0;
        long l3 = 0;
        try {
            if (!Files.isDirectory(cacheDir)) {
                return DEFAULTS;
            }
            try (var entries = Files.newDirectoryStream(cacheDir, "index*")) {
                for (Path index : entries) {
                    String type = read(index.resolve("type"));
                    if (type == null || type.equals("Instruction")) {
                        continue;
                    }
                    int level = Integer.parseInt(read(index.resolve("level")));
                    long size = parseSize(read(index.resolve("size")));
                    int sharing = countCpus(read(index.resolve("shared_cpu_list")));
                    if (level == 1) {
                        l1 = size;
                    } else if (level == 2) {
                        l2 = size / Math.max(1, level2Sharing(sharing));
                    } else if (level == 3) {
                        l3 = size / Math.max(1, sharing);
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return DEFAULTS;
        }
        if (l1 <= 0 || l2 <= 0) {
            return DEFAULTS;
        }
        return new CacheSizes(l1, l2, l3 > 0 ? l3 : DEFAULTS.l3PerCore, cacheDir.toString());
    }

    /** An L2 shared by the two hyper-threads of one core is still one core's L2. */
    private static int level2Sharing(int cpus) {
        return cpus <= 2 ? 1 : cpus / 2;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file).trim() : null;
    }

    static long parseSize(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("K")) {
            unit = 1L << 10;
        } else if (s.endsWith("M")) {
            unit = 1L << 20;
        } else if (s.endsWith("G")) {
            unit = 1L << 30;
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        return Long.parseLong(s) * unit;
    }

    /** CPUs in a list such as {@code 0-3,8}. */
    static int countCpus(String list) {
        if (list == null || list.isEmpty()) {
            return 1;
        }
        int count = 0;
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            count += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
        }
        return Math.max(1, count);
    }

    @Override
    public String toString() {
        return "L1d " + (l1d >> 10) + " KiB, L2 " + (l2 >> 10) + " KiB, L3 per core " + (l3PerCore >> 10)
                + " KiB (" + source + ")";
    }
}
