package dev.spindle.bench.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.style.Styler;

/**
 * Writes a workload's results as charts with XChart: {@code <id>-time.svg} (median time per
 * variant), {@code <id>-threads.svg} (peak threads added per variant), and {@code <id>.png} with both
 * side by side. Runs headless.
 */
public final class DemoChart {

    private DemoChart() {
    }

    /** Writes the three files into {@code directory} (created if needed) and returns their paths. */
    public static List<Path> write(Path directory, String id, String title, List<VariantResult> results)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(directory);
        List<String> names = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        List<Integer> threads = new ArrayList<>();
        for (VariantResult r : results) {
            names.add(r.variant().id());
            millis.add(r.medianMillis());
            threads.add(r.census().peakThreadsAboveBaseline());
        }
        CategoryChart time = chart(title, "time (ms, median)");
        time.addSeries("time", names, millis);
        CategoryChart peak = chart(title, "peak threads added");
        peak.addSeries("threads", names, threads);
        Path timeSvg = directory.resolve(id + "-time.svg");
        Path threadsSvg = directory.resolve(id + "-threads.svg");
        Path png = directory.resolve(id + ".png");
        VectorGraphicsEncoder.saveVectorGraphic(time, timeSvg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        VectorGraphicsEncoder.saveVectorGraphic(peak, threadsSvg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        BitmapEncoder.saveBitmap(List.of(time, peak), 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return List.of(timeSvg, threadsSvg, png);
    }

    private static CategoryChart chart(String title, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(640).height(400).title(title)
                .xAxisTitle("variant").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(12f));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }
}
