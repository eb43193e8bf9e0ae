package org.sparklinear.model;

import java.util.Optional;
import org.sparklinear.data.ImageShape;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.ScoreLoss;
import org.sparklinear.loss.ScoreSpace;
import org.sparklinear.preprocess.Preprocessor;

/**
 * The linear model that scores an image as the mean of the scores of the image and of its left-right mirror image:
 * test-time flip augmentation, which for a linear model on pixels is again one linear model, so it costs nothing
 * when scoring. Natural photos are as likely mirrored as not, so the mirror-antisymmetric half of a class template
 * fits noise; digits and text are not, and there it loses what tells a class from its mirror image.
 *
 * <p>Exact through the preprocessing: with features {@code x'_k = (x_k - m_k) / s_k} and {@code f} the mirror of
 * a pixel's index, the mirror image scores {@code sum_k W_f(k) s_k / s_f(k) x'_k + sum_k W_f(k) (m_k - m_f(k)) /
 * s_f(k) + b}, since neither the mean image nor a per-pixel scale is itself symmetric.
 */
public final class MirrorSymmetry {

  private MirrorSymmetry() {}

  /**
   * Why mirror symmetry cannot apply to a model of these features, shape and loss; empty when it can. It needs an
   * image's pixels (the shape of a feature vector is one pixel high) and linear scores.
   */
  public static Optional<String> inapplicable(ImageShape shape, FeatureTransform features, ScoreLoss loss) {
    if (!features.isIdentity()) {
      return Optional.of("the features are " + features + ", not an image's pixels");
    }
    if (shape.height() < 2 || shape.width() < 2) {
      return Optional.of("the examples are feature vectors, not images");
    }
    if (loss.scoreSpace() != ScoreSpace.LINEAR) {
      return Optional.of(loss + " scores cosines, whose mean over an image and its mirror is not a"
          + " cosine of one template");
    }
    return Optional.empty();
  }

  /** The index of the pixel that {@code feature}'s pixel becomes in the mirror image (channel planes, rows). */
  public static int mirrored(ImageShape shape, int feature) {
    int width = shape.width();
    int column = feature % width;
    return feature - column + (width - 1 - column);
  }

  /** The model that scores an image as the mean of {@code weights}' scores of it and of its mirror image. */
  public static LinearWeights symmetric(LinearWeights weights, ImageShape shape, Preprocessor preprocessor) {
    int classes = weights.classes();
    int features = weights.features();
    if (features != shape.features() || features != preprocessor.features()) {
      throw new IllegalArgumentException("weights of " + features + " features for images of " + shape
          + " and preprocessing of " + preprocessor.features());
    }
    float[] mean = preprocessor.mean();
    float[] scale = preprocessor.scale();
    double[] w = weights.parameters();
    double[] out = new double[w.length];
    for (int c = 0; c < classes; c++) {
      int row = c * features;
      double shift = 0;
      for (int k = 0; k < features; k++) {
        int f = mirrored(shape, k);
        double wf = w[row + f] / scale[f];
        out[row + k] = 0.5 * (w[row + k] + wf * scale[k]);
        shift += wf * ((double) mean[k] - mean[f]);
      }
      int bias = weights.biasOffset() + c;
      out[bias] = w[bias] + 0.5 * shift;
    }
    return new LinearWeights(classes, features, out);
  }
}
