package org.sparklinear.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.ImageShape;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.model.ModelStore;
import org.sparklinear.train.TrainingConfig;

/**
 * The defaults on data far from CIFAR-10: 1,600 small grey 8x8 images of 8 classes, each class a pattern under
 * noise. The data comes from a known model (Gaussian noise around one mean image per class), so the best any
 * classifier can do is known: the nearest true mean, the Bayes rule (0.955 here). On data drawn the same way a
 * converged L2 logistic regression (scikit-learn, lbfgs, C=1) reaches 0.92, with the best C 0.95: the defaults must
 * come within 3 points of the Bayes rule with no tuning, softmax and hinge.
 */
class DefaultSettingsTest {
  private static final ImageShape SHAPE = new ImageShape(1, 8, 8);
  private static final int CLASSES = 8;
  private static final double NOISE = 35;
  private static JavaSparkContext sc;
  private static double[][] means;

  @BeforeAll
  static void start() {
    sc = TestSupport.localSpark(2);
    SplittableRandom r = new SplittableRandom(3);
    means = new double[CLASSES][SHAPE.features()];
    for (double[] m : means) {
      for (int i = 0; i < m.length; i++) {
        m[i] = 128 + (r.nextBoolean() ? 15 : -15);
      }
    }
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private static List<LabeledImage> images(String name, int count, long seed) {
    return images(name, count, seed, false);
  }

  /** With {@code eitherWayRound}, each image is its class's pattern or that pattern's mirror image, by a coin. */
  private static List<LabeledImage> images(String name, int count, long seed, boolean eitherWayRound) {
    SplittableRandom r = new SplittableRandom(seed);
    List<LabeledImage> images = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      int label = n % CLASSES;
      byte[] pixels = new byte[SHAPE.features()];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (byte) Math.max(0, Math.min(255, Math.round(means[label][i] + NOISE * gaussian(r))));
      }
      if (eitherWayRound && r.nextBoolean()) {
        pixels = mirrorImage(pixels);
      }
      images.add(new LabeledImage(name + "#" + n, label, pixels));
    }
    return images;
  }

  private static byte[] mirrorImage(byte[] pixels) {
    byte[] out = new byte[pixels.length];
    for (int y = 0; y < SHAPE.height(); y++) {
      for (int x = 0; x < SHAPE.width(); x++) {
        out[y * SHAPE.width() + x] = pixels[y * SHAPE.width() + SHAPE.width() - 1 - x];
      }
    }
    return out;
  }

  private static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  private static ImageDataset dataset(List<LabeledImage> images) {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < CLASSES; c++) {
      names.add("class" + c);
    }
    return new ImageDataset(sc.parallelize(images, 2), names, SHAPE, images.size(),
        sc.sc().longAccumulator(), "grey 8x8 patterns");
  }

  private static LinearClassifier train(TrainingConfig config, List<LabeledImage> images) {
    TrainingPipeline pipeline = new TrainingPipeline(sc, config);
    try (PreparedData prepared = pipeline.prepare(dataset(images), "generated")) {
      return pipeline.train(prepared);
    }
  }

  private static double accuracy(LinearClassifier model, List<LabeledImage> test) {
    long right = test.stream().filter(img -> model.predict(img).classIndex() == img.label()).count();
    return (double) right / test.size();
  }

  /** The Bayes rule of the generating model: the nearest mean image (the noise is the same in every pixel). */
  private static double bayesAccuracy(List<LabeledImage> test) {
    int right = 0;
    for (LabeledImage img : test) {
      int best = 0;
      double bestDistance = Double.MAX_VALUE;
      for (int c = 0; c < CLASSES; c++) {
        double d = 0;
        for (int i = 0; i < SHAPE.features(); i++) {
          double diff = img.pixel(i) - means[c][i];
          d += diff * diff;
        }
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      right += best == img.label() ? 1 : 0;
    }
    return (double) right / test.size();
  }

  private static Map<String, ModelMetadata.Choice> choices(LinearClassifier model) {
    List<ModelMetadata.Choice> automatic = model.metadata().automatic();
    return automatic == null ? Map.of()
        : automatic.stream().collect(Collectors.toMap(ModelMetadata.Choice::setting, c -> c));
  }

  @Test
  void defaultsTrainSmallGreyImagesToNearTheBestPossibleAccuracy(@TempDir Path dir) throws Exception {
    List<LabeledImage> test = images("test", 1600, 2);
    List<LabeledImage> train = images("train", 1600, 1);
    double reach = bayesAccuracy(test) - 0.03;
    for (String loss : List.of("softmax", "hinge")) {
      LinearClassifier model = train(TrainingConfig.builder().set("loss", loss).build(), train);
      double accuracy = accuracy(model, test);
      assertTrue(accuracy >= reach, loss + ": " + accuracy + " against " + reach);

      Map<String, ModelMetadata.Choice> chosen = choices(model);
      assertEquals("64", chosen.get("batch-size").value());
      ModelMetadata.Choice lr = chosen.get("lr");
      assertEquals(5, lr.candidates().size(), lr.toString());
      assertTrue(lr.candidates().containsKey(lr.value()), lr.toString());
      assertTrue(lr.reason().contains("validation loss"), lr.reason());
      assertEquals(Double.parseDouble(lr.value()),
          Double.parseDouble(model.metadata().trainingConfiguration().get("lr")));

      // the choices are stored with the model and read back
      String out = dir.resolve(loss).toString();
      new ModelStore(sc.hadoopConfiguration()).write(model, out, false);
      assertEquals(model.metadata().automatic(),
          new ModelStore(sc.hadoopConfiguration()).read(out).metadata().automatic());
    }
  }

  @Test
  void explicitSettingsWinAndNothingIsSearched() {
    TrainingConfig config = TrainingConfig.builder().set("lr", "0.05").set("epochs", "2").set("batch-size", "100")
        .build();
    LinearClassifier model = train(config, images("train", 400, 1));
    Map<String, String> trained = model.metadata().trainingConfiguration();
    assertEquals("0.05", trained.get("lr"));
    assertEquals("2", trained.get("epochs"));
    assertEquals("100", trained.get("batch-size"));
    assertFalse(choices(model).containsKey("lr"));
    assertFalse(choices(model).containsKey("epochs"));
    assertEquals(8L, model.metadata().metrics().steps()); // 2 epochs of 4 steps: no search took any
  }

  /**
   * The searches score their candidates on the driver in the {@code driver} step mode and with a Spark job in the
   * {@code jobs} mode: the same losses to the last bit, so the same choices and the same model.
   */
  @Test
  void theSearchesChooseAlikeInBothStepModes() {
    List<LabeledImage> images = images("train", 800, 1);
    List<LinearClassifier> models = new ArrayList<>();
    for (String mode : List.of("jobs", "driver")) {
      models.add(train(TrainingConfig.builder().set("reg", "auto").set("epochs", "4").set("val-fraction", "0.2")
          .set("step-mode", mode).build(), images));
    }
    Map<String, ModelMetadata.Choice> jobs = choices(models.get(0));
    Map<String, ModelMetadata.Choice> driver = choices(models.get(1));
    for (String setting : List.of("lr", "reg")) {
      assertTrue(jobs.containsKey(setting), setting + " was searched: " + jobs);
      assertEquals(jobs.get(setting).candidates(), driver.get(setting).candidates(), setting);
      assertEquals(jobs.get(setting).value(), driver.get(setting).value(), setting);
    }
    assertArrayEquals(models.get(0).weights().parameters(), models.get(1).weights().parameters(), 0.0);
  }

  @Test
  void regAutoPicksAStrengthOfTheGridByValidationLoss() {
    TrainingConfig config = TrainingConfig.builder().set("reg", "auto").set("lr", "0.1").set("epochs", "3")
        .set("val-fraction", "0.2").build();
    LinearClassifier model = train(config, images("train", 800, 1));
    ModelMetadata.Choice reg = choices(model).get("reg");
    assertEquals(List.of("0.0", "1.0E-4", "0.001", "0.01"), List.copyOf(reg.candidates().keySet()));
    assertTrue(reg.candidates().containsKey(reg.value()), reg.toString());
    double best = reg.candidates().values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    assertEquals(best, reg.candidates().get(reg.value()));
    assertEquals(reg.value(), model.metadata().trainingConfiguration().get("reg"));
  }

  /**
   * {@code --mirror auto} on images that come either way round (as photos do) and on images that do not (as
   * digits): symmetric templates where they lose nothing, the trained ones where they would lose what tells a
   * pattern from its mirror image. Both by the validation loss, stored with both candidates.
   */
  @Test
  void mirrorSymmetryIsChosenWhereImagesComeEitherWayRoundAndOnlyThere() {
    TrainingConfig config = TrainingConfig.builder().set("val-fraction", "0.2").build();
    LinearClassifier eitherWay = train(config, images("train", 1600, 1, true));
    ModelMetadata.Choice chosen = choices(eitherWay).get("mirror");
    assertEquals("true", chosen.value(), chosen.toString());
    assertTrue(chosen.candidates().get("true") < chosen.candidates().get("false"), chosen.toString());
    assertEquals("true", eitherWay.metadata().trainingConfiguration().get("mirror"));
    for (LabeledImage img : images("test", 50, 2, true)) {
      LabeledImage mirrored = new LabeledImage(img.source(), img.label(), mirrorImage(img.pixels()));
      assertArrayEquals(eitherWay.predict(img).scores(), eitherWay.predict(mirrored).scores(), 1e-6);
    }

    // a few validation rows may miss what only the trained model tells apart: off, whatever they say
    ModelMetadata.Choice few = choices(train(TrainingConfig.builder().set("epochs", "2").build(),
        images("train", 400, 1, true))).get("mirror");
    assertEquals("false", few.value(), few.toString());
    assertTrue(few.reason().contains("too few"), few.reason());

    LinearClassifier oneWay = train(config, images("train", 1600, 1, false));
    ModelMetadata.Choice kept = choices(oneWay).get("mirror");
    assertEquals("false", kept.value(), kept.toString());
    assertTrue(kept.candidates().get("true") > kept.candidates().get("false"), kept.toString());
    List<LabeledImage> test = images("test", 1600, 2);
    assertTrue(accuracy(oneWay, test) >= bayesAccuracy(test) - 0.03);
  }

  @Test
  void mirrorSymmetryNeedsAnImagesPixels() {
    List<LabeledImage> vectors = new ArrayList<>();
    for (LabeledImage img : images("train", 400, 1)) {
      float[] values = new float[img.pixels().length];
      for (int i = 0; i < values.length; i++) {
        values[i] = img.pixel(i);
      }
      vectors.add(LabeledImage.ofFeatures(img.source(), img.label(), values));
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < CLASSES; c++) {
      names.add("class" + c);
    }
    ImageDataset asVectors = new ImageDataset(sc.parallelize(vectors, 2), names, new ImageShape(1, 1, 64), 400,
        sc.sc().longAccumulator(), "feature vectors");
    TrainingPipeline auto = new TrainingPipeline(sc, TrainingConfig.builder().set("epochs", "1").build());
    try (PreparedData prepared = auto.prepare(asVectors, "generated")) {
      ModelMetadata.Choice chosen = choices(auto.train(prepared)).get("mirror");
      assertEquals("false", chosen.value());
      assertTrue(chosen.reason().contains("feature vectors"), chosen.reason());
    }
    TrainingPipeline given = new TrainingPipeline(sc, TrainingConfig.builder().set("mirror", "true").build());
    try (PreparedData prepared = given.prepare(asVectors, "generated")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> given.train(prepared));
      assertTrue(e.getMessage().contains("--mirror true does not apply"), e.getMessage());
    }
  }
}
