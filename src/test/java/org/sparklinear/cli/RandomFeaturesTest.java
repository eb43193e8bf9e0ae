package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;

/**
 * The lecture notes' cases a linear classifier cannot separate, on generated 2-D points: XOR quadrants, a ring
 * around a disc, and classes of several modes. Plain linear features fail; random ReLU features on top succeed.
 * Also image features (HOG + hue histogram) end to end on the samples.
 */
class RandomFeaturesTest {
  @TempDir Path tmp;

  private Path points(String name, int n, long seed, BiFunction<Double, Double, Integer> label) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x = r.nextDouble() * 2 - 1;
      double y = r.nextDouble() * 2 - 1;
      lines.add(label.apply(x, y) + " 1:" + x + " 2:" + y);
    }
    Path file = tmp.resolve(name + "-" + seed + ".libsvm");
    Files.write(file, lines);
    return file;
  }

  private double accuracy(String name, BiFunction<Double, Double, Integer> label, String... trainOptions)
      throws Exception {
    Path train = points(name, 2000, 1, label);
    Path test = points(name, 600, 2, label);
    String model = tmp.resolve(name + "-model-" + trainOptions.length).toString();
    List<String> args = new ArrayList<>(List.of("train", "--data", train.toString(), "--model-out", model,
        "--batch-size", "100", "--epochs", "12", "--lr", "0.05", "--val-fraction", "0", "--master", "local[2]"));
    args.addAll(List.of(trainOptions));
    CommandLineTest.run(0, args.toArray(String[]::new));
    JsonNode eval = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", model, "--data",
        test.toString(), "--json", "--master", "local[2]"));
    return eval.get("accuracy").asDouble();
  }

  private void linearFailsRandomFeaturesSucceed(String name, BiFunction<Double, Double, Integer> label)
      throws Exception {
    double linear = accuracy(name, label);
    double random = accuracy(name, label, "--random-features", "300");
    System.err.printf("%s: linear %.3f, random features %.3f%n", name, linear, random);
    assertTrue(linear < 0.8, name + ": a linear model should not separate this, got " + linear);
    assertTrue(random >= 0.95, name + ": random features should, got " + random + " (linear " + linear + ")");
  }

  @Test
  void xorQuadrants() throws Exception {
    linearFailsRandomFeaturesSucceed("xor", (x, y) -> x * y > 0 ? 0 : 1);
  }

  @Test
  void ringAroundADisc() throws Exception {
    linearFailsRandomFeaturesSucceed("ring", (x, y) -> x * x + y * y < 0.4 ? 0 : 1);
  }

  @Test
  void classesOfSeveralModes() throws Exception {
    // three classes, each the union of stripes that alternate across x: every class has several separated modes
    linearFailsRandomFeaturesSucceed("modes", (x, y) -> (int) Math.floor((x + 1) * 3) % 3);
  }

  @Test
  void imageFeaturesAreSavedWithTheModelAndUsedByEvaluateAndPredict() throws Exception {
    String model = tmp.resolve("hog-model").toString();
    CommandLineTest.run(0, "train", "--data", TestSupport.samples().resolve("cifar").toString(), "--model-out", model,
        "--features", "hog+color-hist", "--random-features", "200", "--loss", "hinge", "--master", "local[2]");
    JsonNode meta = new ObjectMapper().readTree(Path.of(model, "metadata.json").toFile());
    assertEquals("hog+color-hist", meta.get("features").get("spec").asText());
    assertEquals(200, meta.get("features").get("randomFeatures").asInt());
    assertEquals(154, meta.get("features").get("inputMean").size());
    JsonNode eval = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", model, "--data",
        TestSupport.samples().resolve("images").toString(), "--json", "--master", "local[2]"));
    assertTrue(eval.get("accuracy").asDouble() >= 0.9, eval.toString());
    String out = tmp.resolve("predictions").toString();
    CommandLineTest.run(0, "predict", "--model", model, "--data", TestSupport.samples().resolve("cifar").toString(),
        "--out", out, "--master", "local[2]");
    long correct = 0;
    long total = 0;
    try (var parts = Files.list(Path.of(out))) {
      for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(p)) {
          JsonNode row = new ObjectMapper().readTree(line);
          total++;
          correct += row.get("predicted").asText().equals(row.get("actual").asText()) ? 1 : 0;
        }
      }
    }
    assertEquals(300, total);
    assertTrue(correct >= 270, correct + " of 300 predicted right");
  }

  @Test
  void amSoftmaxAndCrammerSingerTrainOnTheSamples() throws Exception {
    for (String loss : List.of("am-softmax", "crammer-singer")) {
      String model = tmp.resolve(loss).toString();
      CommandLineTest.run(0, "train", "--data", TestSupport.samples().resolve("cifar").toString(), "--model-out",
          model, "--loss", loss, "--batch-size", "32", "--master", "local[2]");
      JsonNode eval = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", model, "--data",
          TestSupport.samples().resolve("images").toString(), "--json", "--master", "local[2]"));
      assertTrue(eval.get("accuracy").asDouble() >= 0.9, loss + ": " + eval);
      if (loss.equals("am-softmax")) {
        var w = new org.sparklinear.model.ModelStore(new org.apache.hadoop.conf.Configuration()).read(model).weights();
        double[] norms = org.sparklinear.linalg.CosineScores.classNorms(w);
        for (int c = 0; c < w.classes(); c++) {
          assertEquals(1.0, norms[c], 1e-9, "saved templates are unit vectors");
          assertEquals(0.0, w.bias(c), 0.0, "and carry no bias");
        }
      }
    }
  }
}
