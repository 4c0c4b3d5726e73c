package dev.spindle.linalg.internal;

/**
 * The packing buffers of one thread: a packed block of A, a packed panel of B, and an
 * {@code mr × nr} scratch block for the edges of C. Kept in a {@link ThreadLocal}, so a Spindle
 * worker allocates them once and reuses them for every GEMM tile it runs; they only grow.
 *
 * <p>Owner thread only. A tile body never waits for another task, so one thread never runs two
 * tiles at once; {@link #acquire()} still checks, and hands out a private set if the thread's own
 * is in use, so re-entrance can cost an allocation but never corrupt a product.
 */
final class GemmBuffers {

    private static final ThreadLocal<GemmBuffers> PER_THREAD = ThreadLocal.withInitial(GemmBuffers::new);

    double[] packedA = new double[0];
    double[] packedB = new double[0];
    double[] edge = new double[0];
    private boolean inUse;

    private GemmBuffers() {
    }

    /** This thread's buffers, marked in use until {@link #release()}. */
    static GemmBuffers acquire() {
        GemmBuffers own = PER_THREAD.get();
        if (own.inUse) {
            GemmBuffers spare = new GemmBuffers();
            spare.inUse = true;
            return spare;
        }
        own.inUse = true;
        return own;
    }

    void release() {
        inUse = false;
    }

    /** Makes every buffer at least as large as a call with these sizes needs. */
    void ensure(int aLength, int bLength, int edgeLength) {
        if (packedA.length < aLength) {
            packedA = new double[aLength];
        }
        if (packedB.length < bLength) {
            packedB = new double[bLength];
        }
        if (edge.length < edgeLength) {
            edge = new double[edgeLength];
        }
    }
}
