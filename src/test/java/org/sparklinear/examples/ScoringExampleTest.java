package org.sparklinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.data.ImageShape;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.LossKind;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.model.ModelStore;
import org.sparklinear.preprocess.Preprocessor;
import org.sparklinear.preprocess.Scaling;
import org.sparklinear.samples.SampleImageGenerator;

/** The README's Java scoring snippet is the code of {@link ScoringExample}, and that code runs. */
class ScoringExampleTest {

  /** The README's ```java block that loads a model with {@code LinearClassifier.load}. */
  private static List<String> readmeSnippet() throws IOException {
    List<String> snippet = new ArrayList<>();
    boolean inJava = false;
    for (String line : Files.readAllLines(TestSupport.projectDir().resolve("README.md"))) {
      if (line.startsWith("```")) {
        if (inJava && snippet.stream().anyMatch(l -> l.contains("LinearClassifier.load("))) {
          return snippet;
        }
        inJava = line.trim().equals("```java");
        snippet.clear();
      } else if (inJava && !line.isBlank()) {
        snippet.add(line.strip());
      }
    }
    throw new AssertionError("the README has no ```java block with LinearClassifier.load(");
  }

  @Test
  void theReadmeSnippetIsTheExampleCodeInOrder() throws IOException {
    List<String> source = Files.readAllLines(TestSupport.projectDir().resolve(
        "src/main/java/org/sparklinear/examples/ScoringExample.java")).stream().map(String::strip).toList();
    int at = 0;
    for (String line : readmeSnippet()) {
      int found = source.subList(at, source.size()).indexOf(line);
      assertTrue(found >= 0, "README snippet line not in ScoringExample.java (in this order): " + line);
      at += found + 1;
    }
  }

  @Test
  void theExampleScoresImageFilesWithoutSpark(@TempDir Path tmp) throws IOException {
    int d = ImageShape.CIFAR10.features();
    double[] params = new double[LinearWeights.parameterCount(5, d)];
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    Arrays.setAll(params, i -> r.nextGaussian() * 0.05);
    float[] scale = new float[d];
    Arrays.fill(scale, 255f);
    LinearClassifier model = new LinearClassifier(SampleImageGenerator.CLASSES, ImageShape.CIFAR10,
        new Preprocessor(Scaling.UNIT, new float[d], scale), LossKind.HINGE, 1.0, new LinearWeights(5, d, params),
        ModelMetadata.none());
    Path dir = tmp.resolve("model");
    new ModelStore(new Configuration()).write(model, dir.toString(), false);
    Path images = TestSupport.samples().resolve("images");
    List<String> files = List.of(images.resolve("circle/0001.png").toString(),
        images.resolve("stripes/0002.png").toString());
    List<String> lines = ScoringExample.score(dir.toString(), files);
    assertEquals(2, lines.size());
    for (int i = 0; i < files.size(); i++) {
      var p = model.predict(ImageIO.read(Path.of(files.get(i)).toFile()));
      assertEquals(files.get(i) + " " + p.className() + " " + Arrays.toString(p.scores()), lines.get(i));
    }
  }
}
