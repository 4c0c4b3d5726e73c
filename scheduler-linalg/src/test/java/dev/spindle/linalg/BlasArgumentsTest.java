package dev.spindle.linalg;

import static dev.spindle.linalg.Transpose.NO_TRANSPOSE;
import static dev.spindle.linalg.Transpose.TRANSPOSE;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments fail before anything is written, naming the argument and giving the values. */
class BlasArgumentsTest {

    private static void assertRejected(Executable call, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : mustMention) {
            assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    @Test
    void dgemm_namesTheDimensionOffsetAndLeadingDimensionThatDoNotFit() {
        double[] a = new double[6];
        double[] b = new double[6];
        double[] c = new double[4];
        assertDoesNotThrow(() -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2));
        assertRejected(() -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, -1, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2), "m", "m=-1");
        assertRejected(() -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 2, -3, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2), "n=-3");
        assertRejected(() -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 2, 2, -4, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2), "k=-4");
        assertRejected(() -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 2, 2, 3, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2),
                "lda", "lda=2", "max(1, columns of A) = 3");
        assertRejected(() -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 2, 2, 3, 1, a, 1, 3, b, 0, 2, 0, c, 0, 2),
                "A", "aOff", "a.length=6", "7");
        assertRejected(() -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 2, 2, 3, 1, a, -1, 3, b, 0, 2, 0, c, 0, 2), "aOff=-1");
        assertRejected(() -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 2, 2, 3, 1, a, 0, 3, b, 0, 1, 0, c, 0, 2), "ldb=1");
        assertRejected(() -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 2, 2, 3, 1, a, 0, 3, b, 2, 2, 0, c, 0, 2),
                "B", "bOff", "b.length=6");
        assertRejected(() -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 3),
                "C", "ldc", "c.length=4");
        // transposed A is stored k x m = 3 x 2: lda >= 2 suffices, and 3 x 3 does not fit 6 elements
        assertDoesNotThrow(() -> Blas.dgemm(TRANSPOSE, NO_TRANSPOSE, 2, 2, 3, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2));
        assertRejected(() -> Blas.dgemm(TRANSPOSE, NO_TRANSPOSE, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2),
                "transposed: k x m", "a.length=6");
        assertThrows(NullPointerException.class,
                () -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 2, 2, 3, 1, null, 0, 3, b, 0, 2, 0, c, 0, 2));
    }

    @Test
    void dgemm_rejectsBeforeWritingAnything() {
        double[] c = {5, 5, 5, 5};
        assertThrows(IllegalArgumentException.class,
                () -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 2, 2, 3, 1, new double[6], 0, 3, new double[5], 0, 2, 0, c, 0, 2));
        assertTrue(java.util.Arrays.equals(c, new double[] {5, 5, 5, 5}));
    }

    @Test
    void emptyProducts_acceptAnyArrays() {
        double[] none = new double[0];
        assertDoesNotThrow(() -> Blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, 0, 0, 0, 1, none, 0, 1, none, 0, 1, 0, none, 0, 1));
        assertDoesNotThrow(() -> Blas.dgemv(NO_TRANSPOSE, 0, 0, 1, none, 0, 1, none, 0, 1, 0, none, 0, 1));
        assertDoesNotThrow(() -> Blas.ddot(0, none, 0, 1, none, 0, 1));
    }

    @Test
    void dgemv_namesTheVectorThatIsTooShort() {
        double[] a = new double[6];
        assertRejected(() -> Blas.dgemv(NO_TRANSPOSE, 2, 3, 1, a, 0, 3, new double[2], 0, 1, 0, new double[2], 0, 1),
                "x", "n=3", "x.length=2");
        assertRejected(() -> Blas.dgemv(TRANSPOSE, 2, 3, 1, a, 0, 3, new double[2], 0, 1, 0, new double[2], 0, 1),
                "y", "n=3", "y.length=2");
        assertRejected(() -> Blas.dgemv(NO_TRANSPOSE, 2, 3, 1, a, 0, 3, new double[4], 0, 2, 0, new double[2], 0, 1),
                "incx", "x.length=4");
        assertRejected(() -> Blas.dgemv(NO_TRANSPOSE, 2, 3, 1, a, 0, 3, new double[3], 0, 0, 0, new double[2], 0, 1),
                "incx must not be 0");
        assertRejected(() -> Blas.dgemv(NO_TRANSPOSE, 2, 3, 1, a, 0, 2, new double[3], 0, 1, 0, new double[2], 0, 1),
                "lda=2");
    }

    @Test
    void level1_namesTheArgument() {
        double[] x = new double[5];
        assertRejected(() -> Blas.ddot(6, x, 0, 1, new double[6], 0, 1), "x", "n=6", "x.length=5");
        assertRejected(() -> Blas.ddot(3, x, 0, 1, new double[6], 0, 3), "y", "incy", "y.length=6");
        assertRejected(() -> Blas.daxpy(3, 1, x, 3, 1, new double[6], 0, 1), "xOff", "x.length=5");
        assertRejected(() -> Blas.dscal(-2, 1, x, 0, 1), "n=-2");
        assertRejected(() -> Blas.dnrm2(3, x, 0, -3), "incx", "x.length=5");
        assertRejected(() -> Blas.idamax(2, x, -1, 1), "xOff=-1");
        assertRejected(() -> Blas.idamax(2, x, 0, 0), "incx must not be 0");
    }
}
