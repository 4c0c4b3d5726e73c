package dev.spindle.spark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.spark.bench.GemmWork.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link SkewedGemmJob}: its small form in every build (the harness works, every variant
 * computes the same products), its full form under {@code -Pspark-bench}, which also lifts the
 * per-test timeout (the measurement takes minutes).
 */
class SkewedGemmJobTest {

    @Test
    void everyVariant_runsBothJobs_andComputesTheSameProducts() throws Exception {
        boolean full = Boolean.getBoolean("spindle.sparkBench");
        SkewedGemmJob.Settings settings = full ? SkewedGemmJob.Settings.full() : SkewedGemmJob.Settings.smoke();
        double scaling = SkewedGemmJob.gemmScaling(settings);
        List<StageTimeline> timelines = new ArrayList<>();
        List<SkewedGemmJob.Row> rows = SkewedGemmJob.run(settings, timelines);
        String table = SkewedGemmJob.table(settings, scaling, rows);
        String summary = SkewedGemmJob.timelineSummary(timelines);
        Path file = SkewedGemmJob.write(table + "\n" + summary);
        Path detail = SkewedGemmJob.write("timelines.md", SkewedGemmJob.timelineDetail(timelines));
        System.out.println(table + "\n" + summary + "\n(written to " + file.toAbsolutePath() + "; timelines in "
                + detail.toAbsolutePath() + ")");

        assertTrue(scaling > 0, "scaling " + scaling);
        assertEquals(settings.executorsInThisJvm() ? 2 * Variant.values().length * settings.repeats() : 0,
                timelines.size());
        assertEquals(2 * Variant.values().length, rows.size());
        for (SkewedGemmJob.Row row : rows) {
            SkewedGemmJob.Row serial = rows.stream()
                    .filter(r -> r.job().equals(row.job()) && r.variant() == Variant.SERIAL)
                    .findFirst().orElseThrow();
            assertEquals(serial.checksum(), row.checksum(), Math.abs(serial.checksum()) * 1e-12,
                    row.job() + " " + row.variant());
            for (long millis : row.stageMillis()) {
                assertTrue(millis > 0, row.toString());
            }
        }
    }
}
