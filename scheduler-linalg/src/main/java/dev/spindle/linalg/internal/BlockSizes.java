package dev.spindle.linalg.internal;

/**
 * GEMM's cache blocking for one micro-kernel on one machine: {@code kc} (the depth of a packed
 * panel), {@code mc} (rows of the packed A block) and {@code nc} (columns of the packed B panel),
 * derived from the cache sizes as {@code docs/design/gemm.md} explains:
 *
 * <ul>
 *   <li>register-blocked kernels (B sliver reused from L1): {@code kc·nr·8 ≤ L1d/2},
 *       {@code mc·kc·8 ≤ L2/2}, {@code kc·nc·8 ≤ L3 share/2};</li>
 *   <li>the portable kernel (B sliver streamed from L2): {@code kc = 256},
 *       {@code mc·kc·8 ≤ L2/4}, same {@code nc} rule.</li>
 * </ul>
 *
 * Each is rounded down to a multiple of what it must divide ({@code kc} to 8, {@code mc} to
 * {@code mr}, {@code nc} to {@code nr}) and clamped to a sane range. The system properties
 * {@code spindle.linalg.mc}, {@code spindle.linalg.kc} and {@code spindle.linalg.nc} override the
 * derived values (for tuning; results change only in the last bits, through {@code kc}).
 *
 * <p>Immutable; any thread.
 */
public final class BlockSizes {

    final int mc;
    final int kc;
    final int nc;

    BlockSizes(int mc, int kc, int nc) {
        this.mc = mc;
        this.kc = kc;
        this.nc = nc;
    }

    /** The block sizes for {@code kernel} on this machine, with any overrides applied. */
    public static BlockSizes forKernel(MicroKernel kernel, CacheSizes caches) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        boolean registerBlocked = nr <= 32;
        int kc = registerBlocked
                ? clamp(roundDown((int) (caches.l1d / 2 / (8L * nr)), 8), 64, 512)
                : 256;
        long l2Share = registerBlocked ? caches.l2 / 2 : caches.l2 / 4;
        int mc = clamp(roundDown((int) Math.min(Integer.MAX_VALUE, l2Share / (8L * kc)), mr), mr, 2048);
        int nc = clamp(roundDown((int) Math.min(Integer.MAX_VALUE, caches.l3PerCore / 2 / (8L * kc)), nr),
                nr * 4, 4096);
        kc = override("spindle.linalg.kc", kc, 1);
        mc = roundUp(override("spindle.linalg.mc", mc, 1), mr);
        nc = roundUp(override("spindle.linalg.nc", nc, 1), nr);
        return new BlockSizes(mc, kc, nc);
    }

    public int mc() {
        return mc;
    }

    public int kc() {
        return kc;
    }

    public int nc() {
        return nc;
    }

    private static int override(String property, int derived, int min) {
        String text = System.getProperty(property);
        if (text == null || text.isBlank()) {
            return derived;
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("system property " + property + " must be an integer, was '"
                    + text + "'", notANumber);
        }
        if (value < min) {
            throw new IllegalArgumentException("system property " + property + " must be >= " + min
                    + ", was " + value);
        }
        return value;
    }

    static int roundDown(int value, int multiple) {
        return value / multiple * multiple;
    }

    static int roundUp(int value, int multiple) {
        return (int) ((value + (long) multiple - 1) / multiple * multiple);
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }

    @Override
    public String toString() {
        return "mc=" + mc + ", kc=" + kc + ", nc=" + nc;
    }
}
