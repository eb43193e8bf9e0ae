package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelStore;

/** The command line end to end on data-samples/, with real Spark in local mode, as a user runs it. */
class EndToEndTest {
  @TempDir static Path tmp;
  static String cifar;
  static String images;
  static String model;

  @BeforeAll
  static void trainOnce() {
    cifar = TestSupport.samples().resolve("cifar").toString();
    images = TestSupport.samples().resolve("images").toString();
    model = tmp.resolve("model").toString();
    CommandLineTest.run(0, "train", "--data", cifar, "--model-out", model, "--master", "local[2]");
  }

  private static LinearClassifier load(String dir) {
    return new ModelStore(new Configuration()).read(dir);
  }

  @Test
  void trainedModelIsAccurateAndEvaluateJsonIsOneObjectOnStdout() throws IOException {
    String stdout = CommandLineTest.run(0, "evaluate", "--model", model, "--data", images, "--json",
        "--master", "local[2]");
    List<String> lines = stdout.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
    assertEquals(1, lines.size(), stdout);
    JsonNode json = new ObjectMapper().readTree(lines.get(0));
    assertEquals(300, json.get("examples").asLong());
    assertTrue(json.get("accuracy").asDouble() >= 0.95, "accuracy " + json.get("accuracy"));
    assertEquals(5, json.get("perClassAccuracy").size());
    assertEquals(5, json.get("confusionMatrix").size());
    long diagonal = 0;
    for (int i = 0; i < 5; i++) {
      diagonal += json.get("confusionMatrix").get(i).get(i).asLong();
    }
    assertEquals(json.get("correct").asLong(), diagonal);

    JsonNode meta = new ObjectMapper().readTree(Path.of(model, ModelStore.METADATA_FILE).toFile());
    assertEquals(ModelStore.FORMAT_VERSION, meta.get("formatVersion").asInt());
    assertEquals("softmax", meta.get("loss").asText());
    assertEquals("42", meta.get("trainingConfiguration").get("seed").asText());
    assertTrue(meta.get("sparkVersion").asText().startsWith("4."));
    assertTrue(meta.has("createdAt") && meta.get("metrics").has("validationAccuracy"));
  }

  @Test
  void validationSplitIsRecoveredByEvaluate() throws IOException {
    JsonNode all = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", model, "--data", cifar,
        "--json", "--master", "local[2]"));
    JsonNode val = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", model, "--data", cifar,
        "--json", "--split", "validation", "--master", "local[2]"));
    JsonNode train = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", model, "--data", cifar,
        "--json", "--split", "training", "--master", "local[2]"));
    long validationExamples = new ObjectMapper().readTree(Path.of(model, ModelStore.METADATA_FILE).toFile())
        .get("metrics").get("validationExamples").asLong();
    assertEquals(validationExamples, val.get("examples").asLong());
    assertEquals(all.get("examples").asLong(), val.get("examples").asLong() + train.get("examples").asLong());
  }

  @Test
  void predictWritesOneLinePerImageWithProbabilities() throws IOException {
    Path out = tmp.resolve("pred");
    CommandLineTest.run(0, "predict", "--model", model, "--data", images, "--out", out.toString(),
        "--master", "local[2]");
    List<String> lines = readParts(out);
    assertEquals(300, lines.size());
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertTrue(first.get("source").asText().endsWith(".png"));
    assertEquals(5, first.get("scores").size());
    double sum = 0;
    for (JsonNode p : first.get("probabilities")) {
      sum += p.asDouble();
    }
    assertEquals(1.0, sum, 1e-9);
    long right = lines.stream().map(l -> {
      try {
        JsonNode n = new ObjectMapper().readTree(l);
        return n.get("predicted").asText().equals(n.get("actual").asText());
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }).filter(b -> b).count();
    assertTrue(right >= 285, right + " of 300 right");

    Path csv = tmp.resolve("pred-csv");
    CommandLineTest.run(0, "predict", "--model", model, "--data", cifar, "--out", csv.toString(),
        "--output-format", "csv", "--master", "local[2]");
    List<String> rows = readParts(csv);
    assertEquals(301, rows.size());
    assertTrue(rows.get(0).startsWith("source,predicted,actual,score_circle"), rows.get(0));
    assertEquals(3 + 5 + 5, rows.get(1).split(",").length);
    // an existing output is not replaced without --overwrite
    CommandLineTest.run(2, "predict", "--model", model, "--data", cifar, "--out", csv.toString(),
        "--master", "local[2]");
  }

  @Test
  void sameSeedGivesTheSameModelToTheLastBit() {
    String again = tmp.resolve("again").toString();
    CommandLineTest.run(0, "train", "--data", cifar, "--model-out", again, "--master", "local[2]");
    assertArrayEquals(load(model).weights().parameters(), load(again).weights().parameters(), 0.0);
    String other = tmp.resolve("other-seed").toString();
    CommandLineTest.run(0, "train", "--data", cifar, "--model-out", other, "--seed", "7", "--master", "local[2]");
    assertFalse(java.util.Arrays.equals(load(model).weights().parameters(), load(other).weights().parameters()));
  }

  @Test
  void checkpointDirectoryIsWrittenAndTheSameCommandResumesToTheSameModel() throws IOException {
    Path checkpoints = tmp.resolve("ckpt");
    String first = tmp.resolve("ckpt-model").toString();
    CommandLineTest.run(0, "train", "--data", cifar, "--model-out", first, "--checkpoint-dir", checkpoints.toString(),
        "--checkpoint-every", "3", "--master", "local[2]");
    try (Stream<Path> files = Files.list(checkpoints)) {
      assertEquals(2, files.filter(p -> p.getFileName().toString().endsWith(".ckpt")).count());
    }
    // the same command again resumes at the end (nothing left to train) and yields the same weights
    CommandLineTest.run(0, "train", "--data", cifar, "--model-out", first, "--checkpoint-dir", checkpoints.toString(),
        "--checkpoint-every", "3", "--overwrite", "--master", "local[2]");
    assertArrayEquals(load(model).weights().parameters(), load(first).weights().parameters(), 0.0);
    assertEquals(load(model).metadata().metrics().validationAccuracy(),
        load(first).metadata().metrics().validationAccuracy());
    // another configuration refuses the checkpoint instead of silently mixing runs
    CommandLineTest.run(2, "train", "--data", cifar, "--model-out", tmp.resolve("other-ckpt").toString(),
        "--checkpoint-dir", checkpoints.toString(), "--lr", "0.5", "--master", "local[2]");
  }

  @Test
  void metricsFileHasAStepLineEveryLogIntervalAndAnEpochLinePerEpoch() throws IOException {
    Path metrics = tmp.resolve("metrics.jsonl");
    CommandLineTest.run(0, "train", "--data", cifar, "--model-out", tmp.resolve("m-metrics").toString(),
        "--metrics-file", metrics.toString(), "--batch-size", "100", "--epochs", "2", "--log-every", "2",
        "--master", "local[2]");
    List<JsonNode> lines = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(metrics)) {
      lines.add(new ObjectMapper().readTree(line));
    }
    long steps = lines.stream().filter(n -> n.get("type").asText().equals("step")).count();
    List<JsonNode> epochs = lines.stream().filter(n -> n.get("type").asText().equals("epoch")).toList();
    assertEquals(3, steps); // 2 epochs of 3 steps (300 rows, batch 100): steps 2, 4 and 6
    assertEquals(2, epochs.size());
    assertEquals(2, epochs.get(1).get("epoch").asInt());
    assertTrue(epochs.get(1).get("validationAccuracy").isNumber() && epochs.get(1).get("trainingLoss").isNumber());
  }

  @Test
  void hingeAndSquaredHingeTrainToo() throws IOException {
    for (String loss : List.of("hinge", "squared-hinge")) {
      String dir = tmp.resolve("m-" + loss).toString();
      CommandLineTest.run(0, "train", "--data", images, "--model-out", dir, "--loss", loss, "--master", "local[2]");
      JsonNode json = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", dir, "--data", cifar,
          "--json", "--master", "local[2]"));
      assertTrue(json.get("accuracy").asDouble() >= 0.9, loss + ": " + json);
    }
  }

  @Test
  void existingModelDirectoryIsNotOverwrittenWithoutTheFlag() throws IOException {
    long before = Files.getLastModifiedTime(Path.of(model, ModelStore.WEIGHTS_FILE)).toMillis();
    CommandLineTest.run(2, "train", "--data", cifar, "--model-out", model, "--master", "local[2]");
    assertEquals(before, Files.getLastModifiedTime(Path.of(model, ModelStore.WEIGHTS_FILE)).toMillis());
    String copy = tmp.resolve("replaced").toString();
    CommandLineTest.run(0, "train", "--data", cifar, "--model-out", copy, "--epochs", "1", "--master", "local[2]");
    CommandLineTest.run(0, "train", "--data", cifar, "--model-out", copy, "--epochs", "2", "--overwrite",
        "--master", "local[2]");
    assertEquals(2, load(copy).metadata().metrics().epochs());
  }

  @Test
  void modelTrainedOnAnotherImageShapeIsRefused() {
    String small = tmp.resolve("small").toString();
    CommandLineTest.run(0, "train", "--data", images, "--image-size", "16x16", "--model-out", small, "--epochs", "1",
        "--master", "local[2]");
    CommandLineTest.run(2, "evaluate", "--model", small, "--data", cifar, "--master", "local[2]");
  }

  @Test
  void divergenceStopsWithExitThreeAndWritesNothing() {
    Path out = tmp.resolve("diverged");
    CommandLineTest.run(3, "train", "--data", cifar, "--model-out", out.toString(), "--loss", "squared-hinge",
        "--lr", "1e12", "--momentum", "0", "--master", "local[2]");
    assertFalse(Files.exists(out));
    try (Stream<Path> left = Files.list(tmp)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".diverged")));
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  void dataThatDoesNotFitTheCacheIsRefusedWithAdvice() {
    Path out = tmp.resolve("no-memory");
    // SparkConf reads spark.* system properties: leave the cache about 100 KB, far under the samples' 3.7 MB; the
    // default --cache auto would train from disk (DiskCacheTest), memory refuses
    System.setProperty("spark.memory.fraction", "0.00002");
    try {
      CommandLineTest.run(4, "train", "--data", cifar, "--model-out", out.toString(), "--master", "local[2]",
          "--cache", "memory");
    } finally {
      System.clearProperty("spark.memory.fraction");
    }
    assertFalse(Files.exists(out));
  }

  @Test
  void badInputExitsWithTwoAndWritesNothing() throws IOException {
    Path bad = tmp.resolve("bad.bin");
    Files.write(bad, new byte[3073 + 1]);
    Path out = tmp.resolve("never");
    CommandLineTest.run(2, "train", "--data", bad.toString(), "--model-out", out.toString(), "--master", "local[2]");
    Path labels = tmp.resolve("labels");
    Files.createDirectories(labels);
    byte[] records = Files.readAllBytes(Path.of(cifar, "samples.bin"));
    records[3073 * 17] = 9; // 5 classes in batches.meta.txt
    Files.write(labels.resolve("data_batch_1.bin"), records);
    Files.copy(Path.of(cifar, "batches.meta.txt"), labels.resolve("batches.meta.txt"));
    CommandLineTest.run(2, "train", "--data", labels.toString(), "--model-out", out.toString(),
        "--master", "local[2]");
    assertFalse(Files.exists(out));
  }

  @Test
  void classNamesFromFoldersAreDataEvenWhenTheyLookLikePathsOrCsv() throws IOException {
    Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
    Path root = sandbox.resolve("in");
    String[] names = {"etc..%2F..passwd", "a,b \"quoted\"", "$(touch pwned)"}; // ".." itself is no folder name
    for (int c = 0; c < names.length; c++) {
      Path dir = Files.createDirectories(root.resolve(names[c]));
      for (String sample : List.of("0001.png", "0002.png", "0003.png")) {
        Files.copy(Path.of(images, List.of("circle", "stripes", "gradient").get(c), sample), dir.resolve(sample));
      }
    }
    String model = sandbox.resolve("model").toString();
    CommandLineTest.run(0, "train", "--data", root.toString(), "--model-out", model, "--master", "local[2]");
    assertEquals(List.of(names[0], names[1], names[2]).stream().sorted().toList(),
        new ModelStore(new Configuration()).read(model).classNames());
    Path out = sandbox.resolve("pred");
    CommandLineTest.run(0, "predict", "--model", model, "--data", root.toString(), "--out", out.toString(),
        "--output-format", "csv", "--master", "local[2]");
    List<String> rows = readParts(out);
    assertEquals(10, rows.size());
    assertTrue(rows.get(0).contains("\"score_a,b \"\"quoted\"\"\""), rows.get(0));
    try (Stream<Path> top = Files.list(sandbox)) {
      assertEquals(List.of("in", "model", "pred"), top.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertFalse(Files.exists(Path.of("pwned")));
  }

  static List<String> readParts(Path dir) throws IOException {
    try (Stream<Path> parts = Files.list(dir)) {
      List<Path> files = parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted()
          .collect(Collectors.toList());
      List<String> lines = new java.util.ArrayList<>();
      for (Path f : files) {
        lines.addAll(Files.readAllLines(f));
      }
      return lines;
    }
  }
}
