package org.sparklinear.model;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.sparklinear.BadInputException;
import org.sparklinear.data.ImageShape;
import org.sparklinear.eval.BlockEvaluator;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.LossKind;
import org.sparklinear.loss.ScoreLoss;
import org.sparklinear.preprocess.Preprocessor;

/**
 * A trained classifier: everything needed to go from an image's raw pixels to a class, plus where it came from.
 *
 * @param metadata training configuration, metrics and provenance, as stored in {@code metadata.json}
 */
public record LinearClassifier(List<String> classNames, ImageShape shape, Preprocessor preprocessor, LossKind loss,
    double hingeDelta, LinearWeights weights, Map<String, Object> metadata) implements Serializable {

  public LinearClassifier {
    classNames = List.copyOf(classNames);
    if (weights.classes() != classNames.size()) {
      throw new IllegalArgumentException("weights have " + weights.classes() + " classes, names " + classNames.size());
    }
    if (weights.features() != shape.features() || preprocessor.features() != shape.features()) {
      throw new IllegalArgumentException("weights (" + weights.features() + "), preprocessing ("
          + preprocessor.features() + ") and image shape " + shape + " (" + shape.features() + ") disagree");
    }
    metadata = Map.copyOf(metadata);
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

  public Prediction predict(byte[] pixels) {
    return predictFeatures(preprocessor.apply(pixels));
  }

  public Prediction predict(org.sparklinear.data.LabeledImage example) {
    return predictFeatures(preprocessor.apply(example));
  }

  private Prediction predictFeatures(double[] features) {
    double[] scores = weights.scores(features);
    int best = BlockEvaluator.argmax(scores, 0, scores.length);
    ScoreLoss l = scoreLoss();
    return new Prediction(best, classNames.get(best), scores, l.hasProbabilities() ? l.probabilities(scores) : null);
  }
}
