package dev.spindle.bench.demo;

import dev.spindle.bench.workload.Variant;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.style.Styler;

/**
 * Writes a workload's results as charts with XChart: {@code <id>-time.svg} (median time per
 * variant as a bar, the fastest and slowest run as a whisker), {@code <id>-threads.svg} (threads
 * added per variant), and {@code <id>.png} with both side by side. Each chart's title names the
 * workload and what the chart shows; Spindle's bar is drawn in a colour of its own, every other
 * variant's in grey; each axis names its unit. Runs headless.
 */
public final class DemoChart {

    /** Spindle's bars. */
    static final Color SPINDLE_COLOR = new Color(0xD9, 0x5F, 0x02);
    /** Every other variant's bars. */
    static final Color OTHER_COLOR = new Color(0x9E, 0xA7, 0xB3);
    /** The whiskers. */
    static final Color WHISKER_COLOR = new Color(0x20, 0x20, 0x20);
    /** Each chart's width in pixels (the PNG holds two side by side). */
    static final int WIDTH = 640;
    private static final float TITLE_POINTS = 13f;
    private static final float MIN_TITLE_POINTS = 8f;
    /**
     * Width not available to the title: XChart centres it over the plot, not the chart, so the
     * y axis (its title and tick labels, up to about 90 pixels) is lost on both sides of the
     * centre, plus the padding.
     */
    static final int TITLE_MARGIN = 110;

    private DemoChart() {
    }

    /** Writes the three files into {@code directory} (created if needed) and returns their paths. */
    public static List<Path> write(Path directory, String id, String title, List<VariantResult> results)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(directory);
        List<String> names = new ArrayList<>();
        List<String> timeNames = new ArrayList<>();
        List<Double> spindleMillis = new ArrayList<>();
        List<Double> otherMillis = new ArrayList<>();
        List<Double> rangeMiddle = new ArrayList<>();
        List<Double> rangeHalf = new ArrayList<>();
        List<Double> spindleThreads = new ArrayList<>();
        List<Double> otherThreads = new ArrayList<>();
        double scaleMax = timeAxisMax(results);
        for (VariantResult r : results) {
            boolean spindle = r.variant() == Variant.SPINDLE;
            names.add(r.variant().id());
            timeNames.add(r.medianMillis() > scaleMax
                    ? String.format(Locale.ROOT, "%s (%.0f ms, off scale)", r.variant().id(), r.medianMillis())
                    : r.variant().id());
            spindleMillis.add(spindle ? r.medianMillis() : 0.0);
            otherMillis.add(spindle ? 0.0 : r.medianMillis());
            rangeMiddle.add((r.times().min() + r.times().max()) / 2);
            rangeHalf.add((r.times().max() - r.times().min()) / 2);
            double threads = r.census().peakThreadsAboveBaseline();
            spindleThreads.add(spindle ? threads : 0.0);
            otherThreads.add(spindle ? 0.0 : threads);
        }
        CategoryChart time = chart(title + " — time per run", "ms per run: median, whisker min-max");
        time.getStyler().setYAxisMax(scaleMax);
        bars(time, "other variants", timeNames, otherMillis, OTHER_COLOR);
        bars(time, "spindle", timeNames, spindleMillis, SPINDLE_COLOR);
        // The whiskers: XChart draws symmetric error bars around a series' values, so an invisible
        // bar at the middle of [fastest, slowest] with half that range as its error draws exactly it.
        CategorySeries range = time.addSeries("fastest to slowest", timeNames, rangeMiddle, rangeHalf);
        range.setFillColor(new Color(0, 0, 0, 0));
        range.setLineColor(new Color(0, 0, 0, 0));
        range.setShowInLegend(false);
        CategoryChart peak = chart(title + " — threads added", "threads added (count)");
        bars(peak, "other variants", names, otherThreads, OTHER_COLOR);
        bars(peak, "spindle", names, spindleThreads, SPINDLE_COLOR);
        Path timeSvg = directory.resolve(id + "-time.svg");
        Path threadsSvg = directory.resolve(id + "-threads.svg");
        Path png = directory.resolve(id + ".png");
        VectorGraphicsEncoder.saveVectorGraphic(time, timeSvg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        VectorGraphicsEncoder.saveVectorGraphic(peak, threadsSvg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        BitmapEncoder.saveBitmap(List.of(time, peak), 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return List.of(timeSvg, threadsSvg, png);
    }

    /**
     * The top of the time axis: a little above the slowest run of the variants that take at most
     * {@link Demo#SLOW_FACTOR} times serial, so that a slow baseline (ojAlgo's own threads) does
     * not flatten the bars that race; a bar above it is cut at the top and its label gives its
     * median. Without serial, the slowest run of all.
     */
    static double timeAxisMax(List<VariantResult> results) {
        double serial = results.stream().filter(r -> r.variant() == Variant.SERIAL)
                .mapToDouble(VariantResult::medianMillis).findFirst().orElse(Double.POSITIVE_INFINITY);
        double top = results.stream().filter(r -> r.medianMillis() <= Demo.SLOW_FACTOR * serial)
                .mapToDouble(r -> r.times().max()).max()
                .orElse(results.stream().mapToDouble(r -> r.times().max()).max().orElse(1.0));
        return 1.1 * top;
    }

    /**
     * The title font: 13 points, or smaller (down to 8) when the title would not fit the chart's
     * width at 13 (the largest sizes give the longest titles).
     */
    static Font titleFont(Font base, String title) {
        FontRenderContext context = new FontRenderContext(null, true, true);
        float size = TITLE_POINTS;
        Font font = base.deriveFont(size);
        while (size > MIN_TITLE_POINTS && font.getStringBounds(title, context).getWidth() > WIDTH - TITLE_MARGIN) {
            size -= 0.5f;
            font = base.deriveFont(size);
        }
        return font;
    }

    private static void bars(CategoryChart chart, String name, List<String> names, List<Double> values, Color color) {
        CategorySeries series = chart.addSeries(name, names, values);
        series.setFillColor(color);
        series.setLineColor(color);
    }

    private static CategoryChart chart(String title, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(420).title(title)
                .xAxisTitle("variant").yAxisTitle(yTitle).build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setErrorBarsColor(WHISKER_COLOR);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setChartTitleFont(titleFont(chart.getStyler().getChartTitleFont(), title));
        chart.getStyler().setAxisTitleFont(chart.getStyler().getAxisTitleFont().deriveFont(11f));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        return chart;
    }
}
