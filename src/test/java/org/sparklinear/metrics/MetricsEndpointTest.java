package org.sparklinear.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.data.ReadOptions;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.pipeline.PreparedData;
import org.sparklinear.pipeline.TrainingPipeline;
import org.sparklinear.train.TrainingConfig;
import org.sparklinear.train.TrainingListener;

/**
 * A real local-mode driver with its UI on 127.0.0.1, the plugin, and the metrics configuration of
 * conf/metrics.properties (its Prometheus servlet): the gauges Spark serves over HTTP are the trainer's own figures,
 * during and after training.
 * Its own context (the UI and plugins are fixed when a context starts), stopped at the end like every Spark test's.
 */
class MetricsEndpointTest {
  private static final Pattern GAUGE = Pattern.compile(
      "^metrics_.+_driver_plugin_org_sparklinear_metrics_TrainingMetricsPlugin_(\\w+)_Value\\{type=\"gauges\"\\}"
          + " (\\S+)$",
      Pattern.MULTILINE);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void theDriversPrometheusEndpointServesTheTrainersFigures(@TempDir Path dir) throws Exception {
    Path data = TestSupport.blobsLibSvm(dir.resolve("blobs.libsvm"), 120, 5);
    SparkConf conf = TestSupport.localSparkConf(2).set("spark.ui.enabled", "true").set("spark.ui.port", "0")
        .set("spark.plugins", TrainingMetricsPlugin.class.getName())
        .set("spark.metrics.conf", TestSupport.projectDir().resolve("conf/metrics.properties").toString());
    JavaSparkContext sc = new JavaSparkContext(conf);
    try {
      URI endpoint = URI.create(sc.sc().uiWebUrl().get() + "/metrics/prometheus/");
      assertTrue(endpoint.getHost().equals("127.0.0.1"), endpoint.toString());
      Map<String, String> before = gauges(endpoint);
      assertEquals("NaN", before.get(TrainingGauges.LOSS), "no step yet: " + before);

      TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(20).validationFraction(0.25).seed(3)
          .logEvery(1000).build();
      List<String> problems = new ArrayList<>();
      // while training: after step 3 the endpoint already serves that step's loss
      TrainingListener during = new TrainingListener() {
        @Override
        public void afterStep(long step, int epoch, double loss, long examples, LinearWeights weights) {
          if (step == 3) {
            Map<String, String> now = gauges(endpoint);
            if (!Double.toString(loss).equals(now.get(TrainingGauges.LOSS)) || !"3".equals(now.get(
                TrainingGauges.STEP))) {
              problems.add("after step 3 (loss " + loss + ") the endpoint served " + now);
            }
          }
        }
      };
      TrainingPipeline pipeline = new TrainingPipeline(sc, config).listener(during);
      LinearClassifier model;
      try (PreparedData prepared = pipeline.read(data.toString(), new ReadOptions(null, 2, null, 3, false,
          40_000_000L, null))) {
        model = pipeline.train(prepared);
      }
      assertEquals(List.of(), problems);

      Map<String, String> after = gauges(endpoint);
      ModelMetadata metadata = model.metadata();
      List<Double> stepLoss = metadata.stepLoss();
      ModelMetadata.Epoch last = metadata.history().get(metadata.history().size() - 1);
      assertEquals(stepLoss.get(stepLoss.size() - 1), Double.parseDouble(after.get(TrainingGauges.LOSS)), 0.0,
          after.toString());
      assertEquals(last.trainingLoss(), Double.parseDouble(after.get(TrainingGauges.EPOCH_LOSS)), 0.0);
      assertEquals(last.validationAccuracy(), Double.parseDouble(after.get(TrainingGauges.VALIDATION_ACCURACY)),
          0.0);
      assertEquals(Long.toString(metadata.metrics().steps()), after.get(TrainingGauges.STEP));
      assertEquals("2", after.get(TrainingGauges.EPOCH));
      assertTrue(Double.parseDouble(after.get(TrainingGauges.EXAMPLES_PER_SECOND)) > 0, after.toString());
      assertTrue(Double.parseDouble(after.get(TrainingGauges.STEP_SECONDS)) > 0, after.toString());
    } finally {
      sc.stop();
    }
    assertSame(TrainingListener.NONE, TrainingMetricsPlugin.listener(sc.sc()), "a stopped context's gauges are gone");
  }

  /** This plugin's gauges as the driver's Prometheus endpoint serves them, by name. */
  private static Map<String, String> gauges(URI endpoint) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      Map<String, String> found = new HashMap<>();
      Matcher m = GAUGE.matcher(response.body());
      while (m.find()) {
        found.put(m.group(1), m.group(2));
      }
      assertTrue(found.containsKey(TrainingGauges.LOSS), () -> "no training gauges at " + endpoint + ":\n"
          + response.body());
      return found;
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(endpoint + ": " + e, e);
    }
  }
}
