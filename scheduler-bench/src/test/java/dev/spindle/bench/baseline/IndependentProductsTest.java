package dev.spindle.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.linalg.SerialBlas;
import dev.spindle.linalg.Transpose;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ceiling baseline of GemmBenchmark: rounds complete, and close() leaves no thread behind. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IndependentProductsTest {

    @Test
    void rounds_runOneProductPerThread_andCloseStopsTheHelpers() {
        int before = Thread.activeCount();
        IndependentProducts products = new IndependentProducts(48, 3, 1);
        assertEquals(3, products.productsPerRound());
        for (int round = 0; round < 5; round++) {
            products.run();
        }
        for (int t = 0; t < 3; t++) {
            double[][] abc = products.operandsAndProduct(t);
            double[] expected = new double[48 * 48];
            SerialBlas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 48, 48, 48, 1.0, abc[0], 0, 48, abc[1], 0, 48,
                    0.0, expected, 0, 48);
            assertArrayEquals(expected, abc[2], "thread " + t + " did not compute its product");
        }
        products.close();
        products.close();                                // a second close does nothing
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().startsWith("independent-product-")),
                "helper threads still alive after close(); " + before + " threads before");
    }

    @Test
    void oneThread_runsOnTheCaller_andZeroThreadsIsRejected() {
        try (IndependentProducts products = new IndependentProducts(16, 1, 1)) {
            products.run();
            assertEquals(1, products.productsPerRound());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IndependentProducts(16, 0, 1));
        assertTrue(e.getMessage().contains("threads") && e.getMessage().contains("0"), e.getMessage());
    }
}
