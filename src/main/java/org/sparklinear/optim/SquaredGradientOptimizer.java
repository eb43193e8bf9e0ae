package org.sparklinear.optim;

/**
 * AdaGrad and RMSProp: each parameter's step is divided by the root of its accumulated squared gradients, summed
 * for ever (AdaGrad) or as a decaying average (RMSProp): {@code x -= lr * g / (sqrt(cache) + eps)}.
 */
public final class SquaredGradientOptimizer implements Optimizer {
  private final String name;
  /** Weight of the old cache: 1 sums for ever (AdaGrad); below 1 forgets (RMSProp, with 1 - decay on g^2). */
  private final double decay;
  private final double epsilon;
  private double[] cache;

  private SquaredGradientOptimizer(String name, double decay, double epsilon) {
    if (!(epsilon > 0) || !(decay > 0 && decay <= 1)) {
      throw new IllegalArgumentException(name + " needs 0 < decay <= 1 and epsilon > 0");
    }
    this.name = name;
    this.decay = decay;
    this.epsilon = epsilon;
  }

  public static SquaredGradientOptimizer adaGrad(double epsilon) {
    return new SquaredGradientOptimizer("adagrad", 1, epsilon);
  }

  public static SquaredGradientOptimizer rmsProp(double decay, double epsilon) {
    if (decay >= 1) {
      throw new IllegalArgumentException("RMSProp decay must be below 1, got " + decay);
    }
    return new SquaredGradientOptimizer("rmsprop", decay, epsilon);
  }

  @Override
  public SquaredGradientOptimizer fresh() {
    return new SquaredGradientOptimizer(name, decay, epsilon);
  }

  @Override
  public void step(double[] parameters, double[] gradient, double learningRate) {
    Optimizer.checkLengths(parameters, gradient);
    if (cache == null) {
      cache = new double[parameters.length];
    }
    double fresh = decay == 1 ? 1 : 1 - decay;
    for (int i = 0; i < parameters.length; i++) {
      double g = gradient[i];
      cache[i] = decay * cache[i] + fresh * g * g;
      parameters[i] -= learningRate * g / (Math.sqrt(cache[i]) + epsilon);
    }
  }

  @Override
  public double[] state(int parameterCount) {
    return cache == null ? new double[parameterCount] : cache.clone();
  }

  @Override
  public void restoreState(double[] state) {
    cache = state == null ? null : state.clone();
  }

  @Override
  public String toString() {
    return decay == 1 ? name : name + "(decay=" + decay + ")";
  }
}
