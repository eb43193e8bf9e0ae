package org.sparklinear.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparklinear.data.ImageShape;
import org.sparklinear.data.LabeledImage;

/** HOG, the hue histogram and the feature transform on hand-built images, against what they must give. */
class FeaturesTest {
  private static final ImageShape SHAPE = ImageShape.CIFAR10;

  /** A 32x32 RGB image, grey levels from f(x, y) in every channel. */
  private static byte[] grey(java.util.function.IntBinaryOperator f) {
    byte[] p = new byte[3 * 1024];
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        byte v = (byte) f.applyAsInt(x, y);
        p[y * 32 + x] = v;
        p[1024 + y * 32 + x] = v;
        p[2048 + y * 32 + x] = v;
      }
    }
    return p;
  }

  @Test
  void hogPutsAVerticalEdgeInTheZeroDegreeBinOfItsCells() {
    byte[] edge = grey((x, y) -> x < 12 ? 0 : 200); // step between x = 11 and 12: horizontal gradient, 0 degrees
    float[] hog = new float[144];
    new HogFeature().compute(edge, SHAPE, hog, 0);
    for (int cellY = 0; cellY < 4; cellY++) {
      for (int cellX = 0; cellX < 4; cellX++) {
        for (int bin = 0; bin < 9; bin++) {
          float v = hog[(cellY * 4 + cellX) * 9 + bin];
          // the edge's 8 pixels per cell row lie in cell column 1 (x = 11): 8 rows x 200 / 64 pixels
          float expected = cellX == 1 && bin == 0 ? 8 * 200f / 64 : 0;
          assertEquals(expected, v, 1e-4, "cell " + cellX + "," + cellY + " bin " + bin);
        }
      }
    }
  }

  @Test
  void hogOfAHorizontalEdgeIsInTheNinetyDegreeBin() {
    byte[] edge = grey((x, y) -> y < 20 ? 50 : 150);
    float[] hog = new float[144];
    new HogFeature().compute(edge, SHAPE, hog, 0);
    int cell = 2 * 4 + 3; // y = 19 lies in cell row 2
    assertEquals(8 * 100f / 64, hog[cell * 9 + 4], 1e-4); // 90 degrees: bin 4 of 20-degree bins
    assertEquals(8 * 100f / 64, java.util.stream.IntStream.range(0, 144).mapToDouble(i -> hog[i]).sum() / 4, 1e-3);
    assertEquals(144, new HogFeature().size(SHAPE));
  }

  @Test
  void hueHistogramCountsPrimaryColoursAndGreyInTheirBins() {
    byte[] img = new byte[3 * 1024];
    for (int p = 0; p < 1024; p++) {
      int kind = p % 4; // red, green, blue, grey
      img[p] = (byte) (kind == 0 || kind == 3 ? 200 : 0);
      img[1024 + p] = (byte) (kind == 1 || kind == 3 ? 200 : 0);
      img[2048 + p] = (byte) (kind == 2 || kind == 3 ? 200 : 0);
    }
    float[] hist = new float[10];
    new HueHistogramFeature().compute(img, SHAPE, hist, 0);
    // red hue 0 and grey in bin 0, green 1/3 in bin 3, blue 2/3 in bin 6
    assertArrayEquals(new float[] {0.5f, 0, 0, 0.25f, 0, 0, 0.25f, 0, 0, 0}, hist, 1e-6f);
  }

  @Test
  void transformsParseConcatenateAndProjectDeterministically() {
    FeatureTransform both = FeatureTransform.parse("hog+color-hist", 0, 1);
    assertEquals(154, both.outputSize(SHAPE));
    assertTrue(FeatureTransform.parse("pixels", 0, 1).isIdentity());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureTransform.parse("hog+sift", 0, 1))
        .getMessage().contains("unknown feature 'sift'"));
    assertThrows(IllegalArgumentException.class, () -> FeatureTransform.parse("hog+hog", 0, 1));

    FeatureTransform random = FeatureTransform.parse("hog", 50, 7);
    assertTrue(random.needsFitting());
    float[] mean = new float[144];
    float[] scale = new float[144];
    java.util.Arrays.fill(scale, 1f);
    FeatureTransform fitted = random.withInputStatistics(mean, scale);
    byte[] img = grey((x, y) -> (x * 7 + y * 3) % 256);
    float[] a = fitted.apply(img, SHAPE);
    float[] b = FeatureTransform.parse("hog", 50, 7).withInputStatistics(mean, scale).apply(img, SHAPE);
    assertEquals(50, a.length);
    assertArrayEquals(a, b, "the same seed gives the same projection in every JVM");
    assertTrue(java.util.Arrays.stream(toDoubles(a)).allMatch(v -> v >= 0), "ReLU outputs");
    float[] other = FeatureTransform.parse("hog", 50, 8).withInputStatistics(mean, scale).apply(img, SHAPE);
    assertTrue(!java.util.Arrays.equals(a, other), "another seed, another projection");
  }

  @Test
  void featureVectorsTakeRandomFeaturesButNotImageFeatures() {
    LabeledImage point = LabeledImage.ofFeatures("xor.libsvm:3", 1, new float[] {0.5f, -0.5f});
    ImageShape twoD = new ImageShape(1, 1, 2);
    FeatureTransform random = FeatureTransform.parse("pixels", 20, 1).withInputStatistics(new float[2],
        new float[] {1, 1});
    assertEquals(20, random.apply(point, twoD).values().length);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FeatureTransform.parse("hog", 0, 1).apply(point, twoD));
    assertTrue(e.getMessage().startsWith("xor.libsvm:3: hog needs images"), e.getMessage());
  }

  private static double[] toDoubles(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
