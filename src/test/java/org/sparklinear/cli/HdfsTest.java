package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.io.OutputKind;
import org.sparklinear.registry.ModelRegistry;

/** Data read from, and the model and predictions written to, a real HDFS through hdfs:// paths. */
class HdfsTest {
  @TempDir static Path base;
  static MiniDFSCluster dfs;
  static String uri;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base.toFile(), "dfs").getAbsolutePath());
    dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    dfs.waitActive();
    uri = "hdfs://127.0.0.1:" + dfs.getNameNodePort();
    FileSystem fs = dfs.getFileSystem();
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(TestSupport.samples().resolve("cifar").toString()),
        new org.apache.hadoop.fs.Path("/data/cifar"));
    // five images per class: every HDFS file creation is a pipeline round trip, 300 of them take half a minute
    for (String cls : org.sparklinear.samples.SampleImageGenerator.CLASSES) {
      for (int i = 1; i <= 5; i++) {
        String name = String.format("%04d.png", i);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(TestSupport.samples().resolve("images").resolve(cls)
            .resolve(name).toString()), new org.apache.hadoop.fs.Path("/data/images/" + cls + "/" + name));
      }
    }
  }

  @AfterAll
  static void stopHdfs() {
    if (dfs != null) {
      dfs.shutdown();
    }
  }

  @Test
  void trainEvaluateAndPredictWithHdfsPaths() throws Exception {
    String model = uri + "/models/softmax";
    CommandLineTest.run(0, "train", "--data", uri + "/data/cifar", "--model-out", model, "--epochs", "3",
        "--master", "local[2]");
    FileSystem fs = dfs.getFileSystem();
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/models/softmax/metadata.json")));
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/models/softmax/weights.bin")));
    assertEquals(1, fs.listStatus(new org.apache.hadoop.fs.Path("/models")).length, "no staging folder left");

    JsonNode eval = new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate", "--model", model, "--data",
        uri + "/data/images", "--json", "--master", "local[2]"));
    assertEquals(25, eval.get("examples").asLong());
    assertTrue(eval.get("accuracy").asDouble() > 0.9, eval.toString());

    CommandLineTest.run(0, "predict", "--model", model, "--data", uri + "/data/cifar/samples.bin", "--out",
        uri + "/predictions", "--master", "local[2]");
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/predictions/part-00000")));
    CommandLineTest.run(2, "train", "--data", uri + "/data/cifar", "--model-out", model, "--master", "local[2]");

    // --overwrite replaces our own predictions and model on HDFS, and leaves no staging or set-aside folder
    CommandLineTest.run(0, "predict", "--model", model, "--data", uri + "/data/cifar/samples.bin", "--out",
        uri + "/predictions", "--overwrite", "--master", "local[2]");
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/predictions/" + OutputKind.MARKER_FILE)));
    CommandLineTest.run(0, "train", "--data", uri + "/data/cifar", "--model-out", model, "--epochs", "1",
        "--overwrite", "--master", "local[2]");
    assertEquals(List.of("softmax"), Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path("/models")))
        .map(st -> st.getPath().getName()).toList());
  }

  @Test
  void outputsThatWouldTouchInputsOrForeignFilesAreRefusedOnHdfs() throws Exception {
    Path localModel = base.resolve("safety-model");
    CommandLineTest.run(0, "train", "--data", TestSupport.samples().resolve("cifar").toString(), "--model-out",
        localModel.toString(), "--epochs", "1", "--master", "local[2]");
    OutputSafetyMatrix matrix = new OutputSafetyMatrix(dfs.getFileSystem(), uri + "/safety", base.resolve("safety"),
        localModel, TestSupport.samples().resolve("cifar"), false);
    int cases = matrix.runAll();
    assertTrue(cases >= 140, cases + " cases");
  }

  @Test
  void retrainKeepsAVersionedRegistryOnHdfs() throws Exception {
    String registry = uri + "/registry";
    String[] common = {"retrain", "--registry", registry, "--data", uri + "/data/cifar", "--holdout",
        uri + "/data/images", "--epochs", "2", "--master", "local[2]"};
    CommandLineTest.SecondNight night = CommandLineTest.retrainTwice(common);
    JsonNode promoted = night.result();
    FileSystem fs = dfs.getFileSystem();
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path("/registry/CURRENT"))) {
      assertEquals("v000002", new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
    assertEquals(List.of("CURRENT", "v000001", "v000002"), Arrays.stream(
        fs.listStatus(new org.apache.hadoop.fs.Path("/registry"))).map(st -> st.getPath().getName()).sorted().toList(),
        "no lock, staging or temporary files are left");
    JsonNode replay = new ObjectMapper().readTree(CommandLineTest.run(0, night.args()));
    assertTrue(replay.get("replayed").asBoolean());

    // the lock is exclusive on HDFS too: of 8 runs racing for it, one wins
    ModelRegistry r = new ModelRegistry(registry, dfs.getConfiguration(0));
    assertEquals(1, org.sparklinear.registry.LockRace.winners(r, 8));
  }
}
