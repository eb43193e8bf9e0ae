package org.sparklinear.optim;

import java.io.Serializable;
import java.util.Locale;

/** The learning rate as a function of the (0-based) epoch. */
public interface LearningRateSchedule extends Serializable {

  double rate(int epoch);

  /** The same rate every epoch. */
  static LearningRateSchedule constant(double rate) {
    return new Decay(rate, 1.0, 1, "constant");
  }

  /** {@code rate * factor^floor(epoch / every)}. */
  static LearningRateSchedule step(double rate, double factor, int every) {
    return new Decay(rate, factor, every, "step");
  }

  /** {@code rate * factor^epoch}. */
  static LearningRateSchedule exponential(double rate, double factor) {
    return new Decay(rate, factor, 1, "exponential");
  }

  /**
   * Parses the command line's form: {@code constant}, {@code step:FACTOR:EVERY} or {@code exponential:FACTOR}.
   */
  static LearningRateSchedule parse(String spec, double rate) {
    String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":");
    try {
      switch (parts[0]) {
        case "constant":
          if (parts.length == 1) {
            return constant(rate);
          }
          break;
        case "step":
          if (parts.length == 3) {
            return step(rate, Double.parseDouble(parts[1]), Integer.parseInt(parts[2]));
          }
          break;
        case "exponential":
          if (parts.length == 2) {
            return exponential(rate, Double.parseDouble(parts[1]));
          }
          break;
        default:
          break;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("learning-rate decay '" + spec
        + "' is not one of: constant, step:FACTOR:EVERY_EPOCHS, exponential:FACTOR");
  }

  /** All three schedules are {@code rate * factor^floor(epoch / every)}. */
  final class Decay implements LearningRateSchedule {
    private static final long serialVersionUID = 1L;
    private final double rate;
    private final double factor;
    private final int every;
    private final String kind;

    Decay(double rate, double factor, int every, String kind) {
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("learning rate must be a positive number, got " + rate);
      }
      if (!(factor > 0 && factor <= 1)) {
        throw new IllegalArgumentException("learning-rate decay factor must be in (0, 1], got " + factor);
      }
      if (every < 1) {
        throw new IllegalArgumentException("learning-rate decay interval must be at least 1 epoch, got " + every);
      }
      this.rate = rate;
      this.factor = factor;
      this.every = every;
      this.kind = kind;
    }

    @Override
    public double rate(int epoch) {
      return rate * Math.pow(factor, epoch / every);
    }

    @Override
    public String toString() {
      return switch (kind) {
        case "step" -> "step:" + factor + ":" + every;
        case "exponential" -> "exponential:" + factor;
        default -> "constant";
      };
    }
  }
}
