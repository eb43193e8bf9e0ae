package org.sparklinear.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparklinear.data.ImageShape;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.LossKind;
import org.sparklinear.preprocess.Preprocessor;
import org.sparklinear.preprocess.Scaling;

class MirrorSymmetryTest {

  @Test
  void theSymmetricModelScoresTheMeanOfAnImageAndItsMirrorImageThroughAnyPreprocessing() {
    SplittableRandom random = new SplittableRandom(3);
    for (ImageShape shape : new ImageShape[] {new ImageShape(3, 5, 7), new ImageShape(1, 4, 6)}) {
      // neither the mean image nor the per-pixel scale is symmetric: both must be accounted for exactly
      for (Scaling scaling : Scaling.values()) {
        int d = shape.features();
        float[] mean = new float[d];
        float[] scale = new float[d];
        for (int k = 0; k < d; k++) {
          mean[k] = (float) (random.nextDouble() * 255);
          scale[k] = scaling == Scaling.UNIT ? 255f : (float) (1 + random.nextDouble() * 80);
        }
        Preprocessor preprocessor = new Preprocessor(scaling, mean, scale);
        LinearWeights w = randomWeights(4, d, random);
        LinearWeights symmetric = MirrorSymmetry.symmetric(w, shape, preprocessor);
        for (int n = 0; n < 20; n++) {
          byte[] image = randomImage(d, random);
          byte[] mirror = mirrorImage(image, shape);
          double[] own = w.scores(features(preprocessor, image));
          double[] mirrored = w.scores(features(preprocessor, mirror));
          double[] expected = new double[own.length];
          for (int c = 0; c < own.length; c++) {
            expected[c] = (own[c] + mirrored[c]) / 2;
          }
          String where = shape + " " + scaling;
          assertArrayEquals(expected, symmetric.scores(features(preprocessor, image)), 1e-4, where);
          assertArrayEquals(expected, symmetric.scores(features(preprocessor, mirror)), 1e-4, where);
        }
      }
    }
  }

  @Test
  void aPixelsMirrorIsInTheSameRowAndChannelAtTheOtherEnd() {
    ImageShape shape = new ImageShape(3, 2, 5);
    // channel 1, row 1, column 0 -> column 4; the middle column of an odd width stays
    assertEquals(1 * 10 + 1 * 5 + 4, MirrorSymmetry.mirrored(shape, 1 * 10 + 1 * 5));
    assertEquals(2 * 10 + 2, MirrorSymmetry.mirrored(shape, 2 * 10 + 2));
    for (int k = 0; k < shape.features(); k++) {
      assertEquals(k, MirrorSymmetry.mirrored(shape, MirrorSymmetry.mirrored(shape, k)));
    }
  }

  @Test
  void itAppliesOnlyToAnImagesPixelsWithLinearScores() {
    FeatureTransform pixels = FeatureTransform.pixels();
    assertTrue(MirrorSymmetry.inapplicable(ImageShape.CIFAR10, pixels, LossKind.HINGE.create(1)).isEmpty());
    assertTrue(MirrorSymmetry.inapplicable(new ImageShape(1, 8, 8), pixels, LossKind.SOFTMAX.create(1)).isEmpty());
    assertTrue(MirrorSymmetry.inapplicable(new ImageShape(1, 1, 64), pixels, LossKind.SOFTMAX.create(1)).get()
        .contains("feature vectors"));
    assertTrue(MirrorSymmetry.inapplicable(ImageShape.CIFAR10, FeatureTransform.parse("hog", 0, 1),
        LossKind.SOFTMAX.create(1)).get().contains("hog"));
    assertTrue(MirrorSymmetry.inapplicable(ImageShape.CIFAR10, pixels, LossKind.AM_SOFTMAX.create(1)).get()
        .contains("cosines"));
  }

  private static LinearWeights randomWeights(int classes, int features, SplittableRandom random) {
    double[] p = new double[LinearWeights.parameterCount(classes, features)];
    for (int i = 0; i < p.length; i++) {
      p[i] = random.nextDouble() - 0.5;
    }
    return new LinearWeights(classes, features, p);
  }

  private static byte[] randomImage(int features, SplittableRandom random) {
    byte[] image = new byte[features];
    for (int k = 0; k < features; k++) {
      image[k] = (byte) random.nextInt(256);
    }
    return image;
  }

  /** Written out here rather than with {@link MirrorSymmetry#mirrored}, so the test does not lean on it. */
  private static byte[] mirrorImage(byte[] image, ImageShape shape) {
    byte[] out = new byte[image.length];
    int w = shape.width();
    for (int c = 0; c < shape.channels(); c++) {
      for (int y = 0; y < shape.height(); y++) {
        for (int x = 0; x < w; x++) {
          int row = (c * shape.height() + y) * w;
          out[row + x] = image[row + w - 1 - x];
        }
      }
    }
    return out;
  }

  private static double[] features(Preprocessor preprocessor, byte[] image) {
    float[] f = new float[image.length];
    preprocessor.apply(image, f, 0);
    double[] row = new double[f.length];
    for (int k = 0; k < f.length; k++) {
      row[k] = f[k];
    }
    return row;
  }
}
