package org.sparklinear.model;

import java.io.Serializable;
import java.util.List;
import org.sparklinear.BadInputException;
import org.sparklinear.data.ImageShape;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.LossKind;
import org.sparklinear.loss.ScoreLoss;
import org.sparklinear.preprocess.Preprocessor;

/**
 * A trained classifier: everything needed to go from an image's raw pixels to a class, plus where it came from.
 *
 * @param features what the model computes from an image before preprocessing (the identity for raw pixels)
 * @param metadata how it was made: configuration, metrics and provenance, as stored in {@code metadata.json}
 */
public record LinearClassifier(List<String> classNames, ImageShape shape, FeatureTransform features,
    Preprocessor preprocessor, LossKind loss, double hingeDelta, LinearWeights weights, ModelMetadata metadata)
    implements Serializable {

  /** A model on the raw pixels (or on feature vectors whose shape is {@code 1 x 1 x D}). */
  public LinearClassifier(List<String> classNames, ImageShape shape, Preprocessor preprocessor, LossKind loss,
      double hingeDelta, LinearWeights weights, ModelMetadata metadata) {
    this(classNames, shape, FeatureTransform.pixels(), preprocessor, loss, hingeDelta, weights, metadata);
  }

  public LinearClassifier {
    classNames = List.copyOf(classNames);
    if (weights.classes() != classNames.size()) {
      throw new IllegalArgumentException("weights have " + weights.classes() + " classes, names " + classNames.size());
    }
    int size = features.outputSize(shape);
    if (weights.features() != size || preprocessor.features() != size) {
      throw new IllegalArgumentException("weights (" + weights.features() + "), preprocessing ("
          + preprocessor.features() + ") and features " + features + " of " + shape + " images (" + size
          + ") disagree");
    }
    if (features.needsFitting()) {
      throw new IllegalArgumentException("the random features of a model must be fitted");
    }
    if (features.randomFeatures() > 0 && features.inputMean().length != features.baseSize(shape)) {
      throw new IllegalArgumentException("random features are fitted on " + features.inputMean().length
          + " base features, but " + features.spec() + " of " + shape + " images gives " + features.baseSize(shape));
    }
    if (metadata == null) {
      metadata = ModelMetadata.none();
    }
  }

  public ScoreLoss scoreLoss() {
    return loss.create(hingeDelta);
  }

  /** Fails with a clear message when images of {@code other} cannot be fed to this model. */
  public void checkCompatible(ImageShape other, String what) {
    if (!other.equals(shape)) {
      throw new BadInputException(what + ": images are " + other + " (channels x height x width) but the model was"
          + " trained on " + shape);
    }
  }

  /**
   * Loads a model directory from any Hadoop path ({@code /local/dir}, {@code hdfs://...}, {@code s3a://...}) with a
   * default Hadoop configuration; no Spark is needed, or started, to load a model and score images with it.
   */
  public static LinearClassifier load(String dir) {
    return load(dir, new org.apache.hadoop.conf.Configuration());
  }

  public static LinearClassifier load(String dir, org.apache.hadoop.conf.Configuration conf) {
    return new ModelStore(conf).read(dir);
  }

  /** One image's 8-bit pixels as channel planes (all of R, then G, then B), of the model's shape. */
  public Prediction predict(byte[] pixels) {
    return predict(new org.sparklinear.data.LabeledImage("image", -1, pixels));
  }

  /** A decoded image, resized and converted to the model's shape as the image readers do. */
  public Prediction predict(java.awt.image.BufferedImage image) {
    return predict(org.sparklinear.data.ImageDecoder.toPlanar(image, shape));
  }

  /**
   * The one way any caller scores an example (an image's pixels or a feature vector): {@code predict} applies it to
   * every row, so the command and an in-process caller cannot disagree.
   */
  public Prediction predict(org.sparklinear.data.LabeledImage example) {
    if (example.length() != (example.pixels() != null ? shape.features() : features.baseSize(shape))) {
      throw new BadInputException(example.source() + ": " + example.length() + " values, but the model takes "
          + (example.pixels() != null ? shape + " images (" + shape.features() + " pixels)"
          : features.baseSize(shape) + " feature values"));
    }
    if (!features.isIdentity()) {
      example = features.apply(example, shape);
    }
    return predictFeatures(preprocessor.apply(example));
  }

  /** A batch, in order. */
  public List<Prediction> predict(List<org.sparklinear.data.LabeledImage> examples) {
    return examples.stream().map(this::predict).toList();
  }

  private Prediction predictFeatures(double[] features) {
    double[] scores = weights.scores(features);
    int best = org.sparklinear.linalg.Vectors.argmax(scores, 0, scores.length);
    ScoreLoss l = scoreLoss();
    return new Prediction(best, classNames.get(best), scores, l.hasProbabilities() ? l.probabilities(scores) : null);
  }
}
