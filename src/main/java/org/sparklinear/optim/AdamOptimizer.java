package org.sparklinear.optim;

/**
 * Adam (Kingma and Ba): per-parameter steps from bias-corrected running means of the gradient and of its square,
 * {@code x -= lr * m_hat / (sqrt(v_hat) + eps)}.
 */
public final class AdamOptimizer implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private long t;
  private double[] m;
  private double[] v;

  public AdamOptimizer(double beta1, double beta2, double epsilon) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException("Adam needs 0 <= beta1, beta2 < 1 and epsilon > 0");
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  public void step(double[] parameters, double[] gradient, double learningRate) {
    Optimizer.checkLengths(parameters, gradient);
    if (m == null) {
      m = new double[parameters.length];
      v = new double[parameters.length];
    }
    t++;
    double correction1 = 1 - Math.pow(beta1, t);
    double correction2 = 1 - Math.pow(beta2, t);
    for (int i = 0; i < parameters.length; i++) {
      double g = gradient[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      parameters[i] -= learningRate * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + epsilon);
    }
  }

  @Override
  public AdamOptimizer fresh() {
    return new AdamOptimizer(beta1, beta2, epsilon);
  }

  /** {@code [t, m..., v...]}. */
  @Override
  public double[] state(int parameterCount) {
    double[] s = new double[1 + 2 * parameterCount];
    s[0] = t;
    if (m != null) {
      System.arraycopy(m, 0, s, 1, parameterCount);
      System.arraycopy(v, 0, s, 1 + parameterCount, parameterCount);
    }
    return s;
  }

  @Override
  public void restoreState(double[] state) {
    if (state == null) {
      t = 0;
      m = null;
      v = null;
      return;
    }
    int n = (state.length - 1) / 2;
    t = (long) state[0];
    m = java.util.Arrays.copyOfRange(state, 1, 1 + n);
    v = java.util.Arrays.copyOfRange(state, 1 + n, 1 + 2 * n);
  }

  @Override
  public String toString() {
    return "adam(beta1=" + beta1 + ", beta2=" + beta2 + ")";
  }
}
