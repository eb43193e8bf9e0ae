package org.sparklinear.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.BadInputException;

class OutputGuardTest {
  @TempDir java.nio.file.Path tmp;
  final FileSystem fs = local();

  private static FileSystem local() {
    try {
      return FileSystem.getLocal(new Configuration()).getRaw();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path dir(String name, String... files) throws IOException {
    java.nio.file.Path d = Files.createDirectories(tmp.resolve(name));
    for (String f : files) {
      Files.createDirectories(d.resolve(f).getParent());
      Files.writeString(d.resolve(f), f.equals("metadata.json") ? "{\"formatVersion\":1,\"classNames\":[\"a\"]}" : "x");
    }
    return new Path(d.toString());
  }

  @Test
  void eachKindRecognisesOnlyItsOwnOutput() throws IOException {
    assertNull(OutputKind.MODEL.whyNotOurs(fs, dir("model", "metadata.json", "weights.bin")));
    assertTrue(OutputKind.MODEL.whyNotOurs(fs, dir("images", "cat/1.png", "dog/2.png")).contains("'cat'"));
    assertNull(OutputKind.REGISTRY.whyNotOurs(fs, dir("registry", "CURRENT", "v000001/version.json", "LOCK")));
    assertTrue(OutputKind.REGISTRY.whyNotOurs(fs, dir("almost", "CURRENT", "thesis.pdf")).contains("'thesis.pdf'"));
    assertNull(OutputKind.CHECKPOINTS.whyNotOurs(fs, dir("ckpt", "step-0000000100.ckpt", ".step-0000000200.ckpt.tmp")));
    assertNull(OutputKind.CHECKPOINTS.whyNotOurs(fs, dir("empty")));
    Path predictions = dir("predictions", "part-00000");
    assertTrue(OutputKind.PREDICTIONS.whyNotOurs(fs, predictions).contains(OutputKind.MARKER_FILE));
    OutputKind.REPORT.writeMarker(fs, predictions);
    assertTrue(OutputKind.PREDICTIONS.whyNotOurs(fs, predictions).contains("report"), "another kind's output");
    OutputKind.PREDICTIONS.writeMarker(fs, predictions);
    assertNull(OutputKind.PREDICTIONS.whyNotOurs(fs, predictions));

    java.nio.file.Path metrics = tmp.resolve("metrics.jsonl");
    Files.writeString(metrics, "{\"type\":\"step\",\"step\":1}\n");
    assertNull(OutputKind.METRICS_FILE.whyNotOurs(fs, new Path(metrics.toString())));
    Files.writeString(metrics, "name,accuracy\n");
    assertTrue(OutputKind.METRICS_FILE.whyNotOurs(fs, new Path(metrics.toString())).contains("not a metrics file"));
    assertTrue(OutputKind.MODEL.whyNotOurs(fs, new Path(metrics.toString())).contains("it is a file"));
  }

  @Test
  void ownOutputNeedsOverwriteAndAnEmptyDirectoryDoesNot() throws IOException {
    Path model = dir("model", "metadata.json", "weights.bin");
    BadInputException e = assertThrows(BadInputException.class,
        () -> OutputGuard.checkReplaceable(fs, model, OutputKind.MODEL, false, "--model-out m"));
    assertTrue(e.getMessage().contains("pass --overwrite"), e.getMessage());
    OutputGuard.checkReplaceable(fs, model, OutputKind.MODEL, true, "--model-out m");
    OutputGuard.checkReplaceable(fs, dir("empty"), OutputKind.MODEL, false, "--model-out e");
    OutputGuard.checkReplaceable(fs, dir("registry", "CURRENT"), OutputKind.REGISTRY, false, "--registry r");
  }

  @Test
  void overlapsAreNamedWithBothPaths() throws IOException {
    Path data = dir("data", "a.bin");
    Configuration conf = new Configuration();
    BadInputException e = assertThrows(BadInputException.class, () -> OutputGuard.check(
        List.of(new OutputGuard.Input("data", data.toString())),
        List.of(new OutputGuard.Output("model-out", data + "/model", OutputKind.MODEL)), true, conf));
    assertEquals("--model-out " + data + "/model lies inside input --data " + data
        + ": an output may not overlap an input of the same command; nothing was written", e.getMessage());
    e = assertThrows(BadInputException.class, () -> OutputGuard.check(List.of(), List.of(
        new OutputGuard.Output("model-out", tmp + "/m", OutputKind.MODEL),
        new OutputGuard.Output("report", tmp + "/m", OutputKind.REPORT)), true, conf));
    assertTrue(e.getMessage().contains("is the same path as output --report"), e.getMessage());
    OutputGuard.check(List.of(new OutputGuard.Input("data", data.toString())),
        List.of(new OutputGuard.Output("model-out", tmp + "/data-model", OutputKind.MODEL)), false, conf);
  }

  @Test
  void aFailedReplacementPutsTheOldDirectoryBack() throws IOException {
    Path target = dir("model", "metadata.json", "weights.bin");
    Path missingStaging = new Path(tmp.resolve(".model.tmp-gone").toString());
    assertThrows(IOException.class, () -> HadoopFiles.replaceDirectory(fs, missingStaging, target));
    assertTrue(Files.exists(tmp.resolve("model/weights.bin")), "the old output is back in place");
    try (var s = Files.list(tmp)) {
      assertEquals(List.of(tmp.resolve("model")), s.toList(), "nothing set aside is left");
    }

    Path staging = dir(".model.tmp-new", "metadata.json", "weights.bin", "extra");
    HadoopFiles.replaceDirectory(fs, staging, target);
    assertTrue(Files.exists(tmp.resolve("model/extra")));
    try (var s = Files.list(tmp)) {
      assertEquals(List.of(tmp.resolve("model")), s.toList());
    }
  }
}
