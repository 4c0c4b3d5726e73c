package dev.spindle.linalg.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The operand value: its element addressing, its views, and the checks that build it. */
class MatrixOperandTest {

    @Test
    void index_readsTheStoredMatrix_orItsTranspose() {
        double[] storage = new double[40];
        MatrixOperand plain = MatrixOperand.checked("A", false, storage, 3, 7, "m", 4, "k", 5);
        assertEquals(3 + 2 * 7 + 4, plain.index(2, 4));
        MatrixOperand transposed = MatrixOperand.checked("A", true, storage, 3, 7, "m", 5, "k", 4);
        assertEquals(3 + 4 * 7 + 2, transposed.index(2, 4), "op(A)(2, 4) is stored at row 4, column 2");
        assertSame(storage, transposed.array());
    }

    @Test
    void fromAndTranspose_addressTheSameElements() {
        MatrixOperand a = new MatrixOperand(new double[100], 5, 9, true);
        assertEquals(a.index(3, 6), a.from(1, 2).index(2, 4));
        assertEquals(a.index(3, 6), a.transpose().index(6, 3));
        assertEquals(a.index(3, 6), a.transpose().from(2, 1).index(4, 2));
        assertEquals(a.ld(), a.from(1, 2).ld());
        assertTrue(a.transposed() && !a.transpose().transposed());
    }

    @Test
    void checked_namesTheArgumentThatDoesNotFit_withItsValue() {
        double[] b = new double[12];
        IllegalArgumentException ld = assertThrows(IllegalArgumentException.class,
                () -> MatrixOperand.checked("B", false, b, 0, 2, "k", 3, "n", 4));
        assertTrue(ld.getMessage().contains("ldb=2") && ld.getMessage().contains("k x n"), ld.getMessage());
        IllegalArgumentException offset = assertThrows(IllegalArgumentException.class,
                () -> MatrixOperand.checked("B", true, b, -1, 3, "k", 3, "n", 4));
        assertTrue(offset.getMessage().contains("bOff=-1"), offset.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> MatrixOperand.checked("B", true, b, 1, 3, "k", 3, "n", 4));
        assertTrue(length.getMessage().contains("transposed: n x k") && length.getMessage().contains("b.length=12"),
                length.getMessage());
        NullPointerException array = assertThrows(NullPointerException.class,
                () -> MatrixOperand.checked("C", false, null, 0, 1, "m", 1, "n", 1));
        assertEquals("c", array.getMessage());
        MatrixOperand.checked("B", false, new double[0], 0, 1, "k", 0, "n", 0);   // empty: any array
    }
}
