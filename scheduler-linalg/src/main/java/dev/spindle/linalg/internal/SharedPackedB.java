package dev.spindle.linalg.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The packed op(B) of one product, shared by all its tiles (see {@code docs/design/gemm.md},
 * "Sharing packed B"): every {@code (pc, jc)} panel of B is packed at most once per product, by the
 * first tile that claims it, and every other tile of the same columns uses that copy.
 *
 * <p><b>Claims, never waits.</b> Each panel has a state: empty, being packed, ready. A tile that
 * needs a panel uses it if it is ready; claims it (compare-and-set from empty) and packs it if it is
 * empty; and if another thread is packing it, does its other panels first and then, if the panel is
 * still not ready, packs a private copy into its own buffer. No thread ever waits for another, so a
 * product runs at full speed on one worker, and a tile never depends on a worker that is busy
 * elsewhere or never comes. A private copy has the same values as the shared one (the same packing
 * of the same operand), so results do not depend on who packed what.
 *
 * <p><b>Memory ordering.</b> The packer writes the panel with plain stores and then sets the state
 * to ready with a release store; a reader loads the state with acquire and reads the panel only after
 * seeing ready, so it sees every value written before the release. The claim is a CAS, so exactly one
 * thread packs a panel into the shared array. The states are reset by the product's calling thread
 * before any tile is forked (the fork publishes them).
 *
 * <p><b>Layout.</b> Panel {@code (slot, jc)} (slot = {@code pc / kc}) starts at
 * {@code start + slot·kc·columns + jc·kcOfSlot}, where {@code columns} is n rounded up to
 * {@code nr}: panels of one depth never overlap as long as every panel starts at a multiple of
 * {@code nr}, which tile boundaries and {@code nc} blocks are.
 *
 * <p><b>Memory.</b> Up to {@link #MAX_DOUBLES} doubles per product; a few arrays are kept in a pool
 * for the next products (so steady-state GEMM does not allocate them), the rest are dropped.
 *
 * <p>One per product at a time: {@link #borrow} before the tiles, {@link #giveBack()} after all
 * of them have finished.
 */
final class SharedPackedB {

    /**
     * The most doubles of packed B a product shares (40 MiB: a 2048 × 2048 B is 33 MiB packed). A
     * product with a larger B packs it per tile, as before sharing.
     */
    static final long MAX_DOUBLES = 5L << 20;

    /** Arrays kept for the next products; more products at once allocate their own. */
    private static final int POOL_SIZE = 4;

    private static final AtomicReferenceArray<SharedPackedB> POOL = new AtomicReferenceArray<>(POOL_SIZE);

    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(int[].class);

    private static final int EMPTY = 0;
    private static final int PACKING = 1;
    private static final int READY = 2;

    /** The packed panels, from {@link #start}. */
    double[] data;
    int start;
    private int[] states = new int[0];
    private int kcMax;
    private int columns;
    private int nr;
    private int panelsPerDepth;
    private int panelCount;

    private SharedPackedB() {
    }

    /** Whether a product of depth {@code k} and {@code n} columns may share its packed B. */
    static boolean fits(int k, int n, int kc, int nr) {
        long depthBlocks = (k + (long) kc - 1) / kc;
        return depthBlocks * Math.min(kc, k) * BlockSizes.roundUp(n, nr) <= MAX_DOUBLES;
    }

    /** An empty set of panels for a product of depth {@code k}, {@code n} columns, with blocks {@code kc} and {@code nr}. */
    static SharedPackedB borrow(int k, int n, int kc, int nr) {
        SharedPackedB shared = null;
        for (int i = 0; i < POOL_SIZE && shared == null; i++) {
            if (POOL.get(i) != null) {
                shared = POOL.getAndSet(i, null);
            }
        }
        if (shared == null) {
            shared = new SharedPackedB();
        }
        shared.reset(k, n, kc, nr);
        return shared;
    }

    /**
     * Returns the array to the pool. Only once every tile of the product has finished: a tile still
     * running would write into the next product's panels.
     */
    void giveBack() {
        for (int i = 0; i < POOL_SIZE; i++) {
            if (POOL.get(i) == null && POOL.compareAndSet(i, null, this)) {
                return;
            }
        }
    }

    private void reset(int k, int n, int kc, int nr) {
        int depthBlocks = (int) ((k + (long) kc - 1) / kc);
        this.kcMax = Math.min(kc, k);
        this.columns = BlockSizes.roundUp(n, nr);
        this.nr = nr;
        this.panelsPerDepth = columns / nr;
        int length = depthBlocks * kcMax * columns;      // at most MAX_DOUBLES (fits)
        if (data == null || data.length - start < length) {
            data = GemmBuffers.allocate(length);
            start = GemmBuffers.start(data);
        }
        int panels = depthBlocks * panelsPerDepth;
        panelCount = panels;
        if (states.length < panels) {
            states = new int[panels];
        } else {
            Arrays.fill(states, 0, panels, EMPTY);
        }
    }

    /** How many panel states this product has: every {@link #panel} index is below it. */
    int panels() {
        return panelCount;
    }

    /** The state index of the panel of depth block {@code slot} starting at column {@code jc}. */
    int panel(int slot, int jc) {
        return slot * panelsPerDepth + jc / nr;
    }

    /** Where the panel of depth block {@code slot}, depth {@code kc}, starting at column {@code jc} starts in {@link #data}. */
    int offset(int slot, int jc, int kc) {
        return start + slot * kcMax * columns + jc * kc;
    }

    /** Whether the panel is packed; its values are visible to the caller when this returns true. */
    boolean isReady(int panel) {
        return (int) STATE.getAcquire(states, panel) == READY;
    }

    /** Claims the panel for packing; true for exactly one caller per product. */
    boolean claim(int panel) {
        return STATE.compareAndSet(states, panel, EMPTY, PACKING);
    }

    /** Marks a claimed panel packed: every value written into it before is visible to whoever sees it ready. */
    void publish(int panel) {
        STATE.setRelease(states, panel, READY);
    }
}
