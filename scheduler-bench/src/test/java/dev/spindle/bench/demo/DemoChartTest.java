package dev.spindle.bench.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.bench.measure.ContextSwitches;
import dev.spindle.bench.measure.ThreadCensus;
import dev.spindle.bench.workload.Variant;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoChartTest {

    private static final Font BASE = new Font(Font.SANS_SERIF, Font.BOLD, 12);

    @Test
    void titleFont_keepsAShortTitleAt13Points_andShrinksTheLongestOneUntilItFitsOverThePlot() {
        assertEquals(13f, DemoChart.titleFont(BASE, "W1 many products: 6 GEMMs of 320x320 \u2014 time per run").getSize2D());

        String longest = DemoWorkload.W3_SKEWED.shortTitle(4096) + " \u2014 threads added";   // --size at its maximum
        Font font = DemoChart.titleFont(BASE, longest);
        double width = font.getStringBounds(longest, new FontRenderContext(null, true, true)).getWidth();
        assertTrue(font.getSize2D() < 13f && font.getSize2D() >= 8f, () -> "font size " + font.getSize2D());
        assertTrue(width <= DemoChart.WIDTH - DemoChart.TITLE_MARGIN, () -> "title " + width + " px wide at " + font.getSize2D());
    }

    @Test
    void write_givesTwoChartsAndAPngWithBothSideBySide(@TempDir Path dir) throws Exception {
        List<VariantResult> results = new ArrayList<>();
        results.add(result(Variant.SERIAL, 100, 0));
        results.add(result(Variant.fromId("inner-only"), 900, 3));      // off scale: more than twice serial
        results.add(result(Variant.SPINDLE, 40, 3));

        List<Path> files = DemoChart.write(dir, "w9", "W9 test workload", results);

        assertEquals(List.of(dir.resolve("w9-time.svg"), dir.resolve("w9-threads.svg"), dir.resolve("w9.png")), files);
        for (Path file : files) {
            assertTrue(Files.size(file) > 0, () -> file + " is empty");
        }
        BufferedImage png = ImageIO.read(files.get(2).toFile());
        assertEquals(2 * DemoChart.WIDTH, png.getWidth());
    }

    private static VariantResult result(Variant variant, double millis, int threadsAdded) {
        return new VariantResult(variant, new RunTimes(millis * 0.9, millis, millis * 1.1),
                new ThreadCensus.Census(10, 10 + threadsAdded, ContextSwitches.NONE), 1);
    }
}
