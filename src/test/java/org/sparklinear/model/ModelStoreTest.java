package org.sparklinear.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.BadInputException;
import org.sparklinear.data.ImageShape;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.LossKind;
import org.sparklinear.preprocess.Preprocessor;
import org.sparklinear.preprocess.Scaling;

class ModelStoreTest {
  @TempDir Path tmp;
  private final ModelStore store = new ModelStore(new Configuration());

  static LinearClassifier model(LossKind loss) {
    ImageShape shape = new ImageShape(3, 2, 2);
    SplittableRandom r = new SplittableRandom(1);
    double[] p = new double[LinearWeights.parameterCount(3, 12)];
    for (int i = 0; i < p.length; i++) {
      p[i] = r.nextDouble() - 0.5;
    }
    float[] mean = new float[12];
    float[] scale = new float[12];
    for (int i = 0; i < 12; i++) {
      mean[i] = 100 + i;
      scale[i] = 255;
    }
    return new LinearClassifier(List.of("a", "b", "c"), shape, new Preprocessor(Scaling.UNIT, mean, scale), loss, 1.0,
        new LinearWeights(3, 12, p), new ModelMetadata(Map.of("seed", "5"), "test", null, null, null, null, null,
        null, null, null, null, null));
  }

  @Test
  void roundTripKeepsEverything() throws IOException {
    LinearClassifier m = model(LossKind.SOFTMAX);
    String dir = tmp.resolve("m").toString();
    store.write(m, dir, false);
    LinearClassifier back = store.read(dir);
    assertEquals(m.classNames(), back.classNames());
    assertEquals(m.shape(), back.shape());
    assertEquals(m.preprocessor(), back.preprocessor());
    assertArrayEquals(m.weights().parameters(), back.weights().parameters(), 0.0);
    assertEquals("5", back.metadata().trainingConfiguration().get("seed"));
    assertEquals(m.metadata(), back.metadata());
    byte[] pixels = new byte[12];
    pixels[3] = (byte) 200;
    Prediction a = m.predict(pixels);
    Prediction b = back.predict(pixels);
    assertEquals(a.className(), b.className());
    assertArrayEquals(a.scores(), b.scores(), 0.0);
    assertEquals(1.0, b.probabilities()[0] + b.probabilities()[1] + b.probabilities()[2], 1e-12);
    try (var files = Files.list(tmp)) {
      assertEquals(1, files.count(), "no staging folder is left behind");
    }
  }

  @Test
  void hingeModelsHaveScoresButNoProbabilities() {
    Prediction p = model(LossKind.HINGE).predict(new byte[12]);
    assertEquals(3, p.scores().length);
    assertEquals(null, p.probabilities());
  }

  @Test
  void existingDirectoryIsKeptUnlessOverwriteIsGiven() throws IOException {
    String dir = tmp.resolve("m").toString();
    store.write(model(LossKind.SOFTMAX), dir, false);
    BadInputException e = assertThrows(BadInputException.class,
        () -> store.write(model(LossKind.HINGE), dir, false));
    assertTrue(e.getMessage().contains("--overwrite"));
    assertEquals(LossKind.SOFTMAX, store.read(dir).loss());
    store.write(model(LossKind.HINGE), dir, true);
    assertEquals(LossKind.HINGE, store.read(dir).loss());
  }

  @Test
  void corruptOrMismatchedFilesAreRefusedWithTheFileNamed() throws IOException {
    String dir = tmp.resolve("m").toString();
    store.write(model(LossKind.SOFTMAX), dir, false);
    Path weights = Path.of(dir, ModelStore.WEIGHTS_FILE);
    byte[] bytes = Files.readAllBytes(weights);
    bytes[40] ^= 1;
    Files.write(weights, bytes);
    BadInputException flipped = assertThrows(BadInputException.class, () -> store.read(dir));
    assertTrue(flipped.getMessage().contains("checksum") && flipped.getMessage().contains("weights.bin"),
        flipped.getMessage());

    Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 9));
    assertTrue(assertThrows(BadInputException.class, () -> store.read(dir)).getMessage().contains("bytes"));

    store.write(model(LossKind.SOFTMAX), dir, true);
    Path meta = Path.of(dir, ModelStore.METADATA_FILE);
    String json = Files.readString(meta);
    Files.writeString(meta, json.replace("\"height\" : 2", "\"height\" : 3"));
    BadInputException shape = assertThrows(BadInputException.class, () -> store.read(dir));
    assertTrue(shape.getMessage().contains("need"), shape.getMessage());

    Files.writeString(meta, "{not json");
    assertTrue(assertThrows(BadInputException.class, () -> store.read(dir)).getMessage().contains("JSON"));
    assertTrue(assertThrows(BadInputException.class, () -> store.read(tmp.resolve("none").toString()))
        .getMessage().contains("not a model directory"));
    assertFalse(Files.exists(tmp.resolve("none")));
  }
}
