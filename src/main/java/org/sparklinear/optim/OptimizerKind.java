package org.sparklinear.optim;

/** The update rules users can pick with {@code --optimizer}. */
public enum OptimizerKind {
  /** SGD, with the momentum variant of {@code --momentum} / {@code --nesterov}. */
  SGD("sgd", 0),
  ADAM("adam", 0.001),
  RMSPROP("rmsprop", 0.001),
  ADAGRAD("adagrad", 0.01);

  private final String cliName;
  private final double defaultLearningRate;

  OptimizerKind(String cliName, double defaultLearningRate) {
    this.cliName = cliName;
    this.defaultLearningRate = defaultLearningRate;
  }

  public String cliName() {
    return cliName;
  }

  /**
   * What {@code --lr auto} means: the adaptive rules scale each step by the gradient's own size, so one rate suits
   * every loss; 0 for SGD, where the loss decides.
   */
  public double defaultLearningRate() {
    return defaultLearningRate;
  }

  public Optimizer create(Momentum momentum, double mu) {
    return switch (this) {
      case SGD -> new SgdOptimizer(momentum, mu);
      case ADAM -> new AdamOptimizer(0.9, 0.999, 1e-8);
      case RMSPROP -> SquaredGradientOptimizer.rmsProp(0.99, 1e-8);
      case ADAGRAD -> SquaredGradientOptimizer.adaGrad(1e-8);
    };
  }

  public static OptimizerKind fromName(String name) {
    return org.sparklinear.CliNames.parse(values(), OptimizerKind::cliName, name, "optimizer");
  }
}
