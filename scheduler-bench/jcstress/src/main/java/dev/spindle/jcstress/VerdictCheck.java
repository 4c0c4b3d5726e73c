package dev.spindle.jcstress;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;
import org.openjdk.jcstress.infra.grading.TestGrading;

/**
 * Runs jcstress with the given arguments (as {@code org.openjdk.jcstress.Main} takes them), then
 * exits with status 1 unless every selected test ran to completion and
 *
 * <ul>
 *   <li>every test of the real code (not in {@code dev.spindle.jcstress.broken}) passed: it never
 *       saw a forbidden outcome;</li>
 *   <li>every test of a deliberately broken copy (in {@code dev.spindle.jcstress.broken}) failed: it
 *       saw a forbidden outcome. One that passed could not tell the broken code from the real one
 *       in this run, so the same run proves nothing about the real code either. Such a test is run
 *       once more before it counts as not caught.</li>
 * </ul>
 *
 * A test of the real code marked {@link KnownBug} is expected to fail until its bug is fixed: its
 * failure is printed, not fatal, and its passing is fatal (remove the mark).
 *
 * <p>jcstress itself fails when any test fails, so it cannot tell a caught broken copy from a bug;
 * this can. Prints one line per test: verdict, samples, forbidden samples.
 */
public final class VerdictCheck {

    private static final String BROKEN_PACKAGE = "dev.spindle.jcstress.broken.";

    private VerdictCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            // jcstress runs each actor on its own CPU; with one there is no race to observe.
            System.out.println("VerdictCheck: SKIPPED, jcstress needs 2 CPUs and this machine has 1.");
            System.exit(0);
        }
        Options options = parse(args);
        long start = System.nanoTime();
        JCStress jcstress = new JCStress(options);
        SortedSet<String> selected = jcstress.getTests();
        if (selected.isEmpty()) {
            System.err.println("VerdictCheck: no test matches " + options.getTestFilter());
            System.exit(1);
        }
        Map<String, TestResult> byName = run(options);

        // A broken copy that was not caught had a second chance: catching one is a matter of
        // probability (the rarest is seen about once in 10^5 samples), and a build that fails
        // because of bad luck teaches people to ignore it. A forbidden outcome on the real code
        // gets no second chance: one is a bug.
        List<String> notCaught = new ArrayList<>();
        for (String test : selected) {
            TestResult result = byName.get(test);
            if (test.startsWith(BROKEN_PACKAGE) && result != null && result.status() == Status.NORMAL
                    && result.grading().isPassed) {
                notCaught.add(test);
            }
        }
        if (!notCaught.isEmpty()) {
            System.out.println("VerdictCheck: not caught in the first run, so run once more: " + notCaught);
            StringBuilder exactly = new StringBuilder("^(");
            for (String test : notCaught) {
                exactly.append(exactly.length() > 2 ? "|" : "").append(test.replace(".", "\\."));
            }
            String[] again = withOption(args, "-t", exactly.append(")$").toString());
            again = withOption(again, "-r", options.getResultDest() + "second-run/");
            byName.putAll(run(parse(again)));
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        List<String> wrong = new ArrayList<>();
        List<String> knownBugs = new ArrayList<>();
        System.out.println();
        System.out.printf("VerdictCheck (%d s in all, results in %s):%n", seconds,
                new File(options.getResultDest()).getAbsolutePath());
        for (String test : selected) {
            boolean broken = test.startsWith(BROKEN_PACKAGE);
            KnownBug knownBug = Class.forName(test, false, VerdictCheck.class.getClassLoader()).getAnnotation(KnownBug.class);
            TestResult result = byName.get(test);
            String verdict;
            if (result == null) {
                verdict = "DID NOT RUN";
                wrong.add(test + ": did not run");
            } else if (result.status() != Status.NORMAL) {
                verdict = "ERROR " + result.status();
                wrong.add(test + ": " + result.status() + " " + result.getMessages());
            } else if (knownBug != null) {
                boolean passed = result.grading().isPassed;
                verdict = passed ? "KNOWN BUG GONE" : "known bug";
                if (passed) {
                    wrong.add(test + ": passed, but is marked @KnownBug; if the bug is fixed, remove the mark");
                } else {
                    knownBugs.add(test + ": " + forbiddenOutcomes(result.grading()) + System.lineSeparator()
                            + "      " + knownBug.value());
                }
            } else {
                boolean passed = result.grading().isPassed;
                verdict = broken ? (passed ? "NOT CAUGHT" : notCaught.contains(test) ? "caught, 2nd run" : "caught")
                        : (passed ? "passed" : "FORBIDDEN OUTCOME");
                if (passed == broken) {
                    wrong.add(test + (broken
                            ? ": the broken copy was not caught; the test cannot tell it from the real code at these settings"
                            : ": forbidden outcome on the real code: " + forbiddenOutcomes(result.grading())));
                }
            }
            System.out.printf("  %-20s %-70s %,14d samples, %,d forbidden%n", verdict, test,
                    result == null ? 0 : result.getTotalCount(),
                    result == null ? 0 : forbiddenCount(result.grading()));
        }
        if (!knownBugs.isEmpty()) {
            System.out.println();
            System.out.println("Known bugs, reproduced (not fatal until fixed):");
            knownBugs.forEach(line -> System.out.println("  " + line));
        }
        if (!wrong.isEmpty()) {
            System.out.println();
            System.out.println("VerdictCheck FAILED:");
            wrong.forEach(line -> System.out.println("  " + line));
            System.exit(1);
        }
        System.out.println("VerdictCheck: every test of the real code passed"
                + (knownBugs.isEmpty() ? "" : " (but for the known bugs above)") + " and every broken copy was caught.");
        System.exit(0);
    }

    private static Options parse(String[] args) throws Exception {
        Options options = new Options(args);
        if (!options.parse()) {
            System.exit(2);
        }
        return options;
    }

    /** Runs jcstress and returns its results, merged across configurations, by test name. */
    private static Map<String, TestResult> run(Options options) throws Exception {
        try {
            new JCStress(options).run();
        } catch (AssertionError failures) {
            // jcstress throws after its report if any test failed or erred; the broken copies must
            // fail, so which failures are wrong is decided from the result blob.
            System.out.println("jcstress reported failures; VerdictCheck decides which were expected.");
        }
        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(options.getResultFile(), collector);
        reader.dump();
        reader.close();
        Map<String, TestResult> byName = new TreeMap<>();
        for (TestResult result : ReportUtils.mergedByName(collector.getTestResults())) {
            byName.put(result.getName(), result);
        }
        return byName;
    }

    private static String[] withOption(String[] args, String option, String value) {
        List<String> changed = new ArrayList<>(List.of(args));
        int at = changed.indexOf(option);
        if (at >= 0 && at + 1 < changed.size()) {
            changed.set(at + 1, value);
        } else {
            changed.add(option);
            changed.add(value);
        }
        return changed.toArray(new String[0]);
    }

    private static long forbiddenCount(TestGrading grading) {
        long count = 0;
        for (GradingResult outcome : grading.gradingResults.values()) {
            if (outcome.expect == Expect.FORBIDDEN) {
                count += outcome.count;
            }
        }
        return count;
    }

    private static String forbiddenOutcomes(TestGrading grading) {
        StringBuilder text = new StringBuilder();
        for (GradingResult outcome : grading.gradingResults.values()) {
            if (outcome.expect == Expect.FORBIDDEN && outcome.count > 0) {
                text.append('[').append(outcome.id).append("] x").append(outcome.count)
                        .append(" (").append(outcome.description).append(") ");
            }
        }
        return text.toString().trim();
    }
}
