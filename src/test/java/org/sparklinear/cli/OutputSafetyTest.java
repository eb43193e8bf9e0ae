package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.io.OutputKind;

/** No command may destroy what it did not write (issue: a mistyped path with --overwrite deleted the data). */
class OutputSafetyTest {
  @TempDir static Path tmp;
  static Path model;

  @BeforeAll
  static void trainModel() {
    model = tmp.resolve("trained");
    CommandLineTest.run(0, "train", "--data", cifar(), "--model-out", model.toString(), "--epochs", "1",
        "--master", "local[2]");
  }

  private static String cifar() {
    return TestSupport.samples().resolve("cifar").toString();
  }

  @Test
  void everyOutputOfEveryCommandIsRefusedWhereItWouldTouchAnInputOrForeignFiles() throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration()).getRaw();
    Path root = Files.createDirectories(tmp.resolve("matrix/fs"));
    OutputSafetyMatrix matrix = new OutputSafetyMatrix(fs, root.toString(), tmp.resolve("matrix/local"), model,
        TestSupport.samples().resolve("cifar"), true);
    int cases = matrix.runAll();
    assertTrue(cases >= 190, cases + " cases");

    // generate-samples has no inputs, but never replaces a folder it did not write
    OutputSafetyMatrix.Spec samples = new OutputSafetyMatrix.Spec("generate-samples", Map.of(), Map.of("out", true),
        true);
    Files.createDirectories(root.resolve("foreign/images/cat"));
    Files.writeString(root.resolve("foreign/images/cat/1.png"), "a user's image");
    matrix.refused(samples, "out", root.resolve("foreign").toString(), "'images'");
    matrix.refused(samples, "out", root.resolve("file.txt").toString(), "it is a file");
  }

  @Test
  void symlinksAreResolvedBeforeComparing() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("links/data"));
    Files.copy(TestSupport.samples().resolve("cifar/samples.bin"), data.resolve("samples.bin"));
    Path link = Files.createSymbolicLink(tmp.resolve("links/link"), data);
    CommandLineTest.run(2, "train", "--data", link.toString(), "--model-out", data.toString(), "--overwrite");
    CommandLineTest.run(2, "train", "--data", data.toString(), "--model-out", link.resolve("model").toString());
    CommandLineTest.run(2, "predict", "--model", model.toString(), "--data", link.resolve("samples.bin").toString(),
        "--out", data.toString(), "--overwrite");
    CommandLineTest.run(2, "train", "--data", data + "/*.bin", "--model-out", data.getParent().toString(),
        "--overwrite"); // a glob's matches are inputs too
    try (Stream<Path> s = Files.list(data)) {
      assertEquals(List.of(data.resolve("samples.bin")), s.toList());
    }
  }

  @Test
  void overwriteReplacesOurOwnOutputsWhole() throws Exception {
    Path out = tmp.resolve("replace");
    String m = out.resolve("model").toString();
    CommandLineTest.run(0, "train", "--data", cifar(), "--model-out", m, "--epochs", "1", "--master", "local[2]");
    String first = Files.readString(Path.of(m, "metadata.json"));
    CommandLineTest.run(2, "train", "--data", cifar(), "--model-out", m, "--epochs", "1");
    CommandLineTest.run(0, "train", "--data", cifar(), "--model-out", m, "--epochs", "1", "--seed", "7",
        "--overwrite", "--master", "local[2]");
    assertNotEquals(first, Files.readString(Path.of(m, "metadata.json")), "the model was replaced");

    String predictions = out.resolve("predictions").toString();
    String[] predict = {"predict", "--model", m, "--data", cifar(), "--out", predictions, "--master", "local[2]"};
    CommandLineTest.run(0, predict);
    assertTrue(Files.exists(Path.of(predictions, OutputKind.MARKER_FILE)));
    CommandLineTest.run(2, predict);
    CommandLineTest.run(0, append(predict, "--overwrite"));

    String report = out.resolve("report").toString();
    String[] reportArgs = {"report", "--model", m, "--data", cifar(), "--out", report, "--master", "local[2]"};
    CommandLineTest.run(0, reportArgs);
    CommandLineTest.run(2, reportArgs);
    CommandLineTest.run(0, append(reportArgs, "--overwrite"));
    assertTrue(Files.exists(Path.of(report, "index.html")));
    assertTrue(Files.exists(Path.of(report, OutputKind.MARKER_FILE)));

    // an empty directory made beforehand is fine without --overwrite: nothing in it can be lost
    Path empty = Files.createDirectories(out.resolve("empty"));
    CommandLineTest.run(0, "report", "--model", m, "--data", cifar(), "--out", empty.toString(), "--master",
        "local[2]");
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
          "no staging or set-aside folder is left");
    }
  }

  @Test
  void aRunKilledWhileTrainingLeavesThePreviousModelIntact() throws Exception {
    Path dir = tmp.resolve("killed");
    String m = dir.resolve("model").toString();
    CommandLineTest.run(0, "train", "--data", cifar(), "--model-out", m, "--epochs", "1", "--master", "local[2]");
    Map<String, byte[]> before = files(Path.of(m));
    Path metrics = dir.resolve("metrics.jsonl");
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx1g"));
    // killed after its first step: C2's compilations would be most of its CPU, taken from the other test JVM
    cmd.addAll(List.of(TestSupport.SMALL_DATA_JVM_OPTS.split(" ")));
    cmd.addAll(List.of(Files.readString(TestSupport.projectDir().resolve("target/jvm-options.txt")).trim()
        .split("\\s+")));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--data", cifar(),
        "--model-out", m, "--overwrite", "--epochs", "100000", "--batch-size", "16", "--metrics-file",
        metrics.toString(), "--log-every", "1", "--master", "local[2]"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile())
        .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!(Files.exists(metrics) && Files.readString(metrics).contains("\"step\""))) {
        assertTrue(p.isAlive(), () -> "the training run ended early: " + read(dir.resolve("run.log")));
        assertTrue(System.nanoTime() < deadline, "no training step within 2 minutes");
        Thread.sleep(50);
      }
    } finally {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9 mid-training
    }
    Map<String, byte[]> after = files(Path.of(m));
    assertEquals(before.keySet(), after.keySet());
    for (String name : before.keySet()) {
      assertTrue(java.util.Arrays.equals(before.get(name), after.get(name)), name + " is unchanged");
    }
    CommandLineTest.run(0, "evaluate", "--model", m, "--data", cifar(), "--master", "local[2]");
  }

  @Test
  void aFeatureIndexTooWideForDenseRowsIsBadInputWithItsLine() throws Exception {
    Path file = tmp.resolve("wide.libsvm");
    Files.writeString(file, "0 1:0.5 2:1\n1 2147483647:1\n");
    String err = OutputSafetyMatrix.runExpectingBadInput(List.of("train", "--data", file.toString(), "--model-out",
        tmp.resolve("wide-model").toString(), "--master", "local[1]"));
    assertTrue(err.contains(file + ":2: feature index 2147483647 is beyond the limit of 1048576"), err);
    assertFalse(Files.exists(tmp.resolve("wide-model")));
  }

  private static String[] append(String[] args, String... more) {
    return Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new);
  }

  private static Map<String, byte[]> files(Path dir) throws Exception {
    Map<String, byte[]> out = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
