package org.sparklinear.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Each update rule against its closed form over two steps. */
class SgdOptimizerTest {

  @Test
  void plainSgdStepsAgainstTheGradient() {
    double[] x = {1.0, -2.0};
    new SgdOptimizer(Momentum.NONE, 0).step(x, new double[] {0.5, -1.0}, 0.1);
    assertArrayEquals(new double[] {0.95, -1.9}, x, 1e-15);
  }

  @Test
  void standardMomentumAccumulatesVelocity() {
    SgdOptimizer opt = new SgdOptimizer(Momentum.STANDARD, 0.9);
    double[] x = {1.0};
    opt.step(x, new double[] {1.0}, 0.1); // v = -0.1, x = 0.9
    assertEquals(0.9, x[0], 1e-15);
    opt.step(x, new double[] {1.0}, 0.1); // v = -0.09 - 0.1 = -0.19, x = 0.71
    assertEquals(0.71, x[0], 1e-15);
  }

  @Test
  void nesterovLooksAhead() {
    SgdOptimizer opt = new SgdOptimizer(Momentum.NESTEROV, 0.9);
    double[] x = {1.0};
    opt.step(x, new double[] {1.0}, 0.1); // v = -0.1; x += -0.9*0 + 1.9*(-0.1) = 0.81
    assertEquals(0.81, x[0], 1e-15);
    opt.step(x, new double[] {1.0}, 0.1); // v = -0.19; x += 0.09 + 1.9*(-0.19) = 0.81 + 0.09 - 0.361
    assertEquals(0.539, x[0], 1e-15);
  }

  @Test
  void velocityCanBeSavedAndRestored() {
    SgdOptimizer a = new SgdOptimizer(Momentum.STANDARD, 0.5);
    double[] x = {1.0};
    a.step(x, new double[] {2.0}, 0.1);
    SgdOptimizer b = new SgdOptimizer(Momentum.STANDARD, 0.5);
    b.restoreState(a.state(1));
    double[] y = x.clone();
    a.step(x, new double[] {1.0}, 0.1);
    b.step(y, new double[] {1.0}, 0.1);
    assertArrayEquals(x, y, 0);
  }

  @Test
  void schedulesDecayPerEpoch() {
    assertEquals(0.1, LearningRateSchedule.parse("constant", 0.1).rate(7), 1e-15);
    LearningRateSchedule step = LearningRateSchedule.parse("step:0.5:2", 0.1);
    assertEquals(0.1, step.rate(1), 1e-15);
    assertEquals(0.05, step.rate(2), 1e-15);
    assertEquals(0.025, step.rate(5), 1e-15);
    assertEquals(0.1 * 0.9 * 0.9 * 0.9, LearningRateSchedule.parse("exponential:0.9", 0.1).rate(3), 1e-15);
  }

  @Test
  void badSchedulesAndMomentaAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("cosine", 0.1));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("step:2:1", 0.1));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("exponential:x", 0.1));
    assertThrows(IllegalArgumentException.class, () -> new SgdOptimizer(Momentum.STANDARD, 1.0));
  }
}
