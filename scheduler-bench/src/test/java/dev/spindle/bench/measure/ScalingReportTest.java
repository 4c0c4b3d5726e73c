package dev.spindle.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaling sweep's report: JMH CSV in, a table with speedups and ratios and a chart out. */
class ScalingReportTest {

    private static final String HEADER = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\","
            + "\"Score Error (99.9%)\",\"Unit\",\"Param: n\",\"Param: parallelism\",\"Param: scheduler\"\n";

    @TempDir
    Path dir;

    private Path csv(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void read_convertsEveryUnitToMillisPerOp_andSkipsSecondaryResults() throws Exception {
        Path file = csv("gemm.csv", "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\","
                + "\"Unit\",\"Param: impl\",\"Param: n\",\"Param: workers\"\n"
                + "\"dev.spindle.bench.linalg.GemmBenchmark.multiply\",\"thrpt\",1,3,40.000000,4.000000,\"ops/s\","
                + "spindle-vector,1024,1\n"
                + "\"dev.spindle.bench.linalg.GemmBenchmark.multiply:gflops\",\"thrpt\",1,3,85.9,1.0,\"ops/s\","
                + "spindle-vector,1024,1\n"
                + "\"dev.spindle.bench.core.X.y\",\"avgt\",1,3,2500.0,NaN,\"us/op\",\"a, \"\"quoted\"\" value\",,2\n");
        List<JmhCsvResult> results = JmhCsvResult.read(file);
        assertEquals(2, results.size(), "the :gflops row is a secondary result");
        JmhCsvResult gemm = results.get(0);
        assertEquals("GemmBenchmark.multiply", gemm.shortName());
        assertEquals(25.0, gemm.millisPerOp(), 1e-9, "40 ops/s is 25 ms per op");
        assertEquals(2.5, gemm.errorMillis(), 1e-9, "the error scales as the score does: 10 %");
        assertEquals("1", gemm.params().get("workers"));
        JmhCsvResult other = results.get(1);
        assertEquals(2.5, other.millisPerOp(), 1e-9);
        assertTrue(Double.isNaN(other.errorMillis()));
        assertEquals("a, \"quoted\" value", other.params().get("impl"));
        assertTrue(!other.params().containsKey("n"), "an empty parameter cell is left out");
    }

    @Test
    void write_givesSpeedupsOverTheSmallestCount_andSpindleOverItsBaseline() throws Exception {
        Path file = csv("fib.csv", HEADER
                + "\"dev.spindle.bench.core.ForkJoinFibBenchmark.fib\",\"avgt\",1,3,80.0,2.0,\"ms/op\",30,1,spindle\n"
                + "\"dev.spindle.bench.core.ForkJoinFibBenchmark.fib\",\"avgt\",1,3,40.0,2.0,\"ms/op\",30,2,spindle\n"
                + "\"dev.spindle.bench.core.ForkJoinFibBenchmark.fib\",\"avgt\",1,3,100.0,2.0,\"ms/op\",30,1,forkjoinpool\n"
                + "\"dev.spindle.bench.core.ForkJoinFibBenchmark.fib\",\"avgt\",1,3,50.0,2.0,\"ms/op\",30,2,forkjoinpool\n");
        Path out = dir.resolve("report");
        String md = ScalingReport.write(out, JmhCsvResult.read(file), "abc1234", "scaling.sh --workers \"1 2\"");
        assertTrue(md.contains("| ForkJoinFibBenchmark.fib (n=30, scheduler=spindle) | 80.0 ± 2.00, 1.00× | 40.0 ± 2.00, 2.00× |"), md);
        assertTrue(md.contains("| ForkJoinFibBenchmark.fib (n=30, scheduler=spindle) ÷ forkjoinpool | 0.80 | 0.80 |"), md);
        assertTrue(md.contains("Commit abc1234"), md);
        assertEquals(md, Files.readString(out.resolve("scaling.md"), StandardCharsets.UTF_8));
        byte[] png = Files.readAllBytes(out.resolve("scaling.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "scaling.png is a PNG");
    }

    @Test
    void badInput_isAnErrorNamingTheFileOrTheResult() throws Exception {
        Path noWorkers = csv("plain.csv", "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\","
                + "\"Unit\"\n\"a.B.c\",\"avgt\",1,3,1.0,0.1,\"ms/op\"\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScalingReport.write(dir.resolve("r"), JmhCsvResult.read(noWorkers), "x", null));
        assertTrue(e.getMessage().contains("a.B.c"), e.getMessage());

        Path comma = csv("comma.csv", HEADER
                + "\"dev.X.y\",\"avgt\",1,3,\"80,5\",2.0,\"ms/op\",30,1,spindle\n");
        e = assertThrows(IllegalArgumentException.class, () -> JmhCsvResult.read(comma));
        assertTrue(e.getMessage().contains("comma.csv line 2"), e.getMessage());

        Path noScore = csv("noscore.csv", "\"Benchmark\",\"Unit\"\n");
        e = assertThrows(IllegalArgumentException.class, () -> JmhCsvResult.read(noScore));
        assertTrue(e.getMessage().contains("Score"), e.getMessage());
    }
}
