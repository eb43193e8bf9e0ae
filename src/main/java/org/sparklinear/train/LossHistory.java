package org.sparklinear.train;

import java.util.ArrayList;
import java.util.List;
import org.sparklinear.linalg.LinearWeights;

/**
 * The training loss of every step, kept for the model's metadata and its report; beyond {@link #MAX_POINTS} steps,
 * the mean of each run of consecutive steps, so long runs stay small.
 */
public final class LossHistory implements TrainingListener {
  public static final int MAX_POINTS = 2000;
  private final List<Double> losses = new ArrayList<>();

  @Override
  public void afterStep(long step, int epoch, double loss, long examples, LinearWeights weights) {
    losses.add(loss);
  }

  /** At most {@link #MAX_POINTS} values, each the mean loss of the steps it stands for. */
  public List<Double> points() {
    int n = losses.size();
    if (n <= MAX_POINTS) {
      return List.copyOf(losses);
    }
    List<Double> out = new ArrayList<>();
    for (int p = 0; p < MAX_POINTS; p++) {
      int from = (int) ((long) p * n / MAX_POINTS);
      int to = (int) ((long) (p + 1) * n / MAX_POINTS);
      double sum = 0;
      for (int i = from; i < to; i++) {
        sum += losses.get(i);
      }
      out.add(sum / (to - from));
    }
    return out;
  }

  /** Calls both listeners; stops when either asks to. */
  public static TrainingListener both(TrainingListener a, TrainingListener b) {
    return new TrainingListener() {
      @Override
      public void epochStarted(int epoch, long step) {
        a.epochStarted(epoch, step);
        b.epochStarted(epoch, step);
      }

      @Override
      public void afterStep(long step, int epoch, double loss, long examples, LinearWeights weights) {
        a.afterStep(step, epoch, loss, examples, weights);
        b.afterStep(step, epoch, loss, examples, weights);
      }

      @Override
      public void afterEpoch(EpochRecord record) {
        a.afterEpoch(record);
        b.afterEpoch(record);
      }

      @Override
      public boolean stopRequested() {
        return a.stopRequested() || b.stopRequested();
      }
    };
  }
}
