package org.sparklinear.optim;

/**
 * An update rule on the flat parameter vector, run on the driver (and, a fresh copy per partition, in a round of
 * local steps). Its state between steps (velocity, moment estimates, accumulated squares) is what a checkpoint keeps,
 * as one flat array.
 */
public interface Optimizer extends java.io.Serializable {

  /** Applies one update to {@code parameters} in place. */
  void step(double[] parameters, double[] gradient, double learningRate);

  /** A copy of the state after the last step (all zeros before the first), for checkpoints. */
  double[] state(int parameterCount);

  /** Continues from a state that {@link #state} returned; null starts fresh. */
  void restoreState(double[] state);

  /**
   * A new optimizer with this one's rule and settings and no state: what each partition runs in a round of local
   * steps, from the state the driver's optimizer holds.
   */
  Optimizer fresh();

  static void checkLengths(double[] parameters, double[] gradient) {
    if (gradient.length != parameters.length) {
      throw new IllegalArgumentException("gradient has " + gradient.length + " entries, parameters "
          + parameters.length);
    }
  }
}
