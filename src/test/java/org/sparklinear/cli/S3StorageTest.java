package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparklinear.BadInputException;
import org.sparklinear.TestSupport;
import org.sparklinear.io.OutputKind;
import org.sparklinear.io.S3TestServer;
import org.sparklinear.registry.ModelRegistry;

/**
 * Data read from, and the model, checkpoints and predictions written to, a real S3 server (S3Proxy, in the test
 * JVM) through s3a:// paths; and a registry refused there, because S3Proxy ignores conditional writes.
 */
class S3StorageTest {
  static S3TestServer s3;
  static FileSystem fs;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3TestServer.s3proxy("slc-s3proxy");
    s3.applyToSpark();
    fs = FileSystem.get(URI.create(s3.uri("")), s3.hadoopConf());
    s3.upload(fs, TestSupport.samples().resolve("cifar"), "data/cifar");
  }

  @AfterAll
  static void stopS3() throws Exception {
    S3TestServer.stop(s3, fs);
  }

  @Test
  void trainEvaluateAndPredictWithS3aPaths() throws Exception {
    String data = s3.uri("data/cifar");
    String model = s3.uri("models/softmax");
    CommandLineTest.run(0, "train", "--data", data, "--model-out", model, "--epochs", "2", "--checkpoint-dir",
        s3.uri("checkpoints"), "--master", "local[2]");
    assertEquals(List.of("metadata.json", "weights.bin"), s3.names(fs, "models/softmax"));
    assertEquals(List.of("softmax"), s3.names(fs, "models"), "no staging folder left");
    assertTrue(s3.names(fs, "checkpoints").stream().allMatch(n -> n.matches("step-\\d+\\.ckpt")), s3.names(fs, "checkpoints")
        .toString());
    assertFalse(s3.names(fs, "checkpoints").isEmpty());

    JsonNode eval = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", model, "--data", data,
        "--json", "--master", "local[2]"));
    assertEquals(300, eval.get("examples").asLong());
    assertTrue(eval.get("accuracy").asDouble() > 0.8, eval.toString()); // 2 epochs on the training images

    String predictions = s3.uri("predictions");
    CommandLineTest.run(0, "predict", "--model", model, "--data", data, "--out", predictions, "--master",
        "local[2]");
    assertTrue(fs.exists(s3.path("predictions/part-00000")));
    CommandLineTest.run(2, "train", "--data", data, "--model-out", model, "--master", "local[2]");

    // --overwrite replaces our own outputs on S3 too (renames are copies there), leaving no staging or old copies
    CommandLineTest.run(0, "predict", "--model", model, "--data", data, "--out", predictions, "--overwrite",
        "--output-format", "csv", "--master", "local[2]");
    assertTrue(fs.exists(s3.path("predictions/" + OutputKind.MARKER_FILE)));
    assertTrue(new String(fs.open(s3.path("predictions/part-00000")).readNBytes(7)).startsWith("source,"));
    long before = fs.getFileStatus(s3.path("models/softmax/weights.bin")).getModificationTime();
    CommandLineTest.run(0, "train", "--data", data, "--model-out", model, "--epochs", "1", "--overwrite",
        "--master", "local[2]");
    assertEquals(List.of("softmax"), s3.names(fs, "models"));
    assertEquals(List.of("metadata.json", "weights.bin"), s3.names(fs, "models/softmax"));
    assertTrue(fs.getFileStatus(s3.path("models/softmax/weights.bin")).getModificationTime() >= before);
    assertEquals(List.of("checkpoints", "data", "models", "predictions"), s3.names(fs, ""));
  }

  @Test
  void aRegistryOnAStoreThatIgnoresConditionalWritesIsRefused() throws Exception {
    String registry = s3.uri("registry");
    CommandLineTest.run(2, "retrain", "--registry", registry, "--data", s3.uri("data/cifar"), "--holdout",
        s3.uri("data/cifar"), "--master", "local[2]");
    BadInputException refused = assertThrows(BadInputException.class,
        () -> new ModelRegistry(registry, s3.hadoopConf()).lock("by-hand", Duration.ofMinutes(1)));
    assertTrue(refused.getMessage().contains("ignored a conditional write")
        && refused.getMessage().contains("cannot hold a model registry"), refused.getMessage());
    assertFalse(fs.exists(s3.path("registry/LOCK")));
    assertFalse(fs.exists(s3.path("registry/CURRENT")));
    assertTrue(!fs.exists(s3.path("registry")) || s3.names(fs, "registry").isEmpty(), "nothing left in the registry");
  }
}
