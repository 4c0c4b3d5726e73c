package dev.spindle.linalg;

import static dev.spindle.linalg.Transpose.NO_TRANSPOSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R17 of docs/reliability.md for the BLAS entry points: every argument is checked up front, the
 * same way at every size (a short vector and a long one that the routine would split into tasks),
 * with an {@link IllegalArgumentException} naming the argument and its value, or a
 * {@link NullPointerException} naming the null argument; never an exception from inside
 * ({@code NegativeArraySizeException}, {@code ArithmeticException}) and never a check that only
 * some sizes make.
 */
class EntryPointChecksTest {

    /** Longer than the level-1 grain (2^14): such a vector runs as Spindle tasks. */
    private static final int LONG = (1 << 14) + 1;

    private static void assertRejected(Executable call, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : mustMention) {
            assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    private static void assertNullRejected(Executable call, String argument) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(argument, e.getMessage(), "the message names the null argument");
    }

    @Test
    void multiply_negativeDimension_isIllegalArgument_namingIt() {
        double[] six = new double[6];
        assertRejected(() -> Blas.multiply(-1, 2, 3, six, six), "m", "m=-1");
        assertRejected(() -> Blas.multiply(2, -2, 3, six, six), "n=-2");
        assertRejected(() -> Blas.multiply(2, 2, -3, six, six), "k=-3");
    }

    @Test
    void multiply_resultLargerThanAnArray_isIllegalArgument_namingTheSize() {
        double[] column = new double[65536];
        assertRejected(() -> Blas.multiply(65536, 65536, 1, column, column), "m * n", "65536 * 65536", "4294967296");
        assertRejected(() -> Blas.multiply(46341, 46341, 1, new double[46341], new double[46341]), "2147488281");
    }

    @Test
    void multiply_checksTheInputsBeforeAllocatingTheResult() {
        assertNullRejected(() -> Blas.multiply(2, 2, 3, null, new double[6]), "a");
        assertNullRejected(() -> Blas.multiply(2, 2, 3, new double[6], null), "b");
        assertRejected(() -> Blas.multiply(2, 2, 3, new double[5], new double[6]), "a", "m * k", "a.length=5");
        assertRejected(() -> Blas.multiply(2, 2, 3, new double[6], new double[5]), "b", "k * n", "b.length=5");
        // A too short for a C that could never be allocated: still the clear message, not an OutOfMemoryError
        assertRejected(() -> Blas.multiply(40000, 40000, 1, new double[1], new double[40000]), "a.length=1");
        assertEquals(4, Blas.multiply(2, 2, 0, new double[0], new double[0]).length, "k = 0 is a product of zeros");
    }

    /** Every level-1 routine with an explicit scheduler, called with n elements and a given scheduler. */
    private static Map<String, Executable> level1Calls(Scheduler scheduler, int n) {
        double[] x = new double[n];
        double[] y = new double[n];
        return Map.of(
                "ddot", () -> Blas.ddot(scheduler, n, x, 0, 1, y, 0, 1),
                "daxpy", () -> Blas.daxpy(scheduler, n, 2.0, x, 0, 1, y, 0, 1),
                "daxpy with alpha 0", () -> Blas.daxpy(scheduler, n, 0.0, x, 0, 1, y, 0, 1),
                "dscal", () -> Blas.dscal(scheduler, n, 2.0, x, 0, 1),
                "dnrm2", () -> Blas.dnrm2(scheduler, n, x, 0, 1),
                "idamax", () -> Blas.idamax(scheduler, n, x, 0, 1));
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {0, 1, LONG})
    void level1_nullScheduler_isRejectedAtEverySize(int n) {
        List<String> accepted = new ArrayList<>();
        level1Calls(null, n).forEach((name, call) -> {
            try {
                call.execute();
                accepted.add(name);
            } catch (NullPointerException expected) {
                assertEquals("scheduler", expected.getMessage(), name);
            } catch (Throwable other) {
                accepted.add(name + " threw " + other);
            }
        });
        assertTrue(accepted.isEmpty(), () -> "a null scheduler was not rejected with n=" + n + ": " + accepted);
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, LONG})
    void level1_vectorTooShort_isRejectedTheSameAtEverySize(int n) {
        double[] shortX = new double[n - 1 + 1];        // n elements at offset 1 need n + 1
        assertRejected(() -> Blas.ddot(n, shortX, 1, 1, new double[n], 0, 1), "x", "n=" + n, "x.length=" + n);
        assertRejected(() -> Blas.daxpy(n, 0.0, shortX, 1, 1, new double[n], 0, 1), "x", "x.length=" + n);
        assertRejected(() -> Blas.dscal(n, 2.0, shortX, 1, 1), "x", "x.length=" + n);
        assertRejected(() -> Blas.dnrm2(n, shortX, 1, 1), "x", "x.length=" + n);
        assertRejected(() -> Blas.idamax(n, shortX, 1, 1), "x", "x.length=" + n);
    }

    @ParameterizedTest(name = "m = n = k = {0}")
    @ValueSource(ints = {0, 1, 300})
    void level2And3_nullSchedulerOrTranspose_isRejectedAtEverySize(int size) {
        double[] a = new double[size * size];
        double[] x = new double[size];
        assertNullRejected(() -> Blas.dgemm(null, NO_TRANSPOSE, NO_TRANSPOSE, size, size, size, 1, a, 0, Math.max(1, size),
                a, 0, Math.max(1, size), 0, a.clone(), 0, Math.max(1, size)), "scheduler");
        assertNullRejected(() -> Blas.dgemm(Scheduler.global(), null, NO_TRANSPOSE, size, size, size, 1, a, 0,
                Math.max(1, size), a, 0, Math.max(1, size), 0, a.clone(), 0, Math.max(1, size)), "transA");
        assertNullRejected(() -> Blas.dgemv(null, NO_TRANSPOSE, size, size, 1, a, 0, Math.max(1, size), x, 0, 1, 0,
                x.clone(), 0, 1), "scheduler");
        assertNullRejected(() -> SerialBlas.dgemv(null, size, size, 1, a, 0, Math.max(1, size), x, 0, 1, 0,
                x.clone(), 0, 1), "trans");
        assertNullRejected(() -> Blas.dsyrk(null, Triangle.UPPER, NO_TRANSPOSE, size, size, 1, a, 0, Math.max(1, size),
                0, a.clone(), 0, Math.max(1, size)), "scheduler");
    }
}
