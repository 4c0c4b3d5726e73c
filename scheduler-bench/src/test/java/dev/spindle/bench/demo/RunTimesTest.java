package dev.spindle.bench.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunTimesTest {

    @Test
    void median_ofAnOddCount_isTheMiddle_ofAnEvenCount_theMeanOfTheTwoMiddles() {
        assertEquals(2.0, new RunTimes(3.0, 1.0, 2.0).median());
        assertEquals(2.5, new RunTimes(4.0, 1.0, 3.0, 2.0).median());
        assertEquals(7.0, new RunTimes(7.0).median());
    }

    @Test
    void minAndMax_areTheFastestAndSlowestRun_inAnyOrder() {
        RunTimes times = new RunTimes(5.0, 9.0, 1.5, 4.0);
        assertEquals(1.5, times.min());
        assertEquals(9.0, times.max());
        assertEquals(4, times.count());
    }

    @Test
    void theGivenArray_isCopied() {
        double[] millis = {3.0, 1.0, 2.0};
        RunTimes times = new RunTimes(millis);
        millis[0] = 100.0;
        assertEquals(3.0, times.max());
    }

    @Test
    void noRuns_orATimeThatIsNotATime_isAnErrorNamingIt() {
        assertTrue(assertThrows(IllegalArgumentException.class, RunTimes::new).getMessage().contains("empty"));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> new RunTimes(1.0, Double.NaN));
        assertTrue(nan.getMessage().contains("millis[1]") && nan.getMessage().contains("NaN"), nan.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new RunTimes(-1.0));
        assertTrue(negative.getMessage().contains("-1.0"), negative.getMessage());
    }
}
