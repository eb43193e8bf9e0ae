package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelStore;

/** {@code sweep}: every model of the stack is the model its settings train alone, and the best one is kept. */
class SweepTest {
  @TempDir Path tmp;

  @Test
  void eachStackedModelMatchesItsSingleRunAndTheBestIsSaved() throws Exception {
    String data = TestSupport.samples().resolve("cifar").toString();
    String swept = tmp.resolve("swept").toString();
    String table = CommandLineTest.run(0, "sweep", "--data", data, "--model-out", swept, "--lr", "0.000001,0.05",
        "--reg", "0,0.01", "--loss", "hinge", "--val-fraction", "0.2", "--partitions", "2", "--master", "local[2]");
    List<String> lines = table.lines().toList();
    assertEquals(9, lines.size(), table); // 4 rows of the table, then the 2 x 2 grid under its header, then the best
    assertTrue(lines.get(0).startsWith("lr ") && lines.get(5).startsWith("lr \\ reg") && lines.get(8).startsWith(
        "best: "), table);
    assertTrue(lines.get(5).contains("0.0") && lines.get(5).contains("0.01"), lines.get(5));
    assertTrue(table.contains("@"), "the best cell is shaded darkest: " + table);

    JsonNode meta = new ObjectMapper().readTree(Path.of(swept, "metadata.json").toFile());
    JsonNode models = meta.get("sweep").get("models");
    assertEquals(4, models.size());
    double bestAccuracy = 0;
    for (JsonNode m : models) {
      bestAccuracy = Math.max(bestAccuracy, m.get("validationAccuracy").asDouble());
    }
    JsonNode best = models.get(meta.get("sweep").get("best").asInt());
    assertEquals(bestAccuracy, best.get("validationAccuracy").asDouble());
    assertTrue(models.get(0).get("validationAccuracy").asDouble() < bestAccuracy, "lr 1e-6 learns too little");

    // the best model alone, trained by train with its settings: the same weights up to rounding of the rate
    String alone = tmp.resolve("alone").toString();
    CommandLineTest.run(0, "train", "--data", data, "--model-out", alone, "--lr", best.get("lr").asText(), "--reg",
        best.get("reg").asText(), "--loss", "hinge", "--val-fraction", "0.2", "--partitions", "2", "--master",
        "local[2]");
    ModelStore store = new ModelStore(new Configuration());
    LinearClassifier a = store.read(swept);
    LinearClassifier b = store.read(alone);
    double[] pa = a.weights().parameters();
    double[] pb = b.weights().parameters();
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < pa.length; i++) {
      worst = Math.max(worst, Math.abs(pa[i] - pb[i]));
      scale = Math.max(scale, Math.abs(pb[i]));
    }
    assertTrue(worst <= 1e-9 * scale, "stacked vs alone: max difference " + worst + " (weights up to " + scale + ")");
    JsonNode eval = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", swept, "--data", data,
        "--split", "validation", "--json", "--master", "local[2]"));
    assertEquals(bestAccuracy, eval.get("accuracy").asDouble(), 1e-12);
  }

  /**
   * AM-softmax is a loss on cosines: a sweep must train it on cosines too, save unit-length templates with zero biases,
   * and give the same model as a single run with the best settings.
   */
  @Test
  void anAmSoftmaxSweepTrainsOnCosinesLikeASingleRun() throws Exception {
    String data = TestSupport.samples().resolve("cifar").toString();
    String swept = tmp.resolve("am-swept").toString();
    CommandLineTest.run(0, "sweep", "--data", data, "--model-out", swept, "--lr", "0.003,0.01", "--reg", "0.0001",
        "--loss", "am-softmax", "--epochs", "3", "--val-fraction", "0.2", "--partitions", "2", "--master", "local[2]");
    LinearClassifier a = new ModelStore(new Configuration()).read(swept);
    double[] norms = org.sparklinear.linalg.CosineScores.classNorms(a.weights());
    for (int c = 0; c < a.weights().classes(); c++) {
      assertEquals(1.0, norms[c], 1e-9, "template " + c + " is unit length");
      assertEquals(0.0, a.weights().bias(c), "no bias in AM-softmax");
    }
    JsonNode meta = new ObjectMapper().readTree(Path.of(swept, "metadata.json").toFile());
    JsonNode best = meta.get("sweep").get("models").get(meta.get("sweep").get("best").asInt());
    String alone = tmp.resolve("am-alone").toString();
    CommandLineTest.run(0, "train", "--data", data, "--model-out", alone, "--lr", best.get("lr").asText(), "--reg",
        best.get("reg").asText(), "--loss", "am-softmax", "--epochs", "3", "--val-fraction", "0.2", "--partitions",
        "2", "--master", "local[2]");
    double[] pa = a.weights().parameters();
    double[] pb = new ModelStore(new Configuration()).read(alone).weights().parameters();
    for (int i = 0; i < pa.length; i++) {
      assertEquals(pb[i], pa[i], 1e-9, "parameter " + i + " of the swept and the single AM-softmax model");
    }
  }
}
