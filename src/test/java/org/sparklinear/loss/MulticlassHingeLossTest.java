package org.sparklinear.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sparklinear.loss.MulticlassHingeLoss.Penalty;

/** The multiclass SVM worked examples of the lecture notes. */
class MulticlassHingeLossTest {
  private final MulticlassHingeLoss hinge = new MulticlassHingeLoss(1.0, Penalty.LINEAR);

  @Test
  void catScoresGive2Point9() {
    assertEquals(2.9, hinge.lossAndScoreGradient(new double[] {3.2, 5.1, -1.7}, new int[] {0}, 1, 3), 1e-12);
  }

  @Test
  void threeExampleAverageIs5Point27() {
    // columns of the notes' table: cat, car, frog images; rows are the cat, car, frog scores
    double[] scores = {3.2, 5.1, -1.7, 1.3, 4.9, 2.0, 2.2, 2.5, -3.1};
    double total = hinge.lossAndScoreGradient(scores, new int[] {0, 1, 2}, 3, 3);
    assertEquals(2.9 + 0 + 12.9, total, 1e-12);
    assertEquals(5.27, total / 3, 0.005);
  }

  @Test
  void deltaTenExampleGives8() {
    MulticlassHingeLoss wide = new MulticlassHingeLoss(10.0, Penalty.LINEAR);
    assertEquals(8.0, wide.lossAndScoreGradient(new double[] {13, -7, 11}, new int[] {0}, 1, 3), 1e-12);
  }

  @Test
  void initialLossIsKMinusOneTimesDelta() {
    assertEquals(9.0, hinge.lossAndScoreGradient(new double[10], new int[] {4}, 1, 10), 1e-12);
    assertEquals(9.0, hinge.expectedInitialLoss(10), 1e-12);
  }

  @Test
  void gradientCountsViolations() {
    double[] g = {3.2, 5.1, -1.7};
    hinge.lossAndScoreGradient(g, new int[] {0}, 1, 3);
    assertArrayEquals(new double[] {-1, 1, 0}, g, 0);
  }

  @Test
  void squaredHingeSquaresEachViolation() {
    MulticlassHingeLoss squared = new MulticlassHingeLoss(1.0, Penalty.SQUARED);
    double[] g = {3.2, 5.1, -1.7};
    assertEquals(2.9 * 2.9, squared.lossAndScoreGradient(g, new int[] {0}, 1, 3), 1e-12);
    assertArrayEquals(new double[] {-5.8, 5.8, 0}, g, 1e-12);
    assertEquals(9.0, squared.expectedInitialLoss(10), 1e-12);
  }
}
