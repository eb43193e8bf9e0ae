package org.sparklinear.optim;

import java.util.Arrays;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum on the flat parameter vector.
 * Holds the velocity between steps; that state is what a checkpoint must keep.
 */
public final class SgdOptimizer implements Optimizer {
  private final Momentum momentum;
  private final double mu;
  private double[] velocity;

  public SgdOptimizer(Momentum momentum, double mu) {
    if (momentum != Momentum.NONE && !(mu >= 0 && mu < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + mu);
    }
    this.momentum = momentum;
    this.mu = momentum == Momentum.NONE ? 0 : mu;
  }

  public Momentum momentum() {
    return momentum;
  }

  public double mu() {
    return mu;
  }

  @Override
  public void step(double[] parameters, double[] gradient, double learningRate) {
    Optimizer.checkLengths(parameters, gradient);
    if (momentum == Momentum.NONE) {
      for (int i = 0; i < parameters.length; i++) {
        parameters[i] -= learningRate * gradient[i];
      }
      return;
    }
    if (velocity == null) {
      velocity = new double[parameters.length];
    }
    for (int i = 0; i < parameters.length; i++) {
      double previous = velocity[i];
      double v = mu * previous - learningRate * gradient[i];
      velocity[i] = v;
      parameters[i] += momentum == Momentum.NESTEROV ? -mu * previous + (1 + mu) * v : v;
    }
  }

  @Override
  public SgdOptimizer fresh() {
    return new SgdOptimizer(momentum, mu);
  }

  /** A copy of the velocity (all zeros before the first step), for checkpoints. */
  @Override
  public double[] state(int size) {
    return velocity == null ? new double[size] : velocity.clone();
  }

  @Override
  public void restoreState(double[] saved) {
    velocity = saved == null ? null : saved.clone();
  }

  @Override
  public String toString() {
    return momentum == Momentum.NONE ? "sgd" : momentum.name().toLowerCase() + "(mu=" + mu + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SgdOptimizer other && other.momentum == momentum && other.mu == mu
        && Arrays.equals(other.velocity, velocity);
  }

  @Override
  public int hashCode() {
    return momentum.hashCode() * 31 + Double.hashCode(mu);
  }
}
