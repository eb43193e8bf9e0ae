package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on LibSVM feature vectors: train, evaluate and predict, and a NaN that stops training. */
class LibSvmEndToEndTest {
  @TempDir Path tmp;

  /** Three Gaussian blobs in 5 dimensions with labels 1..3, the way LibSVM datasets number classes. */
  private static List<String> blobs(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int label = 1 + i % 3;
      StringBuilder sb = new StringBuilder(Integer.toString(label));
      for (int f = 1; f <= 5; f++) {
        double centre = f == label ? 40 : 10; // far from zero mean and unit scale: standardisation matters
        sb.append(' ').append(f).append(':').append(String.format("%.4f", centre + 8 * (r.nextDouble() - 0.5)));
      }
      lines.add(sb.toString());
    }
    return lines;
  }

  @Test
  void trainsEvaluatesAndPredictsOnFeatureVectors() throws Exception {
    Path train = tmp.resolve("train.libsvm");
    Path test = tmp.resolve("test.libsvm");
    Files.write(train, blobs(600, 1));
    Files.write(test, blobs(150, 2));
    String model = tmp.resolve("model").toString();
    CommandLineTest.run(0, "train", "--data", train.toString(), "--model-out", model, "--batch-size", "64",
        "--master", "local[2]");
    JsonNode meta = new ObjectMapper().readTree(Path.of(model, "metadata.json").toFile());
    assertEquals("standardize", meta.get("preprocessing").get("scaling").asText(), "feature vectors are standardised");
    assertEquals(5, meta.get("imageShape").get("width").asInt());
    assertEquals("[\"1\",\"2\",\"3\"]", meta.get("classNames").toString());

    JsonNode eval = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", model, "--data",
        test.toString(), "--json", "--master", "local[2]"));
    assertEquals(150, eval.get("examples").asLong());
    assertTrue(eval.get("accuracy").asDouble() >= 0.95, eval.toString());

    String out = tmp.resolve("predictions").toString();
    CommandLineTest.run(0, "predict", "--model", model, "--data", test.toString(), "--out", out, "--master",
        "local[2]");
    List<String> lines = new ArrayList<>();
    try (var parts = Files.list(Path.of(out))) {
      for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(p));
      }
    }
    assertEquals(150, lines.size());
    assertTrue(lines.get(0).contains("test.libsvm:1"), lines.get(0));
  }

  @Test
  void aNanFeatureIsBadInputAndNoModelIsWritten() throws Exception {
    List<String> lines = new ArrayList<>(blobs(90, 3));
    lines.set(41, "3 1:2.0 2:NaN");
    Path data = tmp.resolve("nan.libsvm");
    Files.write(data, lines);
    Path model = tmp.resolve("nan-model");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream originalErr = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      CommandLineTest.run(ExitCode.BAD_INPUT, "train", "--data", data.toString(), "--model-out", model.toString(),
          "--master", "local[2]");
    } finally {
      System.setErr(originalErr);
    }
    assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).contains("error: file:" + data
        + ":42: feature 2 is NaN"), err.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertFalse(Files.exists(model));
  }
}
