package dev.spindle.bench.demo;

import dev.spindle.bench.workload.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The demo's command line, parsed and checked: every option accepts {@code --name value} and
 * {@code --name=value}. A bad option or value is an {@link IllegalArgumentException} whose message
 * names the option and the value; {@link #usage()} is the text {@code --help} prints.
 */
public final class DemoOptions {

    /**
     * Default serial time of one run of each workload, in milliseconds: a few hundred, so that a
     * run is long against the VM's scheduling noise (milliseconds) and the whole demo still takes
     * about a minute on two cores.
     */
    public static final int DEFAULT_TARGET_MILLIS = 250;
    /**
     * Default rounds: each runs every variant once, in a rotating order. Seven runs per variant give
     * a median that up to three slow spells of a shared machine cannot move, and a spread worth
     * drawing, within the demo's minute.
     */
    public static final int DEFAULT_REPETITIONS = 7;
    /** The scale of the unchanged legacy job when {@code --size} is not given (its products are {@code s / 4}). */
    public static final int DEFAULT_UNCHANGED_SIZE = 640;

    private final boolean help;
    private final int size;
    private final int targetMillis;
    private final int repetitions;
    private final List<DemoWorkload> workloads;
    private final Set<Variant> variants;
    private final Path outputDirectory;
    private final boolean charts;

    private DemoOptions(boolean help, int size, int targetMillis, int repetitions, List<DemoWorkload> workloads,
                        Set<Variant> variants, Path outputDirectory, boolean charts) {
        this.help = help;
        this.size = size;
        this.targetMillis = targetMillis;
        this.repetitions = repetitions;
        this.workloads = List.copyOf(workloads);
        this.variants = variants;
        this.outputDirectory = outputDirectory;
        this.charts = charts;
    }

    /** The usage text, listing every option with its default. */
    public static String usage() {
        return String.join(System.lineSeparator(),
                "Usage: java -jar benchmarks.jar demo [options]",
                "",
                "Runs the composability workloads in every variant and prints time, speed-up over serial,",
                "peak threads and context switches; writes charts (SVG and PNG).",
                "",
                "Options:",
                "  --workloads LIST   comma-separated, from: " + DemoWorkload.ids() + " (default: "
                        + DemoWorkload.defaults().stream().map(DemoWorkload::id).collect(Collectors.joining(",")) + ")",
                "  --variants LIST    comma-separated, from: "
                        + Arrays.stream(Variant.values()).map(Variant::id).collect(Collectors.joining(","))
                        + " (default: all that apply; serial always runs, as the speed-up baseline)",
                "  --target-ms T      serial time of one run of each workload, 10..10000 ms (default "
                        + DEFAULT_TARGET_MILLIS + "); sizes are calibrated to it at start-up",
                "  --size N           fixed sizes instead: matrix order of W1, 64..4096; the other workloads",
                "                     derive theirs from it (W2 N/2, W3 N/4); no calibration",
                "  --repetitions R    rounds, 1..100 (default " + DEFAULT_REPETITIONS + "); each runs every variant once,",
                "                     in a shuffled order (the first after a warm-up); the table shows the median",
                "                     and the spread. Variants slower than twice serial (and 100 ms) stop after "
                        + Demo.SLOW_VARIANT_RUNS + " runs; the",
                "                     unchanged job runs min(R, " + Demo.UNCHANGED_ROUNDS + ") rounds",
                "  --out DIR          where the charts go (default: spindle-demo)",
                "  --no-charts        print the tables only",
                "  --help             this text");
    }

    /**
     * Parses the demo's arguments (those after {@code demo}).
     *
     * @throws IllegalArgumentException naming the option and value that are wrong
     */
    public static DemoOptions parse(String... args) {
        boolean help = false;
        int size = 0;
        int targetMillis = DEFAULT_TARGET_MILLIS;
        int repetitions = DEFAULT_REPETITIONS;
        List<DemoWorkload> workloads = DemoWorkload.defaults();
        Set<Variant> variants = EnumSet.allOf(Variant.class);
        Path out = Path.of("spindle-demo");
        boolean charts = true;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            switch (name) {
                case "--help":
                case "-h":
                    noValue(name, value);
                    help = true;
                    break;
                case "--no-charts":
                    noValue(name, value);
                    charts = false;
                    break;
                case "--size":
                case "--target-ms":
                case "--repetitions":
                case "--workloads":
                case "--variants":
                case "--out":
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("option " + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--size":
                            size = integer(name, value, 64, 4096);
                            break;
                        case "--target-ms":
                            targetMillis = integer(name, value, 10, 10_000);
                            break;
                        case "--repetitions":
                            repetitions = integer(name, value, 1, 100);
                            break;
                        case "--workloads":
                            workloads = workloads(value);
                            break;
                        case "--variants":
                            variants = variants(value);
                            break;
                        default:
                            if (value.isBlank()) {
                                throw new IllegalArgumentException("option --out needs a directory, was '" + value + "'");
                            }
                            out = Path.of(value);
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new DemoOptions(help, size, targetMillis, repetitions, workloads, variants, out, charts);
    }

    private static int integer(String option, String value, int min, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + option + " needs a whole number, was '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException("option " + option + " must be in " + min + ".." + max + ", was " + parsed);
        }
        return parsed;
    }

    private static List<DemoWorkload> workloads(String value) {
        List<DemoWorkload> list = new ArrayList<>();
        for (String id : value.split(",")) {
            DemoWorkload workload = DemoWorkload.fromIdOrNull(id.trim());
            if (workload == null) {
                throw new IllegalArgumentException("option --workloads: unknown workload '" + id.trim()
                        + "' in '" + value + "'; valid: " + DemoWorkload.ids());
            }
            if (!list.contains(workload)) {
                list.add(workload);
            }
        }
        return list;
    }

    private static Set<Variant> variants(String value) {
        Set<Variant> set = EnumSet.noneOf(Variant.class);
        for (String id : value.split(",")) {
            try {
                set.add(Variant.fromId(id.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("option --variants: " + e.getMessage() + " (in '" + value + "')");
            }
        }
        set.add(Variant.SERIAL);                      // the speed-up column needs it
        return set;
    }

    /** Whether {@code --help} was given. */
    public boolean help() {
        return help;
    }

    /**
     * The fixed scale from {@code --size} (W1's matrix order; the other workloads derive theirs
     * from it), or empty when the sizes are calibrated to {@link #targetMillis()}.
     */
    public OptionalInt fixedSize() {
        return size == 0 ? OptionalInt.empty() : OptionalInt.of(size);
    }

    /** The serial time of one run that calibrated sizes aim at, in milliseconds. */
    public int targetMillis() {
        return targetMillis;
    }

    /** Measured runs per variant. */
    public int repetitions() {
        return repetitions;
    }

    /** The workloads to run, in order. */
    public List<DemoWorkload> workloads() {
        return workloads;
    }

    /** The variants to run (always including serial). */
    public Set<Variant> variants() {
        return EnumSet.copyOf(variants);
    }

    /** Where the charts go. */
    public Path outputDirectory() {
        return outputDirectory;
    }

    /** Whether to write charts. */
    public boolean charts() {
        return charts;
    }

    private static void noValue(String name, String value) {
        if (value != null) {
            throw new IllegalArgumentException("option " + name + " takes no value, was given '" + value + "'");
        }
    }
}
