package org.sparklinear.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.cli.Main;
import org.sparklinear.data.CifarBinaryFormat;
import org.sparklinear.data.ImageShape;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.features.FeatureTransform;
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
 * {@code export --format onnx} scores as the Spark-free scorer does (which is what {@code predict} runs per row), in
 * ONNX Runtime for Java: the same label for every image and scores (and softmax probabilities) within 1e-4, on the
 * 300 generated sample images for a softmax, a hinge and a random-features model and on feature vectors; HOG and
 * colour-histogram models are refused, naming the feature. Hand-built weights, saved and loaded through ModelStore.
 */
class OnnxExportTest {
  private static final double TOLERANCE = 1e-4;
  @TempDir static Path tmp;
  static List<LabeledImage> images;
  static OrtEnvironment ort;

  @BeforeAll
  static void readSamples() throws IOException {
    byte[] records = Files.readAllBytes(TestSupport.samples().resolve("cifar").resolve(
        SampleImageGenerator.SAMPLES_FILE));
    images = new ArrayList<>();
    for (int i = 0; i < records.length / CifarBinaryFormat.RECORD_BYTES; i++) {
      images.add(CifarBinaryFormat.decode(records, i * CifarBinaryFormat.RECORD_BYTES, 5, "samples.bin#" + i));
    }
    ort = OrtEnvironment.getEnvironment();
  }

  /** Exports through the command line; returns the exit code and what it said on stderr. */
  private static String export(int expectedExit, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      List<String> all = new ArrayList<>(List.of("export"));
      all.addAll(List.of(args));
      code = Main.run(all.toArray(String[]::new), System.out);
    } finally {
      System.setErr(originalErr);
    }
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(expectedExit, code, said);
    return said;
  }

  private static Path save(String name, LinearClassifier model) throws IOException {
    Path dir = tmp.resolve(name);
    new ModelStore(new Configuration()).write(model, dir.toString(), false);
    return dir;
  }

  private static double[] gaussians(int n, double sd, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian() * sd;
    }
    return v;
  }

  /** Per-feature mean and standard deviation (at least 1) of rows, as float32 statistics. */
  private static float[][] statistics(List<float[]> rows) {
    int d = rows.get(0).length;
    float[] mean = new float[d];
    float[] sd = new float[d];
    for (int i = 0; i < d; i++) {
      double sum = 0;
      double squares = 0;
      for (float[] row : rows) {
        sum += row[i];
        squares += row[i] * (double) row[i];
      }
      double m = sum / rows.size();
      mean[i] = (float) m;
      sd[i] = (float) Math.max(1, Math.sqrt(Math.max(0, squares / rows.size() - m * m)));
    }
    return new float[][] {mean, sd};
  }

  private static List<float[]> pixelRows() {
    return images.stream().map(img -> FeatureTransform.pixels().base(img.pixels(), ImageShape.CIFAR10)).toList();
  }

  private static LinearClassifier model(ImageShape shape, FeatureTransform features, Preprocessor preprocessor,
      LossKind loss, long seed) {
    int k = SampleImageGenerator.CLASSES.size();
    int d = preprocessor.features();
    return new LinearClassifier(SampleImageGenerator.CLASSES, shape, features, preprocessor, loss, 1.0,
        new LinearWeights(k, d, gaussians(LinearWeights.parameterCount(k, d), 0.05, seed)), ModelMetadata.none());
  }

  /**
   * Saves the model, exports it with the command, scores {@code inputs} with ONNX Runtime and with the loaded model,
   * and requires the same labels and scores (and probabilities) within the tolerance; returns the largest difference.
   */
  private static double exportAndCompare(String name, LinearClassifier built, List<LabeledImage> inputs,
      long[] inputShape) throws Exception {
    Path dir = save(name, built);
    Path onnx = tmp.resolve(name + ".onnx");
    export(0, "--model", dir.toString(), "--format", "onnx", "--out", onnx.toString());
    LinearClassifier model = LinearClassifier.load(dir.toString());
    int width = inputs.get(0).length();
    FloatBuffer values = FloatBuffer.allocate(inputs.size() * width);
    for (LabeledImage in : inputs) {
      for (int i = 0; i < width; i++) {
        values.put(in.pixels() != null ? in.pixel(i) : in.values()[i]);
      }
    }
    values.flip();
    boolean vectors = inputShape.length == 2;
    double largest = 0;
    try (OrtSession session = ort.createSession(Files.readAllBytes(onnx), new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(ort, values, inputShape);
        OrtSession.Result result = session.run(Map.of(vectors ? OnnxExporter.FEATURES_INPUT
            : OnnxExporter.IMAGE_INPUT, input))) {
      assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(model.classNames()),
          session.getMetadata().getCustomMetadata().get("class_names"));
      long[] labels = (long[]) result.get(OnnxExporter.LABEL_OUTPUT).orElseThrow().getValue();
      double[][] scores = (double[][]) result.get(OnnxExporter.SCORES_OUTPUT).orElseThrow().getValue();
      double[][] probabilities = result.get(OnnxExporter.PROBABILITIES_OUTPUT)
          .map(v -> {
            try {
              return (double[][]) v.getValue();
            } catch (ai.onnxruntime.OrtException e) {
              throw new IllegalStateException(e);
            }
          }).orElse(null);
      assertEquals(model.loss() == LossKind.SOFTMAX, probabilities != null, "probabilities for softmax only");
      assertEquals(inputs.size(), labels.length);
      for (int n = 0; n < inputs.size(); n++) {
        Prediction p = model.predict(inputs.get(n));
        String where = name + " " + inputs.get(n).source();
        assertEquals(p.classIndex(), labels[n], where);
        for (int c = 0; c < p.scores().length; c++) {
          largest = Math.max(largest, Math.abs(p.scores()[c] - scores[n][c]));
          if (probabilities != null) {
            largest = Math.max(largest, Math.abs(p.probabilities()[c] - probabilities[n][c]));
          }
        }
        assertTrue(largest <= TOLERANCE, where + ": ONNX differs from the scorer by " + largest);
      }
    }
    System.err.printf("ONNX export %s: %d inputs, the same labels, largest score difference %.3g%n", name,
        inputs.size(), largest);
    return largest;
  }

  private static long[] imageBatch() {
    return new long[] {images.size(), 3, 32, 32};
  }

  @Test
  void softmaxOnPixelsScoresTheSameInOnnxRuntime() throws Exception {
    float[] mean = statistics(pixelRows())[0];
    float[] scale = new float[mean.length];
    java.util.Arrays.fill(scale, 255f);
    exportAndCompare("softmax", model(ImageShape.CIFAR10, FeatureTransform.pixels(),
        new Preprocessor(Scaling.UNIT, mean, scale), LossKind.SOFTMAX, 1), images, imageBatch());
  }

  @Test
  void hingeOnStandardisedPixelsScoresTheSameInOnnxRuntime() throws Exception {
    float[][] stats = statistics(pixelRows());
    exportAndCompare("hinge", model(ImageShape.CIFAR10, FeatureTransform.pixels(),
        new Preprocessor(Scaling.STANDARDIZE, stats[0], stats[1]), LossKind.HINGE, 2), images, imageBatch());
  }

  @Test
  void randomReluFeaturesScoreTheSameInOnnxRuntime() throws Exception {
    float[][] input = statistics(pixelRows());
    FeatureTransform random = FeatureTransform.parse("pixels", 64, 11).withInputStatistics(input[0], input[1]);
    float[][] stats = statistics(images.stream().map(img -> random.apply(img.pixels(), ImageShape.CIFAR10))
        .toList());
    exportAndCompare("random-features", model(ImageShape.CIFAR10, random,
        new Preprocessor(Scaling.STANDARDIZE, stats[0], stats[1]), LossKind.SOFTMAX, 3), images, imageBatch());
  }

  @Test
  void featureVectorModelsTakeTheVectorAsInput() throws Exception {
    SplittableRandom r = new SplittableRandom(5);
    List<LabeledImage> vectors = new ArrayList<>();
    for (int n = 0; n < 100; n++) {
      float[] v = new float[6];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (r.nextGaussian() * 10 + i);
      }
      vectors.add(LabeledImage.ofFeatures("row" + n, -1, v));
    }
    float[][] stats = statistics(vectors.stream().map(LabeledImage::values).toList());
    exportAndCompare("vectors", model(new ImageShape(1, 1, 6), FeatureTransform.pixels(),
        new Preprocessor(Scaling.STANDARDIZE, stats[0], stats[1]), LossKind.CRAMMER_SINGER, 4), vectors,
        new long[] {vectors.size(), 6});
  }

  @Test
  void hogAndColourHistogramModelsAreRefusedNamingTheFeature() throws Exception {
    for (String spec : List.of("hog+color-hist", "color-hist")) {
      FeatureTransform features = FeatureTransform.parse(spec, 0, 0);
      int d = features.outputSize(ImageShape.CIFAR10);
      float[] scale = new float[d];
      java.util.Arrays.fill(scale, 1f);
      Path dir = save(spec, model(ImageShape.CIFAR10, features, new Preprocessor(Scaling.STANDARDIZE, new float[d],
          scale), LossKind.HINGE, 6));
      Path onnx = tmp.resolve(spec + ".onnx");
      String said = export(2, "--model", dir.toString(), "--out", onnx.toString());
      String named = spec.startsWith("hog") ? "hog" : "color-hist";
      assertTrue(said.contains("cannot export a model with the feature '" + named + "'"), said);
      assertFalse(Files.exists(onnx), "nothing is written");
    }
  }

  @Test
  void exportRefusesToOverwriteOrToWriteIntoTheModelAndReplacesOnlyItsOwnFile() throws Exception {
    Path dir = save("guarded", model(new ImageShape(1, 1, 3), FeatureTransform.pixels(),
        new Preprocessor(Scaling.STANDARDIZE, new float[3], new float[] {1, 1, 1}), LossKind.SOFTMAX, 7));
    Path onnx = tmp.resolve("guarded.onnx");
    export(0, "--model", dir.toString(), "--out", onnx.toString());
    byte[] first = Files.readAllBytes(onnx);
    assertTrue(export(2, "--model", dir.toString(), "--out", onnx.toString()).contains("pass --overwrite"));
    export(0, "--model", dir.toString(), "--out", onnx.toString(), "--overwrite");
    assertEquals(first.length, Files.readAllBytes(onnx).length);
    assertTrue(export(2, "--model", dir.toString(), "--out", dir.resolve("model.onnx").toString())
        .contains("lies inside input --model"));
    Path foreign = Files.writeString(tmp.resolve("notes.onnx"), "someone else's file");
    assertTrue(export(2, "--model", dir.toString(), "--out", foreign.toString(), "--overwrite")
        .contains("not an ONNX model exported by this job"));
    assertEquals("someone else's file", Files.readString(foreign));
    assertTrue(export(2, "--model", dir.toString(), "--out", tmp.resolve("x.pmml").toString(), "--format", "pmml")
        .contains("the only export format is onnx"));
  }
}
