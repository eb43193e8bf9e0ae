package org.sparklinear.optim;

import java.io.Serializable;
import java.util.Locale;

/**
 * Polyak–Ruppert tail averaging, as a setting: the model a run keeps is the mean of the weights (and biases) after
 * each of its last {@code tail} share of steps instead of the last step's. SGD's last iterate wanders around the
 * optimum by an amount that grows with the rate and the gradient noise; the mean of the iterates sits closer to it.
 *
 * @param tail the share of the run's steps averaged, in (0, 1]; 0 is no averaging
 */
public record IterateAveraging(double tail) implements Serializable {
  /** No averaging: the last step's weights. */
  public static final IterateAveraging NONE = new IterateAveraging(0);
  /** The share that {@code tail} alone means: the second half of the run. */
  public static final double DEFAULT_TAIL = 0.5;

  public IterateAveraging {
    if (!(tail >= 0 && tail <= 1)) {
      throw new IllegalArgumentException("the averaged tail must be a share of the run's steps in (0, 1], got "
          + tail);
    }
  }

  public boolean isOn() {
    return tail > 0;
  }

  /** The steps completed before the first averaged one, in a run of {@code totalSteps}. */
  public long startAfter(long totalSteps) {
    return totalSteps - (long) Math.ceil(tail * totalSteps);
  }

  /**
   * Parses the command line's form: {@code none}, {@code tail} (the last half of the steps) or {@code tail:SHARE}
   * with a share in (0, 1].
   *
   * @throws IllegalArgumentException naming the option, the value and the forms it takes
   */
  public static IterateAveraging parse(String spec) {
    String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":", -1);
    if (parts.length == 1 && parts[0].equals("none")) {
      return NONE;
    }
    if (parts[0].equals("tail") && parts.length <= 2) {
      try {
        double share = parts.length == 1 ? DEFAULT_TAIL : Double.parseDouble(parts[1]);
        if (share > 0 && share <= 1) {
          return new IterateAveraging(share);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException("--average: '" + spec + "' is not one of: none, tail (the last half of the"
        + " steps), tail:SHARE (the last SHARE of the steps, 0 < SHARE <= 1)");
  }

  /** The command line's form, which {@link #parse} reads back. */
  public String cliName() {
    return isOn() ? "tail:" + tail : "none";
  }

  @Override
  public String toString() {
    return cliName();
  }
}
