package dev.spindle.core;

/** The body of a parallel loop over a 2-D range: called with one tile of rows × columns at a time. */
@FunctionalInterface
public interface TileBody {
    /**
     * Processes rows {@code [rowLo, rowHi)} × columns {@code [colLo, colHi)}.
     *
     * @param rowLo the first row
     * @param rowHi one past the last row; {@code rowHi > rowLo}
     * @param colLo the first column
     * @param colHi one past the last column; {@code colHi > colLo}
     */
    void run(int rowLo, int rowHi, int colLo, int colHi);
}
