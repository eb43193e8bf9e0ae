package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.data.ImageShape;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.LossKind;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.model.ModelStore;
import org.sparklinear.model.Prediction;
import org.sparklinear.preprocess.Preprocessor;
import org.sparklinear.preprocess.Scaling;
import org.sparklinear.samples.SampleImageGenerator;

/**
 * Scoring without Spark ({@link LinearClassifier#load}, {@code predict}) gives what the {@code predict} command writes,
 * and {@code predict --unlabelled} reads image files outside class folders. A hand-built model (no training).
 */
class ServingTest {
  @TempDir static Path tmp;
  static Path model;
  static final Path IMAGES = TestSupport.samples().resolve("images");

  @BeforeAll
  static void saveModel() throws IOException {
    int d = ImageShape.CIFAR10.features();
    int k = SampleImageGenerator.CLASSES.size();
    SplittableRandom r = new SplittableRandom(7);
    double[] params = new double[LinearWeights.parameterCount(k, d)];
    for (int i = 0; i < params.length; i++) {
      params[i] = r.nextGaussian() * 0.05;
    }
    float[] mean = new float[d];
    float[] scale = new float[d];
    for (int i = 0; i < d; i++) {
      mean[i] = 60 + r.nextInt(100);
      scale[i] = 255f;
    }
    LinearClassifier m = new LinearClassifier(SampleImageGenerator.CLASSES, ImageShape.CIFAR10,
        new Preprocessor(Scaling.UNIT, mean, scale), LossKind.SOFTMAX, 1.0, new LinearWeights(k, d, params),
        ModelMetadata.none());
    model = tmp.resolve("model");
    new ModelStore(new Configuration()).write(m, model.toString(), false);
  }

  /** {@code class/file} of every sample PNG to its prediction by the Spark-free scorer. */
  private static Map<String, Prediction> scoreWithoutSpark(List<Path> files, Path root) throws IOException {
    assertTrue(org.apache.spark.SparkContext$.MODULE$.getActive().isEmpty(), "no SparkContext may be running before");
    LinearClassifier loaded = LinearClassifier.load(model.toString());
    Map<String, Prediction> predictions = new HashMap<>();
    for (Path f : files) {
      predictions.put(root.relativize(f).toString(), loaded.predict(ImageIO.read(f.toFile())));
    }
    assertTrue(org.apache.spark.SparkContext$.MODULE$.getActive().isEmpty(), "scoring started no SparkContext");
    return predictions;
  }

  private static List<Path> sampleImages() throws IOException {
    try (Stream<Path> s = Files.walk(IMAGES)) {
      return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }

  private static List<JsonNode> predictLines(Path out) throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> parts = Files.list(out)) {
      return parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted()
          .flatMap(p -> {
            try {
              return Files.readAllLines(p).stream();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).map(line -> {
            try {
              return json.readTree(line);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).toList();
    }
  }

  private static void assertSame(Prediction expected, JsonNode line) {
    String where = line.get("source").asText();
    assertEquals(expected.className(), line.get("predicted").asText(), where);
    double[] scores = new double[expected.scores().length];
    double[] probabilities = new double[scores.length];
    for (int c = 0; c < scores.length; c++) {
      scores[c] = line.get("scores").get(c).asDouble();
      probabilities[c] = line.get("probabilities").get(c).asDouble();
    }
    assertArrayEquals(expected.scores(), scores, 0.0, where); // the same code on the same pixels: the same bits
    assertArrayEquals(expected.probabilities(), probabilities, 0.0, where);
  }

  @Test
  void theSparkFreeScorerGivesWhatPredictWrites() throws IOException {
    List<Path> files = sampleImages();
    assertEquals(300, files.size());
    Map<String, Prediction> expected = scoreWithoutSpark(files, IMAGES);
    Path out = tmp.resolve("predictions");
    CommandLineTest.run(0, "predict", "--model", model.toString(), "--data", IMAGES.toString(), "--out",
        out.toString(), "--master", "local[2]");
    List<JsonNode> lines = predictLines(out);
    assertEquals(300, lines.size());
    for (JsonNode line : lines) {
      assertSame(expected.get(line.get("source").asText()), line);
    }
  }

  @Test
  void predictReadsUnlabelledImagesFromAFlatFolderOrAGlob() throws IOException {
    Path flat = Files.createDirectories(tmp.resolve("flat"));
    List<Path> copies = new java.util.ArrayList<>();
    for (Path f : sampleImages().subList(0, 300).stream().filter(p -> p.getFileName().toString().compareTo("0004")
        < 0).toList()) {
      copies.add(Files.copy(f, flat.resolve(f.getParent().getFileName() + "-" + f.getFileName())));
    }
    Files.writeString(flat.resolve("notes.txt"), "not an image: ignored");
    assertEquals(15, copies.size());
    Map<String, Prediction> expected = scoreWithoutSpark(copies, flat);
    Path out = tmp.resolve("flat-predictions");
    CommandLineTest.run(0, "predict", "--unlabelled", "--model", model.toString(), "--data", flat.toString(),
        "--out", out.toString(), "--master", "local[2]");
    List<JsonNode> lines = predictLines(out);
    assertEquals(15, lines.size());
    for (JsonNode line : lines) {
      assertTrue(line.get("actual").isNull(), line.toString());
      assertSame(expected.get(line.get("source").asText()), line);
    }

    // a glob over two class folders: examples are named by their path below the folder the matches share
    Path globOut = tmp.resolve("glob-predictions");
    CommandLineTest.run(0, "predict", "--unlabelled", "--model", model.toString(), "--data",
        IMAGES + "/{circle,stripes}/000[12].png", "--out", globOut.toString(), "--master", "local[2]");
    List<JsonNode> globLines = predictLines(globOut);
    Map<String, Prediction> all = scoreWithoutSpark(sampleImages(), IMAGES);
    assertEquals(List.of("circle/0001.png", "circle/0002.png", "stripes/0001.png", "stripes/0002.png"),
        globLines.stream().map(n -> n.get("source").asText()).sorted().toList());
    globLines.forEach(line -> assertSame(all.get(line.get("source").asText()), line));
  }

  @Test
  void anUndecodableUnlabelledImageIsNamedAndNothingIsWritten() throws IOException {
    Path flat = Files.createDirectories(tmp.resolve("with-broken"));
    Files.copy(IMAGES.resolve("circle/0001.png"), flat.resolve("a.png"));
    Path broken = Files.write(flat.resolve("broken.png"), "not a PNG".getBytes(StandardCharsets.UTF_8));
    Path out = tmp.resolve("never");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      CommandLineTest.run(ExitCode.BAD_INPUT, "predict", "--unlabelled", "--model", model.toString(), "--data",
          flat.toString(), "--out", out.toString(), "--master", "local[2]");
    } finally {
      System.setErr(originalErr);
    }
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("error: file:" + broken + ": not a readable image"), message);
    assertFalse(Files.exists(out));
    try (Stream<Path> left = Files.list(tmp)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".never")), "no staging folder is left");
    }
  }
}
