package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.ml.LinearImageClassificationModel;
import org.sparklinear.ml.LinearImageClassifier;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.model.ModelStore;

/**
 * The command line and the spark.ml estimator train through one pipeline: the same data and settings give the same
 * model with the same kind of metadata, which report, evaluate and predict then use alike.
 */
class EntryPointsTest {
  @TempDir Path tmp;

  @Test
  void aModelTrainedThroughSparkMlReportsEvaluatesAndPredictsLikeOneFromTheCommandLine() throws Exception {
    Path data = TestSupport.blobsLibSvm(tmp.resolve("blobs.libsvm"), 300, 1);
    String cli = tmp.resolve("cli").toString();
    CommandLineTest.run(0, "train", "--data", data.toString(), "--model-out", cli, "--batch-size", "32", "--epochs",
        "4", "--val-fraction", "0", "--partitions", "1", "--master", "local[2]");

    String saved = tmp.resolve("ml").toString();
    try (var sc = TestSupport.localSpark(2)) {
      SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
      // no validation split: the two entry points name rows differently ("file:line", "row N"), so a split by
      // name would hold out other rows
      LinearImageClassifier estimator = new LinearImageClassifier().setBatchSize(32).setMaxIter(4);
      estimator.fit(spark.read().format("libsvm").load(data.toString()).coalesce(1)).write().save(saved);
    }
    String ml = saved + "/" + LinearImageClassificationModel.MODEL_DIR;

    ModelStore store = new ModelStore(new Configuration());
    LinearClassifier a = store.read(cli);
    LinearClassifier b = store.read(ml);
    assertArrayEquals(a.weights().parameters(), b.weights().parameters(), "the same trainer, to the last bit");
    assertEquals(a.preprocessor(), b.preprocessor());
    for (ModelMetadata m : List.of(a.metadata(), b.metadata())) {
      assertEquals(4, m.history().size(), "an entry per epoch");
      assertFalse(m.stepLoss().isEmpty(), "the loss per step");
      assertEquals(40, m.metrics().steps(), m.metrics().toString());
      assertEquals(300, m.metrics().trainingExamples());
      assertEquals("0.0", m.trainingConfiguration().get("val-fraction"));
    }
    assertEquals("train", a.metadata().trainedBy());
    assertTrue(b.metadata().trainedBy().startsWith("spark.ml "), b.metadata().trainedBy());

    ObjectMapper json = new ObjectMapper();
    JsonNode evalA = json.readTree(CommandLineTest.run(0, "evaluate", "--model", cli, "--data", data.toString(),
        "--json", "--master", "local[2]"));
    JsonNode evalB = json.readTree(CommandLineTest.run(0, "evaluate", "--model", ml, "--data", data.toString(),
        "--json", "--master", "local[2]"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) evalA).remove("model");
    ((com.fasterxml.jackson.databind.node.ObjectNode) evalB).remove("model");
    assertEquals(evalA, evalB, "the same evaluation, but for the model's path");
    assertTrue(evalA.get("accuracy").asDouble() > 0.95, evalA.toString());

    List<List<String>> pages = new ArrayList<>();
    for (String model : List.of(cli, ml)) {
      Path report = tmp.resolve("report-" + pages.size());
      CommandLineTest.run(0, "report", "--model", model, "--data", data.toString(), "--out", report.toString(),
          "--master", "local[2]");
      String html = Files.readString(report.resolve("index.html"));
      assertTrue(html.contains("<p>Training: " + store.read(model).metadata().metrics().steps() + " steps in"), html);
      try (Stream<Path> files = Files.list(report)) {
        pages.add(files.map(p -> p.getFileName().toString()).sorted().toList());
      }
      Path predictions = tmp.resolve("predictions-" + pages.size());
      CommandLineTest.run(0, "predict", "--model", model, "--data", data.toString(), "--out",
          predictions.toString(), "--master", "local[2]");
    }
    assertEquals(pages.get(0), pages.get(1), "the same report, with the loss and accuracy charts");
    assertEquals(Files.readString(tmp.resolve("predictions-1/part-00000")),
        Files.readString(tmp.resolve("predictions-2/part-00000")));
  }
}
