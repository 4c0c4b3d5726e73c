package dev.spindle.bench.demo;

import dev.spindle.bench.workload.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The demo's command line, parsed and checked: every option accepts {@code --name value} and
 * {@code --name=value}. A bad option or value is an {@link IllegalArgumentException} whose message
 * names the option and the value; {@link #usage()} is the text {@code --help} prints.
 */
public final class DemoOptions {

    /** Default W1 matrix order: sized so the default demo takes about a minute on two cores. */
    public static final int DEFAULT_SIZE = 640;
    /** Default measured repetitions per variant: rounds, each a warm-up (longer in the first) and one measured run of every variant. */
    public static final int DEFAULT_REPETITIONS = 3;

    private final boolean help;
    private final int size;
    private final int repetitions;
    private final List<DemoWorkload> workloads;
    private final Set<Variant> variants;
    private final Path outputDirectory;
    private final boolean charts;

    private DemoOptions(boolean help, int size, int repetitions, List<DemoWorkload> workloads,
                        Set<Variant> variants, Path outputDirectory, boolean charts) {
        this.help = help;
        this.size = size;
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
                "  --size N           matrix order of W1, 64..4096 (default " + DEFAULT_SIZE
                        + "); the other workloads scale with it",
                "  --repetitions R    rounds; each round runs every variant once after a warm-up, 1..100 (default "
                        + DEFAULT_REPETITIONS + "); the table shows the median",
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
        int size = DEFAULT_SIZE;
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
        return new DemoOptions(help, size, repetitions, workloads, variants, out, charts);
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

    /** W1's matrix order; the other workloads derive theirs from it. */
    public int size() {
        return size;
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
