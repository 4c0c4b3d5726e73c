package dev.spindle.bench.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.bench.workload.Variant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void noArguments_giveTheDefaults() {
        DemoOptions options = DemoOptions.parse();
        assertFalse(options.help());
        assertTrue(options.fixedSize().isEmpty(), "sizes are calibrated by default");
        assertEquals(DemoOptions.DEFAULT_TARGET_MILLIS, options.targetMillis());
        assertEquals(DemoOptions.DEFAULT_REPETITIONS, options.repetitions());
        assertEquals(DemoWorkload.defaults(), options.workloads());
        assertEquals(EnumSet.allOf(Variant.class), options.variants());
        assertTrue(options.charts());
    }

    @Test
    void everyOption_acceptsBothSpellings() {
        DemoOptions options = DemoOptions.parse("--size", "256", "--repetitions=5", "--workloads=w2,w4",
                "--variants", "spindle,outer-only", "--out=/tmp/x", "--no-charts", "--target-ms", "120");
        assertEquals(256, options.fixedSize().getAsInt());
        assertEquals(120, options.targetMillis());
        assertEquals(5, options.repetitions());
        assertEquals(List.of(DemoWorkload.W2, DemoWorkload.W4), options.workloads());
        assertEquals(EnumSet.of(Variant.SERIAL, Variant.OUTER_ONLY, Variant.SPINDLE), options.variants());
        assertEquals(Path.of("/tmp/x"), options.outputDirectory());
        assertFalse(options.charts());
        assertTrue(DemoOptions.parse("--help").help());
    }

    @Test
    void badValues_areErrorsNamingTheOptionAndTheValue() {
        assertMessage("--size", "abc", DemoOptions::parse, "--size", "abc");
        assertMessage("--size", "10", DemoOptions::parse, "--size=10");
        assertMessage("--repetitions", "0", DemoOptions::parse, "--repetitions", "0");
        assertMessage("--target-ms", "5", DemoOptions::parse, "--target-ms=5");
        assertMessage("--target-ms", "soon", DemoOptions::parse, "--target-ms", "soon");
        assertMessage("--workloads", "w9", DemoOptions::parse, "--workloads=w1,w9");
        assertMessage("--variants", "fastest", DemoOptions::parse, "--variants=fastest");
        assertMessage("--frobnicate", "--frobnicate", DemoOptions::parse, "--frobnicate");
        assertMessage("--size", "needs a value", DemoOptions::parse, "--size");
    }

    private static void assertMessage(String option, String value, java.util.function.Function<String[], DemoOptions> parse,
                                      String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse.apply(args));
        assertTrue(e.getMessage().contains(option) && e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void demo_withABadOption_printsTheErrorAndTheUsage_andExitsNonZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Demo.run(new String[] {"--size", "huge"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String error = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code);
        assertTrue(error.contains("--size") && error.contains("huge") && error.contains("Usage:"), error);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void demo_help_listsEveryOption_andExitsZero() {
        String usage = demoOutput("--help");
        for (String option : List.of("--workloads", "--variants", "--size", "--repetitions", "--out", "--no-charts", "--help", "--target-ms")) {
            assertTrue(usage.contains(option), option);
        }
    }

    @Test
    void demo_onATinySize_printsATableAndWritesCharts(@org.junit.jupiter.api.io.TempDir Path dir) {
        String text = demoOutput("--size=64", "--repetitions=1", "--workloads=w1", "--out=" + dir);
        assertTrue(text.contains("naive-nested") && text.contains("Fastest:"), text);
        assertTrue(dir.resolve("w1-time.svg").toFile().length() > 0);
        assertTrue(dir.resolve("w1.png").toFile().length() > 0);
    }

    @Test
    void demo_interleavesTheVariants_eachRoundRunsEveryVariantOnce_andNamesEachAsItStarts(@org.junit.jupiter.api.io.TempDir Path dir) {
        String text = demoOutput("--size=64", "--repetitions=4", "--workloads=w1", "--variants=outer-only,spindle",
                "--no-charts", "--out=" + dir);
        assertTrue(text.contains("[w1] round 1 of 4: serial outer-only spindle\n")
                || text.contains("[w1] round 1 of 4: serial outer-only spindle\r\n"), "the first round in table order: " + text);
        int previous = -1;
        for (int round = 1; round <= 4; round++) {
            String marker = "[w1] round " + round + " of 4:";
            int at = text.indexOf(marker);
            assertTrue(at > previous, marker + " after the round before: " + text);
            String line = text.substring(at + marker.length(), text.indexOf('\n', at)).trim();
            List<String> names = new java.util.ArrayList<>(List.of(line.split(" ")));
            java.util.Collections.sort(names);
            assertEquals(List.of("outer-only", "serial", "spindle"), names, "round " + round + ": " + text);
            previous = at;
        }
        assertTrue(text.indexOf("Fastest:") > previous, "the table comes after the last round: " + text);
        assertTrue(text.contains("Sizes: fixed by --size 64"), text);
        assertTrue(text.contains("GEMM kernel: "), text);
    }

    @Test
    void roundOrder_isTheGivenOrderFirst_thenAPermutation() {
        java.util.Random random = new java.util.Random(1);
        assertTrue(java.util.Arrays.equals(new int[] {0, 1, 2, 3, 4}, Demo.roundOrder(5, 0, random)));
        for (int round = 1; round < 20; round++) {
            int[] order = Demo.roundOrder(5, round, random).clone();
            java.util.Arrays.sort(order);
            assertTrue(java.util.Arrays.equals(new int[] {0, 1, 2, 3, 4}, order), java.util.Arrays.toString(order));
        }
    }

    @Test
    void demo_calibratesTheSizesToTheTargetTime_andPrintsThem(@org.junit.jupiter.api.io.TempDir Path dir) {
        String text = demoOutput("--target-ms=10", "--repetitions=1", "--workloads=w3-balanced", "--variants=spindle",
                "--no-charts", "--out=" + dir);
        assertTrue(text.contains("calibrated so that one serial run takes about 10 ms"), text);
        assertTrue(text.contains("w3-skewed") && text.contains("w3-balanced") && text.contains("the flops of w3-skewed"),
                "w3-balanced takes w3-skewed's calibrated size: " + text);
    }

    /** What the demo prints to standard output for {@code args}; fails unless it exits with 0. */
    private static String demoOutput(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }
}
