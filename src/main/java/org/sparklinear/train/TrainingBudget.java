package org.sparklinear.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.optim.IterateAveraging;

/**
 * The training length that fits the data, for the settings left to {@code auto}: a batch of about a sixteenth of the
 * rows (a power of two from {@value #MIN_BATCH_SIZE} to {@value #MAX_BATCH_SIZE}), enough epochs for at least
 * {@value #MIN_STEPS} steps and {@value #MIN_EPOCHS} epochs (at most {@value #MAX_EPOCHS}), and a rate that decays
 * exponentially to a tenth over those epochs (for a loss with kinks, the hinges: a constant rate, and the model kept
 * is the mean of the second half's iterates). Patience ({@value #PATIENCE} epochs, when the validation split has at
 * least {@value #MIN_PATIENCE_ROWS} rows) stops a run that converged sooner.
 *
 * <p>Why these numbers: a linear model converges in a number of steps rather than of epochs when the data is small
 * (1,400 images in batches of 1,024 make 2 steps an epoch, far from converged after 10 epochs), and in a number of
 * epochs when it is large (CIFAR-10's 45,000 images in batches of 1,024 are converged to within noise after 10
 * epochs, 440 steps, and a smaller batch or more epochs would only be slower). The rule gives both their need and
 * keeps CIFAR-10's run as it was.
 */
public record TrainingBudget(int batchSize, int epochs, String learningRateDecay, int patience,
    IterateAveraging average, List<ModelMetadata.Choice> choices) {

  /** The values an {@code auto} setting has until the data is seen (and where nothing resolves it). */
  public static final int PROVISIONAL_EPOCHS = 10;
  public static final int PROVISIONAL_BATCH_SIZE = 1024;
  public static final String PROVISIONAL_DECAY = "exponential:0.8";
  public static final int PROVISIONAL_PATIENCE = 0;

  /** Patience, in epochs, when the validation split is large enough to stop on. */
  public static final int PATIENCE = 5;
  /**
   * Below this many validation rows patience is off: one row moves the accuracy by more than a converging run
   * gains in an epoch, so it would stop on noise.
   */
  static final long MIN_PATIENCE_ROWS = 200;
  static final int MIN_BATCH_SIZE = 32;
  static final int MAX_BATCH_SIZE = 1024;
  /** At least this many steps per epoch while the batch is above its minimum. */
  static final int STEPS_PER_EPOCH = 16;
  static final int MIN_STEPS = 400;
  static final int MIN_EPOCHS = 10;
  static final int MAX_EPOCHS = 100;
  /** The rate falls to this fraction of its start over the run's epochs. */
  static final double FINAL_RATE_FRACTION = 0.1;

  public TrainingBudget {
    choices = List.copyOf(choices);
  }

  /**
   * The budget of {@code config} on {@code trainRows} rows with {@code validationRows} held out: its explicit
   * settings kept, its auto ones chosen.
   */
  public static TrainingBudget fit(TrainingConfig config, long trainRows, long validationRows) {
    AutomaticSettings auto = config.automatic();
    List<ModelMetadata.Choice> choices = new ArrayList<>();
    int batch = config.batchSize();
    if (auto.has(AutomaticSettings.Setting.BATCH_SIZE)) {
      batch = batchSizeFor(trainRows);
      choices.add(rule("batch-size", Integer.toString(batch), String.format(Locale.ROOT,
          "about %d steps an epoch on %d training rows: rows/%d as a power of two between %d and %d", Math.max(1,
              (trainRows + batch - 1) / batch), trainRows, STEPS_PER_EPOCH, MIN_BATCH_SIZE, MAX_BATCH_SIZE)));
    }
    int patience = config.patience();
    if (auto.has(AutomaticSettings.Setting.PATIENCE)) {
      patience = validationRows >= MIN_PATIENCE_ROWS ? PATIENCE : 0;
      choices.add(rule("patience", Integer.toString(patience), patience > 0
          ? String.format(Locale.ROOT, "%d validation rows: stop after %d epochs without improvement, keeping the"
              + " best", validationRows, PATIENCE)
          : String.format(Locale.ROOT, "off: %d validation rows are fewer than %d, too few to stop on",
              validationRows, MIN_PATIENCE_ROWS)));
    }
    int epochs = config.epochs();
    if (auto.has(AutomaticSettings.Setting.EPOCHS)) {
      epochs = epochsFor(trainRows, batch);
      long steps = epochs * stepsPerEpoch(trainRows, batch);
      choices.add(rule("epochs", Integer.toString(epochs), String.format(Locale.ROOT,
          "%d steps of %d rows: at least %d steps and %d epochs, at most %d epochs; patience %d stops it sooner",
          steps, batch, MIN_STEPS, MIN_EPOCHS, MAX_EPOCHS, patience)));
    }
    IterateAveraging average = config.average();
    if (auto.has(AutomaticSettings.Setting.AVERAGE)) {
      average = config.loss().smooth() ? IterateAveraging.NONE : new IterateAveraging(IterateAveraging.DEFAULT_TAIL);
      choices.add(rule("average", average.cliName(), config.loss().smooth()
          ? config.loss().cliName() + " is smooth: its last iterate settles as the rate decays"
          : config.loss().cliName() + " has kinks: its last iterate keeps jumping across them, the mean of the run's"
              + " second half settles (averaged SGD)"));
    }
    String decay = config.learningRateDecay();
    if (auto.has(AutomaticSettings.Setting.LEARNING_RATE_DECAY)) {
      decay = average.isOn() ? "constant" : decayOver(epochs);
      choices.add(rule("lr-decay", decay, average.isOn() ? "constant: averaging the iterates does what a decay"
          + " would, without shrinking the steps of the averaged part" : String.format(Locale.ROOT,
          "the rate falls to %s of its start over %d epochs", FINAL_RATE_FRACTION, epochs)));
    }
    return new TrainingBudget(batch, epochs, decay, patience, average, choices);
  }

  /**
   * The configuration with this budget's settings, now explicit; a learning rate or L2 strength left to {@code auto}
   * stays so, for {@link SettingSearch}.
   */
  public TrainingConfig applyTo(TrainingConfig config) {
    return config.toBuilder().batchSize(batchSize).epochs(epochs).learningRateDecay(learningRateDecay)
        .patience(patience).average(average).build();
  }

  static int batchSizeFor(long rows) {
    long target = Math.max(1, rows / STEPS_PER_EPOCH);
    int batch = Integer.highestOneBit((int) Math.min(target, MAX_BATCH_SIZE));
    return Math.max(MIN_BATCH_SIZE, Math.min(MAX_BATCH_SIZE, batch));
  }

  static int epochsFor(long rows, int batch) {
    long perEpoch = stepsPerEpoch(rows, batch);
    long forSteps = (MIN_STEPS + perEpoch - 1) / perEpoch;
    return (int) Math.max(MIN_EPOCHS, Math.min(MAX_EPOCHS, forSteps));
  }

  static long stepsPerEpoch(long rows, int batch) {
    return Math.max(1, (rows + batch - 1) / batch);
  }

  static String decayOver(int epochs) {
    double factor = epochs <= 1 ? 1.0 : Math.pow(FINAL_RATE_FRACTION, 1.0 / epochs);
    return String.format(Locale.ROOT, "exponential:%.4f", factor);
  }

  private static ModelMetadata.Choice rule(String setting, String value, String reason) {
    return new ModelMetadata.Choice(setting, value, reason, Map.of());
  }
}
