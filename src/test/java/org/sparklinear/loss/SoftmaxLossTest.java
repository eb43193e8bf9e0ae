package org.sparklinear.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The softmax worked examples of the lecture notes, and numerical safety. */
class SoftmaxLossTest {
  private final SoftmaxLoss loss = new SoftmaxLoss();

  @Test
  void catExampleGivesProbabilityPoint13AndLoss2Point04() {
    double[] scores = {3.2, 5.1, -1.7};
    double[] p = loss.probabilities(scores);
    assertEquals(0.13, p[0], 0.005);
    assertEquals(0.87, p[1], 0.005);
    assertEquals(0.00, p[2], 0.005);
    double value = loss.lossAndScoreGradient(scores.clone(), new int[] {0}, 1, 3);
    assertEquals(2.04, value, 0.005);
    assertEquals(-Math.log(Math.exp(3.2) / (Math.exp(3.2) + Math.exp(5.1) + Math.exp(-1.7))), value, 1e-12);
  }

  @Test
  void gradientIsProbabilitiesMinusOneHot() {
    double[] scores = {3.2, 5.1, -1.7};
    double[] p = loss.probabilities(scores);
    double[] g = scores.clone();
    loss.lossAndScoreGradient(g, new int[] {0}, 1, 3);
    assertArrayEquals(new double[] {p[0] - 1, p[1], p[2]}, g, 1e-12);
  }

  @Test
  void hugeScoresStayFiniteAndExact() {
    double[] scores = {123, 456, 789};
    double value = loss.lossAndScoreGradient(scores.clone(), new int[] {0}, 1, 3);
    // -s_0 + log(e^123 + e^456 + e^789) = 789 - 123 + log(1 + e^-333 + e^-666) = 666
    assertTrue(Double.isFinite(value));
    assertEquals(666.0, value, 1e-9);
    double[] p = loss.probabilities(scores);
    assertEquals(1.0, p[2], 1e-12);
    assertEquals(Math.exp(456 - 789), p[1], 1e-160);
  }

  @Test
  void initialLossIsLnKWithEqualScores() {
    double[] scores = new double[10];
    assertEquals(Math.log(10), loss.lossAndScoreGradient(scores, new int[] {3}, 1, 10), 1e-12);
    assertEquals(Math.log(10), loss.expectedInitialLoss(10), 1e-12);
  }

  @Test
  void sumsOverRows() {
    double[] scores = {1, 2, 0, 0, 5, 1};
    double a = loss.lossAndScoreGradient(new double[] {1, 2, 0}, new int[] {1}, 1, 3);
    double b = loss.lossAndScoreGradient(new double[] {0, 5, 1}, new int[] {2}, 1, 3);
    assertEquals(a + b, loss.lossAndScoreGradient(scores, new int[] {1, 2}, 2, 3), 1e-12);
  }
}
