package dev.spindle.linalg.internal;

/**
 * The packing buffers of one thread: a packed block of A, a packed panel of B, and an
 * {@code mr × nr} scratch block for the edges of C. Kept in a {@link ThreadLocal}, so a Spindle
 * worker allocates them once and reuses them for every GEMM tile it runs; they only grow.
 *
 * <p>Packed data starts at {@link #startA} and {@link #startB}, chosen so that, where this can be
 * known, it starts on a 64-byte boundary: a 64-byte vector load from a misaligned panel straddles
 * two cache lines, which costs the kernel measurably ({@code docs/design/gemm.md}, "Packing
 * layout"). Java gives no address of an array, but G1 places an array of
 * more than half a heap region ("humongous") at the start of a region, so its elements start at
 * the array header's length past a region boundary: 16 bytes on HotSpot for a {@code double[]}
 * with compressed class pointers (the default) or compact headers; 24 with
 * {@code -XX:-UseCompressedClassPointers}, where the data then starts 8 bytes past the line (slower,
 * never wrong: the start only affects alignment). So under G1 a buffer that
 * would be at least a quarter of that size is allocated humongous, and its data starts 6 doubles
 * (48 bytes) in. Elsewhere (another collector, a small buffer, a non-HotSpot JVM) the start is 0
 * and the alignment whatever the allocator gives, as before.
 *
 * <p>Owner thread only. A tile body never waits for another task, so one thread never runs two
 * tiles at once; {@link #acquire()} still checks, and hands out a private set if the thread's own
 * is in use, so re-entrance can cost an allocation but never corrupt a product.
 */
final class GemmBuffers {

    private static final ThreadLocal<GemmBuffers> PER_THREAD = ThreadLocal.withInitial(() -> new GemmBuffers(true));

    /** Bytes above which G1 allocates an array as humongous, region-aligned; 0 when not G1 or unknown. */
    static final long HUMONGOUS_BYTES = humongousBytes();

    /** Bytes from the start of a {@code double[]} object to its first element, on HotSpot. */
    private static final int DOUBLE_ARRAY_HEADER = 16;

    /** Doubles to skip in a region-aligned array so that its data starts on a cache line. */
    static final int ALIGNED_START = (64 - DOUBLE_ARRAY_HEADER) / Double.BYTES;

    double[] packedA = new double[0];
    int startA;
    /**
     * What {@link #packedA} holds when it holds a row block of A packed over the whole depth (see
     * {@code Gemm.MAX_KEPT_A}): the product's sequence number, or 0 for nothing reusable; then the
     * block's first row and its row count. The next tile of the same product on this thread with the
     * same row block skips packing A.
     */
    long keptAProduct;
    int keptARow;
    int keptARows;
    double[] packedB = new double[0];
    int startB;
    double[] edge = new double[0];
    /**
     * Whether packed A may be kept here for the next tile: a thread's own buffers only. A spare
     * set (handed out on re-entrance) is dropped after one tile, so keeping would only make it
     * larger.
     */
    final boolean keepsA;
    private boolean inUse;

    private GemmBuffers(boolean keepsA) {
        this.keepsA = keepsA;
    }

    /** This thread's buffers, marked in use until {@link #release()}. */
    static GemmBuffers acquire() {
        GemmBuffers own = PER_THREAD.get();
        if (own.inUse) {
            GemmBuffers spare = new GemmBuffers(false);
            spare.inUse = true;
            return spare;
        }
        own.inUse = true;
        return own;
    }

    void release() {
        inUse = false;
    }

    /** Makes every buffer at least as large as a call with these sizes needs (from its start). */
    void ensure(int aLength, int bLength, int edgeLength) {
        if (packedA.length - startA < aLength) {
            packedA = allocate(aLength);
            startA = start(packedA);
            keptAProduct = 0;
        }
        if (packedB.length - startB < bLength) {
            packedB = allocate(bLength);
            startB = start(packedB);
        }
        if (edge.length < edgeLength) {
            edge = new double[edgeLength];
        }
    }

    /** An array for {@code length} doubles from its start, humongous under G1 unless that would waste too much. */
    static double[] allocate(int length) {
        long bytes = (long) (length + ALIGNED_START) * Double.BYTES + DOUBLE_ARRAY_HEADER;
        if (HUMONGOUS_BYTES > 0 && bytes * 4 >= HUMONGOUS_BYTES) {
            long humongous = (HUMONGOUS_BYTES + 64) / Double.BYTES;
            return new double[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(length + ALIGNED_START, humongous))];
        }
        return new double[length];
    }

    static int start(double[] buffer) {
        return HUMONGOUS_BYTES > 0 && (long) buffer.length * Double.BYTES > HUMONGOUS_BYTES ? ALIGNED_START : 0;
    }

    /** Half of G1's region size (its humongous threshold), or 0 when G1 is not in use or this is not HotSpot. */
    private static long humongousBytes() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hotSpot = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (!Boolean.parseBoolean(hotSpot.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            long region = Long.parseLong(hotSpot.getVMOption("G1HeapRegionSize").getValue());
            return region > 0 ? region / 2 : 0;
        } catch (RuntimeException | LinkageError unknown) {
            return 0;
        }
    }
}
