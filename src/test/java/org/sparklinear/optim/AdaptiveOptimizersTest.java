package org.sparklinear.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Adam, RMSProp and AdaGrad against hand-computed steps, their checkpointed state, and convergence. */
class AdaptiveOptimizersTest {

  @Test
  void adamFirstStepIsLearningRateTimesSignOfTheGradient() {
    Optimizer adam = OptimizerKind.ADAM.create(Momentum.NONE, 0);
    double[] x = {1.0, -2.0, 0.5};
    adam.step(x, new double[] {0.3, -40, 1e-3}, 0.01);
    // bias-corrected m = g and v = g^2 after one step, so the step is lr * g / (|g| + eps)
    assertArrayEquals(new double[] {0.99, -1.99, 0.49}, x, 1e-7);
  }

  @Test
  void adamSecondStepMatchesTheFormula() {
    Optimizer adam = new AdamOptimizer(0.9, 0.999, 1e-8);
    double[] x = {0};
    adam.step(x, new double[] {1}, 0.1);
    adam.step(x, new double[] {3}, 0.1);
    double m = 0.9 * 0.1 + 0.1 * 3; // m1 = 0.1
    double v = 0.999 * 0.001 + 0.001 * 9; // v1 = 0.001
    double expected = -0.1 / (1 + 1e-8) - 0.1 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
    assertEquals(expected, x[0], 1e-12);
  }

  @Test
  void adaGradDividesByTheRootOfAllSquaredGradients() {
    Optimizer adagrad = SquaredGradientOptimizer.adaGrad(1e-8);
    double[] x = {0};
    adagrad.step(x, new double[] {3}, 1);
    adagrad.step(x, new double[] {4}, 1);
    assertEquals(-3 / (3 + 1e-8) - 4 / (5 + 1e-8), x[0], 1e-15);
  }

  @Test
  void rmsPropKeepsADecayingAverage() {
    Optimizer rms = SquaredGradientOptimizer.rmsProp(0.9, 1e-8);
    double[] x = {0};
    rms.step(x, new double[] {2}, 0.1);
    assertEquals(-0.1 * 2 / (Math.sqrt(0.1 * 4) + 1e-8), x[0], 1e-15);
  }

  @Test
  void stateRestoredFromACheckpointContinuesIdentically() {
    for (OptimizerKind kind : OptimizerKind.values()) {
      Optimizer a = kind.create(Momentum.NESTEROV, 0.9);
      double[] x = {1, 2};
      a.step(x, new double[] {0.5, -1}, 0.1);
      a.step(x, new double[] {0.2, 0.3}, 0.1);
      Optimizer b = kind.create(Momentum.NESTEROV, 0.9);
      b.restoreState(a.state(2));
      double[] y = x.clone();
      a.step(x, new double[] {-0.7, 0.4}, 0.1);
      b.step(y, new double[] {-0.7, 0.4}, 0.1);
      assertArrayEquals(x, y, 0, kind.cliName());
    }
  }

  @Test
  void everyOptimizerMinimisesAnIllConditionedQuadratic() {
    // f(x) = 50 x0^2 + 0.5 x1^2: plain SGD must use a small rate; the adaptive rules equalise the two directions
    for (OptimizerKind kind : OptimizerKind.values()) {
      Optimizer o = kind.create(Momentum.NESTEROV, 0.9);
      double[] x = {1, 1};
      double rate = kind == OptimizerKind.SGD ? 0.005 : kind == OptimizerKind.ADAGRAD ? 0.5 : 0.05;
      for (int i = 0; i < 2000; i++) {
        o.step(x, new double[] {100 * x[0], x[1]}, rate);
      }
      assertTrue(Math.abs(x[0]) < 0.05 && Math.abs(x[1]) < 0.05, kind.cliName() + " ended at " + x[0] + ", " + x[1]);
    }
  }
}
