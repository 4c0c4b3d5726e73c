package dev.spindle.linalg.internal;

import dev.spindle.linalg.internal.kernel.MicroKernel;
import dev.spindle.linalg.internal.kernel.MicroKernels;

/**
 * GEMM's cache blocking for one micro-kernel on one machine: {@code kc} (the depth of a packed
 * panel), {@code mc} (rows of the packed A block) and {@code nc} (columns of the packed B panel),
 * derived from the cache sizes as {@code docs/design/gemm.md} explains:
 *
 * <ul>
 *   <li>{@code kc}: the A sliver ({@code mr × kc}), reused by every micro-kernel call of a row
 *       panel, stays in L1 beside the B slivers streaming past it: {@code kc·mr·8 ≤ L1d/3},
 *       at most 384 (a larger {@code kc} also means fewer passes over C);</li>
 *   <li>{@code nc}: the packed B panel ({@code kc × nc}), which every row panel of the block
 *       streams again, stays in L2: {@code kc·nc·8 ≤ L2/2}, at most 4096;</li>
 *   <li>{@code mc}: the packed A block ({@code mc × kc}), packed once and then streamed once per
 *       B panel, each sliver from L1 for a whole row panel: {@code mc·kc·8 ≤ L2 + L3 share}, at
 *       most 4096. It sets how often B is packed again (once per {@code mc} rows), so it is as
 *       large as the caches the core can stream it from; it cannot stay in L2 beside the B panel
 *       anyway.</li>
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
        int kc = clamp(roundDown((int) Math.min(Integer.MAX_VALUE, caches.l1d / 3 / (8L * mr)), 8), 32, 384);
        int nc = clamp(roundDown((int) Math.min(Integer.MAX_VALUE, caches.l2 / 2 / (8L * kc)), nr), nr * 4,
                roundDown(4096, nr));
        int mc = clamp(roundDown((int) Math.min(Integer.MAX_VALUE, (caches.l2 + caches.l3PerCore) / (8L * kc)), mr),
                mr * 4, 4096);
        kc = override("spindle.linalg.kc", kc, 1);
        mc = roundUp(override("spindle.linalg.mc", mc, 1), mr);
        nc = roundUp(override("spindle.linalg.nc", nc, 1), nr);
        return new BlockSizes(mc, kc, nc);
    }

    /**
     * The block sizes for {@code kernel} on this machine ({@link #forKernel} with
     * {@link CacheSizes#current()}), derived once for the selected and the portable kernel.
     */
    public static BlockSizes ofMachine(MicroKernel kernel) {
        return MachineBlocks.of(kernel);
    }

    /**
     * The block length for {@code extent} that needs as few blocks of at most {@code max} as
     * possible and makes them nearly equal, rounded up to a multiple of {@code multiple} (so an
     * extent of 1024 with blocks of at most 1008 is cut 528 + 496, not 1008 + 16).
     */
    static int balanced(int extent, int max, int multiple) {
        long blocks = (extent + (long) max - 1) / max;
        return roundUp((int) ((extent + blocks - 1) / blocks), multiple);
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

    /** Block sizes of the two kernels on this machine, derived on first use. */
    private static final class MachineBlocks {
        private static final BlockSizes PORTABLE = forKernel(MicroKernels.portable(), CacheSizes.current());
        private static final BlockSizes SELECTED = MicroKernels.selected() == MicroKernels.portable()
                ? PORTABLE : forKernel(MicroKernels.selected(), CacheSizes.current());

        static BlockSizes of(MicroKernel kernel) {
            if (kernel == MicroKernels.selected()) {
                return SELECTED;
            }
            if (kernel == MicroKernels.portable()) {
                return PORTABLE;
            }
            return forKernel(kernel, CacheSizes.current());
        }
    }
}
