package dev.spindle.bench.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Turns the JMH CSV files of a scaling sweep ({@code scheduler-bench/scaling/scaling.sh}) into
 * {@code scaling.md} (time per operation and speedup at every worker count, then Spindle's time
 * over its baseline's at each count) and {@code scaling.png} (speedup against workers, one line
 * per benchmark, with the ideal line).
 *
 * <p>A series is one benchmark with one set of parameters besides the worker count, which is the
 * parameter {@code workers} or {@code parallelism}. Its speedup at {@code p} workers is its time at
 * the smallest count measured (normally 1) over its time at {@code p}. Where a benchmark has a
 * {@code scheduler} or {@code variant} parameter, Spindle's series ({@code spindle}) is divided by
 * each other value's at the same count: those were measured in the same sweep, on the same host.
 *
 * <p>Usage: {@code ScalingReport --out DIR [--commit ID] [--command TEXT] results.csv...}
 */
public final class ScalingReport {

    private static final List<String> WORKER_PARAMS = List.of("workers", "parallelism");
    private static final List<String> COMPARED_PARAMS = List.of("scheduler", "variant");
    private static final String SPINDLE = "spindle";

    private ScalingReport() {
    }

    /** One benchmark and parameter set, its time per worker count. */
    private static final class Series {
        final String benchmark;
        final Map<String, String> fixedParams;
        final TreeMap<Integer, JmhCsvResult> byWorkers = new TreeMap<>();

        Series(String benchmark, Map<String, String> fixedParams) {
            this.benchmark = benchmark;
            this.fixedParams = fixedParams;
        }

        String label() {
            if (fixedParams.isEmpty()) {
                return benchmark;
            }
            StringBuilder label = new StringBuilder(benchmark).append(" (");
            boolean first = true;
            for (Map.Entry<String, String> p : fixedParams.entrySet()) {
                label.append(first ? "" : ", ").append(p.getKey()).append('=').append(p.getValue());
                first = false;
            }
            return label.append(')').toString();
        }

        double baseMillis() {
            return byWorkers.firstEntry().getValue().millisPerOp();
        }

        /** The same series with {@code param} set to {@code value}, as a key. */
        String keyWith(String param, String value) {
            Map<String, String> other = new TreeMap<>(fixedParams);
            other.put(param, value);
            return benchmark + other;
        }

        String key() {
            return benchmark + new TreeMap<>(fixedParams);
        }
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        String commit = "unknown";
        String command = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out":
                    out = Paths.get(value(args, ++i, "--out"));
                    break;
                case "--commit":
                    commit = value(args, ++i, "--commit");
                    break;
                case "--command":
                    command = value(args, ++i, "--command");
                    break;
                default:
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i]
                                + "; usage: ScalingReport --out DIR [--commit ID] [--command TEXT] results.csv...");
                    }
                    files.add(Paths.get(args[i]));
            }
        }
        if (out == null || files.isEmpty()) {
            throw new IllegalArgumentException("usage: ScalingReport --out DIR [--commit ID] [--command TEXT] results.csv...");
        }
        List<JmhCsvResult> results = new ArrayList<>();
        for (Path file : files) {
            results.addAll(JmhCsvResult.read(file));
        }
        String markdown = write(out, results, commit, command);
        System.out.print(markdown);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /**
     * Writes {@code scaling.md} and {@code scaling.png} into {@code out} (created if needed).
     *
     * @return the Markdown written
     * @throws IllegalArgumentException if a result has no worker-count parameter, or there are none
     */
    public static String write(Path out, List<JmhCsvResult> results, String commit, String command)
            throws IOException {
        List<Series> series = group(results);
        TreeSet<Integer> counts = new TreeSet<>();
        for (Series s : series) {
            counts.addAll(s.byWorkers.keySet());
        }
        Files.createDirectories(out);
        String markdown = markdown(series, counts, commit, command);
        Files.writeString(out.resolve("scaling.md"), markdown, StandardCharsets.UTF_8);
        chart(series, counts, out.resolve("scaling.png"));
        return markdown;
    }

    private static List<Series> group(List<JmhCsvResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no JMH results to report");
        }
        Map<String, Series> byKey = new java.util.LinkedHashMap<>();
        for (JmhCsvResult result : results) {
            Integer workers = null;
            Map<String, String> fixed = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, String> p : result.params().entrySet()) {
                if (WORKER_PARAMS.contains(p.getKey())) {
                    workers = Integer.valueOf(p.getValue());
                } else {
                    fixed.put(p.getKey(), p.getValue());
                }
            }
            if (workers == null) {
                throw new IllegalArgumentException(result.benchmark() + " has no parameter " + WORKER_PARAMS
                        + ": it is not a point of a scaling sweep");
            }
            Series candidate = new Series(result.shortName(), fixed);
            Series s = byKey.computeIfAbsent(candidate.key(), k -> candidate);
            if (s.byWorkers.put(workers, result) != null) {
                throw new IllegalArgumentException("two results for " + s.label() + " at " + workers
                        + " workers: give each point's CSV file once");
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static String markdown(List<Series> series, TreeSet<Integer> counts, String commit, String command) {
        StringBuilder md = new StringBuilder();
        md.append("# Scaling sweep\n\n");
        md.append("Machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs visible. JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(Runtime.version()).append(". Commit ").append(commit).append(". Written ")
                .append(Instant.now().truncatedTo(ChronoUnit.MINUTES)).append(".\n");
        if (command != null) {
            md.append("\n```sh\n").append(command).append("\n```\n");
        }
        md.append("\nTime per operation (ms, ± JMH's 99.9 % error) and speedup over the smallest worker count.\n\n");
        md.append("| benchmark |");
        counts.forEach(p -> md.append(' ').append(p).append(p == 1 ? " worker |" : " workers |"));
        md.append('\n').append("|---|");
        counts.forEach(p -> md.append("---|"));
        md.append('\n');
        for (Series s : series) {
            md.append("| ").append(s.label()).append(" |");
            for (int p : counts) {
                JmhCsvResult r = s.byWorkers.get(p);
                if (r == null) {
                    md.append(" — |");
                } else {
                    md.append(' ').append(millis(r.millisPerOp()));
                    if (!Double.isNaN(r.errorMillis())) {
                        md.append(" ± ").append(millis(r.errorMillis()));
                    }
                    md.append(String.format(Locale.ROOT, ", %.2f× |", s.baseMillis() / r.millisPerOp()));
                }
            }
            md.append('\n');
        }
        String ratios = ratios(series, counts);
        if (!ratios.isEmpty()) {
            md.append("\nSpindle's time over the baseline's at the same worker count (below 1: Spindle faster).\n\n");
            md.append("| benchmark |");
            counts.forEach(p -> md.append(' ').append(p).append(" |"));
            md.append('\n').append("|---|");
            counts.forEach(p -> md.append("---|"));
            md.append('\n').append(ratios);
        }
        return md.toString();
    }

    private static String ratios(List<Series> series, TreeSet<Integer> counts) {
        Map<String, Series> byKey = new java.util.HashMap<>();
        for (Series s : series) {
            byKey.put(s.key(), s);
        }
        StringBuilder rows = new StringBuilder();
        for (Series baseline : series) {
            for (String param : COMPARED_PARAMS) {
                String value = baseline.fixedParams.get(param);
                if (value == null || value.equals(SPINDLE)) {
                    continue;
                }
                Series spindle = byKey.get(baseline.keyWith(param, SPINDLE));
                if (spindle == null) {
                    continue;
                }
                rows.append("| ").append(spindle.label()).append(" ÷ ").append(value).append(" |");
                for (int p : counts) {
                    JmhCsvResult a = spindle.byWorkers.get(p);
                    JmhCsvResult b = baseline.byWorkers.get(p);
                    rows.append(a == null || b == null ? " — |"
                            : String.format(Locale.ROOT, " %.2f |", a.millisPerOp() / b.millisPerOp()));
                }
                rows.append('\n');
            }
        }
        return rows.toString();
    }

    private static String millis(double ms) {
        return String.format(Locale.ROOT, ms >= 100 ? "%.0f" : ms >= 10 ? "%.1f" : ms >= 1 ? "%.2f" : "%.3f", ms);
    }

    private static void chart(List<Series> series, TreeSet<Integer> counts, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(560).title("Speedup over the smallest worker count")
                .xAxisTitle("workers").yAxisTitle("speedup").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        int smallest = counts.first();
        double[] ideal = counts.stream().mapToDouble(p -> (double) p / smallest).toArray();
        double[] all = counts.stream().mapToDouble(Integer::doubleValue).toArray();
        XYSeries idealLine = chart.addSeries("ideal", all, ideal);
        idealLine.setMarker(SeriesMarkers.NONE);
        idealLine.setLineStyle(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        idealLine.setLineColor(java.awt.Color.GRAY);
        for (Series s : series) {
            double[] x = s.byWorkers.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = s.byWorkers.values().stream().mapToDouble(r -> s.baseMillis() / r.millisPerOp()).toArray();
            chart.addSeries(s.label(), x, y);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The CPU model as {@code /proc/cpuinfo} names it (what {@code lscpu} prints), or "unknown CPU". */
    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: say so below
        }
        return "unknown CPU";
    }
}
