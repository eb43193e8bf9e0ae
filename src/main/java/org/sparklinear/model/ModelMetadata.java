package org.sparklinear.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a model knows of how it was made, beside what it needs to predict (classes, image shape, loss, features and
 * preprocessing, which {@link LinearClassifier} holds): the training configuration, provenance, metrics, the loss
 * per step and per epoch, and a sweep's table. {@link ModelStore} is its one writer and one reader; the JSON keys
 * are the component names, so models written before this record existed read back into it.
 *
 * @param trainingConfiguration the training options by name ({@code seed}, {@code val-fraction}, ...), as resolved
 * @param trainedBy the entry point: "train", "retrain", "sweep" or the spark.ml estimator
 * @param stepLoss training loss (data + penalty) after each step; null where it was not finite
 * @param history one entry per epoch
 * @param sweep the table of a sweep, or null
 * @param automatic the settings left to {@code auto} and what was chosen for each, and why; null when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(Map<String, String> trainingConfiguration, String trainedBy, Provenance dataProvenance,
    Metrics metrics, List<Epoch> history, List<Double> stepLoss, Sweep sweep, List<Choice> automatic,
    String sparkVersion,
    String sparkMaster, String codeVersion, String createdAt) implements Serializable {

  public ModelMetadata {
    Map<String, String> conf = new java.util.LinkedHashMap<>();
    if (trainingConfiguration != null) {
      trainingConfiguration.forEach((k, v) -> {
        if (k != null && v != null) {
          conf.put(k, v);
        }
      });
    }
    trainingConfiguration = java.util.Collections.unmodifiableMap(conf);
    history = history == null ? List.of() : List.copyOf(history);
    stepLoss = stepLoss == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(stepLoss));
  }

  /** Nothing known: a model built in code. */
  public static ModelMetadata none() {
    return new ModelMetadata(Map.of(), null, null, null, List.of(), List.of(), null, null, null, null, null, null);
  }

  /** Where the training data came from. */
  public record Provenance(String data, String dataDescription, Long skippedBadImages) implements Serializable {}

  /** The run's results; nulls where not measured. */
  public record Metrics(Double validationAccuracy, Long validationExamples, Long trainingExamples, Double initialLoss,
      Double finalTrainingLoss, Long steps, Integer epochs, Boolean stoppedEarly, Double trainingSeconds)
      implements Serializable {}

  /** One epoch of training. */
  public record Epoch(int epoch, long steps, double learningRate, Double trainingLoss, Double validationAccuracy,
      double seconds) implements Serializable {}

  /** A sweep: every model's settings and validation accuracy, and which one this model is. */
  public record Sweep(List<SweepModel> models, int best, List<Double> rates, List<Double> strengths)
      implements Serializable {}

  public record SweepModel(double lr, double reg, double validationAccuracy) implements Serializable {}

  /**
   * A setting chosen on the data because it was left to {@code auto}.
   *
   * @param setting the option's name ({@code lr}, {@code batch-size}, ...)
   * @param candidates what was tried and its score (validation loss) by value, in the order tried; empty for a rule
   */
  public record Choice(String setting, String value, String reason, Map<String, Double> candidates)
      implements Serializable {
    public Choice {
      candidates = candidates == null ? Map.of()
          : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(candidates));
    }
  }

  /** A copy with other metrics, history and sweep (a sweep's chosen model). */
  public ModelMetadata withSweep(Map<String, String> configuration, Metrics metrics, Sweep sweep) {
    return new ModelMetadata(configuration, trainedBy, dataProvenance, metrics, List.of(), stepLoss, sweep, automatic,
        sparkVersion, sparkMaster, codeVersion, createdAt);
  }

  /** A copy with one more setting chosen on the data. */
  public ModelMetadata withChoice(Choice choice) {
    List<Choice> all = new java.util.ArrayList<>(automatic == null ? List.of() : automatic);
    all.add(choice);
    return new ModelMetadata(trainingConfiguration, trainedBy, dataProvenance, metrics, history, stepLoss, sweep, all,
        sparkVersion, sparkMaster, codeVersion, createdAt);
  }

  /** The loss per step, NaN where it was not finite. */
  public List<Double> stepLossOrNaN() {
    return stepLoss.stream().map(v -> v == null ? Double.NaN : v).toList();
  }

  /** Validation accuracy per epoch (NaN where there was none). */
  public List<Double> epochAccuracy() {
    return history.stream().map(e -> e.validationAccuracy() == null ? Double.NaN : e.validationAccuracy()).toList();
  }
}
