package dev.spindle.linalg.internal;

/**
 * How a GEMM's C is cut into tiles, the tasks of {@code Parallel.forTiles} (see
 * {@code docs/design/gemm.md}, "Parallelism"): one tile of the whole of C, halved along its longer
 * side (keeping multiples of {@code mr} and {@code nr}) until every worker has
 * {@link #TILES_PER_WORKER} tiles ({@link #sharedTilesPerWorker()} when the tiles share packed B),
 * but never below {@link #MIN_TILE_SIDE} elements or
 * {@link #MIN_TILE_FLOPS} flops per tile; a product under {@link #INLINE_FLOPS} runs on the calling
 * thread as one tile. Tile boundaries are multiples of {@code mr} and {@code nr} from the origin,
 * which the determinism of the driver relies on.
 *
 * <p>Chosen once per product. Immutable; any thread.
 */
final class GemmTiling {

    /** Below this many flops a product runs on the calling thread: a task would cost more than it saves. */
    static final long INLINE_FLOPS = 2L * 48 * 48 * 48;

    /**
     * Tiles per worker that the tiling aims for when every tile packs its own B panels, so lazy
     * splitting has pieces to balance the load with: more tiles would mean more packing.
     */
    static final int TILES_PER_WORKER = 2;

    /**
     * Tiles per worker when the product shares its packed B between tiles ({@code SharedPackedB}):
     * a finer cut then costs no extra B packing (and A is kept across a row band), so the end of
     * the product is balanced in smaller pieces. {@code -Dspindle.linalg.sharedTilesPerWorker}
     * overrides it (tuning; read per product, so a bad value fails the call that reads it).
     */
    static int sharedTilesPerWorker() {
        return intProperty("spindle.linalg.sharedTilesPerWorker", 8);
    }

    /** The smallest tile side the tiling will cut to, in elements (before rounding to mr / nr). */
    static final int MIN_TILE_SIDE = 64;

    /**
     * The fewest flops a tile may hold when the tiling halves one: {@code 2·192³}, about half a
     * millisecond on one core. Every tile packs its own B panels (and its A, unless the tile before
     * it on the same worker had the same rows), so cutting a product into more tiles costs packing
     * whether or not the tiles ever run in parallel; below this size a second worker gains too
     * little to pay for it (measurements: {@code docs/design/gemm.md}).
     */
    static final long MIN_TILE_FLOPS = 2L * 192 * 192 * 192;

    /** Rows of C per tile, a multiple of {@code mr} (or all of them). */
    final int tileRows;
    /** Columns of C per tile, a multiple of {@code nr} (or all of them). */
    final int tileCols;
    /** The whole product runs as one tile on the calling thread, without a task. */
    final boolean onCallingThread;

    private GemmTiling(int tileRows, int tileCols, boolean onCallingThread) {
        this.tileRows = tileRows;
        this.tileCols = tileCols;
        this.onCallingThread = onCallingThread;
    }

    /** The tiling of an {@code m × n} C with depth {@code k}, for a kernel of {@code mr × nr}, on {@code parallelism} workers. */
    static GemmTiling choose(int m, int n, int k, int mr, int nr, int parallelism) {
        return choose(m, n, k, mr, nr, parallelism, TILES_PER_WORKER);
    }

    /** {@link #choose(int, int, int, int, int, int)} aiming at {@code tilesPerWorker} tiles per worker. */
    static GemmTiling choose(int m, int n, int k, int mr, int nr, int parallelism, int tilesPerWorker) {
        long volume = (long) m * n * Math.max(k, 1);
        if (2 * volume <= INLINE_FLOPS) {
            return new GemmTiling(m, n, true);
        }
        // Start from one tile of the whole of C and halve only until every worker has tiles: a tile
        // packs its own B panels, so every extra row of tiles packs B again; an extra column of
        // tiles packs A again only where a worker does not run the tiles of a row band in turn
        // (see Gemm.MAX_KEPT_A). Inside a tile, mc and nc block the loops.
        int tileRows = BlockSizes.roundUp(m, mr);
        int tileCols = BlockSizes.roundUp(n, nr);
        long wanted = (long) tilesPerWorker * parallelism;
        while (parallelism > 1 && tiles(m, tileRows) * tiles(n, tileCols) < wanted) {
            boolean rowsCanHalve = tileRows / 2 >= Math.max(mr, MIN_TILE_SIDE)
                    && 2L * (tileRows / 2) * tileCols * k >= MIN_TILE_FLOPS;
            boolean colsCanHalve = tileCols / 2 >= Math.max(nr, MIN_TILE_SIDE)
                    && 2L * tileRows * (tileCols / 2) * k >= MIN_TILE_FLOPS;
            if (rowsCanHalve && (tileRows >= tileCols || !colsCanHalve)) {
                tileRows = BlockSizes.roundUp(tileRows / 2, mr);
            } else if (colsCanHalve) {
                tileCols = BlockSizes.roundUp(tileCols / 2, nr);
            } else {
                break;
            }
        }
        return new GemmTiling(tileRows, tileCols, false);
    }

    /** Whether the tiles cut C's rows, so that tiles share columns of B (and may share its packing). */
    boolean cutsRows(int m) {
        return tileRows < m;
    }

    /** Whether the tiles cut C's columns, so that tiles share rows of A (and may share its packing). */
    boolean cutsColumns(int n) {
        return tileCols < n;
    }

    private static int intProperty(String property, int derived) {
        String text = System.getProperty(property);
        if (text == null || text.isBlank()) {
            return derived;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + property + " must be an integer >= 1, was '"
                + text + "'");
    }

    static long tiles(int extent, int tile) {
        return (extent + (long) tile - 1) / tile;
    }

    @Override
    public String toString() {
        return onCallingThread ? "one tile on the calling thread" : "tiles of " + tileRows + " x " + tileCols;
    }
}
