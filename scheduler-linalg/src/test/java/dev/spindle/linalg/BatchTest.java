package dev.spindle.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.linalg.testing.NaiveBlas;
import dev.spindle.core.Scheduler;
import dev.spindle.core.testing.ClassSchedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Batch.map keeps order, propagates failures, and runs nested GEMMs on the same workers only. */
class BatchTest {

    @RegisterExtension
    static final ClassSchedulers SCHEDULERS = new ClassSchedulers("batch-test");
    private static final Scheduler two = SCHEDULERS.withParallelism(2);

    @Test
    void results_comeBackInInputOrder() {
        List<Integer> inputs = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
        List<Integer> squares = Batch.map(two, inputs, i -> i * i);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i * i, squares.get(i));
        }
        assertEquals(List.of(), Batch.map(two, List.of(), i -> i));
    }

    @Test
    void theFirstFailure_isRethrown() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Batch.map(two, List.of(1, 2, 3), i -> {
                    if (i == 2) {
                        throw boom;
                    }
                    return i;
                }));
        assertSame(boom, thrown);
    }

    @Test
    void nestedProducts_runOnlyOnTheBatchWorkers_andMatchTheSerialResult() {
        SplittableRandom random = new SplittableRandom(1);
        int n = 160;
        List<double[]> as = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            as.add(NaiveBlas.random(random, n * n));
        }
        double[] b = NaiveBlas.random(random, n * n);
        Set threads = new Set();
        List<double[]> products = Batch.map(two, as, a -> {
            double[] c = new double[n * n];
            Blas.dgemm(two, Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n);
            threads.add(Thread.currentThread().getName());
            return c;
        });
        try (Scheduler serial = Scheduler.builder().parallelism(1).name("batch-test-p1").build()) {
            for (int i = 0; i < as.size(); i++) {
                double[] c = new double[n * n];
                Blas.dgemm(serial, Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, n, n, n, 1, as.get(i), 0, n, b, 0, n,
                        0, c, 0, n);
                assertArrayEquals(c, products.get(i), "product " + i);
            }
        }
        assertTrue(threads.names.keySet().stream().allMatch(name -> name.startsWith("batch-test-p2-worker-")),
                threads.names.keySet().toString());
    }

    private static final class Set {
        final ConcurrentHashMap<String, Boolean> names = new ConcurrentHashMap<>();

        void add(String name) {
            names.put(name, true);
        }
    }
}
