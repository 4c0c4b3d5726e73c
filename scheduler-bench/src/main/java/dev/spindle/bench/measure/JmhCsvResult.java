package dev.spindle.bench.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One primary result row of a JMH {@code -rf csv} file: the benchmark, its parameters, and the
 * score as milliseconds per operation whatever the benchmark's mode and unit. Secondary results
 * (auxiliary counters, profilers: a {@code :} in the benchmark name) are skipped.
 *
 * <p>The format read is JMH's: a header line naming the columns ({@code "Benchmark"},
 * {@code "Score"}, {@code "Score Error (99.9%)"}, {@code "Unit"}, {@code "Param: <name>"}, …),
 * then one line per result, strings in double quotes, numbers bare with a dot as decimal point.
 */
public final class JmhCsvResult {

    private final String benchmark;
    private final Map<String, String> params;
    private final double millisPerOp;
    private final double errorMillis;

    private JmhCsvResult(String benchmark, Map<String, String> params, double millisPerOp, double errorMillis) {
        this.benchmark = benchmark;
        this.params = Collections.unmodifiableMap(params);
        this.millisPerOp = millisPerOp;
        this.errorMillis = errorMillis;
    }

    /** The benchmark's full name, {@code package.Class.method}. */
    public String benchmark() {
        return benchmark;
    }

    /** The class's simple name and the method: {@code Class.method}. */
    public String shortName() {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /** Parameter values by name, in the file's column order; absent parameters are left out. */
    public Map<String, String> params() {
        return params;
    }

    /** The score as milliseconds per operation. */
    public double millisPerOp() {
        return millisPerOp;
    }

    /** JMH's 99.9 % error of the score, in milliseconds per operation (NaN if JMH gave none). */
    public double errorMillis() {
        return errorMillis;
    }

    /**
     * Reads the primary results of one JMH CSV file.
     *
     * @throws IllegalArgumentException if the file lacks one of the columns needed, or a line
     *     cannot be read; the message names the file and line
     */
    public static List<JmhCsvResult> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("JMH CSV file " + file + " is empty");
        }
        List<String> header = fields(lines.get(0), file, 1);
        int name = column(header, "Benchmark", file);
        int score = column(header, "Score", file);
        int error = column(header, "Score Error (99.9%)", file);
        int unit = column(header, "Unit", file);
        List<JmhCsvResult> results = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> row = fields(lines.get(i), file, i + 1);
            if (row.size() != header.size()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " has " + row.size()
                        + " fields, the header " + header.size());
            }
            String benchmark = row.get(name);
            if (benchmark.contains(":")) {
                continue;                                // a secondary result
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                if (header.get(c).startsWith("Param: ") && !row.get(c).isEmpty()) {
                    params.put(header.get(c).substring("Param: ".length()), row.get(c));
                }
            }
            double factor = millisFactor(row.get(unit), file, i + 1);
            double value = number(row.get(score), file, i + 1);
            double err = row.get(error).isEmpty() ? Double.NaN : number(row.get(error), file, i + 1);
            double millis;
            double errMillis;
            if (factor > 0) {                            // a time per operation
                millis = value * factor;
                errMillis = err * factor;
            } else {                                     // operations per time unit
                millis = -factor / value;
                errMillis = millis * err / value;
            }
            results.add(new JmhCsvResult(benchmark, params, millis, errMillis));
        }
        return results;
    }

    /**
     * For a unit {@code <t>/op}: the positive factor from {@code t} to ms. For {@code ops/<t>}: minus
     * the milliseconds in one {@code t}, so that ms per op is {@code -factor / score}.
     */
    private static double millisFactor(String unit, Path file, int line) {
        if (unit.endsWith("/op")) {
            return millisIn(unit.substring(0, unit.length() - 3), unit, file, line);
        }
        if (unit.startsWith("ops/")) {
            return -millisIn(unit.substring(4), unit, file, line);
        }
        throw new IllegalArgumentException(file + " line " + line + ": unit '" + unit + "' is neither <time>/op nor ops/<time>");
    }

    private static double millisIn(String timeUnit, String unit, Path file, int line) {
        switch (timeUnit) {
            case "ns":
                return 1e-6;
            case "us":
                return 1e-3;
            case "ms":
                return 1.0;
            case "s":
                return 1e3;
            case "min":
                return 60e3;
            default:
                throw new IllegalArgumentException(file + " line " + line + ": unknown time unit in '" + unit + "'");
        }
    }

    private static double number(String text, Path file, int line) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + line + ": '" + text + "' is not a number"
                    + " (was the file written with a locale whose decimal point is a comma?)", e);
        }
    }

    private static int column(List<String> header, String title, Path file) {
        int index = header.indexOf(title);
        if (index < 0) {
            throw new IllegalArgumentException("JMH CSV file " + file + " has no column \"" + title + "\": " + header);
        }
        return index;
    }

    /** Splits one CSV line: fields separated by commas, optionally in double quotes ("" escapes "). */
    static List<String> fields(String line, Path file, int lineNumber) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(file + " line " + lineNumber + " ends inside a quoted field");
        }
        fields.add(field.toString().trim());
        return fields;
    }
}
